package nlu

import "unicode/utf8"

// Buyers on phones drop spaces ("whereismyorder", "cancelmyorder pls").
// A long word the training data never used is split into words it did
// use, when it splits cleanly; otherwise it stays as it is and only its
// character n-grams speak for it.

// vocabulary is the set of words the training data uses at least twice.
type vocabulary map[string]bool

// minSegmentRunes is the shortest glued word worth splitting; shorter
// unknown words are typos far more often than missing spaces.
const minSegmentRunes = 7

func buildVocabulary(examples []*analysis) vocabulary {
	counts := map[string]int{}
	for _, a := range examples {
		for _, t := range a.tokens {
			counts[t]++
		}
	}
	v := vocabulary{}
	for w, n := range counts {
		if n >= 2 && (utf8.RuneCountInString(w) >= 2 || w == "i" || w == "a") {
			if r, _ := utf8.DecodeRuneInString(w); !isPlaceholder(r) && !isHangulSyllable(r) {
				v[w] = true
				for _, st := range endingStems(w) {
					v[stemMark+st] = true
				}
			}
		}
	}
	return v
}

// stemMark prefixes the vocabulary entries that are stems of known words
// rather than words; no token starts with it.
const stemMark = "\x01"

// endingStems returns w without its last one, two and three letters,
// keeping at least five: the stems an inflected form of w shares with it
// ("отправили" gives "отправ", which "отправила" also has).
func endingStems(w string) []string {
	rs := []rune(w)
	var out []string
	for k := 1; k <= 3 && len(rs)-k >= 5; k++ {
		out = append(out, string(rs[:len(rs)-k]))
	}
	return out
}

// inflected reports whether w is another form of a known word: it shares
// a stem of five letters or more with one, so "отправила" is a form of
// "отправили" and not "от" + "правила".
func (v vocabulary) inflected(w string) bool {
	for _, st := range endingStems(w) {
		if v[stemMark+st] {
			return true
		}
	}
	return false
}

// split returns the fewest known words that w is made of, or nil.
func (v vocabulary) split(w string) []string {
	if v == nil || v[w] || utf8.RuneCountInString(w) < minSegmentRunes {
		return nil
	}
	for _, r := range w {
		if isHangulSyllable(r) {
			return nil // Korean spacing is handled by the join n-grams
		}
	}
	if v.inflected(w) {
		return nil
	}
	// best[i] is the fewest pieces covering w[:i]; from[i] where the last
	// piece starts.
	n := len(w)
	best := make([]int, n+1)
	from := make([]int, n+1)
	for i := 1; i <= n; i++ {
		best[i] = -1
		for j := 0; j < i; j++ {
			if best[j] < 0 || !utf8.RuneStart(w[j]) || i < n && !utf8.RuneStart(w[i]) {
				continue
			}
			if v[w[j:i]] && (best[i] < 0 || best[j]+1 < best[i]) {
				best[i], from[i] = best[j]+1, j
			}
		}
	}
	if best[n] < 2 {
		return nil
	}
	out := make([]string, best[n])
	for i, k := n, best[n]-1; i > 0; i, k = from[i], k-1 {
		out[k] = w[from[i]:i]
	}
	return out
}

// segment replaces glued words in toks by their parts, and slips of a
// known word by the word (wordslips.go).
func (v vocabulary) segment(toks []string) []string {
	if v == nil {
		return toks
	}
	var out []string
	for i, t := range toks {
		parts := v.split(t)
		if parts == nil {
			if r := v.respell(t); r != "" {
				parts = []string{r}
			}
		}
		if parts == nil {
			if out != nil {
				out = append(out, t)
			}
			continue
		}
		if out == nil {
			out = append(make([]string, 0, len(toks)+len(parts)), toks[:i]...)
		}
		out = append(out, parts...)
	}
	if out == nil {
		return toks
	}
	return out
}
