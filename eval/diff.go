package eval

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Comparison is what changed from a baseline report to a candidate.
type Comparison struct {
	// Changed are the cases whose verdict differs, in the candidate's
	// order.
	Changed []VerdictChange `json:"changed"`
	// Added and Removed are cases in only one of the two reports.
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
	// Metrics are the summary numbers side by side.
	Metrics []MetricDelta `json:"metrics"`
}

// VerdictChange is one case whose verdict moved.
type VerdictChange struct {
	Case string `json:"case"`
	From Status `json:"from"`
	To   Status `json:"to"`
	// FromPass and ToPass are the shares of repeats that passed.
	FromPass float64 `json:"from_pass"`
	ToPass   float64 `json:"to_pass"`
}

// Regression reports whether the change made a passing case not pass.
func (v VerdictChange) Regression() bool { return v.From == StatusPass && v.To != StatusPass }

// MetricDelta is one summary number in both runs.
type MetricDelta struct {
	Name string  `json:"name"`
	From float64 `json:"from"`
	To   float64 `json:"to"`
	// HigherIsBetter says which way is an improvement.
	HigherIsBetter bool `json:"higher_is_better"`
}

// Delta is To minus From.
func (m MetricDelta) Delta() float64 { return m.To - m.From }

// Diff compares candidate b with baseline a.
func Diff(a, b *Report) Comparison {
	var c Comparison
	base := map[string]CaseResult{}
	for _, r := range a.Cases {
		base[r.Key()] = r
	}
	seen := map[string]bool{}
	for _, r := range b.Cases {
		k := r.Key()
		seen[k] = true
		old, ok := base[k]
		if !ok {
			c.Added = append(c.Added, k)
			continue
		}
		if old.Status != r.Status || old.Flaky != r.Flaky {
			c.Changed = append(c.Changed, VerdictChange{Case: k, From: old.Status, To: r.Status,
				FromPass: old.PassFraction(), ToPass: r.PassFraction()})
		}
	}
	for _, r := range a.Cases {
		if !seen[r.Key()] {
			c.Removed = append(c.Removed, r.Key())
		}
	}
	sa, sb := a.Summary, b.Summary
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	c.Metrics = []MetricDelta{
		{"pass_rate", sa.PassRate, sb.PassRate, true},
		{"passed", float64(sa.Passed), float64(sb.Passed), true},
		{"failed", float64(sa.Failed), float64(sb.Failed), false},
		{"errors", float64(sa.Errored), float64(sb.Errored), false},
		{"flaky", float64(sa.Flaky), float64(sb.Flaky), false},
		{"xfailed", float64(sa.XFailed), float64(sb.XFailed), false},
		{"tool_precision", sa.ToolPrecision, sb.ToolPrecision, true},
		{"tool_recall", sa.ToolRecall, sb.ToolRecall, true},
		{"tool_f1", sa.ToolF1, sb.ToolF1, true},
		{"latency_p50_ms", ms(sa.LatencyP50), ms(sb.LatencyP50), false},
		{"latency_p95_ms", ms(sa.LatencyP95), ms(sb.LatencyP95), false},
		{"tokens", float64(sa.Tokens), float64(sb.Tokens), false},
		{"cost_usd", sa.CostUSD, sb.CostUSD, false},
	}
	if len(sa.PassHat) > 0 && len(sb.PassHat) > 0 {
		k := min(len(sa.PassHat), len(sb.PassHat))
		c.Metrics = append(c.Metrics, MetricDelta{fmt.Sprintf("pass^%d", k), sa.PassHat[k-1], sb.PassHat[k-1], true})
	}
	return c
}

// Regressions counts the cases that passed in the baseline and do not now.
func (c Comparison) Regressions() int {
	n := 0
	for _, v := range c.Changed {
		if v.Regression() {
			n++
		}
	}
	return n
}

// WriteDiff writes c for a person: the changed cases, then the numbers.
func WriteDiff(w io.Writer, c Comparison) error {
	var b strings.Builder
	if len(c.Changed) == 0 {
		b.WriteString("no case changed its verdict\n")
	}
	for _, v := range c.Changed {
		mark := "  "
		switch {
		case v.Regression():
			mark = "- "
		case v.To == StatusPass:
			mark = "+ "
		}
		fmt.Fprintf(&b, "%s%s: %s → %s (runs passed %.0f%% → %.0f%%)\n", mark, v.Case, v.From, v.To, 100*v.FromPass, 100*v.ToPass)
	}
	for _, k := range c.Added {
		fmt.Fprintf(&b, "  %s: new case\n", k)
	}
	for _, k := range c.Removed {
		fmt.Fprintf(&b, "  %s: no longer run\n", k)
	}
	b.WriteString("\n")
	for _, m := range c.Metrics {
		sign := ""
		if m.Delta() > 0 {
			sign = "+"
		}
		fmt.Fprintf(&b, "%-16s %10.3f → %10.3f  (%s%.3f)\n", m.Name, m.From, m.To, sign, m.Delta())
	}
	_, err := io.WriteString(w, b.String())
	return err
}
