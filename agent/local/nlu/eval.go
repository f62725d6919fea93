package nlu

import "fmt"

// Scores summarises a classifier's accuracy on a set of examples.
type Scores struct {
	// N is the number of examples scored.
	N int
	// Accuracy is the fraction of examples whose intent was predicted
	// correctly.
	Accuracy float64
	// MacroF1 is the unweighted mean of the per-intent F1 scores, over
	// the intents that occur in the examples or in the predictions. It
	// weighs rare intents as much as frequent ones.
	MacroF1 float64
}

// Report is the result of Evaluate or CrossValidate.
type Report struct {
	// PerLocale holds the scores of the examples of each locale.
	PerLocale map[string]Scores
	// Overall holds the scores of all examples together.
	Overall Scores
	// IntentF1 holds the F1 score of each intent over all examples.
	IntentF1 map[Intent]float64
	// Errors lists the misclassified examples, in input order.
	Errors []Mistake
}

// Mistake is one misclassified example.
type Mistake struct {
	Example
	// Got is the predicted intent.
	Got Intent
	// Confidence is the probability the classifier gave to Got.
	Confidence float64
}

// prediction pairs an example with what a classifier made of it.
type prediction struct {
	Example
	got        Intent
	confidence float64
}

// Evaluate classifies every example (using its locale as the hint) and
// scores the predictions per locale and overall.
func Evaluate(c *Classifier, examples []Example) Report {
	preds := make([]prediction, len(examples))
	for i, ex := range examples {
		r := c.Parse(ex.Text, ex.Locale)
		preds[i] = prediction{ex, r.Intent, r.Confidence}
	}
	return score(preds)
}

// CrossValidate estimates how well the model generalises from examples
// alone: it splits them into folds (example i goes to fold i mod folds),
// trains on all folds but one, predicts that one, and scores the pooled
// predictions. It is how the training hyper-parameters were chosen,
// without looking at the held-out set.
func CrossValidate(examples []Example, folds int) (Report, error) {
	if folds < 2 || folds > len(examples) {
		return Report{}, fmt.Errorf("nlu: cannot cross-validate %d examples in %d folds", len(examples), folds)
	}
	preds := make([]prediction, len(examples))
	for f := range folds {
		var tr []Example
		for i, ex := range examples {
			if i%folds != f {
				tr = append(tr, ex)
			}
		}
		c, err := train(tr)
		if err != nil {
			return Report{}, err
		}
		for i := f; i < len(examples); i += folds {
			ex := examples[i]
			r := c.Parse(ex.Text, ex.Locale)
			preds[i] = prediction{ex, r.Intent, r.Confidence}
		}
	}
	return score(preds), nil
}

// score computes a Report from predictions.
func score(preds []prediction) Report {
	rep := Report{PerLocale: map[string]Scores{}}
	byLocale := map[string][]prediction{}
	for _, p := range preds {
		byLocale[p.Locale] = append(byLocale[p.Locale], p)
		if p.got != p.Intent {
			rep.Errors = append(rep.Errors, Mistake{Example: p.Example, Got: p.got, Confidence: p.confidence})
		}
	}
	for loc, ps := range byLocale {
		rep.PerLocale[loc], _ = scoreSet(ps)
	}
	rep.Overall, rep.IntentF1 = scoreSet(preds)
	return rep
}

// scoreSet returns the scores of one set of predictions and its
// per-intent F1.
func scoreSet(preds []prediction) (Scores, map[Intent]float64) {
	var tp, fp, fn [numIntents]int
	correct := 0
	for _, p := range preds {
		want, got := intentIndex(p.Intent), intentIndex(p.got)
		if want == got {
			correct++
			tp[want]++
			continue
		}
		if want >= 0 {
			fn[want]++
		}
		if got >= 0 {
			fp[got]++
		}
	}
	f1 := map[Intent]float64{}
	var sum float64
	for i, in := range allIntents {
		if tp[i]+fp[i]+fn[i] == 0 {
			continue // absent from both gold labels and predictions
		}
		f := 2 * float64(tp[i]) / float64(2*tp[i]+fp[i]+fn[i])
		f1[in] = f
		sum += f
	}
	s := Scores{N: len(preds)}
	if len(preds) > 0 {
		s.Accuracy = float64(correct) / float64(len(preds))
	}
	if len(f1) > 0 {
		s.MacroF1 = sum / float64(len(f1))
	}
	return s, f1
}
