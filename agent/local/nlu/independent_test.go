package nlu

import (
	"strings"
	"testing"
)

// independentFloors hold the independent held-out set (TEST-11, written
// blind while round 11 of issue 13 changed the model, measured before any
// of that round's branches was merged and once after) about three points
// under the figures after round 11: accuracy en 0.917, ko 0.928, es 0.883,
// ru 0.885 (main before the round 0.909, 0.920, 0.877, 0.885); macro-F1
// 0.928, 0.940, 0.901, 0.894; order references 0.951, 0.975, 0.949,
// 0.962; item references (ItemRef) 0.894, 0.912, 0.908, 0.833 (before
// 0.864, 0.901, 0.898, 0.833), in the whole text (itemAny, see
// CaseScores.ItemAnyExact) 0.731, 0.768, 0.760, 0.758; out of scope
// proposed as an action 0 of 300; so that a 10-point regression fails.
// The 6 training lines of three words or more equal to one of its
// messages were removed before either measurement. Raise the floors with
// the model, never lower them to let a change through; when this set's
// misses inform a fix, rotate it out (as data/dev, data/test1 …
// data/test10 were) and write a fresh one.
var independentFloors = map[string]struct{ accuracy, macroF1, order, item, itemAny float64 }{
	"en": {0.89, 0.90, 0.92, 0.86, 0.70},
	"ko": {0.90, 0.91, 0.94, 0.88, 0.73},
	"es": {0.85, 0.87, 0.92, 0.88, 0.73},
	"ru": {0.85, 0.87, 0.93, 0.80, 0.72},
}

func TestParseCasesRejectsMalformedLines(t *testing.T) {
	for _, in := range []string{
		"en\torder_status\tORD-10001\thello", // four columns
		"fr\torder_status\t\t\tbonjour",
		"en\tchitchat\t\t\thello",
		"en\torder_status\t\t\t ",
	} {
		if _, err := ParseCases("x.tsv", strings.NewReader(in)); err == nil {
			t.Errorf("ParseCases(%q) = nil error, want one", in)
		}
	}
	cs, err := ParseCases("x.tsv", strings.NewReader("# c\nen\torder_status\tlast\t\twhere is my last order\n"))
	if err != nil || len(cs) != 1 || cs[0].Order != "last" {
		t.Errorf("ParseCases = %+v, %v; want one case with order last", cs, err)
	}
}

// heldOutDirs are every held-out set, the independent one and those
// rotated out: none may be learnt by heart, or its figures (spent ones
// included) would say nothing.
var heldOutDirs = []string{"data/test10", "data/test9", "data/test8", "data/test7", "data/test6", "data/test5", "data/test4", "data/test3", "data/test2", "data/test1", "data/dev", "data/independent"}

// TestIndependentDisjointFromTraining keeps the held-out sets held out:
// no training utterance of three words or more may equal one of their
// messages up to casing, accents, punctuation and slot values. Shorter
// ones ("thank you", "no thanks") are what anyone writes and are left to
// coincide.
func TestIndependentDisjointFromTraining(t *testing.T) {
	held := map[string]string{}
	for _, dir := range heldOutDirs {
		cases, err := LoadCases(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(cases) == 0 {
			t.Fatalf("%s holds no cases", dir)
		}
		for _, c := range cases {
			held[canonical(c.Text)] = dir + ": " + c.Text
		}
	}
	for _, ex := range TrainingSet() {
		c := canonical(ex.Text)
		if len(strings.Fields(c)) < 3 {
			continue
		}
		if h, ok := held[c]; ok {
			t.Errorf("training %q (%s) is the held-out message %q", ex.Text, ex.Intent, h)
		}
	}
}

// The item reference is scored whatever intent is read, as the held-out
// labels are written: an item named in a short answer or in a platform
// request counts, and a missed intent does not also count as a missed
// item.
func TestEvaluateCasesScoresItemsApartFromIntent(t *testing.T) {
	cases := []Case{
		{Example: Example{Text: "yep, that one with the lantern", Locale: "en", Intent: Affirm}, Item: "Rechargeable camp lantern"},
		{Example: Example{Text: "I'd like to rate the seller of my hiking boots five stars", Locale: "en", Intent: OutOfScope}, Item: "Trail hiking boots"},
		{Example: Example{Text: "can you translate what the seller wrote? \"thanks for buying our boots\"", Locale: "en", Intent: Translate}},
	}
	rep := EvaluateCases(classifier(t), cases, catalogue)
	if rep.Overall.ItemN != 2 || rep.Overall.ItemExact != 1 {
		for _, m := range rep.SlotErrors {
			t.Logf("slot miss %q: item %q, got %q", m.Text, m.Item, m.GotItem)
		}
		t.Errorf("item references n=%d exact=%.2f, want n=2 exact=1", rep.Overall.ItemN, rep.Overall.ItemExact)
	}
}

// The item a message names is reported whatever the intent: a policy
// question about the lantern names the lantern as a refund of it does.
// ItemExact followed the intent until round 5 and scored no item for a
// policy question, which lost 22 of TEST-3's 31 item misses. A passage
// the buyer asks to have translated names nothing of theirs, and neither
// does a request the tools cannot serve about no goods of the buyer's
// (a review: the product, not a line of an order; the briefs of TEST-7
// and later leave the item of every out-of-scope line empty, see
// namesNoOrderItem).
func TestEvaluateCasesScoresItemsWhateverTheIntent(t *testing.T) {
	cases := []Case{
		{Example: Example{Text: "refund just the lantern please", Locale: "en", Intent: RefundRequest}, Item: "Rechargeable camp lantern"},
		{Example: Example{Text: "if the lantern battery dies after a month is that covered?", Locale: "en", Intent: PolicyQuestion}, Item: "Rechargeable camp lantern"},
		{Example: Example{Text: "¿se pueden devolver unas sandalias de cuero usadas una vez?", Locale: "es", Intent: PolicyQuestion}, Item: "Sandalias de cuero"},
		{Example: Example{Text: `translate into Korean: "your lantern has shipped today"`, Locale: "en", Intent: Translate}},
		{Example: Example{Text: "I want to write a review for the lantern", Locale: "en", Intent: OutOfScope}},
	}
	rep := EvaluateCases(classifier(t), cases, catalogue)
	s := rep.Overall
	if s.ItemN != 3 || s.ItemExact != 1 {
		for _, m := range rep.SlotErrors {
			t.Logf("slot miss %q: item %q, got %q", m.Text, m.Item, m.GotItem)
		}
		t.Errorf("item n=%d exact=%.2f; want 3, 1", s.ItemN, s.ItemExact)
	}
	// The matcher alone finds the lantern in the passage to translate and
	// in the review.
	if s.ItemAnyN != 5 || s.ItemAnyExact != 0.6 {
		t.Errorf("item in the whole text n=%d exact=%.3f; want 5, 0.6", s.ItemAnyN, s.ItemAnyExact)
	}
}
