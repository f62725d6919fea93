package nlu

import (
	"sync"
	"testing"
)

var (
	sharedOnce sync.Once
	shared     *Classifier
	sharedErr  error
)

// classifier returns one classifier shared by the tests that only read it.
func classifier(t testing.TB) *Classifier {
	t.Helper()
	sharedOnce.Do(func() { shared, sharedErr = New() })
	if sharedErr != nil {
		t.Fatalf("New() error: %v", sharedErr)
	}
	return shared
}

// minMacroF1 is the floor on held-out macro-F1 per language; the model is
// expected to stay at 0.90 or above, the floor leaves room for data edits.
const minMacroF1 = 0.85

func TestHeldOutMacroF1(t *testing.T) {
	c := classifier(t)
	rep := Evaluate(c, HeldOutSet())
	for _, loc := range Locales() {
		t.Run(loc, func(t *testing.T) {
			s := rep.PerLocale[loc]
			t.Logf("%s: n=%d accuracy=%.3f macro-F1=%.3f", loc, s.N, s.Accuracy, s.MacroF1)
			if s.MacroF1 < minMacroF1 {
				t.Errorf("held-out macro-F1 for %s = %.3f, want ≥ %.2f", loc, s.MacroF1, minMacroF1)
			}
		})
	}
	t.Logf("overall: n=%d accuracy=%.3f macro-F1=%.3f", rep.Overall.N, rep.Overall.Accuracy, rep.Overall.MacroF1)
	for _, in := range Intents() {
		t.Logf("F1 %-16s %.3f", in, rep.IntentF1[in])
	}
	if testing.Verbose() {
		for _, m := range rep.Errors {
			t.Logf("miss %s %-16s -> %-16s %.2f %q", m.Locale, m.Intent, m.Got, m.Confidence, m.Text)
		}
	}
}

// TestCrossValidation measures generalisation on the training set alone,
// the estimate the hyper-parameters were tuned on. It is usually a few
// points below the held-out score: each fold loses a fifth of the data.
func TestCrossValidation(t *testing.T) {
	rep, err := CrossValidate(TrainingSet(), 5)
	if err != nil {
		t.Fatalf("CrossValidate() error: %v", err)
	}
	for _, loc := range Locales() {
		s := rep.PerLocale[loc]
		t.Logf("%s: n=%d accuracy=%.3f macro-F1=%.3f", loc, s.N, s.Accuracy, s.MacroF1)
	}
	t.Logf("overall: accuracy=%.3f macro-F1=%.3f", rep.Overall.Accuracy, rep.Overall.MacroF1)
	if rep.Overall.MacroF1 < 0.85 {
		t.Errorf("cross-validated macro-F1 = %.3f, want ≥ 0.85", rep.Overall.MacroF1)
	}
	if _, err := CrossValidate(TrainingSet()[:3], 5); err == nil {
		t.Errorf("CrossValidate(3 examples, 5 folds) error = nil, want an error")
	}
}

func TestTrainingFit(t *testing.T) {
	// A model that cannot fit its own training data has a bug, not a
	// data problem.
	rep := Evaluate(classifier(t), TrainingSet())
	if rep.Overall.Accuracy < 0.97 {
		t.Errorf("training accuracy = %.3f, want ≥ 0.97", rep.Overall.Accuracy)
	}
}

func TestEvaluateScores(t *testing.T) {
	// Evaluate's arithmetic on a hand-checked case: two intents, one
	// error.
	c := classifier(t)
	ex := []Example{
		{Text: "hello", Locale: "en", Intent: Greeting},
		{Text: "thank you so much", Locale: "en", Intent: Thanks},
		{Text: "hi there", Locale: "en", Intent: Thanks}, // deliberately mislabelled
	}
	rep := Evaluate(c, ex)
	s := rep.PerLocale["en"]
	if s.N != 3 {
		t.Fatalf("Evaluate N = %d, want 3", s.N)
	}
	if want := 2.0 / 3; s.Accuracy != want {
		t.Errorf("Evaluate Accuracy = %v, want %v", s.Accuracy, want)
	}
	// greeting: tp=1 fp=1 fn=0 → F1 2/3; thanks: tp=1 fp=0 fn=1 → 2/3.
	if want := 2.0 / 3; s.MacroF1 < want-1e-9 || s.MacroF1 > want+1e-9 {
		t.Errorf("Evaluate MacroF1 = %v, want %v", s.MacroF1, want)
	}
	if len(rep.Errors) != 1 || rep.Errors[0].Text != "hi there" {
		t.Errorf("Evaluate Errors = %+v, want the one mislabelled example", rep.Errors)
	}
}
