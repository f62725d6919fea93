// Package pgtest gives each test its own PostgreSQL database, cloned from a
// template that is migrated (and optionally seeded) once per test binary.
//
// Tests reach the server through DATABASE_URL, which the README's test command
// sets after starting the project's cluster. A test that needs Postgres and
// finds no DATABASE_URL fails loudly: it never skips.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/migrations"
)

// Seed fills a freshly migrated template database. Name keeps templates with
// different seeds apart.
type Seed struct {
	Name string
	Run  func(ctx context.Context, pool *pgxpool.Pool) error
}

var (
	templatesMu sync.Mutex
	templates   = map[string]error{}
)

// URL returns the connection string of the server tests run against.
func URL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("DATABASE_URL")
	if u == "" {
		tb.Fatal("DATABASE_URL is not set: run the tests with `make test`, which starts PostgreSQL and sets it")
	}
	return u
}

// New creates a database of its own for tb, migrated to the newest version and
// filled by seeds, and returns a pool on it. The database is dropped when the
// test ends.
func New(tb testing.TB, seeds ...Seed) *pgxpool.Pool {
	tb.Helper()
	pool, _ := NewWithURL(tb, seeds...)
	return pool
}

// NewWithURL is New that also returns the database's connection string, for
// tests that start a server process of their own on it.
func NewWithURL(tb testing.TB, seeds ...Seed) (*pgxpool.Pool, string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	base := URL(tb)

	name := "csagent_test_" + randomSuffix()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Fatalf("connect to %s: %v", redact(base), err)
	}
	defer admin.Close(ctx)
	for attempt := 1; ; attempt++ {
		tpl, err := template(ctx, base, seeds)
		if err != nil {
			tb.Fatalf("prepare template database: %v", err)
		}
		_, err = admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE "+pgx.Identifier{tpl}.Sanitize())
		if err == nil {
			break
		}
		// A template shared across test binaries may have been dropped
		// as old by another one (dropOldTemplates) after this process
		// built or found it: build it again, once.
		var pgErr *pgconn.PgError
		if attempt == 1 && errors.As(err, &pgErr) && pgErr.Code == "3D000" {
			forget(tpl)
			continue
		}
		tb.Fatalf("create test database: %v", err)
	}
	dbURL := withDatabase(base, name)
	pool, err := openPool(ctx, dbURL)
	if err != nil {
		tb.Fatalf("open test database: %v", err)
	}
	tb.Cleanup(func() {
		pool.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			tb.Errorf("drop test database: %v", err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			tb.Errorf("drop test database: %v", err)
		}
	})
	return pool, dbURL
}

// template returns the name of a template database migrated and seeded for
// this test binary, creating it on first use. A template without seeds holds
// only what the migrations make, so it is keyed by their content and shared
// by every test binary and every run until a migration changes: each
// package's tests no longer migrate a template of their own. Seeds are code
// in the test binary, so a seeded template is keyed by a hash of the binary
// and a code change never reuses a stale one. The lock keeps parallel test
// processes from building the same one twice.
func template(ctx context.Context, base string, seeds []Seed) (string, error) {
	key := "m" + migrationsHash()
	if len(seeds) > 0 {
		key = binaryHash()
	}
	for _, s := range seeds {
		key += "_" + s.Name
	}
	name := "csagent_tpl_" + key
	if len(name) > 63 {
		sum := sha256.Sum256([]byte(name))
		name = "csagent_tpl_" + hex.EncodeToString(sum[:12])
	}

	templatesMu.Lock()
	defer templatesMu.Unlock()
	if err, done := templates[name]; done {
		return name, err
	}
	err := buildTemplate(ctx, base, name, seeds)
	templates[name] = err
	return name, err
}

func buildTemplate(ctx context.Context, base, name string, seeds []Seed) error {
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", redact(base), err)
	}
	defer admin.Close(ctx)
	h := fnv.New64a()
	h.Write([]byte(name))
	lockKey := int64(h.Sum64() >> 1)
	if _, err := admin.Exec(ctx, "SELECT pg_advisory_lock($1)", lockKey); err != nil {
		return fmt.Errorf("lock template %s: %w", name, err)
	}
	defer admin.Exec(context.Background(), "SELECT pg_advisory_unlock($1)", lockKey) //nolint:errcheck // closing the session unlocks too

	var ready bool
	err = admin.QueryRow(ctx, "SELECT datistemplate FROM pg_database WHERE datname = $1", name).Scan(&ready)
	if err == nil && ready {
		return nil
	}
	if err != nil && err != pgx.ErrNoRows {
		return fmt.Errorf("look up template %s: %w", name, err)
	}
	// A half-built template from a crashed run is rebuilt from scratch.
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop stale template: %w", err)
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return fmt.Errorf("create template: %w", err)
	}

	pool, err := openPool(ctx, withDatabase(base, name))
	if err != nil {
		return fmt.Errorf("open template: %w", err)
	}
	m, err := migrations.New(pool, nil)
	if err != nil {
		pool.Close()
		return err
	}
	_, err = m.Up(ctx)
	m.Close()
	for _, s := range seeds {
		if err != nil {
			break
		}
		if err = s.Run(ctx, pool); err != nil {
			err = fmt.Errorf("seed %s: %w", s.Name, err)
		}
	}
	pool.Close()
	if err != nil {
		return err
	}
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH is_template = true"); err != nil {
		return fmt.Errorf("mark template: %w", err)
	}
	dropOldTemplates(ctx, admin)
	return nil
}

// dropOldTemplates removes templates left by earlier builds, so a developer's
// cluster does not fill up with them. Failures are harmless and ignored.
func dropOldTemplates(ctx context.Context, admin *pgx.Conn) {
	rows, err := admin.Query(ctx, `
		SELECT d.datname FROM pg_database d
		WHERE d.datname LIKE 'csagent\_tpl\_%' AND d.datistemplate
		  AND (pg_stat_file('base/' || d.oid || '/PG_VERSION')).modification < now() - interval '1 day'`)
	if err != nil {
		return
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return
	}
	for _, n := range names {
		id := pgx.Identifier{n}.Sanitize()
		admin.Exec(ctx, "ALTER DATABASE "+id+" WITH is_template = false") //nolint:errcheck
		admin.Exec(ctx, "DROP DATABASE IF EXISTS "+id+" WITH (FORCE)")    //nolint:errcheck
	}
}

// openPool opens a pool whose connections know the schema's types, as the
// server's do.
func openPool(ctx context.Context, dbURL string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, err
	}
	cfg.AfterConnect = migrations.RegisterTypes
	return pgxpool.NewWithConfig(ctx, cfg)
}

// forget makes the next template call for name build or find it again.
func forget(name string) {
	templatesMu.Lock()
	defer templatesMu.Unlock()
	delete(templates, name)
}

// migrationsHash names what a template without seeds holds: the embedded
// migration files and the goose version that applies them (its bookkeeping
// table is in the template too).
var migrationsHash = sync.OnceValue(func() string {
	h := sha256.New()
	err := fs.WalkDir(migrations.Files(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.Files(), path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %d\n", path, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		// Unreadable files cannot name a shared template: fall back to
		// this binary's own.
		return binaryHash()
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, m := range info.Deps {
			if m.Path == "github.com/pressly/goose/v3" {
				fmt.Fprintf(h, "goose %s\n", m.Version)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
})

var binaryHash = sync.OnceValue(func() string {
	h := sha256.New()
	if exe, err := os.Executable(); err == nil {
		if f, err := os.Open(exe); err == nil {
			io.Copy(h, f) //nolint:errcheck // a partial hash still names a template
			f.Close()
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
})

func randomSuffix() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func withDatabase(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	return u.String()
}

// redact hides the password of a connection string, for error messages.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "the database"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxx")
	}
	return strings.TrimSpace(u.String())
}
