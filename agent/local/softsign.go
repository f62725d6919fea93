package local

import (
	"regexp"
	"strings"

	"github.com/csagent/csagent/agent/local/nlu"
)

// Russian typed in Latin letters mostly drops the soft sign: "mozhno
// vernut dengi tolko za nee" reads back as "можно вернут денги толко за
// нее", and a cue written "вернуть деньги" does not match it. withSoft
// puts the soft sign back where Russian spelling needs it and a Latin
// typist drops it: in the everyday words that carry it, and at the end
// of an infinitive after the words that take one ("можно вернуть",
// "хочу отменить", "надо оформить").

// softWords are words a Latin typist writes without their soft sign, by
// the form read back in Cyrillic.
var softWords = map[string]string{
	"денги": "деньги", "денгами": "деньгами", "толко": "только", "возмите": "возьмите", "вернут": "вернуть",
	"мойи": "мои", "пожалуиста": "пожалуйста", "пожалуста": "пожалуйста", "сколко": "сколько", "болше": "больше",
}

// infinitiveHosts take an infinitive after them.
var infinitiveHosts = map[string]bool{
	"можно": true, "хочу": true, "хотим": true, "хотел": true, "хотела": true, "хотелось": true, "нужно": true, "надо": true,
	"прошу": true, "могу": true, "можете": true, "могли": true, "бы": true, "нельзя": true, "пора": true, "решил": true, "решила": true,
}

// withSoft returns text as Cyrillic with its soft signs put back when it
// is Russian typed in Latin letters, else text unchanged.
func withSoft(text string) string {
	c := nlu.Cyrillic(text)
	if c == text {
		return text
	}
	words := strings.Fields(c)
	for i, w := range words {
		core := strings.TrimRight(w, ".,!?;:")
		tail := w[len(core):]
		if s, ok := softWords[core]; ok {
			words[i] = s + tail
			continue
		}
		if i > 0 && infinitiveHosts[strings.TrimRight(words[i-1], ".,!?;:")] && infinitiveStem(core) {
			words[i] = core + "ь" + tail
		}
	}
	return strings.Join(words, " ")
}

// infinitiveStem reports whether w is an infinitive without its soft
// sign: a Cyrillic word of some length ending in a vowel and т.
func infinitiveStem(w string) bool {
	r := []rune(w)
	if len(r) < 4 || r[len(r)-1] != 'т' {
		return false
	}
	return strings.ContainsRune("аеиоуяэ", r[len(r)-2])
}

// orderNumbers are order numbers as typed, which the Cyrillic reading
// lower-cases and would spell in Cyrillic letters.
var orderNumbers = regexp.MustCompile(`(?i)\bord[-\s]?\d{5}\b`)

// typedRussian returns a Russian message typed in Latin letters in
// Cyrillic, with its soft signs (withSoft) and its order numbers as
// typed, so that every reading after the classifier's reads the words a
// Cyrillic typist would have written; any other message unchanged.
func typedRussian(text string) string {
	soft := withSoft(text)
	if soft == text {
		return text
	}
	ids := orderNumbers.FindAllString(text, -1)
	i := 0
	return orderNumbers.ReplaceAllStringFunc(soft, func(s string) string {
		if i < len(ids) {
			s = ids[i]
			i++
		}
		return s
	})
}
