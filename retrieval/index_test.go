package retrieval

import (
	"strings"
	"testing"

	"github.com/pgvector/pgvector-go"

	"github.com/csagent/csagent/migrations/pgtest"
)

// The vector query must be one the planner can answer from the HNSW index
// of migration 00004: the same expression, the model and the locale as
// literals. On a test-sized table the planner rightly prefers sorting, so
// sorting is switched off to ask whether the index fits at all.
func TestANNQueryCanUseTheIndex(t *testing.T) {
	pool := pgtest.New(t)
	s := NewStore(pool)
	vecs, err := s.embedder.Embed(t.Context(), []string{"refund window"})
	if err != nil {
		t.Fatal(err)
	}
	for _, locale := range []string{"en", "ko", "es", "ru"} {
		tx, err := pool.Begin(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(t.Context(), `SET LOCAL enable_sort = off`); err != nil {
			t.Fatal(err)
		}
		plan, err := explain(t.Context(), tx, s.annSQL(locale), pgvector.NewVector(vecs[0]), []int64{1, 2}, 24)
		_ = tx.Rollback(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(plan, "Index Scan using policy_chunks_embedding_local_"+locale) {
			t.Errorf("plan of the %s vector query does not use its HNSW index:\n%s", locale, plan)
		}
	}
}
