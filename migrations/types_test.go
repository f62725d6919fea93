package migrations_test

import (
	"crypto/rand"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pgvector/pgvector-go"

	"github.com/csagent/csagent/migrations"
	"github.com/csagent/csagent/migrations/pgtest"
)

// A pool opened on an empty database, as `serve` opens one before it
// migrates, knows the vector type once Up has created it: the connection
// made before the extension existed is not the one used after it, and
// vectors then come back in binary.
func TestPoolKnowsVectorTypeAfterUp(t *testing.T) {
	base := pgtest.URL(t)
	admin, err := pgx.Connect(t.Context(), base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close(t.Context()) })
	name := "csagent_test_" + strings.ToLower(rand.Text())
	id := pgx.Identifier{name}.Sanitize()
	if _, err := admin.Exec(t.Context(), "CREATE DATABASE "+id); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec(t.Context(), "DROP DATABASE IF EXISTS "+id+" WITH (FORCE)") }) //nolint:errcheck

	cfg, err := pgxpool.ParseConfig(base)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.Database = name
	cfg.MaxConns = 1 // the connection made before migrating is the only one
	cfg.AfterConnect = migrations.RegisterTypes
	pool, err := pgxpool.NewWithConfig(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if err := pool.Ping(t.Context()); err != nil {
		t.Fatalf("RegisterTypes on a database without the extension: %v", err)
	}

	m, err := migrations.New(pool, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Up(t.Context()); err != nil {
		t.Fatal(err)
	}
	m.Close()

	want := []float32{0.25, -1.5, 3}
	rows, err := pool.Query(t.Context(), `SELECT $1::vector`, pgvector.NewVector(want))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		t.Fatalf("SELECT $1::vector: no row: %v", rows.Err())
	}
	if f := rows.FieldDescriptions()[0].Format; f != pgx.BinaryFormatCode {
		t.Errorf("vector result format = %d, want binary (%d): the type is not registered", f, pgx.BinaryFormatCode)
	}
	var got pgvector.Vector
	if err := rows.Scan(&got); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Slice(), want) {
		t.Errorf("vector round trip = %v, want %v", got.Slice(), want)
	}
}
