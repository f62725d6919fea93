package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/csagent/csagent/guardrails"
)

const oneRule = `version: 1
rules:
  - id: no-bananas
    category: other
    locale: en
    reason: bananas are not discussed
    words: ["banana*"]
`

// A SIGHUP reloads the file: a valid one replaces the rules, a broken one
// is refused and the rules in force stay; each outcome is logged.
func TestSIGHUPReloadsTheGuardrailsFile(t *testing.T) {
	// Not t.Parallel: SIGHUP goes to the whole test process, and a parallel
	// test's server would take it as its own reload.
	path := filepath.Join(t.TempDir(), "banned.yaml")
	if err := os.WriteFile(path, []byte(oneRule), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := newGuardrails(path)
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	hup := make(chan os.Signal)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { defer close(done); reloadOn(ctx, hup, logger, c, path) }()
	t.Cleanup(func() { cancel(); <-done })

	banned := func(text string) bool {
		return c.CheckOutput(text, "en", "buyer", guardrails.Evidence{}).Verdict != "pass"
	}
	steps := []struct {
		name   string
		file   string
		log    string
		banana bool
		cherry bool
	}{
		{"valid file with another rule", strings.ReplaceAll(oneRule, "banana", "cherr"), "guardrails config reloaded", false, true},
		{"broken file", "rules: [ {id: x, words: [", "not reloaded; the previous rules stay", false, true},
		{"back to bananas", oneRule, "guardrails config reloaded", true, false},
	}
	for _, st := range steps {
		mark := len(logs.String())
		if err := os.WriteFile(path, []byte(st.file), 0o644); err != nil {
			t.Fatal(err)
		}
		hup <- os.Interrupt // any value: a hangup arrived
		hup <- os.Interrupt // the first is handled once the second is taken
		if got := banned("I love bananas."); got != st.banana {
			t.Errorf("%s: bananas banned = %v, want %v", st.name, got, st.banana)
		}
		if got := banned("I love cherries."); got != st.cherry {
			t.Errorf("%s: cherries banned = %v, want %v", st.name, got, st.cherry)
		}
		if got := logs.String()[mark:]; !strings.Contains(got, st.log) {
			t.Errorf("%s: log %s lacks %q", st.name, got, st.log)
		}
	}
}

// The seller panel's checker returns the output check's verdict for the
// seller audience.
func TestReplyCheckerVerdicts(t *testing.T) {
	t.Parallel()
	c, err := newGuardrails("")
	if err != nil {
		t.Fatal(err)
	}
	rc := replyChecker{c: c, audience: "seller"}
	ev := []string{`{"id":"ORD-10001","status":"shipped","total":"USD 30.00"}`}
	tests := []struct{ text, want string }{
		{"Your order ORD-10001 has shipped.", "pass"},
		{"Your refund of $250.00 was sent yesterday.", "fallback"},
	}
	for _, tt := range tests {
		r, err := rc.CheckReply(t.Context(), tt.text, "en", ev)
		if got := r.Verdict; err != nil || got != tt.want {
			t.Errorf("CheckReply(%q) = %q, %v; want %q", tt.text, r.Verdict, err, tt.want)
		}
	}
}

// bench guardrails prints its tables and writes the figures as JSON.
func TestBenchGuardrails(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "guardrails.json")
	var stdout, stderr bytes.Buffer
	if err := runBench(t.Context(), []string{"guardrails", "--out", out}, testEnv(), &stdout, &stderr); err != nil {
		t.Fatalf("bench guardrails: %v (%s)", err, stderr.String())
	}
	for _, s := range []string{"latency: output p50", "banned phrases", "hallucination", "injection"} {
		if !strings.Contains(stdout.String(), s) {
			t.Errorf("output lacks %q:\n%s", s, stdout.String())
		}
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Latency struct {
			OutputChecks int `json:"output_checks"`
		} `json:"latency"`
		Banned []struct {
			Set    string  `json:"set"`
			Recall float64 `json:"recall"`
		} `json:"banned"`
		Injection struct {
			TPR float64 `json:"tpr"`
		} `json:"injection"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if rep.Latency.OutputChecks == 0 || len(rep.Banned) != 2 || rep.Banned[1].Set != "fresh" || rep.Injection.TPR < 0.9 {
		t.Errorf("report %s", b)
	}
}

// The judge is wired only when asked for and an LLM is configured.
func TestJudgeWiring(t *testing.T) {
	t.Parallel()
	tests := []struct {
		flag  bool
		model string
		want  bool
	}{
		{false, "gpt-4o-mini", false},
		{true, "local", false},
		{true, "gpt-4o-mini", true},
	}
	for _, tt := range tests {
		c := agentConfig{guardrailsJudge: tt.flag}
		c.llm.model = tt.model
		if got := c.judge(testEnv(), tt.model) != nil; got != tt.want {
			t.Errorf("judge with --guardrails-judge=%v and model %s: %v, want %v", tt.flag, tt.model, got, tt.want)
		}
	}
}
