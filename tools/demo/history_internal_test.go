package demo

import (
	"testing"
	"time"

	"github.com/csagent/csagent/migrations/pgtest"
)

// The conversations past the 271,196th of a history (where i × 7919, its
// buyer's hash, leaves int4) are written too: the million a benchmark
// asks for failed there with "integer out of range".
func TestHistoryBatchBeyondInt4Hash(t *testing.T) {
	pool := pgtest.New(t)
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	if err := Seed(t.Context(), pool, now); err != nil {
		t.Fatal(err)
	}
	// The first batch writes the buyers; this one is not the first.
	if _, err := pool.Exec(t.Context(), `INSERT INTO buyers (id, name, email, locale)
        SELECT 'hist-' || b, 'b', 'hist' || b || '@example.com', 'en' FROM generate_series(1, 1000) b`); err != nil {
		t.Fatal(err)
	}
	// Run as an experiment whose variant arm has the odd-numbered buyers.
	arms := historyArms{name: "exp", control: "control", variant: "v", treated: make([]bool, 1000)}
	for b := 1; b <= 1000; b += 2 {
		arms.treated[b-1] = true
	}
	if err := historyBatchWrite(t.Context(), pool, "abcdefgh", 999_990, 1_000_000, 1000, 60, now, arms); err != nil {
		t.Fatalf("the last batch of a million: %v", err)
	}
	var n, wrongArm int
	if err := pool.QueryRow(t.Context(), `SELECT count(*),
            count(*) FILTER (WHERE experiment IS DISTINCT FROM 'exp'
                OR variant IS DISTINCT FROM CASE WHEN substr(buyer_id, 6)::int % 2 = 1 THEN 'v' ELSE 'control' END)
        FROM conversations WHERE id LIKE 'c_habcdefgh%'`).Scan(&n, &wrongArm); err != nil || n != 11 || wrongArm != 0 {
		t.Errorf("%d conversations written, %d in the wrong arm (%v); want 11, 0", n, wrongArm, err)
	}
}
