package eval

import (
	"math"
	"slices"
	"time"
)

// Report is the outcome of one eval run: what ran, on what, and every
// case's result. It is what the JSON report holds and Diff compares.
type Report struct {
	Version   int           `json:"version"`
	StartedAt time.Time     `json:"started_at"`
	Duration  time.Duration `json:"duration_ns"`
	Target    string        `json:"target"`
	Repeat    int           `json:"repeat"`
	Parallel  int           `json:"parallel"`
	Summary   Summary       `json:"summary"`
	Cases     []CaseResult  `json:"cases"`

	// Variant is the experiment variant every conversation ran on
	// (`csagent eval run --variant`); empty for the defaults.
	Variant string `json:"variant,omitempty"`
}

// ReportVersion is the version of the JSON report's shape.
const ReportVersion = 1

// Summary is the run's numbers.
type Summary struct {
	Cases   int `json:"cases"`
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Errored int `json:"errored"`
	Skipped int `json:"skipped"`
	// XFailed counts the known gaps that failed as expected. They are
	// left out of PassRate and PassHat: the run reports them, and they do
	// not fail it.
	XFailed int `json:"xfailed"`
	// Flaky counts cases whose repeats disagreed (tolerated or not).
	Flaky int `json:"flaky"`
	// PassRate is Passed over the cases that ran, known gaps that failed
	// as expected aside.
	PassRate float64 `json:"pass_rate"`
	// PassHat[k-1] is pass^k for k = 1 … Repeat: the chance that k runs
	// of a case all pass, estimated from the repeats and averaged over
	// cases (tau-bench's measure of consistency).
	PassHat []float64 `json:"pass_hat_k"`
	// Tool-call precision, recall and F1, averaged over the tools
	// assertions of every run.
	ToolPrecision float64 `json:"tool_precision"`
	ToolRecall    float64 `json:"tool_recall"`
	ToolF1        float64 `json:"tool_f1"`
	// Turn latency percentiles, over every turn of every run.
	LatencyP50 time.Duration `json:"latency_p50_ns"`
	LatencyP95 time.Duration `json:"latency_p95_ns"`
	Tokens     int           `json:"tokens"`
	CostUSD    float64       `json:"cost_usd"`
}

// CaseResult is one case over its repeats.
type CaseResult struct {
	Suite       string   `json:"suite"`
	File        string   `json:"file"`
	ID          string   `json:"id"`
	Description string   `json:"description,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	Brain       string   `json:"brain"`
	Locale      string   `json:"locale"`
	Bindings    Bindings `json:"bindings"`
	Status      Status   `json:"status"`
	// Skip is why the case did not run.
	Skip string `json:"skip,omitempty"`
	// KnownGap is the case's known_gap: the behaviour not built yet.
	KnownGap string `json:"known_gap,omitempty"`
	// Problem says why a case is an error when no run or assertion does:
	// a known gap that passed.
	Problem string `json:"problem,omitempty"`
	FlakyOK bool   `json:"flaky_ok,omitempty"`
	// Flaky is set when some repeats passed and some did not.
	Flaky  bool  `json:"flaky,omitempty"`
	Passes int   `json:"passes"`
	Runs   []Run `json:"runs"`
}

// Key identifies a case across reports.
func (c CaseResult) Key() string { return c.Suite + "/" + c.ID }

// PassFraction is the share of the case's repeats that passed.
func (c CaseResult) PassFraction() float64 {
	if len(c.Runs) == 0 {
		return 0
	}
	return float64(c.Passes) / float64(len(c.Runs))
}

// Run is one repeat of a case.
type Run struct {
	Attempt int    `json:"attempt"`
	Status  Status `json:"status"`
	// Brain is what answered this run, as the world reported it.
	Brain    string            `json:"brain,omitempty"`
	Error    string            `json:"error,omitempty"`
	Turns    []Turn            `json:"turns"`
	End      []AssertionResult `json:"end,omitempty"`
	Duration time.Duration     `json:"duration_ns"`
	Tokens   int               `json:"tokens"`
	CostUSD  float64           `json:"cost_usd"`
}

// assertions returns every assertion of the run, turn by turn, then the
// end's.
func (r Run) assertions() []AssertionResult {
	var out []AssertionResult
	for _, t := range r.Turns {
		out = append(out, t.Asserts...)
	}
	return append(out, r.End...)
}

// runStatus decides a run from its assertions: any failure fails it, even
// one before a turn that could not run; else any error (or a turn that
// could not run) makes it an error.
func runStatus(r Run) Status {
	status := StatusPass
	if r.Error != "" {
		status = StatusError
	}
	for _, a := range r.assertions() {
		switch a.Status {
		case StatusFail:
			return StatusFail
		case StatusError:
			status = StatusError
		}
	}
	return status
}

// caseStatus decides a case from its runs. A case passes when every run
// passed, or, marked flaky_ok, when at least one did. A known gap that
// fails is an expected failure; one that passes is an error, since its
// mark no longer says what the agent does.
func caseStatus(c *CaseResult) {
	decideStatus(c)
	if c.KnownGap == "" {
		return
	}
	switch c.Status {
	case StatusFail:
		c.Status = StatusXFail
	case StatusPass:
		c.Status = StatusError
		c.Problem = "known gap passed: take off its known_gap mark (" + c.KnownGap + ")"
	}
}

func decideStatus(c *CaseResult) {
	c.Passes = 0
	failed, errored := false, false
	for _, r := range c.Runs {
		switch r.Status {
		case StatusPass:
			c.Passes++
		case StatusFail:
			failed = true
		case StatusError:
			errored = true
		}
	}
	n := len(c.Runs)
	c.Flaky = c.Passes > 0 && c.Passes < n
	switch {
	case n == 0:
		c.Status = StatusSkip
	case c.Passes == n, c.Flaky && c.FlakyOK:
		c.Status = StatusPass
	case failed:
		c.Status = StatusFail
	case errored:
		c.Status = StatusError
	default:
		c.Status = StatusFail
	}
}

// passHat estimates pass^k from c successes in n trials: the chance that k
// trials drawn without replacement all succeed, C(c,k)/C(n,k).
func passHat(n, c, k int) float64 {
	if k > n || k <= 0 {
		return math.NaN()
	}
	p := 1.0
	for i := range k {
		p *= float64(c-i) / float64(n-i)
		if p <= 0 {
			return 0
		}
	}
	return p
}

// summarize computes the run's numbers from its cases.
func summarize(cases []CaseResult, repeat int) Summary {
	s := Summary{Cases: len(cases), PassHat: make([]float64, repeat)}
	var ran int
	var prec, rec, f1 float64
	var nTools int
	var latencies []time.Duration
	for _, c := range cases {
		switch c.Status {
		case StatusPass:
			s.Passed++
		case StatusFail:
			s.Failed++
		case StatusError:
			s.Errored++
		case StatusSkip:
			s.Skipped++
			continue
		case StatusXFail:
			s.XFailed++
			continue
		}
		if c.Flaky {
			s.Flaky++
		}
		ran++
		for k := 1; k <= repeat; k++ {
			if p := passHat(len(c.Runs), c.Passes, k); !math.IsNaN(p) {
				s.PassHat[k-1] += p
			}
		}
		for _, r := range c.Runs {
			s.Tokens += r.Tokens
			s.CostUSD += r.CostUSD
			for _, t := range r.Turns {
				latencies = append(latencies, t.Latency)
			}
			for _, a := range r.assertions() {
				if a.Tools != nil {
					prec += a.Tools.Precision
					rec += a.Tools.Recall
					f1 += a.Tools.F1
					nTools++
				}
			}
		}
	}
	if ran > 0 {
		s.PassRate = float64(s.Passed) / float64(ran)
		for k := range s.PassHat {
			s.PassHat[k] /= float64(ran)
		}
	}
	if nTools > 0 {
		s.ToolPrecision, s.ToolRecall, s.ToolF1 = prec/float64(nTools), rec/float64(nTools), f1/float64(nTools)
	}
	if len(latencies) > 0 {
		slices.Sort(latencies)
		s.LatencyP50 = percentile(latencies, 0.50)
		s.LatencyP95 = percentile(latencies, 0.95)
	}
	return s
}

// percentile of sorted values, nearest rank.
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
