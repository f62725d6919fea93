package nlu

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
)

// canonical is the form two utterances must share to count as duplicates:
// the token sequence the classifier actually sees, so that differences
// in case, accents, punctuation, spacing or slot values do not hide a
// copy.
// canonical is an utterance's surface form with casing, accents,
// punctuation and slot values erased, but spellings kept: "ty so much"
// is another utterance than "thank you so much" even though the
// classifier reads both alike.
func canonical(text string) string {
	masked := analyzeSlots(normalize(text), false).masked()
	var b strings.Builder
	for _, r := range masked {
		switch {
		case isPlaceholder(r):
			fmt.Fprintf(&b, " ph%d ", r-phOrder)
		case unicode.IsDigit(r):
			b.WriteString(" num ")
		default:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(wordForm(fold(b.String()))), " ")
}

func TestCorporaParse(t *testing.T) {
	for name, data := range map[string]string{"train.tsv": trainTSV, "heldout.tsv": heldOutTSV} {
		if _, err := parseTSV(name, data); err != nil {
			t.Errorf("parseTSV(%s) error: %v", name, err)
		}
	}
	for _, tt := range []struct {
		name, data string
	}{
		{"two columns", "en\tgreeting\n"},
		{"unknown intent", "en\tchitchat\thello\n"},
		{"unknown locale", "fr\tgreeting\tbonjour\n"},
		{"empty text", "en\tgreeting\t  \n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseTSV("bad.tsv", tt.data); err == nil {
				t.Errorf("parseTSV(%q) error = nil, want an error", tt.data)
			}
		})
	}
}

// TestCorporaCoverage checks the minimum number of utterances per intent
// and locale that the evaluation numbers rely on.
func TestCorporaCoverage(t *testing.T) {
	smallTalk := map[Intent]bool{Greeting: true, Thanks: true, Affirm: true, Deny: true, OutOfScope: true}
	for _, tt := range []struct {
		name           string
		set            []Example
		task, smallMin int
	}{
		{"train", TrainingSet(), 60, 30},
		{"heldout", HeldOutSet(), 25, 25},
	} {
		counts := map[string]map[Intent]int{}
		for _, ex := range tt.set {
			if counts[ex.Locale] == nil {
				counts[ex.Locale] = map[Intent]int{}
			}
			counts[ex.Locale][ex.Intent]++
		}
		for _, loc := range Locales() {
			for _, in := range Intents() {
				want := tt.task
				if smallTalk[in] {
					want = tt.smallMin
				}
				t.Run(tt.name+"/"+loc+"/"+string(in), func(t *testing.T) {
					if got := counts[loc][in]; got < want {
						t.Errorf("%s has %d %s utterances for %s, want at least %d", tt.name, got, loc, in, want)
					}
				})
			}
		}
	}
}

// TestHeldOutDisjoint guards the honesty of the evaluation: no held-out
// utterance may appear in training, even with different casing, accents,
// punctuation or slot values.
func TestHeldOutDisjoint(t *testing.T) {
	seen := map[string]Example{}
	for _, ex := range TrainingSet() {
		seen[canonical(ex.Text)] = ex
	}
	held := map[string]Example{}
	for _, ex := range HeldOutSet() {
		c := canonical(ex.Text)
		if tr, ok := seen[c]; ok {
			t.Errorf("held-out %q (%s) duplicates training %q (%s)", ex.Text, ex.Intent, tr.Text, tr.Intent)
		}
		if prev, ok := held[c]; ok {
			t.Errorf("held-out %q duplicates held-out %q", ex.Text, prev.Text)
		}
		held[c] = ex
	}
}

// TestTrainingLabelsConsistent rejects training utterances that appear
// twice with different intents, which would only teach the model noise.
func TestTrainingLabelsConsistent(t *testing.T) {
	seen := map[string]Example{}
	for _, ex := range TrainingSet() {
		c := canonical(ex.Text)
		if prev, ok := seen[c]; ok && prev.Intent != ex.Intent {
			t.Errorf("training %q is %s but %q is %s", ex.Text, ex.Intent, prev.Text, prev.Intent)
		}
		seen[c] = ex
	}
}

func TestTrainingLocalesDetected(t *testing.T) {
	// The corpora's locale column should agree with DetectLocale for
	// nearly every utterance; a few code-mixed lines may legitimately not.
	for name, set := range map[string][]Example{"train": TrainingSet(), "heldout": HeldOutSet()} {
		wrong := 0
		for _, ex := range set {
			if got := DetectLocale(ex.Text, ""); got != ex.Locale {
				wrong++
				t.Logf("%s: DetectLocale(%q) = %q, want %q", name, ex.Text, got, ex.Locale)
			}
		}
		if rate := float64(wrong) / float64(len(set)); rate > 0.03 {
			t.Errorf("%s: DetectLocale disagrees with the locale column on %.1f%% of utterances, want ≤ 3%%", name, 100*rate)
		}
	}
}
