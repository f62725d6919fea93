package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/csagent/csagent/internal/fakellm"
)

// adminURL is the server the bench creates its databases on; like every
// test that needs Postgres, these fail rather than skip without it.
func adminURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("DATABASE_URL")
	if u == "" {
		t.Fatal("DATABASE_URL is not set: the bench tests need PostgreSQL (source /tmp/env.sh or run scripts/test.sh)")
	}
	return u
}

// scratchDatabases returns the scratch databases a bench named on its
// stderr. The test checks only those: another test binary sharing the
// server may have a bench of its own running.
func scratchDatabases(t *testing.T, stderr string) []string {
	t.Helper()
	var names []string
	for _, line := range strings.Split(stderr, "\n") {
		if rest, ok := strings.CutPrefix(line, "csagent bench: scratch database "); ok {
			names = append(names, strings.SplitN(rest, ",", 2)[0])
		}
	}
	if len(names) == 0 {
		t.Fatalf("the bench named no scratch database on stderr:\n%s", stderr)
	}
	return names
}

// assertDropped fails the test for each named database still on the server.
func assertDropped(t *testing.T, admin string, names []string) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for _, name := range names {
		var n int
		if err := conn.QueryRow(t.Context(), "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("database %s is still there after the bench", name)
		}
	}
}

// TestBenchTurn runs bench turn at a tiny size and checks what it reports
// adds up: every turn answered, a tool call in each, the JSON written and
// the bench database gone afterwards. It never looks at the timings.
func TestBenchTurn(t *testing.T) {
	t.Parallel()
	admin := adminURL(t)
	var stderr syncBuffer
	out := filepath.Join(t.TempDir(), "turn.json")
	var stdout bytes.Buffer
	args := []string{"csagent", "bench", "turn", "--turns", "6", "--concurrency", "3", "--stream-turns", "2", "--stream-tokens-per-second", "2000", "--out", out}
	if err := run(t.Context(), args, testEnv("DATABASE_URL", admin), nil, &stdout, &stderr); err != nil {
		t.Fatalf("bench turn: %v\n%s", err, stdout.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep turnReport
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("the JSON does not decode: %v\n%s", err, b)
	}
	if rep.Errors != 0 {
		t.Errorf("errors = %d %v, want 0", rep.Errors, rep.ErrorSample)
	}
	if rep.Latency.Turns != 6 || rep.Latency.Turn.N != 6 || rep.Latency.Overhead.N != 6 {
		t.Errorf("latency run counted %d turns (%d timed), want 6", rep.Latency.Turns, rep.Latency.Turn.N)
	}
	// The autopilot calls one tool, then answers: two model calls a turn,
	// and a third when the guardrails ask for a new draft.
	if m := rep.Latency.ModelCallsPerTurn; m < 2 || m > 3 || rep.Latency.ToolFramesPerTurn < 1 {
		t.Errorf("%.2f model calls and %.2f tool frames per turn, want 2 to 3 and at least 1", m, rep.Latency.ToolFramesPerTurn)
	}
	for _, k := range []string{"before_model", "between_models", "after_model"} {
		if rep.Latency.Steps[k].N != 6 {
			t.Errorf("step %s has %d samples, want 6", k, rep.Latency.Steps[k].N)
		}
	}
	if rep.Throughput.Turns != 6 || rep.Throughput.Concurrency != 3 || rep.Throughput.TurnsPerSecond <= 0 {
		t.Errorf("throughput = %+v, want 6 turns at concurrency 3", rep.Throughput)
	}
	if rep.Streaming.Turns != 2 || rep.Streaming.UpstreamDeltas < 1 || rep.Streaming.AddedFirstText.N != 2 {
		t.Errorf("streaming = %+v, want 2 turns with upstream deltas", rep.Streaming)
	}
	verdicts := 0
	for _, n := range rep.Guardrail {
		verdicts += n
	}
	if verdicts != 6+6+2 {
		t.Errorf("guardrail verdicts %v add up to %d, want one per measured turn (14)", rep.Guardrail, verdicts)
	}
	for _, want := range []string{"server overhead", "turns/s", "errors: 0"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("the table lacks %q:\n%s", want, stdout.String())
		}
	}
	assertDropped(t, admin, scratchDatabases(t, stderr.String()))
}

// TestMain runs csagent itself when the test binary is bench turn
// --server-process's child: in `go test` the binary bench turn starts is
// this one.
func TestMain(m *testing.M) {
	if os.Getenv(childServerEnv) != "" {
		main()
		return
	}
	os.Exit(m.Run())
}

// TestBenchTurnServerProcess runs bench turn with the server in a process
// of its own: the turns are answered, the counters are the child's (the
// pool's acquires come from it, and its allocations are counted), and the
// child writes its profiles and exits.
func TestBenchTurnServerProcess(t *testing.T) {
	t.Parallel()
	admin := adminURL(t)
	var stderr syncBuffer
	dir := t.TempDir()
	out, cpu, mem := filepath.Join(dir, "turn.json"), filepath.Join(dir, "cpu.out"), filepath.Join(dir, "mem.out")
	var stdout bytes.Buffer
	args := []string{"csagent", "bench", "turn", "--server-process", "--mix", "order", "--turns", "4", "--concurrency", "2", "--stream-turns", "0",
		"--cpuprofile", cpu, "--memprofile", mem, "--out", out}
	if err := run(t.Context(), args, testEnv("DATABASE_URL", admin), nil, &stdout, &stderr); err != nil {
		t.Fatalf("bench turn --server-process: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep turnReport
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("the JSON does not decode: %v\n%s", err, b)
	}
	if rep.Errors != 0 || rep.Latency.Turns != 4 || rep.Throughput.Turns != 4 {
		t.Errorf("errors %d %v, %d and %d turns, want 0 errors and 4 turns each", rep.Errors, rep.ErrorSample, rep.Latency.Turns, rep.Throughput.Turns)
	}
	if !strings.Contains(rep.Latency.Measured, "server alone") || !strings.Contains(stdout.String(), "server alone") {
		t.Errorf("measured %q, want the server alone named in the JSON and the table", rep.Latency.Measured)
	}
	if rep.Latency.AllocsPerTurn <= 0 || rep.Throughput.AllocsPerTurn <= 0 {
		t.Errorf("allocations per turn %v and %v, want the child's counted", rep.Latency.AllocsPerTurn, rep.Throughput.AllocsPerTurn)
	}
	// The rest of the machine: the bench process's own CPU is there with
	// the server in another process, and the backends' where /proc shows
	// them (Postgres on this machine, as in CI).
	if tp := rep.Throughput; tp.Bench == nil || *tp.Bench <= 0 || tp.Postgres == nil || *tp.Postgres < 0 {
		t.Errorf("throughput CPU split: bench %v, Postgres %v, want both measured", tp.Bench, tp.Postgres)
	}
	if p := rep.Throughput.Pool; p == nil || p.Acquires < 4 || p.CommitsPerTurn <= 0 {
		t.Errorf("pool = %+v, want the child's acquires and the database's commits", p)
	}
	for _, f := range []string{cpu, mem} {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Errorf("profile %s: %v, want one written by the child", f, err)
		}
	}
	assertDropped(t, admin, scratchDatabases(t, stderr.String()))
}

func TestBenchTurnRefusesBadSizes(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--turns", "0"}, {"--concurrency", "0"}, {"--stream-tokens-per-second", "0"}} {
		err := run(t.Context(), append([]string{"csagent", "bench", "turn"}, args...), testEnv("DATABASE_URL", "postgres://x@127.0.0.1:1/x"), nil, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "must be") {
			t.Errorf("bench turn %q = %v, want a usage error", args, err)
		}
	}
}

// BenchmarkChatTurnWebsocket is a buyer's turn over a real websocket,
// through the server serve wires, against the zero-latency fake, one at a
// time: for `go test -bench ChatTurn -cpuprofile` when bench turn's figures
// need explaining. Allocations count the client and the fake too.
func BenchmarkChatTurnWebsocket(b *testing.B) {
	admin := os.Getenv("DATABASE_URL")
	if admin == "" {
		b.Fatal("DATABASE_URL is not set")
	}
	srv, err := startBenchServer(b.Context(), testEnv("DATABASE_URL", admin), io.Discard, fakellm.Options{}, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.close)
	buyers := demoBuyers()
	clients := make([]*benchClient, len(buyers))
	for i, by := range buyers {
		if clients[i], err = dialBench(b.Context(), srv.wsURL, srv.mint, by.id); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(clients[i].close)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := i % len(buyers)
		ref := "b" + strconv.Itoa(i)
		tr, err := clients[k].turn(b.Context(), ref, buyerMessage(buyers[k], i/len(buyers))+refTag(ref))
		if err != nil {
			b.Fatal(err)
		}
		if tr.toolFrames == 0 {
			b.Fatalf("turn %d ran no tool", i)
		}
	}
}
