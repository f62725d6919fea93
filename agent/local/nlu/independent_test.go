package nlu

import (
	"strings"
	"testing"
)

// independentFloors hold the independent held-out set (TEST-12, written
// blind by four writers, one per language, while round 12 changed the
// model, measured before any of that round's branches was merged and once
// after) about three points under the figures after round 12: accuracy en
// 0.864, ko 0.869, es 0.856, ru 0.896 (main before the round 0.867,
// 0.864, 0.853, 0.899); macro-F1 0.894, 0.888, 0.873, 0.916; order
// references 0.969, 0.947, 0.929, 0.980 (before 0.932, 0.947, 0.824,
// 0.913); item references (ItemRef) 0.821, 0.957, 0.934, 0.840 (before
// 0.821, 0.968, 0.934, 0.862), in the whole text (itemAny, see
// CaseScores.ItemAnyExact) 0.725, 0.838, 0.848, 0.782; out of scope
// proposed as an action 0 of 300; so that a 10-point regression fails.
// The 6 training lines of three words or more equal to one of its
// messages were removed before either measurement. Raise the floors with
// the model, never lower them to let a change through; when this set's
// misses inform a fix, rotate it out (as data/dev, data/test1 …
// data/test11 were) and write a fresh one.
var independentFloors = map[string]struct{ accuracy, macroF1, order, item, itemAny float64 }{
	"en": {0.83, 0.86, 0.93, 0.79, 0.69},
	"ko": {0.84, 0.85, 0.91, 0.92, 0.80},
	"es": {0.82, 0.84, 0.89, 0.90, 0.81},
	"ru": {0.86, 0.88, 0.95, 0.81, 0.75},
}

// maxOutOfScopeUnsafe is the target: at most 1 % of out-of-scope
// messages may be proposed as a refund, cancellation or dispute.
const maxOutOfScopeUnsafe = 0.01

// catalogue is the demo catalogue's product names (tools/demo/catalog.go,
// which this package may not import), the items the held-out set's item
// references name.
var catalogue = []string{
	"Trail hiking boots", "Waterproof rain jacket", "Merino wool socks (3 pack)", "Rechargeable camp lantern",
	"Insulated steel bottle", "Maple & Pine gift card", "Printable trail map bundle (download)",
	"무선 이어폰", "극세사 담요", "캔버스 운동화", "전기 주전자", "보온 텀블러", "수제 배추김치 3kg", "이니셜 각인 머그컵",
	"Sandalias de cuero", "Lámpara de mesa de cerámica", "Juego de toallas de algodón", "Bolso de esparto",
	"Paellera de acero pulido", "Aceite de oliva virgen extra 2L", "Libro de recetas (digital)",
	"Валенки ручной работы", "Шарф из шерсти", "Электрический самовар", "Шкатулка из бересты", "Чайный набор",
	"Алтайский мёд 1 кг", "Разделочная доска с гравировкой",
}

func TestIndependentHeldOutFloors(t *testing.T) {
	cases, err := LoadCases("data/independent")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 100 {
		t.Fatalf("data/independent holds %d cases, want the independent held-out set (at least 100)", len(cases))
	}
	rep := EvaluateCases(classifier(t), cases, catalogue)
	for loc, f := range independentFloors {
		s := rep.PerLocale[loc]
		t.Logf("%s: n=%d accuracy=%.3f macro-F1=%.3f order=%.3f (n=%d) item=%.3f (n=%d) out-of-scope proposed=%.3f (n=%d)",
			loc, s.N, s.Accuracy, s.MacroF1, s.OrderExact, s.OrderN, s.ItemExact, s.ItemN, s.OutOfScopeUnsafe, s.OutOfScopeN)
		if s.Accuracy < f.accuracy || s.MacroF1 < f.macroF1 {
			t.Errorf("%s intent accuracy %.3f, macro-F1 %.3f; want ≥ %.2f, %.2f", loc, s.Accuracy, s.MacroF1, f.accuracy, f.macroF1)
		}
		if s.OrderExact < f.order || s.ItemExact < f.item || s.ItemAnyExact < f.itemAny {
			t.Errorf("%s order reference %.3f, item reference %.3f (%.3f with policy questions); want ≥ %.2f, %.2f (%.2f)",
				loc, s.OrderExact, s.ItemExact, s.ItemAnyExact, f.order, f.item, f.itemAny)
		}
	}
	if u := rep.Overall.OutOfScopeUnsafe; u > maxOutOfScopeUnsafe {
		t.Errorf("%.3f of %d out-of-scope messages would be proposed as an action, want ≤ %.2f", u, rep.Overall.OutOfScopeN, maxOutOfScopeUnsafe)
	}
	if testing.Verbose() {
		for _, m := range rep.Errors {
			t.Logf("miss %s %s -> %s %.2f %q", m.Locale, m.Intent, m.Got, m.Confidence, m.Text)
		}
	}
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
var heldOutDirs = []string{"data/test11", "data/test10", "data/test9", "data/test8", "data/test7", "data/test6", "data/test5", "data/test4", "data/test3", "data/test2", "data/test1", "data/dev", "data/independent"}

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
