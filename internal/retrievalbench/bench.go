// Package retrievalbench measures retrieval: quality on the labelled
// questions, and search latency and HNSW recall on synthetic corpora of
// up to a million chunks. It is an instrument, apart from the product:
// only cmd (`csagent bench retrieval`) and tests import it.
package retrievalbench

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	pgxvec "github.com/pgvector/pgvector-go/pgx"

	"github.com/csagent/csagent/retrieval"
)

// Options configures Run.
type Options struct {
	// Sizes are the numbers of synthetic chunks to measure search latency
	// at; default 10,000 and 100,000.
	Sizes []int
	// Queries is how many searches are timed per size and mode; default 300.
	Queries int
	// RecallQueries is how many queries measure the HNSW index's recall@10
	// against an exact scan; default 100.
	RecallQueries int
	// Seed makes the synthetic corpus repeatable; default 1.
	Seed uint64
	// Progress, when set, is told what the benchmark is doing.
	Progress func(string)
}

// Report is what Run measured.
type Report struct {
	// Quality is the labeled question set's recall and MRR per mode and
	// language, on the demo policies, with the local embedder.
	Quality retrieval.Report `json:"quality"`
	Sizes   []SizeBench      `json:"sizes"`
}

// SizeBench is latency and index recall at one corpus size.
type SizeBench struct {
	Chunks int `json:"chunks"`
	// Candidates is the mean number of chunks a query's filters (locale,
	// audience, version in force) let through.
	Candidates int `json:"candidates"`
	// VectorPath is how vector search ran with the store's settings:
	// "hnsw" (iterative index scan) or "exact" (every candidate compared,
	// chosen when the candidates are few).
	VectorPath string `json:"vector_path"`
	// IndexUsed reports whether the planner, left to itself, walks the
	// HNSW index for the index-path query (checked with EXPLAIN); on small
	// corpora it rightly sorts the candidates instead.
	IndexUsed bool `json:"index_used"`
	// RecallAt10 is the share of the exact top 10 that a search through
	// the HNSW index (forced, where the planner would sort) finds, with the
	// same filters.
	RecallAt10 float64         `json:"recall_at_10"`
	Load       time.Duration   `json:"load"`
	IndexBuild time.Duration   `json:"index_build"`
	Latency    []LatencyResult `json:"latency"`
}

// LatencyResult is the latency of one search mode: the whole of
// Store.Search, query embedding and round trips included.
type LatencyResult struct {
	Mode string        `json:"mode"`
	P50  time.Duration `json:"p50"`
	P99  time.Duration `json:"p99"`
	Mean time.Duration `json:"mean"`
}

// WriteText writes the report as text tables.
func (r Report) WriteText(w io.Writer) error {
	fmt.Fprintln(w, "retrieval quality (labeled questions, demo policies, local embedder):")
	if err := r.Quality.WriteTable(w); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nsearch latency (synthetic chunks, one connection):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "chunks\tcandidates\tmode\tp50\tp99\tmean\tvector path\tplanner uses HNSW\tHNSW recall@10\t")
	for _, s := range r.Sizes {
		for _, l := range s.Latency {
			fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%s\t%t\t%.3f\t\n", s.Chunks, s.Candidates, l.Mode,
				l.P50.Round(time.Microsecond), l.P99.Round(time.Microsecond), l.Mean.Round(time.Microsecond),
				s.VectorPath, s.IndexUsed, s.RecallAt10)
		}
	}
	return tw.Flush()
}

// Run measures retrieval on a connection of its own to the
// database behind pool, in temporary tables that shadow policy_documents
// and policy_chunks for that session only: the real policies are never
// touched, nothing is left behind, and the temporary tables are made LIKE
// the real ones, with the real tables' indexes, so the migrations stay the
// only definition of the schema. It evaluates the labeled questions on the
// demo policies, then fills each size of synthetic chunks (sentences of the
// demo policies reshuffled, bulk-loaded with COPY) and times searches and
// the HNSW index's recall. 100,000 chunks take about two minutes on two
// cores, most of it building the HNSW index.
func Run(ctx context.Context, pool *pgxpool.Pool, opts Options) (Report, error) {
	if len(opts.Sizes) == 0 {
		opts.Sizes = []int{10_000, 100_000}
	}
	if opts.Queries <= 0 {
		opts.Queries = 300
	}
	if opts.RecallQueries <= 0 {
		opts.RecallQueries = 100
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	progress := opts.Progress
	if progress == nil {
		progress = func(string) {}
	}
	var rep Report

	conn, err := pgx.ConnectConfig(ctx, pool.Config().ConnConfig.Copy())
	if err != nil {
		return rep, fmt.Errorf("bench: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	// A connection of its own gets none of the pool's AfterConnect.
	if err := pgxvec.RegisterTypes(ctx, conn); err != nil {
		return rep, fmt.Errorf("bench: register the vector type: %w", err)
	}
	indexDefs, err := scratchTables(ctx, conn)
	if err != nil {
		return rep, err
	}
	emb := retrieval.NewLocalEmbedder()
	store := retrieval.NewStore(conn, retrieval.WithEmbedder(emb))

	progress("evaluating the labeled questions on the demo policies")
	if err := createIndexes(ctx, conn, indexDefs); err != nil {
		return rep, err
	}
	sum, err := retrieval.NewIngester(store).IngestFS(ctx, retrieval.DemoPolicies(), retrieval.IngestOptions{})
	if err == nil && len(sum.Errors) > 0 {
		err = sum.Errors[0]
	}
	if err == nil {
		// Statistics as a running database has them; full-text search
		// reads them.
		_, err = conn.Exec(ctx, `ANALYZE pg_temp.policy_documents; ANALYZE pg_temp.policy_chunks`)
		store.ForgetStats()
	}
	if err != nil {
		return rep, fmt.Errorf("bench: ingest demo policies: %w", err)
	}
	qs, err := retrieval.LabeledQuestions()
	if err != nil {
		return rep, err
	}
	if rep.Quality, err = retrieval.Evaluate(ctx, store, qs); err != nil {
		return rep, err
	}

	corpus := newSyntheticCorpus()
	for _, size := range opts.Sizes {
		sb, err := benchSize(ctx, conn, store, emb, indexDefs, corpus, qs, size, opts, progress)
		if err != nil {
			return rep, err
		}
		rep.Sizes = append(rep.Sizes, sb)
	}
	return rep, nil
}

func benchSize(ctx context.Context, conn *pgx.Conn, store *retrieval.Store, emb retrieval.Embedder, indexDefs []string, corpus *syntheticCorpus,
	qs []retrieval.Question, size int, opts Options, progress func(string)) (SizeBench, error) {
	sb := SizeBench{Chunks: size}
	if _, err := conn.Exec(ctx, `TRUNCATE pg_temp.policy_chunks, pg_temp.policy_documents`); err != nil {
		return sb, err
	}
	if err := dropIndexes(ctx, conn); err != nil {
		return sb, fmt.Errorf("bench: %w", err)
	}
	progress(fmt.Sprintf("loading %d synthetic chunks", size))
	start := time.Now()
	if err := loadSynthetic(ctx, conn, emb, corpus, size, opts.Seed); err != nil {
		return sb, err
	}
	sb.Load = time.Since(start)
	progress(fmt.Sprintf("building indexes on %d chunks", size))
	start = time.Now()
	if err := createIndexes(ctx, conn, indexDefs); err != nil {
		return sb, err
	}
	sb.IndexBuild = time.Since(start)
	store.ForgetStats()

	queries := make([]retrieval.Query, opts.Queries)
	for i := range queries {
		q := qs[i*7%len(qs)]
		queries[i] = retrieval.Query{Text: q.Text, Locale: q.Locale, Audience: "buyer", K: retrieval.DefaultK}
	}
	var cands int
	for _, q := range queries {
		n, err := store.CountCandidates(ctx, q)
		if err != nil {
			return sb, err
		}
		cands += n
	}
	sb.Candidates = cands / len(queries)
	sb.VectorPath = "hnsw"
	if sb.Candidates < store.ExactSearchBelow() {
		sb.VectorPath = "exact"
	}

	progress(fmt.Sprintf("timing searches on %d chunks", size))
	for _, mode := range []retrieval.Mode{retrieval.Hybrid, retrieval.Vector, retrieval.FullText} {
		// A warm-up pass, so the timings are of a cache-warm server, as a
		// running one is.
		for _, q := range queries[:min(50, len(queries))] {
			q.Mode = mode
			if _, err := store.Search(ctx, q); err != nil {
				return sb, err
			}
		}
		lat := make([]time.Duration, 0, len(queries))
		for _, q := range queries {
			q.Mode = mode
			t := time.Now()
			if _, err := store.Search(ctx, q); err != nil {
				return sb, err
			}
			lat = append(lat, time.Since(t))
		}
		sb.Latency = append(sb.Latency, latencyOf(mode, lat))
	}

	progress(fmt.Sprintf("measuring HNSW recall@10 on %d chunks", size))
	ann := retrieval.NewStore(conn, retrieval.WithEmbedder(emb), retrieval.WithExactSearchBelow(0), retrieval.WithForcedIndex())
	exact := retrieval.NewStore(conn, retrieval.WithEmbedder(emb), retrieval.WithExactSearchBelow(math.MaxInt))
	var recall float64
	n := min(opts.RecallQueries, len(queries))
	for _, q := range queries[:n] {
		q.Mode, q.K = retrieval.Vector, 10
		got, err := ann.Search(ctx, q)
		if err != nil {
			return sb, err
		}
		want, err := exact.Search(ctx, q)
		if err != nil {
			return sb, err
		}
		recall += overlap(got, want)
	}
	sb.RecallAt10 = recall / float64(n)
	used, err := ann.PlansIndexScan(ctx, queries[0])
	if err != nil {
		return sb, err
	}
	sb.IndexUsed = used
	return sb, nil
}

func latencyOf(mode retrieval.Mode, lat []time.Duration) LatencyResult {
	slices.Sort(lat)
	var sum time.Duration
	for _, l := range lat {
		sum += l
	}
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(math.Ceil(p*float64(len(lat))))-1)] }
	return LatencyResult{Mode: mode.String(), P50: pct(0.50), P99: pct(0.99), Mean: sum / time.Duration(len(lat))}
}

// overlap is the share of want's chunks that got found too.
func overlap(got, want []retrieval.Hit) float64 {
	if len(want) == 0 {
		return 1
	}
	found := 0
	for _, w := range want {
		if slices.ContainsFunc(got, func(g retrieval.Hit) bool { return g.ChunkID == w.ChunkID }) {
			found++
		}
	}
	return float64(found) / float64(len(want))
}
