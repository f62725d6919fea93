package nlu

import (
	"slices"
	"strings"
)

// The rules of MatchItem know the words buyers use for goods, with their
// endings, slips of one or two letters, vowel-less shorthand and one-jamo
// typos. A word typed further off than that ("lanteern", "sandlaias",
// "самоварчик", "텀블럭") is found by similarity instead: character
// trigrams of the message's words against those of each candidate's
// name words and the words of its kinds (itemGroups), one scoring for the
// four languages. Hangul is compared letter by letter (jamo), so one
// wrong letter costs a part of a syllable, not all of it; Russian and
// Spanish words lose a known ending first (stem), so a case form costs
// nothing. It only answers when the rules find nothing, only among the
// goods the buyer could mean (see ngramCandidates), only above
// ngramThreshold and only with a margin over the second best item.

// ngramThreshold is the least Dice similarity of trigrams between a word
// of the message and a word of an item for the item to be named.
// ngramMargin is how much better the best item must score than the next.
// Both were set on misspelt copies of the spent sets' messages
// (TestItemReport with ITEM_TYPOS), against the false items they add on
// the messages that name none.
const (
	ngramThreshold = 0.7
	ngramMargin    = 0.1
)

// ngramMinRunes is the least length, in letters after jamo decomposition,
// of a word compared by similarity: trigrams of shorter words ("cup",
// "bag", "pan") match too many other words.
const ngramMinRunes = 6

// ngramMinJamo is the same for Hangul, counted in jamo: a word of two
// syllables ("담요", five jamo) has letters enough.
const ngramMinJamo = 5

// ngramItem returns the index of the one name in names that the keyword
// text refers to by similar words, or -1. text is the message as typed,
// for its language; with paid, the gift card is the means of payment
// (itempayment.go) and no candidate.
func ngramItem(kt keywordText, text string, names []string, paid bool) int {
	words := ngramWords(kt.words)
	if len(words) == 0 {
		return -1
	}
	cands := ngramCandidates(text, names)
	best, bestScore, second := -1, 0.0, 0.0
	seen := map[string]bool{}
	for _, i := range cands {
		if seen[names[i]] || paid && cachedItemName(names[i]).kinds[giftCardGroup] {
			continue
		}
		seen[names[i]] = true
		s := 0.0
		for _, term := range itemTerms(names[i]) {
			for _, w := range words {
				s = max(s, dice(term, w))
			}
		}
		switch {
		case s > bestScore:
			best, bestScore, second = i, s, bestScore
		case s > second:
			second = s
		}
	}
	if bestScore < ngramThreshold || bestScore-second < ngramMargin {
		return -1
	}
	return best
}

// ngramCandidates returns the indexes of the names the buyer could mean:
// all of them when they are in one language (the lines of the buyer's
// own order), else those in the message's language (a catalogue of
// several shops: a buyer writes to the shop of their language).
func ngramCandidates(text string, names []string) []int {
	langs := map[string]bool{}
	nameLangs := make([]string, len(names))
	for i, n := range names {
		nameLangs[i] = nameLanguage(fold(strings.ToLower(normalize(n))), n)
		langs[nameLangs[i]] = true
	}
	out := make([]int, 0, len(names))
	lang := ""
	if len(langs) > 1 {
		lang = DetectLocale(text, "")
	}
	for i := range names {
		if lang == "" || nameLangs[i] == lang {
			out = append(out, i)
		}
	}
	return out
}

// termCache keeps itemTerms by name (nameCache).
var termCache nameCache[[][]string]

// itemTerms returns the trigram sets of the words an item goes by: its
// name's own words and the words of the narrowest kinds of goods it is
// of, every one of ngramMinRunes letters or more.
func itemTerms(name string) [][]string { return termCache.get(name, newItemTerms) }

// newItemTerms works out itemTerms.
func newItemTerms(name string) [][]string {
	nm := cachedItemName(name)
	var out [][]string
	add := func(w string) {
		// A phrase ("gift card", "juego de te") is compared whole, its
		// spaces taken out, with two words of the message run together:
		// its parts alone ("tarjeta", "bundle") name other things too.
		if g := trigrams(strings.ReplaceAll(w, " ", "")); g != nil {
			out = append(out, g)
		}
	}
	for _, w := range nm.words {
		add(w)
	}
	for gi, k := range nm.kinds {
		if k && !broadGroups[gi] {
			for _, w := range itemGroups[gi] {
				add(w)
			}
		}
	}
	return out
}

// ngramWords returns the trigram sets of the words of a keyword text's
// word form that are long enough to compare.
func ngramWords(words string) [][]string {
	var out [][]string
	fields := strings.Fields(words)
	for i, w := range fields {
		if g := trigrams(w); g != nil {
			out = append(out, g)
		}
		if i+1 < len(fields) {
			if g := trigrams(w + fields[i+1]); g != nil {
				out = append(out, g)
			}
		}
		// A Hangul word carries its particles ("담요를", "이어폰은"): its
		// first two and three syllables are compared too.
		if rs := []rune(w); hasHangul(w) && len(rs) > 2 {
			for _, n := range []int{2, 3} {
				if n < len(rs) {
					if g := trigrams(string(rs[:n])); g != nil {
						out = append(out, g)
					}
				}
			}
		}
	}
	return out
}

// trigrams returns the sorted character trigrams of the word w, padded
// at both ends, after its ending is taken off (stem) and Hangul is split
// into jamo; nil when the word is too short to compare.
func trigrams(w string) []string {
	if !hasHangul(w) {
		w = stem(w)
	}
	rs := []rune(jamoString(w))
	if len(rs) < ngramMinRunes && !(hasHangul(w) && len(rs) >= ngramMinJamo) {
		return nil
	}
	padded := append(append([]rune{'<'}, rs...), '>')
	out := make([]string, 0, len(padded)-2)
	for i := 0; i+3 <= len(padded); i++ {
		out = append(out, string(padded[i:i+3]))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// dice is the Dice coefficient of two sorted sets of trigrams.
func dice(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	n := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch strings.Compare(a[i], b[j]) {
		case 0:
			n++
			i++
			j++
		case -1:
			i++
		default:
			j++
		}
	}
	return 2 * float64(n) / float64(len(a)+len(b))
}

// jamoString spells every Hangul syllable of s as its conjoining jamo
// (initial, medial and, when there is one, final), leaving other runes
// as they are.
func jamoString(s string) string {
	if !hasHangul(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) * 3)
	for _, r := range s {
		l, v, t, ok := jamo(r)
		if !ok {
			b.WriteRune(r)
			continue
		}
		b.WriteRune(rune(0x1100 + l))
		b.WriteRune(rune(0x1161 + v))
		if t > 0 {
			b.WriteRune(rune(0x11A7 + t))
		}
	}
	return b.String()
}
