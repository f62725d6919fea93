package retrieval

import (
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"
)

// queueVector queues the vector ranking: per locale, since each locale has
// its own HNSW graph (see migration 00004), an index search where there
// are many candidates and an exact one where there are few. Rows come back
// with cosine distances as scores.
func (s *Store) queueVector(b *pgx.Batch, cands []localeCandidates, query []float32, depth int, out *[]ranked) {
	qvec := pgvector.NewVector(query)
	iterative := false
	for _, c := range cands {
		if c.chunks < s.exactBelow || !localePattern.MatchString(c.locale) {
			b.Queue(s.exactSQL(), qvec, c.keys, depth).Query(scanRanked(out))
			continue
		}
		if !iterative {
			// Iterative scans keep walking the graph until depth rows pass
			// the filters, so a filter that rejects most chunks cannot
			// starve the result; relaxed order is re-sorted by the caller.
			b.Queue(`SET LOCAL hnsw.iterative_scan = relaxed_order`)
			b.Queue(fmt.Sprintf(`SET LOCAL hnsw.ef_search = %d`, max(s.efSearch, depth)))
			if s.forceIndex {
				b.Queue(`SET LOCAL enable_sort = off`)
			}
			iterative = true
		}
		b.Queue(s.annSQL(c.locale), qvec, c.keys, depth).Query(scanRanked(out))
	}
}

// annSQL walks the HNSW index of the store's model and locale. The ORDER
// BY must be the index's expression, embedding::vector(dims), and the model
// and the locale literals, so the planner can match the partial index of
// migration 00004; checkEmbedder and the caller's locale check make sure
// neither can break out of its quotes. The filter on doc_key is evaluated
// on each row the index yields; with a custom plan its list is a constant,
// which Postgres probes through a hash table.
func (s *Store) annSQL(locale string) string {
	return fmt.Sprintf(`
		SELECT `+rankedColumns+`
		FROM (
			SELECT id, doc_key, heading_path, text, embedding::vector(%[1]d) <=> $1::vector(%[1]d) AS score
			FROM policy_chunks
			WHERE embedding_model = '%[2]s' AND locale = '%[3]s' AND doc_key = ANY($2)
			ORDER BY embedding::vector(%[1]d) <=> $1::vector(%[1]d)
			LIMIT $3
		) c
		JOIN policy_documents d ON d.doc_key = c.doc_key`, s.embedder.Dims(), s.embedder.Model(), locale)
}

// exactSQL compares the query with every candidate chunk: ordering by an
// expression the index is not built on keeps the planner from using it, so
// a small filtered set is found exactly, through the doc_key index.
func (s *Store) exactSQL() string {
	return fmt.Sprintf(`
		SELECT `+rankedColumns+`
		FROM (
			SELECT id, doc_key, heading_path, text, embedding <=> $1::vector AS score
			FROM policy_chunks
			WHERE embedding_model = '%s' AND doc_key = ANY($2)
			ORDER BY 5, id
			LIMIT $3
		) c
		JOIN policy_documents d ON d.doc_key = c.doc_key`, s.embedder.Model())
}
