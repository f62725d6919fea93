package retrieval

import (
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/csagent/csagent/migrations/pgtest"
)

// Each stored chunk's vector is exactly what the embedder made of it, and it
// comes back from Postgres in pgvector's binary form.
func TestChunkVectorsAreStoredAsEmbedded(t *testing.T) {
	pool := pgtest.New(t)
	s := NewStore(pool)
	doc, err := ParseDocument("refunds.md", []byte("---\nid: refunds\ntitle: Refunds\nlocale: en\nversion: 1\neffective: 2026-01-01\naudience: both\n---\n# Refunds\n\n## Window\n\nRefunds are possible within 30 days of delivery.\n\n## Shipping\n\nReturn shipping is free for damaged items.\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutDocument(t.Context(), doc); err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(t.Context(), `SELECT heading_path, text, embedding FROM policy_chunks ORDER BY ordinal`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		if f := rows.FieldDescriptions()[2].Format; f != pgx.BinaryFormatCode {
			t.Errorf("embedding came back in format %d, want binary", f)
		}
		var heading, text string
		var got pgvector.Vector
		if err := rows.Scan(&heading, &text, &got); err != nil {
			t.Fatal(err)
		}
		want, err := s.embedder.Embed(t.Context(), []string{embedInput(heading, text)})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Slice(), want[0]) {
			t.Errorf("stored vector of %q differs from its embedding", heading)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 2 {
		t.Fatalf("%d chunks stored, want at least 2", n)
	}
	hits, err := s.Search(t.Context(), Query{Text: "free return shipping damaged", Locale: "en", Mode: Vector})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 {
		t.Fatal("vector search found nothing")
	}
}
