package nlu

import (
	"strings"
	"unicode"
)

// Supported locales, the values Result.Locale and DetectLocale return.
const (
	LocaleEnglish = "en"
	LocaleKorean  = "ko"
	LocaleSpanish = "es"
	LocaleRussian = "ru"
)

// Locales returns the supported locale codes in a stable order.
func Locales() []string {
	return []string{LocaleEnglish, LocaleKorean, LocaleSpanish, LocaleRussian}
}

// spanishWords and englishWords are frequent words that occur in one of
// the two languages but not in the other (so no "no", "me" or "a"), in
// folded form. A handful of them is enough to tell the two apart in the
// short messages a support chat sees.
var spanishWords = setOf(
	"el", "la", "los", "las", "de", "del", "que", "por", "para", "mi", "mis", "es", "esta", "estan",
	"un", "una", "con", "y", "pero", "como", "donde", "cuando", "cuanto", "quiero", "puedo",
	"puede", "puedes", "tengo", "tiene", "hola", "gracias", "pedido", "si", "lo", "le", "se", "su",
	"ya", "muy", "hay", "al", "en", "mas", "todavia", "aun", "nada", "bien", "vale", "claro",
	"buenas", "buenos", "dias", "tardes", "noches", "adios", "porfa", "favor", "necesito", "hacer",
	"reembolso", "devolucion", "envio", "paquete", "cancelar", "llego", "ha", "he", "mi", "yo",
	"tu", "usted", "ustedes", "nos", "cual", "cuales", "sobre", "hasta", "desde", "sin", "ser",
	"fue", "era", "dinero", "compra", "cuenta", "ayuda", "ayudame", "perfecto", "listo", "dale",
	"bueno", "genial", "vale", "sip", "nop", "okey", "traduce", "traducir", "ingles", "espanol",
	"reclamo", "queja", "disputa", "agente", "persona", "humano", "hablar", "estado", "donde",
	"mil", "muchas", "muchisimas", "nunca", "tambien", "entonces", "ahora", "hoy", "ayer",
	"eso", "esto", "ese", "esa", "este", "algo", "decir", "haga", "hace", "voy", "vas", "va",
	"van", "sigue", "entrega", "vendedor", "soporte", "articulo", "producto", "dijo", "dice",
	"otra", "otro", "aqui", "alguien", "nadie", "todo", "todos", "chao", "chau", "oye",
	"porfavor", "quisiera", "tarda", "llega",
)

var englishWords = setOf(
	"the", "my", "is", "are", "was", "were", "i", "im", "you", "it", "its", "to", "of", "and",
	"for", "on", "in", "with", "where", "what", "when", "how", "can", "could", "do", "does", "did",
	"not", "want", "please", "pls", "plz", "hi", "hello", "hey", "thanks", "thank", "thx", "ty",
	"order", "yes", "yeah", "yep", "nope", "sure", "refund", "package", "cancel", "still",
	"this", "that", "there", "have", "has", "had", "be", "been", "will", "would", "should",
	"your", "me", "we", "they", "an", "at", "from", "by", "about", "just", "why", "who", "which",
	"dont", "didnt", "cant", "wont", "isnt", "money", "back", "get", "got", "need", "help",
	"item", "delivery", "return", "status", "agent", "human", "talk", "person", "good", "morning",
	"great", "awesome", "cool", "right", "correct", "go", "ahead", "translate", "english",
	"dispute", "claim", "track", "tracking", "arrived", "never", "yet", "today", "yesterday",
	"alright", "okay", "nah", "bye", "cheers", "much", "appreciate", "say", "mean", "means",
	"something", "anything", "nothing", "some", "any", "all", "more", "very", "really",
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// normalizeHint reduces a locale hint such as "es-MX" or "ko_KR" to a
// supported two-letter code, or "" when the hint names none.
func normalizeHint(hint string) string {
	h := strings.ToLower(strings.TrimSpace(hint))
	if i := strings.IndexAny(h, "-_"); i >= 0 {
		h = h[:i]
	}
	switch h {
	case LocaleEnglish, LocaleKorean, LocaleSpanish, LocaleRussian:
		return h
	}
	return ""
}

// DetectLocale returns the language the text is written in: "ko" when
// Hangul dominates, "ru" when Cyrillic does, and "es" or "en" for Latin
// script, decided by Spanish-only letters and punctuation (ñ, accents,
// ¿, ¡) and by words frequent in only one of the two languages. When the
// text gives no evidence (an order number, "ok") it returns the hint if
// the hint names a supported locale, and "en" otherwise.
func DetectLocale(text, hint string) string {
	l, _ := detectLocale(text, hint, looksTranslit(normalize(text)))
	return l
}

// detectLocale is DetectLocale for a caller that already knows whether
// the text is Russian in Latin letters. It also reports whether the text
// itself settled the language: a few words of one language, not "ok",
// "ORD-10042?" or a lone "thanks", which a buyer of any language types.
func detectLocale(text, hint string, translit bool) (string, bool) {
	fallback := normalizeHint(hint)
	if fallback == "" {
		fallback = LocaleEnglish
	}

	// A request about foreign text ("translate to English: пожалуйста
	// подождите", `what does "배송 완료" mean`) is written in the language
	// outside the quotes and before the colon; judge by that part when
	// scripts are mixed and it has letters of its own.
	// Names in parentheses ("(Sandalias de cuero ×1)") are the shop's
	// language, not the writer's.
	if bare := withoutParens(text); bare != text && countScripts(bare).letters() > 0 {
		text = bare
	}
	c := countScripts(text)
	if c.mixed() {
		if own := countScripts(instructionPart(text)); own.letters() > 0 {
			text, c = instructionPart(text), own
		}
	}
	// A Hangul syllable packs two or three letters, so it outweighs a
	// Latin letter: "환불 refund 해주세요" is Korean with a loanword.
	switch {
	case c.hangul > 0 && 3*c.hangul >= c.latin && 3*c.hangul >= c.cyrillic:
		return LocaleKorean, c.hangul >= 2
	case c.cyrillic > 0 && c.cyrillic >= c.latin:
		return LocaleRussian, c.cyrillic >= 4
	case c.latin == 0:
		return fallback, false
	case translit:
		return LocaleRussian, true
	}

	es, en := 2*c.spanishMarks, 0
	words := strings.Fields(wordForm(fold(strings.ToLower(text))))
	n := 0 // words proper: not ids, numbers or their prefixes
	for _, w := range words {
		if !strings.ContainsAny(w, "0123456789") && w != "ord" && w != "rf" && w != "dsp" {
			n++
		}
		// Drawn-out greetings and thanks ("holaaa", "graciass") are as
		// Spanish as their dictionary forms.
		if spanishWords[w] || strings.HasPrefix(w, "hola") || strings.HasPrefix(w, "gracia") {
			es++
		}
		if englishWords[w] {
			en++
		}
	}
	sure := abs(es-en) >= 2 || abs(es-en) >= 1 && n >= 3
	// A conversation in Russian typed in Latin letters stays in Russian
	// unless the message is plainly another language: a lone English word
	// among Russian ones ("k 20-go" reads "go") is no evidence.
	if fallback == LocaleRussian && (max(es, en) < 2 || 3*max(es, en) < n) {
		return LocaleRussian, false
	}
	switch {
	case es > en:
		return LocaleSpanish, sure
	case en > es:
		return LocaleEnglish, sure
	case fallback == LocaleSpanish || fallback == LocaleEnglish:
		return fallback, false
	case es > 0:
		// Evidence is balanced but present ("ok gracias thanks"): prefer
		// the hint only if it is one of the two candidates, else English.
		return LocaleEnglish, false
	}
	return fallback, false
}

func abs(n int) int { return max(n, -n) }

// scriptCounts counts the letters of each script in a text.
type scriptCounts struct {
	hangul, cyrillic, latin, spanishMarks int
}

func (c scriptCounts) letters() int { return c.hangul + c.cyrillic + c.latin }

// mixed reports whether Latin text is mixed with Hangul or Cyrillic.
func (c scriptCounts) mixed() bool {
	n := 0
	for _, k := range []int{c.hangul, c.cyrillic, c.latin} {
		if k > 0 {
			n++
		}
	}
	return n > 1
}

func countScripts(text string) scriptCounts {
	var c scriptCounts
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Hangul, r):
			c.hangul++
		case unicode.Is(unicode.Cyrillic, r):
			c.cyrillic++
		case unicode.Is(unicode.Latin, r):
			c.latin++
			switch unicode.ToLower(r) {
			case 'ñ', 'á', 'é', 'í', 'ó', 'ú':
				c.spanishMarks++
			}
		case r == '¿' || r == '¡':
			c.spanishMarks++
		}
	}
	return c
}

// instructionPart returns text without quoted passages and without
// whatever follows the first colon: the part in which a customer asks
// for something, as opposed to the foreign text they ask about.
func instructionPart(text string) string {
	if !strings.ContainsAny(text, ":：\"“«「") {
		return text // most messages: nothing quoted
	}
	if i := strings.IndexAny(text, ":："); i >= 0 {
		text = text[:i]
	}
	var b strings.Builder
	var closer rune
	for _, r := range text {
		switch {
		case closer != 0:
			if r == closer {
				closer = 0
			}
		case r == '"':
			closer = '"'
		case r == '“':
			closer = '”'
		case r == '«':
			closer = '»'
		case r == '「':
			closer = '」'
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// withoutParens returns text without its parenthesised passages.
func withoutParens(text string) string {
	if !strings.ContainsRune(text, '(') {
		return text
	}
	var b strings.Builder
	depth := 0
	for _, r := range text {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}
