package retrieval

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// DB is what the store needs of Postgres: a pool and a transaction both fit.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Store keeps policy documents and their chunks in Postgres.
type Store struct {
	db DB
}

// NewStore returns a Store on db.
func NewStore(db DB) *Store { return &Store{db: db} }

// PutDocument stores d unless the same version with the same content is
// already there. It reports whether anything was written.
func (s *Store) PutDocument(ctx context.Context, d Document) (bool, error) {
	tag, err := s.db.Exec(ctx, `
		INSERT INTO policy_documents (doc_id, locale, version, title, audience, effective_at, body, content_hash, source)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (doc_id, locale, version) DO UPDATE SET
			title = EXCLUDED.title, audience = EXCLUDED.audience, effective_at = EXCLUDED.effective_at,
			body = EXCLUDED.body, content_hash = EXCLUDED.content_hash, source = EXCLUDED.source,
			retired_at = NULL, updated_at = now()
		WHERE policy_documents.content_hash <> EXCLUDED.content_hash OR policy_documents.retired_at IS NOT NULL`,
		d.ID, d.Locale, d.Version, d.Title, d.Audience, d.Effective, d.Body, d.Hash, d.Source)
	if err != nil {
		return false, fmt.Errorf("store policy %s/%s v%d: %w", d.ID, d.Locale, d.Version, err)
	}
	return tag.RowsAffected() > 0, nil
}
