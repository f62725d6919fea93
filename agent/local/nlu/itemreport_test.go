package nlu

import (
	"fmt"
	"os"
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
