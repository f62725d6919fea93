package nlu

import "strings"

// Spanish as written in Spain addresses a shop as vosotros ("¿me
// devolvéis el dinero?", "cancelad el pedido", "devolvedme el dinero"),
// as written in much of Latin America as ustedes ("¿me devuelven el
// dinero?", "cancelen el pedido"), and Rioplatense buyers use vos
// ("¿podés ver mi pedido?"). The training data speaks ustedes and tú
// almost throughout, so a vosotros or vos form is read as the ustedes or
// tú form it stands for: the verb keeps its meaning and the act cues
// ("me pueden…") fire for "me podéis…" too. The rules cover the regular
// endings; stemChanges puts back the stem vowel that the ustedes form of
// the frequent irregular verbs changes (podéis → pueden, not "poden").

// vosotrosWords are whole words with no regular ending to rewrite:
// pronouns, possessives and the imperatives without a clitic, which
// cannot be told from nouns by their ending ("cancelad" but "ciudad").
var vosotrosWords = map[string]string{
	"os": "les", "vosotros": "ustedes", "vosotras": "ustedes", "vuestro": "su", "vuestra": "su",
	"vuestros": "sus", "vuestras": "sus", "sois": "son", "vais": "van", "dais": "dan",
	// Bare imperatives of the verbs buyers ask a shop for.
	"cancelad": "cancelen", "anulad": "anulen", "parad": "paren", "enviad": "envien",
	"mandad": "manden", "devolved": "devuelvan", "abrid": "abran", "reembolsad": "reembolsen",
	"pasad": "pasen", "decid": "digan", "haced": "hagan", "mirad": "miren", "revisad": "revisen",
	"comprobad": "comprueben", "ayudad": "ayuden", "quitad": "quiten", "cambiad": "cambien",
	"contestad": "contesten", "responded": "respondan", "solucionad": "solucionen",
	// Vos (voseo): the present of the verbs that also change their stem
	// in the tú form, and its imperatives with a clitic.
	"podes": "puedes", "queres": "quieres", "tenes": "tienes", "decime": "dime",
	"devolveme": "devuelveme", "vos": "tu",
}

// stemChanges maps what the regular rules make of the frequent verbs whose
// ustedes form changes the stem to that form.
var stemChanges = map[string]string{
	"poden": "pueden", "devolven": "devuelven", "devolvan": "devuelvan", "queren": "quieren",
	"tenen": "tienen", "mantenen": "mantienen", "haben": "han", "volven": "vuelven",
	"resolven": "resuelven", "devolvenme": "devuelvenme", "devolvanme": "devuelvanme",
	"podan": "puedan", "queran": "quieran", "dijieron": "dijeron",
}

// vosotrosSuffixes rewrite regular vosotros endings to ustedes endings,
// longest first: the preterite (mandasteis → mandaron), the imperative
// with a clitic (devolvedme → devolvanme), the present and the
// subjunctive (enviáis → envían, reembolséis → reembolsen).
var vosotrosSuffixes = []struct{ from, to string }{
	{"asteis", "aron"}, {"isteis", "ieron"},
	{"adme", "enme"}, {"edme", "anme"}, {"idme", "anme"},
	{"adlo", "enlo"}, {"edlo", "anlo"}, {"idlo", "anlo"},
	{"adla", "enla"}, {"edla", "anla"}, {"idla", "anla"},
	{"adnos", "ennos"}, {"ednos", "annos"},
	{"ais", "an"}, {"eis", "en"},
}

// notVosotros end like a vosotros form and are not one.
var notVosotros = setOf("dieciseis", "veintiseis", "treintaiseis", "paises")

// fromVosotros returns the ustedes or tú form of a folded Spanish
// vosotros or vos form, or w and false.
func fromVosotros(w string) (string, bool) {
	if s, ok := vosotrosWords[w]; ok {
		return s, s != w
	}
	if len(w) < 5 || notVosotros[w] || w[len(w)-1] != 's' && w[len(w)-1] != 'e' && w[len(w)-1] != 'o' && w[len(w)-1] != 'a' {
		return w, false
	}
	for _, sf := range vosotrosSuffixes {
		stem, ok := strings.CutSuffix(w, sf.from)
		if !ok || len(stem) < 2 {
			continue
		}
		out := stem + sf.to
		if s, ok := stemChanges[out]; ok {
			out = s
		}
		return out, true
	}
	return w, false
}
