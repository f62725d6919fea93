package eval

import (
	"fmt"
	"io"
	"slices"
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
	// FromVariant and ToVariant are the experiment variants the two runs
	// ran on ("" for the defaults): the diff of two variants offline.
	FromVariant string `json:"from_variant,omitempty"`
	ToVariant   string `json:"to_variant,omitempty"`
	// Turns are the turns, in cases both reports ran, whose reply, its
	// guardrail verdict, its citations or the tools it called differ
	// (the first run of each), case by case: what a variant changes
	// even where the verdict holds.
	Turns []TurnChange `json:"turns,omitempty"`
}

// TurnChange is one turn of a case that answered differently.
type TurnChange struct {
	Case string `json:"case"`
	// Turn counts from 1.
	Turn int    `json:"turn"`
	User string `json:"user"`
	// What changed: "reply", "guardrail", "citations", "tools".
	Changed  []string `json:"changed"`
	From, To Reply    `json:"-"`
	FromText string   `json:"from_text"`
	ToText   string   `json:"to_text"`
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
		c.Turns = append(c.Turns, turnChanges(k, old, r)...)
	}
	for _, r := range a.Cases {
		if !seen[r.Key()] {
			c.Removed = append(c.Removed, r.Key())
		}
	}
	c.FromVariant, c.ToVariant = a.Variant, b.Variant
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

// turnChanges compares the first runs of one case in two reports, turn by
// turn.
func turnChanges(key string, a, b CaseResult) []TurnChange {
	if len(a.Runs) == 0 || len(b.Runs) == 0 {
		return nil
	}
	ta, tb := a.Runs[0].Turns, b.Runs[0].Turns
	var out []TurnChange
	for i := range min(len(ta), len(tb)) {
		x, y := ta[i].Reply, tb[i].Reply
		var what []string
		if x.Text != y.Text {
			what = append(what, "reply")
		}
		if x.Guardrail != y.Guardrail {
			what = append(what, "guardrail")
		}
		if strings.Join(x.Citations, "\x00") != strings.Join(y.Citations, "\x00") {
			what = append(what, "citations")
		}
		if toolNames(x) != toolNames(y) {
			what = append(what, "tools")
		}
		if len(what) > 0 {
			out = append(out, TurnChange{Case: key, Turn: i + 1, User: tb[i].User, Changed: what, From: x, To: y, FromText: x.Text, ToText: y.Text})
		}
	}
	return out
}

func toolNames(r Reply) string {
	names := make([]string, len(r.ToolCalls))
	for i, c := range r.ToolCalls {
		names[i] = c.Name
	}
	return strings.Join(names, ",")
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
	if c.FromVariant != c.ToVariant {
		fmt.Fprintf(&b, "variant %s → %s\n\n", variantName(c.FromVariant), variantName(c.ToVariant))
	}
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
	if len(c.Turns) > 0 {
		fmt.Fprintf(&b, "\n%d turns answered differently:\n", len(c.Turns))
	}
	for _, t := range c.Turns {
		fmt.Fprintf(&b, "  %s turn %d (%s): %q\n", t.Case, t.Turn, strings.Join(t.Changed, ", "), clipTo(t.User, 60))
		if slices.Contains(t.Changed, "guardrail") {
			fmt.Fprintf(&b, "    guardrail %s → %s\n", t.From.Guardrail, t.To.Guardrail)
		}
		if slices.Contains(t.Changed, "tools") {
			fmt.Fprintf(&b, "    tools [%s] → [%s]\n", toolNames(t.From), toolNames(t.To))
		}
		if slices.Contains(t.Changed, "reply") {
			fmt.Fprintf(&b, "    - %s\n    + %s\n", clipTo(t.FromText, 160), clipTo(t.ToText, 160))
		}
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

func variantName(v string) string {
	if v == "" {
		return "defaults"
	}
	return v
}

// clipTo shortens s to n characters for a terminal line.
func clipTo(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
