package retrievalbench_test

import (
	"flag"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/csagent/csagent/internal/retrievalbench"
	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/retrieval"
)

// TestRunSmall runs the benchmark at a size a test can afford,
// to check that it works and leaves the real tables alone.
func TestRunSmall(t *testing.T) {
	pool := pgtest.New(t)
	var steps []string
	rep, err := retrievalbench.Run(t.Context(), pool, retrievalbench.Options{
		Sizes: []int{2500}, Queries: 20, RecallQueries: 5,
		Progress: func(s string) { steps = append(steps, s) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if row, ok := rep.Quality.Row(retrieval.Hybrid, "all"); !ok || row.Questions < 160 || row.RecallAt5 < 0.5 {
		t.Errorf("quality = %+v", rep.Quality)
	}
	if len(rep.Sizes) != 1 {
		t.Fatalf("sizes = %+v", rep.Sizes)
	}
	sb := rep.Sizes[0]
	if sb.Chunks != 2500 || sb.Candidates == 0 || len(sb.Latency) != 3 || sb.Latency[0].P50 <= 0 || sb.RecallAt10 <= 0 {
		t.Errorf("size report = %+v", sb)
	}
	if len(steps) < 4 {
		t.Errorf("progress = %q", steps)
	}
	var n int
	if err := pool.QueryRow(t.Context(), `SELECT (SELECT count(*) FROM policy_documents) + (SELECT count(*) FROM policy_chunks)`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("the benchmark left %d rows in the real policy tables", n)
	}
	var out strings.Builder
	if err := rep.WriteText(&out); err != nil || !strings.Contains(out.String(), "HNSW recall@10") {
		t.Errorf("WriteText = %v, %q", err, out.String())
	}
}

var benchSizes = flag.String("retrieval-sizes", "10000,100000", "chunk counts for BenchmarkRetrieval")

// BenchmarkRetrieval runs the full retrieval benchmark, as `csagent bench
// retrieval` does, and prints its report:
//
//	go test ./internal/retrievalbench -run '^$' -bench Retrieval -benchtime 1x -timeout 20m
func BenchmarkRetrieval(b *testing.B) {
	var sizes []int
	for f := range strings.SplitSeq(*benchSizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			b.Fatalf("-retrieval-sizes: %v", err)
		}
		sizes = append(sizes, n)
	}
	pool := pgtest.New(b)
	for b.Loop() {
		rep, err := retrievalbench.Run(b.Context(), pool, retrievalbench.Options{
			Sizes:    sizes,
			Progress: func(s string) { b.Log(s) },
		})
		if err != nil {
			b.Fatal(err)
		}
		if err := rep.WriteText(os.Stdout); err != nil {
			b.Fatal(err)
		}
	}
}
