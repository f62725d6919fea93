package retrieval

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pgvector/pgvector-go"
	pgxvec "github.com/pgvector/pgvector-go/pgx"
)

// BenchOptions configures BenchRetrieval.
type BenchOptions struct {
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

// BenchReport is what BenchRetrieval measured.
type BenchReport struct {
	// Quality is the labeled question set's recall and MRR per mode and
	// language, on the demo policies, with the local embedder.
	Quality Report      `json:"quality"`
	Sizes   []SizeBench `json:"sizes"`
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
func (r BenchReport) WriteText(w io.Writer) error {
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

// BenchRetrieval measures retrieval on a connection of its own to the
// database behind pool, in temporary tables that shadow policy_documents
// and policy_chunks for that session only: the real policies are never
// touched, nothing is left behind, and the temporary tables are made LIKE
// the real ones, with the real tables' indexes, so the migrations stay the
// only definition of the schema. It evaluates the labeled questions on the
// demo policies, then fills each size of synthetic chunks (sentences of the
// demo policies reshuffled, bulk-loaded with COPY) and times searches and
// the HNSW index's recall. 100,000 chunks take about two minutes on two
// cores, most of it building the HNSW index.
func BenchRetrieval(ctx context.Context, pool *pgxpool.Pool, opts BenchOptions) (BenchReport, error) {
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
	var rep BenchReport

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
	store := NewStore(conn)

	progress("evaluating the labeled questions on the demo policies")
	if err := createIndexes(ctx, conn, indexDefs); err != nil {
		return rep, err
	}
	sum, err := NewIngester(store).IngestFS(ctx, DemoPolicies(), IngestOptions{})
	if err == nil && len(sum.Errors) > 0 {
		err = sum.Errors[0]
	}
	if err == nil {
		// Statistics as a running database has them; full-text search
		// reads them.
		_, err = conn.Exec(ctx, `ANALYZE pg_temp.policy_documents; ANALYZE pg_temp.policy_chunks`)
		store.stats.reset()
	}
	if err != nil {
		return rep, fmt.Errorf("bench: ingest demo policies: %w", err)
	}
	qs, err := LabeledQuestions()
	if err != nil {
		return rep, err
	}
	if rep.Quality, err = Evaluate(ctx, store, qs); err != nil {
		return rep, err
	}

	corpus := newSyntheticCorpus()
	for _, size := range opts.Sizes {
		sb, err := benchSize(ctx, conn, store, indexDefs, corpus, qs, size, opts, progress)
		if err != nil {
			return rep, err
		}
		rep.Sizes = append(rep.Sizes, sb)
	}
	return rep, nil
}

func benchSize(ctx context.Context, conn *pgx.Conn, store *Store, indexDefs []string, corpus *syntheticCorpus,
	qs []Question, size int, opts BenchOptions, progress func(string)) (SizeBench, error) {
	sb := SizeBench{Chunks: size}
	if _, err := conn.Exec(ctx, `TRUNCATE pg_temp.policy_chunks, pg_temp.policy_documents`); err != nil {
		return sb, err
	}
	if err := dropIndexes(ctx, conn); err != nil {
		return sb, fmt.Errorf("bench: %w", err)
	}
	progress(fmt.Sprintf("loading %d synthetic chunks", size))
	start := time.Now()
	if err := loadSynthetic(ctx, conn, store.embedder, corpus, size, opts.Seed); err != nil {
		return sb, err
	}
	sb.Load = time.Since(start)
	progress(fmt.Sprintf("building indexes on %d chunks", size))
	start = time.Now()
	if err := createIndexes(ctx, conn, indexDefs); err != nil {
		return sb, err
	}
	sb.IndexBuild = time.Since(start)
	store.stats.reset()

	queries := make([]Query, opts.Queries)
	for i := range queries {
		q := qs[i*7%len(qs)]
		queries[i] = Query{Text: q.Text, Locale: q.Locale, Audience: "buyer", K: DefaultK}
	}
	var cands int
	for _, q := range queries {
		n, err := candidateCount(ctx, conn, q)
		if err != nil {
			return sb, err
		}
		cands += n
	}
	sb.Candidates = cands / len(queries)
	sb.VectorPath = "hnsw"
	if sb.Candidates < store.exactBelow {
		sb.VectorPath = "exact"
	}

	progress(fmt.Sprintf("timing searches on %d chunks", size))
	for _, mode := range []Mode{Hybrid, Vector, FullText} {
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
	ann, exact := *store, *store
	ann.exactBelow, exact.exactBelow = 0, math.MaxInt
	ann.forceIndex = true
	var recall float64
	n := min(opts.RecallQueries, len(queries))
	for _, q := range queries[:n] {
		q.Mode, q.K = Vector, 10
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
	used, err := indexUsed(ctx, conn, &ann, queries[0])
	if err != nil {
		return sb, err
	}
	sb.IndexUsed = used
	return sb, nil
}

func latencyOf(mode Mode, lat []time.Duration) LatencyResult {
	slices.Sort(lat)
	var sum time.Duration
	for _, l := range lat {
		sum += l
	}
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(math.Ceil(p*float64(len(lat))))-1)] }
	return LatencyResult{Mode: mode.String(), P50: pct(0.50), P99: pct(0.99), Mean: sum / time.Duration(len(lat))}
}

// overlap is the share of want's chunks that got found too.
func overlap(got, want []Hit) float64 {
	if len(want) == 0 {
		return 1
	}
	found := 0
	for _, w := range want {
		if slices.ContainsFunc(got, func(g Hit) bool { return g.ChunkID == w.ChunkID }) {
			found++
		}
	}
	return float64(found) / float64(len(want))
}

// candidateCount is how many chunks q's filters let through.
func candidateCount(ctx context.Context, conn *pgx.Conn, q Query) (int, error) {
	q, err := normalizeQuery(q)
	if err != nil {
		return 0, err
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only
	cands, err := candidates(ctx, tx, q)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range cands {
		n += c.chunks
	}
	return n, nil
}

// indexUsed reports whether the planner walks the HNSW index for the
// index-path vector query of q, as Search would run it.
func indexUsed(ctx context.Context, conn *pgx.Conn, s *Store, q Query) (bool, error) {
	q, err := normalizeQuery(q)
	if err != nil {
		return false, err
	}
	vecs, err := embedAll(ctx, s.embedder, []string{q.Text})
	if err != nil {
		return false, err
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only
	cands, err := candidates(ctx, tx, q)
	if err != nil {
		return false, err
	}
	var keys []int64
	for _, c := range cands {
		if c.locale == q.Locale {
			keys = c.keys
		}
	}
	plan, err := explain(ctx, tx, s.annSQL(q.Locale), pgvector.NewVector(vecs[0]), keys, 24)
	if err != nil {
		return false, err
	}
	return strings.Contains(plan, "policy_chunks_embedding_local_"+q.Locale), nil
}

// explain returns the plan of sql with args, after the settings Search
// makes for an index scan.
func explain(ctx context.Context, tx pgx.Tx, sql string, args ...any) (string, error) {
	for _, set := range []string{`SET LOCAL hnsw.iterative_scan = relaxed_order`, `SET LOCAL hnsw.ef_search = 100`} {
		if _, err := tx.Exec(ctx, set); err != nil {
			return "", err
		}
	}
	rows, err := tx.Query(ctx, "EXPLAIN "+sql, args...)
	if err != nil {
		return "", err
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return strings.Join(lines, "\n"), err
}
