package guardrails

import "slices"

// InjectionThreshold returns the injection probability from which c calls
// a text an injection.
func (c *Checker) InjectionThreshold() float64 { return c.load().injection }

// InjectionParts reports what each part of the injection detector makes of
// text on its own: the classifier's probability for the whole text, and
// whether a pattern matches. It is for measuring the parts apart
// (`csagent bench guardrails`); CheckInput is the check.
func (c *Checker) InjectionParts(text string) (classifier float64, pattern bool) {
	return c.classifier.prob(text), patternHit(text)
}

// patternHit reports whether any injection pattern matches text.
func patternHit(text string) bool {
	f := fold(text).s
	return slices.ContainsFunc(injectionPatterns, func(p injectionPattern) bool { return p.find(f) != nil })
}

// CrossValidateInjection trains the injection classifier on k-1 folds of
// its embedded training set and tests the deployed detector (the patterns
// and that classifier at threshold) on the remaining fold, k times. It
// returns the true and false positive rates over all folds and the number
// of training examples.
func CrossValidateInjection(k int, threshold float64) (tpr, fpr float64, examples int, err error) {
	exs, err := parseExamples(injectionTrain)
	if err != nil {
		return 0, 0, 0, err
	}
	var tp, fp, pos, neg int
	for fold := range k {
		var tr, te []example
		for i, ex := range exs {
			if i%k == fold {
				te = append(te, ex)
			} else {
				tr = append(tr, ex)
			}
		}
		m := train(tr)
		for _, ex := range te {
			hit := patternHit(ex.Text) || m.prob(ex.Text) >= threshold
			if ex.Label == 1 {
				pos++
				if hit {
					tp++
				}
			} else {
				neg++
				if hit {
					fp++
				}
			}
		}
	}
	return rate(tp, pos), rate(fp, neg), len(exs), nil
}

func rate(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
