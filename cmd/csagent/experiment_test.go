package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/csagent/csagent/migrations/pgtest"
)

// experimentsYAML declares a variant whose search returns one passage,
// ranked almost by the vector search alone, with the strictest support
// score the safe bounds allow.
const experimentsYAML = `version: 1
variants:
  - name: strict
    retrieval: {k: 1, vector_weight: 10}
    guardrails: {low_support: 0.9}
experiments:
  - name: strictness
    arms: [{variant: control, share: 50}, {variant: strict, share: 50}]
    start: 2026-01-01T00:00:00Z
    horizon: 500
`

func writeExperiments(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "experiments.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestEvalRunsAVariant: the same suite on the defaults and on a variant,
// in process; the variant's report says which it ran, and eval diff
// compares the two case by case, naming the turns the variant answered
// differently.
func TestEvalRunsAVariant(t *testing.T) {
	t.Parallel()
	getenv := testEnv("DATABASE_URL", pgtest.URL(t))
	exps := writeExperiments(t, experimentsYAML)
	suite := writeSuite(t, "policy.yaml", `
name: policy
cases:
  - id: refund-window
    locale: ko
    turns:
      - user: "배송받은 후 며칠 안에 환불을 요청할 수 있나요?"
`)
	dir := t.TempDir()
	base, cand := filepath.Join(dir, "control.json"), filepath.Join(dir, "strict.json")
	var out, errOut bytes.Buffer
	for _, c := range []struct{ variant, path string }{{"", base}, {"strict", cand}} {
		args := []string{"csagent", "eval", "run", "--parallel", "1", "--experiments", exps, "--json", c.path, suite}
		if c.variant != "" {
			args = append(args, "--variant", c.variant)
		}
		if err := run(t.Context(), args, getenv, nil, &out, &errOut); err != nil {
			t.Fatalf("eval run %q: %v\n%s", c.variant, err, out.String())
		}
	}
	if v := readReport(t, cand).Variant; v != "strict" {
		t.Errorf("the variant's report names variant %q, want strict", v)
	}
	if v := readReport(t, base).Variant; v != "control" {
		t.Errorf("without --variant the report names variant %q, want control: the file's running experiment must not split the cases", v)
	}
	out.Reset()
	if err := run(t.Context(), []string{"csagent", "eval", "diff", base, cand}, getenv, nil, &out, &errOut); err != nil {
		t.Fatalf("eval diff: %v", err)
	}
	if !strings.Contains(out.String(), "variant control → strict") || !strings.Contains(out.String(), "policy/refund-window turn 1") {
		t.Errorf("eval diff printed:\n%s\nwant the variants and the turn the stricter variant answered differently", out.String())
	}
}

func TestExperimentCommandsRefuseBadInput(t *testing.T) {
	t.Parallel()
	unsafe := writeExperiments(t, strings.Replace(experimentsYAML, "low_support: 0.9", "pii: off", 1))
	good := writeExperiments(t, experimentsYAML)
	tests := []struct {
		name   string
		args   []string
		usage  bool
		substr string
	}{
		{"unsafe variant", []string{"experiment", "check", unsafe}, false, "cannot switch a safety check off"},
		{"variant against a live server", []string{"eval", "run", "--variant", "strict", "--target", "ws://127.0.0.1:1/v1/chat/ws", "../../eval/suites"}, true, "in process only"},
		{"report without a file", []string{"experiment", "report", "strictness"}, true, "--experiments"},
		{"report of an unknown experiment", []string{"experiment", "report", "--experiments", good, "nope"}, false, `no experiment "nope"`},
		{"no subcommand", []string{"experiment"}, true, "usage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(t.Context(), append([]string{"csagent"}, tt.args...), testEnv("CSAGENT_AUTH_SECRET", testSecret), nil, &out, &errOut)
			var u usageError
			if err == nil || errors.As(err, &u) != tt.usage || !strings.Contains(err.Error(), tt.substr) {
				t.Errorf("run(%q) = %v; want usage %v and %q", tt.args, err, tt.usage, tt.substr)
			}
		})
	}
	var out bytes.Buffer
	if err := run(t.Context(), []string{"csagent", "experiment", "check", good}, testEnv(), nil, &out, &out); err != nil || !strings.Contains(out.String(), "strictness (running)") {
		t.Errorf("experiment check = %v:\n%s", err, out.String())
	}
}

// A SIGHUP reloads the experiments file: stopping the experiment in the
// file takes its variant off at once; an unsafe file is refused and the
// one in force stays; each outcome is logged.
func TestSIGHUPReloadsTheExperimentsFile(t *testing.T) {
	// Not t.Parallel: SIGHUP goes to the whole test process, and a parallel
	// test's server would take it as its own reload.
	path := writeExperiments(t, experimentsYAML)
	c := agentConfig{experimentsFile: path}
	set, err := c.experimentSet(slog.New(slog.DiscardHandler), testEnv(), nil, nil)
	if err == nil {
		t.Fatal("a file with guardrail thresholds built without the server's guardrails")
	}
	guard, err := newGuardrails("")
	if err != nil {
		t.Fatal(err)
	}
	if set, err = c.experimentSet(slog.New(slog.DiscardHandler), testEnv(), guard, nil); err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	hup := make(chan os.Signal)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { defer close(done); reloadExperimentsOn(ctx, hup, logger, set, path) }()
	t.Cleanup(func() { cancel(); <-done })

	steps := []struct {
		name, file, log string
		running         bool
	}{
		{"stopped", strings.Replace(experimentsYAML, "horizon: 500", "horizon: 500\n    stopped: true", 1), "experiments file reloaded", false},
		{"unsafe", strings.Replace(experimentsYAML, "low_support: 0.9", "injection_threshold: 1", 1), "not reloaded; the one in force stays", false},
		{"running again", experimentsYAML, "experiments file reloaded", true},
	}
	for _, st := range steps {
		mark := len(logs.String())
		if err := os.WriteFile(path, []byte(st.file), 0o644); err != nil {
			t.Fatal(err)
		}
		hup <- os.Interrupt
		hup <- os.Interrupt // the first is handled once the second is taken
		if _, got := set.Variant("strictness", "strict"); got != st.running {
			t.Errorf("%s: variant strict applies = %v, want %v", st.name, got, st.running)
		}
		if got := logs.String()[mark:]; !strings.Contains(got, st.log) {
			t.Errorf("%s: log %s lacks %q", st.name, got, st.log)
		}
	}
}
