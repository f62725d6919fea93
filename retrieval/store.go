package retrieval

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/csagent/csagent/tools"
)

// ErrNotFound is returned for a document that is not stored.
var ErrNotFound = errors.New("policy document not found")

// Store keeps policy documents and their chunks in Postgres and searches
// them. It splits and embeds the documents it stores with its Splitter and
// Embedder, and embeds queries with the same Embedder.
type Store struct {
	db       tools.DB
	embedder Embedder
	splitter *Splitter
	// exactBelow is the number of candidate chunks under which vector
	// search compares every one instead of walking the HNSW graph.
	exactBelow int
	// efSearch is hnsw.ef_search for vector searches.
	efSearch int
	// forceIndex makes index-path vector searches use the HNSW index even
	// where the planner would sort, so the benchmark can measure the
	// index's recall on any corpus.
	forceIndex bool
	// stats are the full-text lexeme statistics, shared by copies.
	stats *statsCache
}

// StoreOption configures a Store.
type StoreOption func(*Store)

// WithEmbedder makes the store embed chunks and queries with e instead of
// the built-in LocalEmbedder.
func WithEmbedder(e Embedder) StoreOption { return func(s *Store) { s.embedder = e } }

// NewStore returns a Store on db (a pool, a connection or a transaction, in
// which Begin opens a savepoint) that embeds with the built-in
// LocalEmbedder unless an option says otherwise. It panics if the
// embedder's model name could not be used in SQL (see checkEmbedder):
// that is a programming error, not a run-time condition.
func NewStore(db tools.DB, opts ...StoreOption) *Store {
	s := &Store{db: db, splitter: NewSplitter(), exactBelow: 2000, efSearch: 100, stats: &statsCache{}}
	for _, o := range opts {
		o(s)
	}
	if s.embedder == nil {
		s.embedder = NewLocalEmbedder()
	}
	if err := checkEmbedder(s.embedder); err != nil {
		panic("retrieval: " + err.Error())
	}
	return s
}

// PutDocument splits, embeds and stores d with its chunks, in one
// transaction, unless the same version is already stored with the same
// content, chunking and embedding model. It reports whether anything was
// written. A retired version that is put again is in force again.
func (s *Store) PutDocument(ctx context.Context, d Document) (bool, error) {
	r, err := s.put(ctx, d)
	return r.written, err
}

// putResult is what storing one document did.
type putResult struct {
	written bool
	// created says the version was not stored before (a new document or
	// a new version), rather than stored with other content.
	created        bool
	added, removed int
}

// put stores d: the cheap unchanged check first, so an unchanged document
// costs one query and no embedding (which may be a paid API call), then the
// split, the embedding and the write.
func (s *Store) put(ctx context.Context, d Document) (putResult, error) {
	ih := s.indexHash(d)
	var stored string
	err := s.db.QueryRow(ctx, `
		SELECT coalesce(index_hash, '') FROM policy_documents
		WHERE doc_id = $1 AND locale = $2 AND version = $3 AND retired_at IS NULL`,
		d.ID, d.Locale, d.Version).Scan(&stored)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return putResult{}, fmt.Errorf("look up policy %s: %w", docName(d), err)
	}
	if stored == ih {
		return putResult{}, nil
	}
	chunks, err := s.split(d)
	if err != nil {
		return putResult{}, err
	}
	inputs := make([]string, len(chunks))
	for i, c := range chunks {
		inputs[i] = embedInput(c.HeadingPath, c.Text)
	}
	vecs, err := embedAll(ctx, s.embedder, inputs)
	if err != nil {
		return putResult{}, fmt.Errorf("policy %s: %w", docName(d), err)
	}
	return s.write(ctx, d, ih, chunks, vecs)
}

// split cuts d into chunks; a plain-text document has no headings, so it is
// one section under its title.
func (s *Store) split(d Document) ([]Chunk, error) {
	var chunks []Chunk
	var err error
	if d.format() == FormatText {
		chunks, err = s.splitter.SplitPlain(d.Title, d.Body)
	} else {
		chunks, err = s.splitter.Split(d.Title, d.Body)
	}
	if err != nil {
		return nil, fmt.Errorf("split policy %s: %w", docName(d), err)
	}
	if len(chunks) == 0 {
		return nil, fmt.Errorf("policy %s: no text to index", docName(d))
	}
	return chunks, nil
}

// write replaces the document's row and all its chunks in one transaction:
// a concurrent search sees the old chunks or the new ones, never a mix. The
// row lock makes concurrent ingesters of one document take turns, and the
// second finds the first's work and writes nothing.
func (s *Store) write(ctx context.Context, d Document, ih string, chunks []Chunk, vecs [][]float32) (putResult, error) {
	tx, err := s.db.Begin(ctx)
	if err != nil {
		return putResult{}, fmt.Errorf("store policy %s: %w", docName(d), err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit

	var stored string
	err = tx.QueryRow(ctx, `
		SELECT coalesce(index_hash, '') FROM policy_documents
		WHERE doc_id = $1 AND locale = $2 AND version = $3 AND retired_at IS NULL FOR UPDATE`,
		d.ID, d.Locale, d.Version).Scan(&stored)
	created := errors.Is(err, pgx.ErrNoRows)
	if err != nil && !created {
		return putResult{}, fmt.Errorf("store policy %s: %w", docName(d), err)
	}
	if stored == ih {
		return putResult{}, nil
	}
	var key int64
	err = tx.QueryRow(ctx, `
		INSERT INTO policy_documents (doc_id, locale, version, title, audience, effective_at, body, content_hash, source,
			embedding_model, index_hash, chunk_count)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (doc_id, locale, version) DO UPDATE SET
			title = EXCLUDED.title, audience = EXCLUDED.audience, effective_at = EXCLUDED.effective_at,
			body = EXCLUDED.body, content_hash = EXCLUDED.content_hash, source = EXCLUDED.source,
			embedding_model = EXCLUDED.embedding_model, index_hash = EXCLUDED.index_hash,
			chunk_count = EXCLUDED.chunk_count, retired_at = NULL, updated_at = now()
		RETURNING doc_key`,
		d.ID, d.Locale, d.Version, d.Title, d.Audience, d.Effective, d.Body, d.Hash, d.Source,
		s.embedder.Model(), ih, len(chunks)).Scan(&key)
	if err != nil {
		return putResult{}, fmt.Errorf("store policy %s: %w", docName(d), err)
	}
	tag, err := tx.Exec(ctx, `DELETE FROM policy_chunks WHERE doc_key = $1`, key)
	if err != nil {
		return putResult{}, fmt.Errorf("replace chunks of policy %s: %w", docName(d), err)
	}
	cfg := textSearchConfig(d.Locale)
	b := &pgx.Batch{}
	for i, c := range chunks {
		b.Queue(`
			INSERT INTO policy_chunks (doc_id, locale, version, doc_key, ordinal, heading_path, text,
				embedding, embedding_model, tsv)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
				setweight(to_tsvector($10::regconfig, $11), 'A') || to_tsvector($10::regconfig, $12))`,
			d.ID, d.Locale, d.Version, key, c.Ordinal, c.HeadingPath, c.Text,
			pgvector.NewVector(vecs[i]), s.embedder.Model(), cfg, ftsText(d.Locale, c.HeadingPath), ftsText(d.Locale, c.Text))
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return putResult{}, fmt.Errorf("store chunks of policy %s: %w", docName(d), err)
	}
	if err := tx.Commit(ctx); err != nil {
		return putResult{}, fmt.Errorf("store policy %s: %w", docName(d), err)
	}
	return putResult{written: true, created: created, added: len(chunks), removed: int(tag.RowsAffected())}, nil
}

// Retire takes every version of a document in one locale out of search from
// now on; its rows stay for the record. Retiring a retired document does
// nothing; one that was never stored is ErrNotFound. Ingesting the document
// again puts it back in force.
func (s *Store) Retire(ctx context.Context, docID, locale string) error {
	tag, err := s.db.Exec(ctx, `
		UPDATE policy_documents SET retired_at = now(), updated_at = now()
		WHERE doc_id = $1 AND locale = $2 AND retired_at IS NULL`, docID, locale)
	if err != nil {
		return fmt.Errorf("retire policy %s/%s: %w", docID, locale, err)
	}
	if tag.RowsAffected() > 0 {
		return nil
	}
	var exists bool
	if err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM policy_documents WHERE doc_id = $1 AND locale = $2)`,
		docID, locale).Scan(&exists); err != nil {
		return fmt.Errorf("retire policy %s/%s: %w", docID, locale, err)
	}
	if !exists {
		return fmt.Errorf("retire policy %s/%s: %w", docID, locale, ErrNotFound)
	}
	return nil
}

// indexHash identifies what a document's stored chunks were made from: its
// content, the chunking and the embedding model. Any of them changing makes
// the next ingest rewrite the document.
func (s *Store) indexHash(d Document) string {
	sum := sha256.Sum256([]byte(d.Hash + "\x00" + splitterVersion + "\x00" + s.embedder.Model() + "\x00" + strconv.Itoa(s.embedder.Dims())))
	return hex.EncodeToString(sum[:])
}

// embedInput is the text a chunk is embedded as: its heading path carries
// the topic ("Refunds and returns > Refund window") that the section's own
// sentences often leave implicit.
func embedInput(headingPath, text string) string {
	return headingPath + "\n" + text
}

func docName(d Document) string {
	return fmt.Sprintf("%s/%s v%d", d.ID, d.Locale, d.Version)
}
