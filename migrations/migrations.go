// Package migrations holds csagent's SQL schema as numbered migrations
// embedded in the binary, and applies them with goose.
//
// The schema lives only here: no other package creates tables at run time.
// Migrations run under a Postgres advisory lock, so several replicas starting
// at once apply each migration exactly once.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed *.sql
var files embed.FS

// Status is the state of one migration in a database.
type Status struct {
	Version int64
	Name    string
	Applied bool
}

// Migrator applies the embedded migrations to one database.
type Migrator struct {
	pool     *pgxpool.Pool
	db       *sql.DB
	provider *goose.Provider
}

// New returns a Migrator for the database behind pool. The caller closes it.
// A nil logger keeps goose quiet.
func New(pool *pgxpool.Pool, logger *slog.Logger) (*Migrator, error) {
	db := stdlib.OpenDBFromPool(pool)
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("create migration lock: %w", err)
	}
	opts := []goose.ProviderOption{goose.WithSessionLocker(locker)}
	if logger != nil {
		opts = append(opts, goose.WithSlog(logger.With("component", "migrations")))
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, Files(), opts...)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	return &Migrator{pool: pool, db: db, provider: p}, nil
}

// Files returns the embedded migration files.
func Files() fs.FS { return files }

// Close releases the Migrator's database handle; the pool stays open.
func (m *Migrator) Close() error { return m.db.Close() }

// Up applies every pending migration and returns how many it applied.
// After applying any it resets the pool: its connections may predate a type
// a migration created, which RegisterTypes could not register then.
func (m *Migrator) Up(ctx context.Context) (int, error) {
	res, err := m.provider.Up(ctx)
	if len(res) > 0 {
		m.pool.Reset()
	}
	if err != nil {
		return len(res), fmt.Errorf("apply migrations: %w", err)
	}
	return len(res), nil
}

// Down rolls back the newest applied migration, and resets the pool as Up
// does: a type it dropped must not stay registered.
func (m *Migrator) Down(ctx context.Context) error {
	_, err := m.provider.Down(ctx)
	m.pool.Reset()
	if err != nil {
		return fmt.Errorf("roll back migration: %w", err)
	}
	return nil
}

// Status lists every known migration and whether it is applied.
func (m *Migrator) Status(ctx context.Context) ([]Status, error) {
	st, err := m.provider.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("read migration status: %w", err)
	}
	out := make([]Status, 0, len(st))
	for _, s := range st {
		out = append(out, Status{
			Version: s.Source.Version,
			Name:    s.Source.Path,
			Applied: s.State == goose.StateApplied,
		})
	}
	return out, nil
}

// Current reports whether every embedded migration is applied. It is what
// /readyz asks: a server whose schema is behind its code is not ready.
func (m *Migrator) Current(ctx context.Context) (bool, error) {
	pending, err := m.provider.HasPending(ctx)
	if err != nil {
		return false, fmt.Errorf("check pending migrations: %w", err)
	}
	return !pending, nil
}
