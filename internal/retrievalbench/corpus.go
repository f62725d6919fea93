package retrievalbench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/csagent/csagent/retrieval"
)

// syntheticCorpus is the material synthetic chunks are made of: the
// sentences and headings of the demo policies, per locale, so term
// frequencies, lengths and scripts are those of real policies.
type syntheticCorpus struct {
	locales   []string
	sentences map[string][]string
	headings  map[string][]string
}

var sentenceEnd = regexp.MustCompile(`([.!?。])\s+`)

func newSyntheticCorpus() *syntheticCorpus {
	c := &syntheticCorpus{sentences: map[string][]string{}, headings: map[string][]string{}}
	docs, _ := retrieval.LoadDir(retrieval.DemoPolicies())
	sp := retrieval.NewSplitter()
	for _, d := range docs {
		if !slices.Contains(c.locales, d.Locale) {
			c.locales = append(c.locales, d.Locale)
		}
		chunks, _ := sp.Split(d.Title, d.Body)
		for _, ch := range chunks {
			c.headings[d.Locale] = append(c.headings[d.Locale], ch.Heading())
			text := sentenceEnd.ReplaceAllString(strings.ReplaceAll(ch.Text, "\n", " "), "$1\n")
			for s := range strings.SplitSeq(text, "\n") {
				if s = strings.TrimSpace(s); len(s) > 20 {
					c.sentences[d.Locale] = append(c.sentences[d.Locale], s)
				}
			}
		}
	}
	slices.Sort(c.locales)
	return c
}

// syntheticChunk is one row of the staging table.
type syntheticChunk struct {
	docKey        int64
	docID, locale string
	ordinal       int
	heading, text string
	form          retrieval.ChunkForm
	embedding     []float32
}

// chunksPerDoc shapes the synthetic corpus: documents of 25 chunks, each in
// every locale, so a query's locale and audience filters let through about a
// sixth of all chunks, as they would of a real multilingual corpus.
const chunksPerDoc = 25

// loadSynthetic writes size synthetic chunks and their documents.
func loadSynthetic(ctx context.Context, conn *pgx.Conn, emb retrieval.Embedder, c *syntheticCorpus, size int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, uint64(size)))
	ids := max(1, size/(chunksPerDoc*len(c.locales)))
	audiences := []string{"buyer", "seller", "both"}
	// Documents first, for their keys.
	var docIDs, locales, titles, auds []string
	var counts []int
	made := 0
	for i := 0; i < ids; i++ {
		for j, l := range c.locales {
			n := chunksPerDoc
			if i == ids-1 && j == len(c.locales)-1 {
				n = size - made // the last document takes the remainder
			}
			made += n
			docIDs = append(docIDs, fmt.Sprintf("synthetic-%05d", i))
			locales = append(locales, l)
			titles = append(titles, c.headings[l][rng.IntN(len(c.headings[l]))]+fmt.Sprintf(" %d", i))
			auds = append(auds, audiences[i%len(audiences)])
			counts = append(counts, n)
		}
	}
	rows, err := conn.Query(ctx, `
		INSERT INTO pg_temp.policy_documents (doc_id, locale, version, title, audience, effective_at, body, content_hash,
			embedding_model, index_hash, chunk_count)
		SELECT d, l, 1, t, a, date '2020-01-01', '', 'synthetic', $5, 'synthetic', n
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $6::int[]) AS u (d, l, t, a, n)
		RETURNING doc_key`, docIDs, locales, titles, auds, emb.Model(), counts)
	if err != nil {
		return fmt.Errorf("bench: insert synthetic documents: %w", err)
	}
	keys, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("bench: insert synthetic documents: %w", err)
	}

	chunks := make([]syntheticChunk, 0, size)
	for d := range docIDs {
		for o := 0; o < counts[d]; o++ {
			l := locales[d]
			var b strings.Builder
			for n := 3 + rng.IntN(4); n > 0; n-- {
				b.WriteString(c.sentences[l][rng.IntN(len(c.sentences[l]))])
				b.WriteString(" ")
			}
			ch := syntheticChunk{docKey: keys[d], docID: docIDs[d], locale: l, ordinal: o,
				heading: retrieval.JoinHeadings(titles[d], c.headings[l][rng.IntN(len(c.headings[l]))]),
				text:    strings.TrimSpace(b.String())}
			ch.form = retrieval.FormOf(l, ch.heading, ch.text)
			chunks = append(chunks, ch)
		}
	}
	if err := embedParallel(ctx, emb, chunks); err != nil {
		return err
	}
	src := pgx.CopyFromSlice(len(chunks), func(i int) ([]any, error) {
		ch := chunks[i]
		return []any{ch.docKey, ch.docID, ch.locale, 1, ch.ordinal, ch.heading, ch.text, pgvector.NewVector(ch.embedding), ch.form.Config,
			ch.form.Heading, ch.form.Text}, nil
	})
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"pg_temp", "bench_staging"},
		[]string{"doc_key", "doc_id", "locale", "version", "ordinal", "heading_path", "text", "embedding", "cfg", "fts_heading", "fts_text"}, src); err != nil {
		return fmt.Errorf("bench: copy synthetic chunks: %w", err)
	}
	// The tsvector is made by Postgres's own stemmers, so it cannot be
	// copied in; it is computed moving the rows from the staging table.
	_, err = conn.Exec(ctx, `
		INSERT INTO pg_temp.policy_chunks (doc_id, locale, version, doc_key, ordinal, heading_path, text, embedding, embedding_model, tsv)
		SELECT doc_id, locale, version, doc_key, ordinal, heading_path, text, embedding, $1,
			setweight(to_tsvector(cfg::regconfig, fts_heading), 'A') || to_tsvector(cfg::regconfig, fts_text)
		FROM pg_temp.bench_staging`, emb.Model())
	if err == nil {
		_, err = conn.Exec(ctx, `TRUNCATE pg_temp.bench_staging`)
	}
	if err != nil {
		return fmt.Errorf("bench: move synthetic chunks: %w", err)
	}
	return nil
}

// embedParallel embeds the chunks on every core.
func embedParallel(ctx context.Context, emb retrieval.Embedder, chunks []syntheticChunk) error {
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for start := w * 256; start < len(chunks); start += workers * 256 {
				batch := chunks[start:min(start+256, len(chunks))]
				texts := make([]string, len(batch))
				for i, ch := range batch {
					texts[i] = ch.form.EmbedText
				}
				vecs, err := emb.Embed(ctx, texts)
				if err == nil && len(vecs) != len(texts) {
					err = fmt.Errorf("%d vectors for %d texts", len(vecs), len(texts))
				}
				if err != nil {
					errs[w] = err
					return
				}
				for i := range batch {
					batch[i].embedding = vecs[i]
				}
			}
		}(w)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return fmt.Errorf("bench: embed synthetic chunks: %w", err)
		}
	}
	return nil
}
