package nlu

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// TestItemReport prints, with ITEM_REPORT set to a data directory, the item
// reference figures per language and the misses by kind: (a) no item
// said but one predicted, (b) item said but none predicted, (c) the
// wrong one. It is a measuring aid, not a floor.
func TestItemReport(t *testing.T) {
	dir := os.Getenv("ITEM_REPORT")
	if dir == "" {
		t.Skip("set ITEM_REPORT=data/DIR to print the item reference report")
	}
	cases, err := LoadCases(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := classifier(t)
	if os.Getenv("ITEM_NGRAM") == "off" {
		ngramFallback = false
		t.Cleanup(func() { ngramFallback = true })
	}
	if os.Getenv("ITEM_TYPOS") != "" {
		// Every long word misspelt one time in three, the same way each run.
		rng := rand.New(rand.NewPCG(7, 13))
		for i := range cases {
			cases[i].Text = misspell(rng, cases[i].Text)
		}
	}
	type tally struct{ n, ok, a, b, wrong int }
	by := map[string]*tally{}
	for _, cs := range cases {
		r := c.Parse(cs.Text, cs.Locale)
		got := ""
		if k := ItemRef(r, cs.Text, catalogue); k >= 0 {
			got = catalogue[k]
		}
		if cs.Item == "" && got == "" {
			continue
		}
		tl := by[cs.Locale]
		if tl == nil {
			tl = &tally{}
			by[cs.Locale] = tl
		}
		tl.n++
		kind := ""
		switch {
		case cs.Item == got:
			tl.ok++
			continue
		case cs.Item == "":
			tl.a++
			kind = "a"
		case got == "":
			tl.b++
			kind = "b"
		default:
			tl.wrong++
			kind = "c"
		}
		if os.Getenv("ITEM_MISSES") != "" {
			fmt.Printf("%s %s %-14s want=%q got=%q %q\n", kind, cs.Locale, cs.Intent, cs.Item, got, cs.Text)
		}
	}
	for _, l := range Locales() {
		tl := by[l]
		if tl == nil {
			continue
		}
		fmt.Printf("%s n=%d exact=%.3f  (a) none said, one predicted %d  (b) said, none predicted %d  (c) wrong %d\n",
			l, tl.n, float64(tl.ok)/float64(tl.n), tl.a, tl.b, tl.wrong)
	}
}

// misspell returns text with one random slip (a letter dropped, doubled,
// swapped with the next or replaced; in Hangul a final consonant changed)
// in one word of five letters or more out of three.
func misspell(rng *rand.Rand, text string) string {
	words := strings.Fields(text)
	for i, w := range words {
		rs := []rune(w)
		if len(rs) < 5 && !(hasHangul(w) && len(rs) >= 2) || rng.IntN(3) != 0 {
			continue
		}
		k := 1 + rng.IntN(len(rs)-1)
		if l, v, tc, ok := jamo(rs[k]); ok {
			tc = (tc + 1 + rng.IntN(26)) % 28
			rs[k] = rune(0xAC00 + l*588 + v*28 + tc)
			words[i] = string(rs)
			continue
		}
		switch rng.IntN(4) {
		case 0:
			rs = append(rs[:k], rs[k+1:]...)
		case 1:
			rs = append(rs[:k+1], rs[k:]...)
		case 2:
			if k+1 < len(rs) {
				rs[k], rs[k+1] = rs[k+1], rs[k]
			}
		default:
			rs[k] = rs[rng.IntN(len(rs))]
		}
		words[i] = string(rs)
	}
	return strings.Join(words, " ")
}
