package web

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools/demo"
)

// TestOpsTouchedDaysByMessages: a turn no longer sets
// conversations.updated_at (its numbering stays a HOT update), so the
// refresher finds a late message by the message's own time: the day of a
// conversation whose only change since is a message, and the day of the
// same buyer's earlier conversation whose last message is within 72 h
// before a new one started, are rebuilt.
func TestOpsTouchedDaysByMessages(t *testing.T) {
	pool := pgtest.New(t, pgtest.Seed{Name: "demo", Run: func(ctx context.Context, pool *pgxpool.Pool) error {
		return demo.Seed(ctx, pool, time.Now())
	}})
	ctx := t.Context()
	day := func(d int) time.Time { return time.Date(2026, 11, d, 12, 0, 0, 0, time.UTC) }
	since := time.Now().Add(-time.Minute)
	a, b := demo.BuyerID(0), demo.BuyerID(1)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		// Buyer a: a conversation of Nov 3, answered late today (numbered
		// as the agent does: last_seq only).
		{`INSERT INTO conversations (id, buyer_id, locale, last_seq, created_at, updated_at) VALUES ('c_touchlate01', $1, 'en', 2, $2, $2)`, []any{a, day(3)}},
		{`INSERT INTO messages (conversation_id, seq, turn_id, role, author_id, text, created_at) VALUES ('c_touchlate01', 1, 't1', 'user', $1, 'hi', $2)`, []any{a, day(3)}},
		{`INSERT INTO messages (conversation_id, seq, turn_id, role, author_id, text) VALUES ('c_touchlate01', 2, 't2', 'agent', 'staff-1', 'a late answer')`, nil},
		// Buyer b: a conversation of Nov 4 whose last message is of Nov 7,
		// one of Nov 1 quiet since, and a new one of Nov 8 with a message
		// today: Nov 4 is within 72 h of it by its last message only, Nov 1 is not.
		{`INSERT INTO conversations (id, buyer_id, locale, last_seq, created_at, updated_at) VALUES
			('c_touchprev01', $1, 'en', 2, $2, $2), ('c_touchold001', $1, 'en', 1, $3, $3), ('c_touchnew001', $1, 'en', 1, $4, $4)`, []any{b, day(4), day(1), day(8)}},
		{`INSERT INTO messages (conversation_id, seq, turn_id, role, author_id, text, created_at) VALUES
			('c_touchprev01', 1, 't1', 'user', $1, 'hi', $2), ('c_touchprev01', 2, 't2', 'user', $1, 'still there?', $3),
			('c_touchold001', 1, 't1', 'user', $1, 'hi', $4)`, []any{b, day(4), day(7), day(1)}},
		{`INSERT INTO messages (conversation_id, seq, turn_id, role, author_id, text) VALUES ('c_touchnew001', 1, 't1', 'user', $1, 'back again')`, []any{b}},
	} {
		if _, err := pool.Exec(ctx, q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	rows, err := pool.Query(ctx, opsTouchedDaysSQL, since)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var d time.Time
		if err := rows.Scan(&d); err != nil {
			t.Fatal(err)
		}
		got = append(got, d.Format(time.DateOnly))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2026-11-03", "2026-11-04", "2026-11-08"} {
		if !slices.Contains(got, want) {
			t.Errorf("touched days %v lack %s", got, want)
		}
	}
	if slices.Contains(got, "2026-11-01") {
		t.Errorf("touched days %v have 2026-11-01, quiet for a week before the buyer came back", got)
	}
}
