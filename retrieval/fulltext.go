package retrieval

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/csagent/csagent/tools"
)

// ftsSQL ranks the chunks that match a tsquery ($1) among the candidates
// ($2). The query is an OR of the question's lexemes (see tsqueryText).
//
// ts_rank counts how often the lexemes occur, heading words (weight A)
// twice as much as body words (D). On the English and Spanish questions this
// beat ts_rank_cd (cover density; MRR 0.53 and 0.54 against 0.72 and 0.76)
// and the default weights, which make A ten times D, so that every chunk of
// a document whose title holds a query word outranks the section that
// answers it.
//
// A GIN index finds matches but cannot rank them, so every match is
// fetched and ranked, at 2 to 3 µs each. pruneLexemes keeps the expected
// matches near ftsExpectedMatches, and the inner LIMIT ($3) bounds the work
// whatever the query: when even the rarest lexeme has more matches, an
// arbitrary ftsMaxMatches of them are ranked. That loses full-text recall
// on very large corpora (on the synthetic 100,000 chunks, made of the demo
// policies' few hundred sentences, it happens to most questions) for
// latency (hybrid p99 from 14 ms to under 10 ms there); the vector half of
// a hybrid search still sees every chunk, and on corpora the size of the
// demo policies it never happens. The candidates are checked on the
// matching rows against the hashed constant list: "doc_key + 0" keeps the
// planner from ANDing in a bitmap of the doc_key index, which cost 1.2 ms
// for 17,000 candidates.
const ftsSQL = `
	SELECT ` + rankedColumns + `
	FROM (
		SELECT id, doc_key, heading_path, text, ts_rank('{0.1, 0.2, 0.4, 0.2}', tsv, $1::tsquery) AS score
		FROM (
			SELECT id, doc_key, heading_path, text, tsv FROM policy_chunks
			WHERE tsv @@ $1::tsquery AND doc_key + 0 = ANY($2)
			LIMIT $3
		) matches
		ORDER BY score DESC, id
		LIMIT $4
	) c
	JOIN policy_documents d ON d.doc_key = c.doc_key
	ORDER BY c.score DESC, c.id`

// The full-text budget: how many chunks a query's lexemes may be expected
// to match, and how many matches are ranked at most (see ftsSQL).
const (
	ftsExpectedMatches = 400
	ftsMaxMatches      = 500
)

// tsqueryText ORs lexemes into tsquery input. A question is not a
// conjunction of keywords: requiring every word ("how", "long", "refund",
// "take") finds nothing. The lexemes are quoted, with quotes and
// backslashes doubled as tsquery's input syntax wants, and not parsed by
// to_tsquery, which would split a lexeme like "e-mail" again. It returns ""
// for no lexemes.
func tsqueryText(lexemes []string) string {
	var b strings.Builder
	for i, l := range lexemes {
		if i > 0 {
			b.WriteString(" | ")
		}
		b.WriteByte('\'')
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(l, `\`, `\\`), `'`, `''`))
		b.WriteByte('\'')
	}
	return b.String()
}

// pruneLexemes drops a query's most common lexemes while together they
// would match more than budget chunks, keeping the rarest one in any case.
//
// Ranking is the cost of full-text search, and a common word makes it
// large: about 14,000 matches, 40 ms, among 100,000 chunks. The most common
// words also carry the least information (the reason for IDF), and the
// vector half of a hybrid search still weighs them. The frequencies are
// those ANALYZE keeps for the tsv column; a lexeme it does not list is
// rare. Without statistics, or on a corpus the size of the demo policies,
// nothing is dropped. The result is sorted and free of duplicates.
func pruneLexemes(lexemes []string, st *lexemeStats, budget float64) []string {
	lexemes = slices.Clone(lexemes)
	slices.Sort(lexemes)
	lexemes = slices.Compact(lexemes)
	if st == nil || st.rows <= 0 || len(lexemes) < 2 {
		return lexemes
	}
	byFreq := slices.Clone(lexemes)
	slices.SortStableFunc(byFreq, func(a, b string) int { return cmp.Compare(st.freq[a], st.freq[b]) })
	expected := 0.0
	n := 0
	for i, l := range byFreq {
		expected += float64(st.freq[l]) * st.rows
		if i > 0 && expected > budget {
			break
		}
		n++
	}
	kept := byFreq[:n]
	slices.Sort(kept)
	return kept
}

// lexemeStats are the lexeme frequencies of policy_chunks.tsv as the last
// ANALYZE saw them: the share of chunks containing each common lexeme.
type lexemeStats struct {
	freq   map[string]float32
	rows   float64
	loaded time.Time
}

// statsTTL is how long lexeme statistics are reused; ANALYZE itself runs
// far less often.
const statsTTL = 5 * time.Minute

// statsCache keeps the lexeme statistics between searches. One search
// reloads them when they are old; the others meanwhile use the old ones.
type statsCache struct {
	mu  sync.Mutex
	cur atomic.Pointer[lexemeStats]
}

func (c *statsCache) get(ctx context.Context, db tools.DB) (*lexemeStats, error) {
	cur := c.cur.Load()
	if cur != nil && time.Since(cur.loaded) < statsTTL {
		return cur, nil
	}
	if !c.mu.TryLock() {
		return cur, nil
	}
	defer c.mu.Unlock()
	st, err := loadLexemeStats(ctx, db)
	if err != nil {
		return nil, err
	}
	c.cur.Store(st)
	return st, nil
}

// reset forgets the statistics, for a caller that has just run ANALYZE.
func (c *statsCache) reset() { c.cur.Store(nil) }

// loadLexemeStats reads the statistics of the policy_chunks the session
// sees (pg_stats is read rather than pg_statistic, which only superusers
// may read).
func loadLexemeStats(ctx context.Context, db tools.DB) (*lexemeStats, error) {
	st := &lexemeStats{freq: map[string]float32{}, loaded: time.Now()}
	var elems []string
	var freqs []float32
	err := db.QueryRow(ctx, `
		SELECT c.reltuples::float8, coalesce(s.most_common_elems::text::text[], '{}'), coalesce(s.most_common_elem_freqs, '{}')
		FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = 'tsv'
		WHERE c.oid = 'policy_chunks'::regclass`).Scan(&st.rows, &elems, &freqs)
	if err != nil {
		return nil, fmt.Errorf("read full-text statistics: %w", err)
	}
	// most_common_elem_freqs ends with three summary numbers after one
	// frequency per element.
	for i, e := range elems {
		if i < len(freqs) {
			st.freq[e] = freqs[i]
		}
	}
	return st, nil
}
