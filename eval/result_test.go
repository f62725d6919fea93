package eval

import (
	"math"
	"testing"
	"time"
)

func TestPassHat(t *testing.T) {
	tests := []struct {
		n, c, k int
		want    float64
	}{
		{1, 1, 1, 1},
		{1, 0, 1, 0},
		{4, 4, 4, 1},
		{4, 3, 1, 0.75},
		{4, 3, 2, 0.5},  // C(3,2)/C(4,2) = 3/6
		{4, 3, 3, 0.25}, // C(3,3)/C(4,3) = 1/4
		{4, 3, 4, 0},
		{5, 2, 2, 0.1}, // C(2,2)/C(5,2) = 1/10
		{3, 0, 2, 0},
	}
	for _, tt := range tests {
		if got := passHat(tt.n, tt.c, tt.k); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("passHat(n=%d, c=%d, k=%d) = %v, want %v", tt.n, tt.c, tt.k, got, tt.want)
		}
	}
	if got := passHat(2, 2, 3); !math.IsNaN(got) {
		t.Errorf("passHat with k > n = %v, want NaN", got)
	}
}

func runs(ss ...Status) []Run {
	out := make([]Run, len(ss))
	for i, s := range ss {
		out[i] = Run{Attempt: i + 1, Status: s}
	}
	return out
}

func TestCaseStatus(t *testing.T) {
	tests := []struct {
		name    string
		runs    []Run
		flakyOK bool
		want    Status
		flaky   bool
	}{
		{"all pass", runs(StatusPass, StatusPass), false, StatusPass, false},
		{"one fail", runs(StatusPass, StatusFail), false, StatusFail, true},
		{"one fail tolerated", runs(StatusPass, StatusFail, StatusPass), true, StatusPass, true},
		{"all fail even tolerated", runs(StatusFail, StatusFail), true, StatusFail, false},
		{"errors only", runs(StatusError, StatusError), false, StatusError, false},
		{"fail beats error", runs(StatusError, StatusFail), false, StatusFail, false},
		{"pass and error", runs(StatusPass, StatusError), false, StatusError, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := CaseResult{Runs: tt.runs, FlakyOK: tt.flakyOK}
			caseStatus(&c)
			if c.Status != tt.want || c.Flaky != tt.flaky {
				t.Errorf("caseStatus = %s (flaky %v), want %s (flaky %v)", c.Status, c.Flaky, tt.want, tt.flaky)
			}
		})
	}
}

func TestRunStatus(t *testing.T) {
	tests := []struct {
		name string
		run  Run
		want Status
	}{
		{"all pass", Run{Turns: []Turn{{Asserts: []AssertionResult{{Status: StatusPass}}}}, End: []AssertionResult{{Status: StatusSkip}}}, StatusPass},
		{"a failure", Run{Turns: []Turn{{Asserts: []AssertionResult{{Status: StatusError}, {Status: StatusFail}}}}}, StatusFail},
		{"an error", Run{End: []AssertionResult{{Status: StatusPass}, {Status: StatusError}}}, StatusError},
		{"a turn that could not run", Run{Error: "dial: refused"}, StatusError},
		{"a failure before a turn that could not run", Run{Error: "turn 2: reset", Turns: []Turn{{Asserts: []AssertionResult{{Status: StatusFail}}}}}, StatusFail},
	}
	for _, tt := range tests {
		if got := runStatus(tt.run); got != tt.want {
			t.Errorf("%s: runStatus = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestSummarize(t *testing.T) {
	score := func(p, r, f float64) []Turn {
		return []Turn{{Latency: 100 * time.Millisecond, Asserts: []AssertionResult{{Status: StatusPass, Tools: &ToolScore{Precision: p, Recall: r, F1: f}}}}}
	}
	cases := []CaseResult{
		{Status: StatusPass, Passes: 2, Runs: []Run{{Turns: score(1, 1, 1), Tokens: 10}, {Turns: score(0.5, 1, 2.0/3), Tokens: 20}}},
		{Status: StatusFail, Passes: 1, Flaky: true, Runs: []Run{{Status: StatusPass}, {Status: StatusFail}}},
		{Status: StatusSkip, Skip: "not today"},
		{Status: StatusError, Runs: []Run{{Status: StatusError}, {Status: StatusError}}},
	}
	s := summarize(cases, 2)
	if s.Cases != 4 || s.Passed != 1 || s.Failed != 1 || s.Errored != 1 || s.Skipped != 1 || s.Flaky != 1 {
		t.Errorf("counts = %+v", s)
	}
	if math.Abs(s.PassRate-1.0/3) > 1e-12 {
		t.Errorf("pass rate = %v, want 1/3 (skips do not count)", s.PassRate)
	}
	// pass^1: (1 + 0.5 + 0)/3; pass^2: (1 + 0 + 0)/3.
	if math.Abs(s.PassHat[0]-0.5) > 1e-12 || math.Abs(s.PassHat[1]-1.0/3) > 1e-12 {
		t.Errorf("pass^k = %v, want [0.5 0.333]", s.PassHat)
	}
	if math.Abs(s.ToolPrecision-0.75) > 1e-12 || s.ToolRecall != 1 || s.Tokens != 30 {
		t.Errorf("tools %v/%v, tokens %d", s.ToolPrecision, s.ToolRecall, s.Tokens)
	}
	if s.LatencyP50 != 100*time.Millisecond {
		t.Errorf("p50 = %v", s.LatencyP50)
	}
}
