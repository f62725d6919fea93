package migrations

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	pgxvec "github.com/pgvector/pgvector-go/pgx"
)

// RegisterTypes teaches conn the types the schema adds to Postgres, so that
// pgvector's vector travels in its binary form (pgvector.Vector in Go) and
// not as a real[] cast in SQL. It is meant for pgxpool.Config.AfterConnect.
// On a database not yet migrated there is no vector type and it registers
// nothing; Migrator.Up then resets the pool, so no connection made before
// the extension existed is used after it.
func RegisterTypes(ctx context.Context, conn *pgx.Conn) error {
	var installed bool
	if err := conn.QueryRow(ctx, `SELECT to_regtype('vector') IS NOT NULL`).Scan(&installed); err != nil {
		return fmt.Errorf("look up the vector type: %w", err)
	}
	if !installed {
		return nil
	}
	if err := pgxvec.RegisterTypes(ctx, conn); err != nil {
		return fmt.Errorf("register the vector type: %w", err)
	}
	return nil
}
