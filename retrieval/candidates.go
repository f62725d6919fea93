package retrieval

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// localeCandidates are the document versions a search may return chunks
// of, in one locale.
type localeCandidates struct {
	locale string
	keys   []int64
	// chunks is how many chunks the documents have, which decides between
	// an exact and an index search.
	chunks int
	// models are the embedding models the documents' chunks were made with
	// ("" for a document stored without chunks).
	models []string
}

// searchLocales are the locales a query may search: its own, then English.
func searchLocales(q Query) []string {
	if q.Locale == "en" {
		return []string{"en"}
	}
	return []string{q.Locale, "en"}
}

// queueCandidates queues the query for the documents q may see: for each
// document, the version in force at q.At, in q.Locale if there is one, else
// in English; the newest version whose effective date has come; never a
// retired one; only those for q's audience. They come grouped by locale, so
// that one row per locale crosses the wire however many documents there
// are.
func queueCandidates(b *pgx.Batch, q Query, out *[]localeCandidates) {
	audiences := []string{"buyer", "seller", "both"}
	if q.Audience == "buyer" {
		audiences = []string{"buyer", "both"}
	}
	b.Queue(`
		SELECT locale, array_agg(doc_key ORDER BY doc_key), sum(chunk_count)::int,
			array_agg(DISTINCT coalesce(embedding_model, ''))
		FROM (
			SELECT DISTINCT ON (doc_id) doc_key, locale, chunk_count, embedding_model
			FROM policy_documents
			WHERE locale = ANY($1) AND audience = ANY($2) AND effective_at <= $3::date AND retired_at IS NULL
			ORDER BY doc_id, locale = $4 DESC, version DESC
		) d
		GROUP BY locale
		ORDER BY locale = $4 DESC, locale`,
		searchLocales(q), audiences, q.At.UTC().Format(time.DateOnly), q.Locale).Query(func(rows pgx.Rows) error {
		var c localeCandidates
		_, err := pgx.ForEachRow(rows, []any{&c.locale, &c.keys, &c.chunks, &c.models}, func() error {
			*out = append(*out, c)
			return nil
		})
		return err
	})
}

// candidates runs queueCandidates' query on its own.
func candidates(ctx context.Context, tx pgx.Tx, q Query) ([]localeCandidates, error) {
	var cands []localeCandidates
	b := &pgx.Batch{}
	queueCandidates(b, q, &cands)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("search policies: %w", err)
	}
	return cands, nil
}

// queueLexemes queues the query for q's lexemes in each locale it may
// search, made by that locale's text-search configuration.
func queueLexemes(b *pgx.Batch, q Query, out map[string][]string) {
	var locales, cfgs, texts []string
	for _, l := range searchLocales(q) {
		locales = append(locales, l)
		cfgs = append(cfgs, textSearchConfig(l))
		texts = append(texts, ftsText(l, q.Text))
	}
	b.Queue(`
		SELECT s.locale, tsvector_to_array(to_tsvector(s.cfg::regconfig, s.txt))
		FROM unnest($1::text[], $2::text[], $3::text[]) AS s (locale, cfg, txt)`,
		locales, cfgs, texts).Query(func(rows pgx.Rows) error {
		var locale string
		var lexemes []string
		_, err := pgx.ForEachRow(rows, []any{&locale, &lexemes}, func() error {
			out[locale] = lexemes
			return nil
		})
		return err
	})
}

// checkModels refuses a search whose documents were embedded by another
// model than the query will be: a document written before its chunks
// existed (no model) has nothing to compare and is no obstacle.
func (s *Store) checkModels(cands []localeCandidates) error {
	var other []string
	for _, c := range cands {
		for _, m := range c.models {
			if m != "" && m != s.embedder.Model() && !slices.Contains(other, m) {
				other = append(other, m)
			}
		}
	}
	if len(other) > 0 {
		slices.Sort(other)
		return modelMismatch(s.embedder.Model(), other)
	}
	return nil
}
