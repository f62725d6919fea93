package local

import (
	"strings"
	"unicode"
)

// latinShortWords is how long a typed answer to a card read again in
// Cyrillic runs at most: "da", "da, davajte", "net, ne nado".
const latinShortWords = 3

// latinShort reports whether text is a few words in Latin letters and
// nothing else: a Russian buyer's yes or no typed without a Cyrillic
// keyboard, which the classifier cannot tell from English or Spanish by
// its one or two words.
func latinShort(text string) bool {
	words := strings.Fields(text)
	if len(words) == 0 || len(words) > latinShortWords {
		return false
	}
	latin := false
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) && r > unicode.MaxASCII:
			return false
		case unicode.IsLetter(r):
			latin = true
		}
	}
	return latin
}
