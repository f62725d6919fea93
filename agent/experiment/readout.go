package experiment

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// Outcome is one conversation of an experiment as the readout counts it:
// the ops dashboard's per-conversation numbers (web/ops_query.go defines
// them), for the arm the conversation was exposed to.
type Outcome struct {
	Variant string
	// Resolved: never handed off, and the buyer did not come back about
	// the same order within 72 hours.
	Resolved  bool
	HandedOff bool
	// Fallback: at least one reply was the guardrails' safe fallback.
	Fallback bool
	// CSAT is the buyer's rating, 1 to 5; 0 when unrated.
	CSAT int
	// LatencyMS is the mean full-turn latency of its replies; Turns how
	// many replies it had (0: none, and no latency).
	LatencyMS float64
	Turns     int
	CostUSD   float64
}

// Metric is one number the readout compares.
type Metric struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	// Rate metrics are shares of conversations (Wilson intervals);
	// the others are means (bootstrap intervals).
	Rate           bool `json:"rate"`
	HigherIsBetter bool `json:"higher_is_better"`
	// of returns the conversation's value and whether it counts (a CSAT
	// only for rated conversations, a latency only with a reply).
	of func(Outcome) (float64, bool)
}

func flag(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Metrics are the numbers every readout compares, in this order.
var Metrics = []Metric{
	{Name: "resolution", Label: "resolution rate", Rate: true, HigherIsBetter: true,
		of: func(o Outcome) (float64, bool) { return flag(o.Resolved), true }},
	{Name: "handoff", Label: "handoff rate", Rate: true,
		of: func(o Outcome) (float64, bool) { return flag(o.HandedOff), true }},
	{Name: "csat", Label: "CSAT (share of ratings 4 or 5)", Rate: true, HigherIsBetter: true,
		of: func(o Outcome) (float64, bool) { return flag(o.CSAT >= 4), o.CSAT > 0 }},
	{Name: "fallback", Label: "guardrail fallback rate", Rate: true,
		of: func(o Outcome) (float64, bool) { return flag(o.Fallback), true }},
	{Name: "latency_ms", Label: "turn latency (ms, mean)",
		of: func(o Outcome) (float64, bool) { return o.LatencyMS, o.Turns > 0 }},
	{Name: "cost_usd", Label: "cost per conversation (USD, mean)",
		of: func(o Outcome) (float64, bool) { return o.CostUSD, true }},
}

// The readout's rules.
const (
	// Alpha is the two-sided level of every interval shown: 95 %.
	Alpha = 0.05
	// SRMAlpha is the p-value under which the arms' sizes are a sample
	// ratio mismatch: the assignment or the counting is broken, and no
	// difference can be trusted.
	SRMAlpha = 0.001
	// MinSample is the fewest conversations (or, for CSAT, ratings) an
	// arm needs before a metric's difference is worth reading; below it
	// the readout says the sample is too small.
	MinSample = 30
	// DefaultBootstrap is how many resamples a bootstrap interval takes.
	DefaultBootstrap = 2000
)

// Estimate is one arm's value of a metric with its 95 % interval.
type Estimate struct {
	N     int     `json:"n"`
	Value float64 `json:"value"`
	Lo    float64 `json:"lo"`
	Hi    float64 `json:"hi"`
}

// Difference is an arm's value minus control's, with its 95 % interval
// and whether it is a finding: the difference excludes zero at the
// corrected level FindingAlpha and the readout is final.
type Difference struct {
	Value float64 `json:"value"`
	Lo    float64 `json:"lo"`
	Hi    float64 `json:"hi"`
	// CorrLo and CorrHi are the interval at the corrected level.
	CorrLo  float64 `json:"corrected_lo"`
	CorrHi  float64 `json:"corrected_hi"`
	Finding bool    `json:"finding"`
	// Better says the difference goes the metric's good way.
	Better bool `json:"better"`
	// TooSmall says either arm has fewer than MinSample values.
	TooSmall bool `json:"too_small"`
}

// MetricReadout is one metric across the arms; Diff is nil for control.
type MetricReadout struct {
	Metric Metric        `json:"metric"`
	Arms   []Estimate    `json:"arms"`
	Diffs  []*Difference `json:"diffs"`
}

// ArmCount is an arm's size against what its share expects.
type ArmCount struct {
	Variant  string  `json:"variant"`
	Share    float64 `json:"share"`
	N        int     `json:"n"`
	Expected float64 `json:"expected"`
}

// SRM is the sample-ratio-mismatch check: Pearson's chi-square of the
// arms' sizes against their shares.
type SRM struct {
	ChiSquare float64 `json:"chi_square"`
	DF        int     `json:"df"`
	P         float64 `json:"p"`
	Mismatch  bool    `json:"mismatch"`
}

// Readout compares an experiment's arms.
type Readout struct {
	Experiment string `json:"experiment"`
	Horizon    int    `json:"horizon"`
	// Final says every arm reached the horizon: only then are
	// differences findings.
	Final bool       `json:"final"`
	Arms  []ArmCount `json:"arms"`
	SRM   SRM        `json:"srm"`
	// FindingAlpha is the level a difference must clear to be a finding:
	// Alpha divided by the comparisons made (metrics times arms against
	// control), so an A/A experiment shows a finding in at most about
	// 5 % of runs however many numbers it compares.
	FindingAlpha float64         `json:"finding_alpha"`
	Metrics      []MetricReadout `json:"metrics"`
	// Warnings are said plainly above the numbers: interim, too small,
	// mismatched.
	Warnings []string `json:"warnings"`
	// Findings name each difference that is one, in words.
	Findings []string `json:"findings"`
	// Unassigned counts conversations whose arm is not one of the
	// experiment's (an arm removed from the file); they are left out.
	Unassigned int `json:"unassigned,omitempty"`
}

// AnalyzeOptions tune Analyze.
type AnalyzeOptions struct {
	// Bootstrap is the number of resamples; 0 is DefaultBootstrap.
	Bootstrap int
	// Seed seeds the resampling, so the same data read twice gives the
	// same intervals.
	Seed uint64
}

// Analyze reads out e from its conversations' outcomes.
func Analyze(e Experiment, outs []Outcome, opt AnalyzeOptions) Readout {
	if opt.Bootstrap <= 0 {
		opt.Bootstrap = DefaultBootstrap
	}
	r := Readout{Experiment: e.Name, Horizon: e.Horizon}
	// Control first, then the arms in the file's order.
	arms := slices.Clone(e.Arms)
	slices.SortStableFunc(arms, func(a, b Arm) int {
		switch {
		case a.Variant == Control:
			return -1
		case b.Variant == Control:
			return 1
		}
		return 0
	})
	idx := map[string]int{}
	for i, a := range arms {
		idx[a.Variant] = i
	}
	by := make([][]Outcome, len(arms))
	for _, o := range outs {
		i, ok := idx[o.Variant]
		if !ok {
			r.Unassigned++
			continue
		}
		by[i] = append(by[i], o)
	}
	total := len(outs) - r.Unassigned
	counts := make([]int, len(arms))
	shares := make([]float64, len(arms))
	r.Final = true
	for i, a := range arms {
		counts[i], shares[i] = len(by[i]), a.Share
		r.Arms = append(r.Arms, ArmCount{Variant: a.Variant, Share: a.Share, N: len(by[i]), Expected: float64(total) * a.Share / 100})
		if len(by[i]) < e.Horizon {
			r.Final = false
		}
	}
	stat, p := ChiSquareGOF(counts, shares)
	r.SRM = SRM{ChiSquare: stat, DF: len(arms) - 1, P: p, Mismatch: total > 0 && p < SRMAlpha}

	r.FindingAlpha = Alpha / float64(len(Metrics)*(len(arms)-1))
	rng := rand.New(rand.NewPCG(opt.Seed, 0x5eed))
	for _, m := range Metrics {
		mr := MetricReadout{Metric: m}
		vals := make([][]float64, len(arms))
		for i := range arms {
			for _, o := range by[i] {
				if v, ok := m.of(o); ok {
					vals[i] = append(vals[i], v)
				}
			}
			mr.Arms = append(mr.Arms, estimate(rng, m, vals[i], opt.Bootstrap))
		}
		for i := range arms {
			if i == 0 {
				mr.Diffs = append(mr.Diffs, nil)
				continue
			}
			d := difference(rng, m, vals[0], vals[i], opt.Bootstrap, r.FindingAlpha)
			d.Finding = d.Finding && r.Final && !r.SRM.Mismatch
			mr.Diffs = append(mr.Diffs, &d)
			if d.Finding {
				way := "worse"
				if d.Better {
					way = "better"
				}
				r.Findings = append(r.Findings, fmt.Sprintf("%s: %s is %s than control by %s (95 %% interval %s to %s)",
					m.Label, arms[i].Variant, way, FormatValue(m, d.Value, true), FormatValue(m, d.Lo, true), FormatValue(m, d.Hi, true)))
			}
		}
		r.Metrics = append(r.Metrics, mr)
	}
	r.Warnings = warnings(r, arms)
	return r
}

func estimate(rng *rand.Rand, m Metric, xs []float64, b int) Estimate {
	if m.Rate {
		k := int(sum(xs))
		lo, hi := Wilson(k, len(xs), Alpha)
		return Estimate{N: len(xs), Value: ratio(float64(k), len(xs)), Lo: lo, Hi: hi}
	}
	v, lo, hi := BootstrapMean(rng, xs, b, Alpha)
	return Estimate{N: len(xs), Value: v, Lo: lo, Hi: hi}
}

// difference is ys's arm minus control's xs, at Alpha and at the
// corrected level.
func difference(rng *rand.Rand, m Metric, xs, ys []float64, b int, corrected float64) Difference {
	var d Difference
	if m.Rate {
		k1, k2 := int(sum(xs)), int(sum(ys))
		d.Value, d.Lo, d.Hi = NewcombeDiff(k1, len(xs), k2, len(ys), Alpha)
		_, d.CorrLo, d.CorrHi = NewcombeDiff(k1, len(xs), k2, len(ys), corrected)
	} else {
		// One set of resamples gives both levels' percentiles.
		diffs := make([]float64, 0, b)
		if len(xs) >= 2 && len(ys) >= 2 {
			for range b {
				diffs = append(diffs, resampleMean(rng, ys)-resampleMean(rng, xs))
			}
		}
		slices.Sort(diffs)
		d.Value = mean(ys) - mean(xs)
		d.Lo, d.Hi = quantile(diffs, Alpha/2), quantile(diffs, 1-Alpha/2)
		d.CorrLo, d.CorrHi = quantile(diffs, corrected/2), quantile(diffs, 1-corrected/2)
	}
	d.TooSmall = len(xs) < MinSample || len(ys) < MinSample
	d.Better = (d.Value > 0) == m.HigherIsBetter
	d.Finding = !d.TooSmall && (d.CorrLo > 0 || d.CorrHi < 0)
	return d
}

func warnings(r Readout, arms []Arm) []string {
	total := 0
	for _, a := range r.Arms {
		total += a.N
	}
	if total == 0 {
		return []string{"No conversation has been exposed to this experiment yet."}
	}
	var w []string
	if r.SRM.Mismatch {
		w = append(w, fmt.Sprintf("Sample ratio mismatch: the arms' sizes are not what their shares predict (chi-square %.1f, p = %.2g). "+
			"Assignment or exposure recording is broken; do not trust any difference until it is found.", r.SRM.ChiSquare, r.SRM.P))
	}
	if !r.Final {
		least := r.Arms[0].N
		for _, a := range r.Arms {
			least = min(least, a.N)
		}
		w = append(w, fmt.Sprintf("Interim: the smallest arm has %d of the %d conversations the fixed horizon asks for. "+
			"Differences are not findings until every arm reaches it; stopping early on a good-looking number is how false wins are made.", least, r.Horizon))
	}
	for _, mr := range r.Metrics {
		for i, e := range mr.Arms {
			if e.N < MinSample {
				w = append(w, fmt.Sprintf("%s: %s has only %d values; too few to conclude anything.", mr.Metric.Label, arms[i].Variant, e.N))
			}
		}
	}
	return w
}

func sum(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s
}

func ratio(k float64, n int) float64 {
	if n == 0 {
		return 0
	}
	return k / float64(n)
}

// FormatValue writes a value of m for people: rates in percent (points,
// for a difference), latency in ms, cost in dollars.
func FormatValue(m Metric, v float64, diff bool) string {
	switch {
	case m.Rate && diff:
		return fmt.Sprintf("%+.1f pt", 100*v)
	case m.Rate:
		return fmt.Sprintf("%.1f%%", 100*v)
	case m.Name == "cost_usd" && diff:
		return fmt.Sprintf("%+.6f", v)
	case m.Name == "cost_usd":
		return fmt.Sprintf("%.6f", v)
	case diff:
		return fmt.Sprintf("%+.0f", v)
	}
	return fmt.Sprintf("%.0f", v)
}
