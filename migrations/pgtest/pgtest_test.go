package pgtest

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// A template without seeds is named by the migrations alone, so every test
// binary shares it; a seeded one is this binary's own.
func TestTemplateNames(t *testing.T) {
	ctx := t.Context()
	plain, err := template(ctx, URL(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if plain != "csagent_tpl_m"+migrationsHash() || strings.Contains(plain, binaryHash()) {
		t.Errorf("template without seeds = %q, want one named by the migrations (%s), not the binary", plain, migrationsHash())
	}
	seeded, err := template(ctx, URL(t), []Seed{{Name: "one_row", Run: oneRow}})
	if err != nil {
		t.Fatal(err)
	}
	if seeded != "csagent_tpl_"+binaryHash()+"_one_row" {
		t.Errorf("seeded template = %q, want one named by this binary and the seed", seeded)
	}
}

// Another binary's clean-up (dropOldTemplates) may drop a template this
// binary already built; the next database is cloned from a rebuilt one.
func TestNewRebuildsADroppedTemplate(t *testing.T) {
	seed := Seed{Name: "dropped_once", Run: oneRow}
	New(t, seed)
	tpl, err := template(t.Context(), URL(t), []Seed{seed})
	if err != nil {
		t.Fatal(err)
	}
	admin, err := pgx.Connect(t.Context(), URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	id := pgx.Identifier{tpl}.Sanitize()
	if _, err := admin.Exec(t.Context(), "ALTER DATABASE "+id+" WITH is_template = false"); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(t.Context(), "DROP DATABASE "+id+" WITH (FORCE)"); err != nil {
		t.Fatal(err)
	}
	pool := New(t, seed)
	var n int
	if err := pool.QueryRow(t.Context(), "SELECT count(*) FROM pgtest_seeded").Scan(&n); err != nil || n != 1 {
		t.Errorf("the database after the template was dropped has %d seeded rows (%v), want 1", n, err)
	}
}

func oneRow(ctx context.Context, pool *pgxpool.Pool) error {
	_, err := pool.Exec(ctx, "CREATE TABLE pgtest_seeded (id int); INSERT INTO pgtest_seeded VALUES (1)")
	return err
}
