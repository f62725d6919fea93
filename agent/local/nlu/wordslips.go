package nlu

import "unicode/utf8"

// Buyers typing fast swap two letters ("refnud", "возрват", "cancle") or
// double one ("reffund", "отмменить"). Such a word is unknown to the
// training data, so only its character n-grams speak for it, and the
// swapped letters break most of them. A word the training data never
// used, of five letters or more, is read as the one known word a single
// swap of neighbouring letters or a single dropped double letter makes
// of it, when there is exactly one.

// minRespellRunes is the shortest unknown word worth respelling: shorter
// words make other short words by a swap too easily ("form", "from").
const minRespellRunes = 5

// respell returns the known word w is a slip of, or "".
func (v vocabulary) respell(w string) string {
	n := utf8.RuneCountInString(w)
	if v == nil || v[w] || n < minRespellRunes || len(w) > 64 || v.inflected(w) {
		return ""
	}
	var pos [65]int // byte offset of each rune, and len(w)
	k := 0
	for i, r := range w {
		if isHangulSyllable(r) || isPlaceholder(r) {
			return "" // Korean slips are in the syllables' jamo, not their order
		}
		pos[k] = i
		k++
	}
	pos[k] = len(w)
	var buf [64]byte
	found := ""
	try := func(b []byte) bool {
		if !v[string(b)] {
			return true
		}
		if found != "" && found != string(b) {
			found = ""
			return false // two readings: leave the word as typed
		}
		found = string(b)
		return true
	}
	for i := 0; i+1 < n; i++ {
		a, m, e := pos[i], pos[i+1], pos[i+2]
		if w[a:m] == w[m:e] {
			// A doubled letter: drop one.
			b := append(append(buf[:0], w[:m]...), w[e:]...)
			if !try(b) {
				return ""
			}
			continue
		}
		b := append(buf[:0], w[:a]...)
		b = append(b, w[m:e]...)
		b = append(b, w[a:m]...)
		b = append(b, w[e:]...)
		if !try(b) {
			return ""
		}
	}
	return found
}
