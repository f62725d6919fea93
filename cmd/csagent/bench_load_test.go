package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/migrations/pgtest"
)

// checkLoadReport reads bench load's JSON and checks that its counts add
// up and nothing failed; timings are never asserted.
func checkLoadReport(t *testing.T, path string, idle, buyers int) loadReport {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep loadReport
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("the JSON does not decode: %v\n%s", err, b)
	}
	if rep.Errors != 0 {
		t.Errorf("errors = %d %v, want 0", rep.Errors, rep.ErrorSample)
	}
	if rep.Idle.Requested != idle || rep.Idle.Open != idle || rep.Idle.OpenAtEnd != idle {
		t.Errorf("idle = %+v, want %d requested, open and still open at the end", rep.Idle, idle)
	}
	if rep.Idle.GoroutinesPer <= 0 {
		t.Errorf("server goroutines per idle connection = %v, want a positive count", rep.Idle.GoroutinesPer)
	}
	c := rep.Chat
	if c.Buyers != buyers || c.Turns < buyers || c.Turn.N != c.Turns || c.Upstream.N != c.Turns || c.Added.N != c.Turns {
		t.Errorf("chat = %+v, want every one of %d buyers to finish turns, each timed", c, buyers)
	}
	verdicts := 0
	for _, n := range rep.Guardrail {
		verdicts += n
	}
	if verdicts != c.Turns {
		t.Errorf("guardrail verdicts %v add up to %d, want one per turn (%d)", rep.Guardrail, verdicts, c.Turns)
	}
	return rep
}

func TestBenchLoad(t *testing.T) {
	// Not t.Parallel: every chatting buyer must finish turns within the
	// bench's wall-clock duration (1.5 s), so it runs alone.
	admin := adminURL(t)
	var stderr syncBuffer
	out := filepath.Join(t.TempDir(), "load.json")
	var stdout bytes.Buffer
	args := []string{"csagent", "bench", "load", "--idle", "30", "--chatting", "4", "--duration", "1500ms",
		"--ttft", "10ms", "--tokens-per-second", "2000", "--out", out}
	if err := run(t.Context(), args, testEnv("DATABASE_URL", admin), nil, &stdout, &stderr); err != nil {
		t.Fatalf("bench load: %v\n%s", err, stdout.String())
	}
	rep := checkLoadReport(t, out, 30, 4)
	if !strings.Contains(rep.Conditions.Limits, "raised for the bench") || !strings.Contains(stdout.String(), "errors: 0") {
		t.Errorf("the output does not say the limits were raised, or lacks the error count:\n%s", stdout.String())
	}
	assertDropped(t, admin, scratchDatabases(t, stderr.String()))
}

// TestBenchLoadAgainstTarget loads a server started by run serve, as the
// README's two-process recipe does, with the fake model served by the
// bench.
func TestBenchLoadAgainstTarget(t *testing.T) {
	// Not t.Parallel: every chatting buyer must finish turns within the
	// bench's wall-clock duration (1.5 s), so it runs alone.
	_, dbURL := pgtest.NewWithURL(t)
	fakeAddr := freeAddr(t)
	getenv := testEnv("DATABASE_URL", dbURL, "CSAGENT_AUTH_SECRET", testSecret)
	if err := run(t.Context(), []string{"csagent", "seed", "--demo"}, getenv, nil, io.Discard, io.Discard); err != nil {
		t.Fatalf("seed: %v", err)
	}
	addr, admin := freeAddr(t), freeAddr(t)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"csagent", "serve", "--addr", addr, "--admin-addr", admin, "--log-level", "error",
			"--chat-conversations-per-hour", "1000000", "--chat-conversation-burst", "1000",
			"--llm-base-url", "http://" + fakeAddr + "/v1", "--llm-model", "fake-model",
			"--chat-messages-per-minute", "100000", "--chat-connections-per-buyer", "1000"}, getenv, nil, io.Discard, io.Discard)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
	})
	waitHealthy(t, "http://"+addr, done)

	out := filepath.Join(t.TempDir(), "load.json")
	var stdout bytes.Buffer
	args := []string{"csagent", "bench", "load", "--target", "http://" + addr, "--target-admin", "http://" + admin, "--fake-addr", fakeAddr,
		"--idle", "20", "--chatting", "3", "--duration", "1500ms", "--ttft", "10ms", "--tokens-per-second", "2000", "--out", out}
	if err := run(t.Context(), args, getenv, nil, &stdout, io.Discard); err != nil {
		t.Fatalf("bench load --target: %v\n%s", err, stdout.String())
	}
	rep := checkLoadReport(t, out, 20, 3)
	if !strings.Contains(rep.Idle.MemoryScope, "target") {
		t.Errorf("memory scope = %q, want the target's", rep.Idle.MemoryScope)
	}
}

func TestBenchLoadRefusesBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		env  []string
		want string
	}{
		{[]string{"--duration", "0s"}, nil, "must be"},
		{[]string{"--idle", "-1"}, nil, "must be"},
		{[]string{"--target", "http://127.0.0.1:1", "--idle", "0"}, nil, "CSAGENT_AUTH_SECRET"},
		{[]string{"--target", "ftp://x"}, []string{"CSAGENT_AUTH_SECRET", testSecret}, "http://"},
	}
	for _, tt := range tests {
		err := run(t.Context(), append([]string{"csagent", "bench", "load"}, tt.args...), testEnv(tt.env...), nil, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("bench load %q = %v, want an error mentioning %q", tt.args, err, tt.want)
		}
	}
}
