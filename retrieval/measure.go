package retrieval

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"
)

// What the retrieval benchmark (internal/retrievalbench) needs to see of a
// Store beyond searching: how it would run a query, and the form it keeps
// chunks in, so a bulk load of synthetic chunks matches what PutDocument
// writes.

// WithExactSearchBelow makes vector search compare every candidate chunk
// when a locale has fewer than n of them, instead of walking the HNSW
// graph; the default is 2,000. 0 always walks the graph where there is
// one.
func WithExactSearchBelow(n int) StoreOption { return func(s *Store) { s.exactBelow = n } }

// WithForcedIndex makes vector searches that walk the HNSW graph do so even
// where the planner would sort the candidates instead, so the benchmark can
// measure the index's recall on any corpus.
func WithForcedIndex() StoreOption { return func(s *Store) { s.forceIndex = true } }

// ExactSearchBelow returns the number of candidate chunks under which the
// store's vector search compares every one (see WithExactSearchBelow).
func (s *Store) ExactSearchBelow() int { return s.exactBelow }

// ForgetStats drops the store's cached full-text statistics, for a caller
// that has just loaded chunks and run ANALYZE: the next search reads them
// again.
func (s *Store) ForgetStats() { s.stats.reset() }

// CountCandidates returns how many chunks q's filters (locale, audience,
// version in force) let through.
func (s *Store) CountCandidates(ctx context.Context, q Query) (int, error) {
	q, err := normalizeQuery(q)
	if err != nil {
		return 0, err
	}
	tx, err := s.db.Begin(ctx)
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

// PlansIndexScan reports whether the planner walks the HNSW index for the
// index-path vector query of q, as Search would run it (checked with
// EXPLAIN).
func (s *Store) PlansIndexScan(ctx context.Context, q Query) (bool, error) {
	q, err := normalizeQuery(q)
	if err != nil {
		return false, err
	}
	vecs, err := embedAll(ctx, s.embedder, []string{q.Text})
	if err != nil {
		return false, err
	}
	tx, err := s.db.Begin(ctx)
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

// ChunkForm is what the store keeps of a chunk besides its text.
type ChunkForm struct {
	// EmbedText is the text the chunk's embedding is made from.
	EmbedText string
	// Config is the text-search configuration of the chunk's locale.
	Config string
	// Heading and Text are the heading path and the text prepared for
	// to_tsvector in Config; the heading is weighted A.
	Heading, Text string
}

// FormOf returns the form in which a chunk of locale, with headingPath and
// text, is stored, for a bulk load that writes chunks itself.
func FormOf(locale, headingPath, text string) ChunkForm {
	return ChunkForm{
		EmbedText: embedInput(headingPath, text),
		Config:    textSearchConfig(locale),
		Heading:   ftsText(locale, headingPath),
		Text:      ftsText(locale, text),
	}
}

// JoinHeadings joins headings into a heading path, as the splitter does.
func JoinHeadings(headings ...string) string { return strings.Join(headings, headingSeparator) }
