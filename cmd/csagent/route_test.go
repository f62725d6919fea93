package main

import (
	"bytes"
	"maps"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/csagent/csagent/eval"
	"github.com/csagent/csagent/internal/fakellm"
	"github.com/csagent/csagent/migrations/pgtest"
)

// llmSuites copies the starter suites with the LLM as their brain.
func llmSuites(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files, err := filepath.Glob("../../eval/suites/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("starter suites: %v (%d files)", err, len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b = bytes.ReplaceAll(b, []byte("brain: local"), []byte("brain: llm"))
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// The starter suites replayed with the scripted fake LLM (its autopilot),
// routing off and on: with routing on, at least 60 % fewer tokens go
// upstream, and no case that passed on the LLM alone fails. Tokens are
// counted by the fake, deterministically.
func TestRoutingReplaysTheStarterSuites(t *testing.T) {
	t.Parallel() // the slowest of cmd's tests; each has its own databases
	up := httptest.NewServer(fakellm.New(fakellm.Options{APIKey: "k", Respond: fakellm.Autopilot}))
	t.Cleanup(up.Close)
	suites := llmSuites(t)
	getenv := testEnv("DATABASE_URL", pgtest.URL(t), "CSAGENT_LLM_API_KEY", "k")
	replay := func(t *testing.T, name string, extra ...string) *eval.Report {
		t.Helper()
		path := filepath.Join(t.TempDir(), name+".json")
		args := append([]string{"csagent", "eval", "run", "--parallel", "2", "--progress", "none", "--min-pass", "0",
			"--llm-base-url", up.URL + "/v1", "--llm-model", "fake-model", "--json", path}, extra...)
		var out, errOut bytes.Buffer
		// A failed case makes the run fail; the report says which.
		err := run(t.Context(), append(args, suites), getenv, nil, &out, &errOut)
		if _, serr := os.Stat(path); serr != nil {
			t.Fatalf("eval run (%s): %v\n%s\n%s", name, err, out.String(), errOut.String())
		}
		return readReport(t, path)
	}
	// The three replays are independent (each run has its own template
	// and case databases; the fake counts tokens per request, not per
	// server), so they run side by side; the comparisons wait for all.
	var off, on, cautious *eval.Report
	t.Run("replays", func(t *testing.T) {
		for _, r := range []struct {
			name   string
			report **eval.Report
			extra  []string
		}{
			{"off", &off, nil},
			// The default routine set: every request the local model
			// serves with the same tools, the consequential ones too
			// (their safety is the tools' and the buyer's confirmation,
			// whichever brain proposes).
			{"on", &on, []string{"--route-local-first"}},
			// The cautious set leaves every proposal of an action to the
			// LLM.
			{"cautious", &cautious, []string{"--route-local-first", "--route-intents", "cautious"}},
		} {
			t.Run(r.name, func(t *testing.T) {
				t.Parallel()
				*r.report = replay(t, r.name, r.extra...)
			})
		}
	})
	if t.Failed() {
		return
	}

	offStatus := map[string]eval.Status{}
	for _, c := range off.Cases {
		offStatus[c.Key()] = c.Status
	}
	if off.Summary.Tokens == 0 {
		t.Fatal("routing off spent no tokens: the suites did not reach the fake LLM")
	}
	fewer := func(r *eval.Report) float64 { return 100 * (1 - float64(r.Summary.Tokens)/float64(off.Summary.Tokens)) }
	t.Logf("routing off: %d tokens, pass rate %.3f (%d cases)", off.Summary.Tokens, off.Summary.PassRate, off.Summary.Cases)
	t.Logf("routing on, default routine set: %d tokens (%.1f %% fewer), pass rate %.3f", on.Summary.Tokens, fewer(on), on.Summary.PassRate)
	t.Logf("routing on, cautious routine set: %d tokens (%.1f %% fewer), pass rate %.3f", cautious.Summary.Tokens, fewer(cautious), cautious.Summary.PassRate)
	for name, r := range map[string]*eval.Report{"default": on, "cautious": cautious} {
		var regressed []string
		for _, c := range r.Cases {
			if offStatus[c.Key()] == eval.StatusPass && c.Status != eval.StatusPass {
				regressed = append(regressed, c.Key())
			}
		}
		if len(regressed) > 0 {
			t.Errorf("routing on (%s set): cases that passed on the LLM alone fail: %s", name, strings.Join(regressed, ", "))
		}
	}
	// Where the tokens go, suite by suite, over every case (known gaps
	// too: the summary leaves each report's own out).
	offAll, onAll := suiteTokens(off), suiteTokens(on)
	t.Logf("routing on, default routine set, every case: %d of %d tokens (%.1f %% fewer)", onAll[""].tokens, offAll[""].tokens, saved(offAll[""], onAll[""]))
	for _, s := range slices.Sorted(maps.Keys(offAll)) {
		if s == "" {
			continue
		}
		t.Logf("  %-10s %3d cases: off %8d tokens, %3d pass; on %8d tokens (%5.1f %% fewer), %3d pass",
			s, offAll[s].cases, offAll[s].tokens, offAll[s].passed, onAll[s].tokens, saved(offAll[s], onAll[s]), onAll[s].passed)
	}
	// Issue 18 asks for 60 %. Routing saves 64.7 % on these 355 cases
	// (55.9 % counting the known gaps' tokens too): a card, a handoff or an
	// offer of a person the local model made no longer holds the buyer's
	// next message for the LLM (56.5 -> 57.7 %), nor does the LLM's topic
	// hold a new routine request the local model is sure of (-> 64.7 %).
	// Of the 1.53M tokens still sent over every case, 0.92M are turns the
	// local model reads with too little confidence (low_confidence), 0.31M
	// follow-ups to the LLM's answers to those (llm_topic), 0.20M requests
	// it does not serve (not_routine: out of scope, translation) and 0.10M
	// the LLM's own cards and handoffs; resolve3 and resolve4 spend 1.21M
	// of it (they save 41 and 32 %, every other suite but translate
	// 68-100 %).
	if fewer(on) < 62 {
		t.Errorf("routing on (default set) spent %d tokens, off %d: want at least 62 %% fewer", on.Summary.Tokens, off.Summary.Tokens)
	}
	if f := saved(offAll[""], onAll[""]); f < 53 {
		t.Errorf("routing on (default set), every case: %.1f %% fewer tokens, want at least 53 %%", f)
	}
	// The cautious set leaves refunds, cancellations and disputes to the
	// LLM, and they are most of the starter suites' LLM tokens (the resolve
	// suite is mostly partial refunds, refusals and pending actions); it
	// saved 28–29 % on 151, 211 and 283 cases, 27 % on 355 (21.6 % on
	// today's 355, 23.7 % with the local model's threads its own). The
	// floor follows the suites' mix.
	if fewer(cautious) < 20 {
		t.Errorf("routing on (cautious set) spent %d tokens, off %d: want at least 20 %% fewer", cautious.Summary.Tokens, off.Summary.Tokens)
	}
}

// suiteCount is a report's cases, passes and tokens in one suite.
type suiteCount struct{ cases, passed, tokens int }

// suiteTokens counts r's cases by suite, known gaps included, and in all
// under "".
func suiteTokens(r *eval.Report) map[string]suiteCount {
	out := map[string]suiteCount{}
	for _, c := range r.Cases {
		for _, s := range []string{c.Suite, ""} {
			n := out[s]
			n.cases++
			if c.Status == eval.StatusPass {
				n.passed++
			}
			for _, run := range c.Runs {
				n.tokens += run.Tokens
			}
			out[s] = n
		}
	}
	return out
}

// saved is how many fewer tokens on spent than off, in percent.
func saved(off, on suiteCount) float64 {
	if off.tokens == 0 {
		return 0
	}
	return 100 * (1 - float64(on.tokens)/float64(off.tokens))
}
