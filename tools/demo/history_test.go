package demo_test

import (
	"testing"
	"time"

	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools/demo"
)

// History runs twice on one database (it used fixed ids, so the second
// run failed on the first conversation), writes across more than one
// batch, and asks the dashboard's rollups for a full rebuild.
func TestHistoryTwice(t *testing.T) {
	pool := pgtest.New(t)
	ctx := t.Context()
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	if err := demo.Seed(ctx, pool, now); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE ops_rollup_state SET watermark = now()`); err != nil {
		t.Fatal(err)
	}
	// One full batch and one more, then a second, small run.
	for run, n := range []int{50001, 100} {
		if err := demo.History(ctx, pool, n, 30, now); err != nil {
			t.Fatalf("run %d: %v", run+1, err)
		}
	}
	const n = 50101
	var convs, msgs, turns int
	err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM conversations), (SELECT count(*) FROM messages),
        (SELECT count(DISTINCT turn_id) FROM messages)`).Scan(&convs, &msgs, &turns)
	if err != nil {
		t.Fatal(err)
	}
	if convs != n || msgs != 2*n || turns != n {
		t.Errorf("conversations, messages, turns = %d, %d, %d; want %d, %d, %d", convs, msgs, turns, n, 2*n, n)
	}
	var reset bool
	if err := pool.QueryRow(ctx, `SELECT watermark IS NULL AND resets = 2 FROM ops_rollup_state`).Scan(&reset); err != nil || !reset {
		t.Errorf("the rollups were not marked for a rebuild (%v)", err)
	}
}
