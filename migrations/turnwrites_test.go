package migrations_test

import (
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/csagent/csagent/migrations/pgtest"
)

// The turn's writes made cheaper (00020_turn_writes.sql) keep what they
// stored: a reply's tokens count for its own shop, or the conversation's
// when it has none; a repeated client id in a conversation is still the
// unique violation the agent recognises by name, and messages without one
// (replies) never conflict; a conversation's id and experiment arm are
// still checked where they are set, now by their domains.
func TestTurnWritesKeepTheirMeaning(t *testing.T) {
	t.Parallel()
	pool := pgtest.New(t)
	ctx := t.Context()
	if _, err := pool.Exec(ctx, `
		INSERT INTO buyers (id, name, email) VALUES ('b-1', 'B', 'b@example.com');
		INSERT INTO shops (id, name, currency) VALUES ('s-1', 'One', 'USD'), ('s-2', 'Two', 'USD');
		INSERT INTO conversations (id, buyer_id, locale, shop_id) VALUES ('c_turnwrites01', 'b-1', 'en', 's-1'), ('c_turnwrites02', 'b-1', 'en', NULL)`); err != nil {
		t.Fatal(err)
	}
	insert := func(conv string, seq int, role string, clientID, shop any, tokens int) error {
		t.Helper()
		_, err := pool.Exec(ctx, `INSERT INTO messages (conversation_id, seq, turn_id, role, author_id, text, client_id, usage, shop_id)
			VALUES ($1, $2::bigint, 't' || $2::bigint::text, $3, 'a', 'x', $4::text, jsonb_build_object('prompt_tokens', $6::int, 'completion_tokens', 1), $5::text)`,
			conv, seq, role, clientID, shop, tokens)
		return err
	}
	steps := []struct {
		name     string
		conv     string
		seq      int
		role     string
		clientID any
		shop     any
		tokens   int
		conflict bool
	}{
		{"a buyer's message", "c_turnwrites01", 1, "user", "m1", nil, 0, false},
		{"its reply, no shop of its own: the conversation's", "c_turnwrites01", 2, "assistant", nil, nil, 9, false},
		{"a reply stamped with another shop: that shop's", "c_turnwrites01", 3, "assistant", nil, "s-2", 19, false},
		{"a reply in a conversation of no shop: no shop's", "c_turnwrites02", 1, "assistant", nil, nil, 29, false},
		{"the same client id again", "c_turnwrites01", 4, "user", "m1", nil, 0, true},
		{"the same client id in another conversation", "c_turnwrites02", 2, "user", "m1", nil, 0, false},
	}
	for _, s := range steps {
		err := insert(s.conv, s.seq, s.role, s.clientID, s.shop, s.tokens)
		var pgErr *pgconn.PgError
		conflict := errors.As(err, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == "messages_client_id_unique"
		if conflict != s.conflict || (err != nil && !conflict) {
			t.Fatalf("%s: err = %v, want a client id conflict: %v", s.name, err, s.conflict)
		}
	}
	for _, bad := range []struct{ name, sql string }{
		{"an id not of the form c_…", `INSERT INTO conversations (id, buyer_id, locale) VALUES ('C-1', 'b-1', 'en')`},
		{"an experiment not of the form", `UPDATE conversations SET experiment = 'Bad Name', variant = 'a', exposed_at = now() WHERE id = 'c_turnwrites01'`},
		{"a variant not of the form", `UPDATE conversations SET experiment = 'exp', variant = 'B!', exposed_at = now() WHERE id = 'c_turnwrites01'`},
	} {
		_, err := pool.Exec(ctx, bad.sql)
		if pgErr := (*pgconn.PgError)(nil); !errors.As(err, &pgErr) || pgErr.Code != "23514" {
			t.Errorf("%s: err = %v, want a check violation", bad.name, err)
		}
	}
	if _, err := pool.Exec(ctx, `UPDATE conversations SET experiment = 'exp-1', variant = 'b_2', exposed_at = now(), last_seq = last_seq + 1 WHERE id = 'c_turnwrites01'`); err != nil {
		t.Errorf("a well-formed arm: %v", err)
	}
	var one, two, total int64
	if err := pool.QueryRow(ctx, `SELECT
		coalesce(sum(tokens) FILTER (WHERE shop_id = 's-1'), 0), coalesce(sum(tokens) FILTER (WHERE shop_id = 's-2'), 0), coalesce(sum(tokens), 0)
		FROM shop_token_usage`).Scan(&one, &two, &total); err != nil {
		t.Fatal(err)
	}
	if one != 10 || two != 20 || total != 30 {
		t.Errorf("shop tokens: s-1 %d, s-2 %d, all %d; want 10, 20, 30", one, two, total)
	}
}
