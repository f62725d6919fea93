package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

// A reply ends its turn's registration as running in its own statement: the
// runner that holds the turn stores the reply, with what the turn made, and
// ends the registration; a runner whose turn another took over stores
// nothing (ErrTurnTaken) and leaves the registration to the other; a reply
// stored without a runner leaves the registration as it is. Both forms of
// the reply's statement, with tokens and without.
func TestReplyEndsTheTurnsRegistration(t *testing.T) {
	pool := pgtest.New(t, pgtest.Seed{Name: "demo", Run: func(ctx context.Context, pool *pgxpool.Pool) error {
		return demo.Seed(ctx, pool, time.Now())
	}})
	s := NewStore(pool)
	tests := []struct {
		name string
		// holder is the turn's runner when the reply is stored, replier
		// the runner storing it ("" for none); the turn starts under r_a.
		holder, replier string
		tokens          int
		taken           bool
		left            int // registrations left
	}{
		{"the holder, with tokens", "r_a", "r_a", 10, false, 0},
		{"the holder, without tokens", "r_a", "r_a", 0, false, 0},
		{"taken over, with tokens", "r_b", "r_a", 10, true, 1},
		{"taken over, without tokens", "r_b", "r_a", 0, true, 1},
		{"no runner", "r_a", "", 10, false, 1},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			conv, err := s.Open(ctx, "buyer-001", "", "en")
			if err != nil {
				t.Fatal(err)
			}
			turn := fmt.Sprintf("t%d", i)
			if _, _, _, err := s.appendUser(ctx, conv.ID, StoredMessage{TurnID: turn, AuthorID: "buyer-001", Text: "where is ORD-10001", Runner: "r_a"}, stateQuery{window: 4}, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := pool.Exec(ctx, `UPDATE turn_runs SET runner = $3 WHERE conversation_id = $1 AND turn_id = $2`, conv.ID, turn, tt.holder); err != nil {
				t.Fatal(err)
			}
			row := tools.AuditRow{ConversationID: &conv.ID, TurnID: turn, CallID: "c1", Role: "buyer", ActorID: "buyer-001",
				Tool: "get_order", Arguments: json.RawMessage(`{"order_id":"ORD-10001"}`), Result: json.RawMessage(`{"order_id":"ORD-10001"}`)}
			_, err = s.appendReply(ctx, conv.ID, StoredMessage{TurnID: turn, AuthorID: "agent", Text: "Here it is.", Runner: tt.replier}, []tools.AuditRow{row}, tt.tokens, nil)
			if taken := errors.Is(err, ErrTurnTaken); taken != tt.taken || (err != nil && !taken) {
				t.Fatalf("appendReply by %q of a turn %s holds = %v, want taken %v", tt.replier, tt.holder, err, tt.taken)
			}
			var replies, calls, left int
			if err := pool.QueryRow(ctx, `SELECT
				(SELECT count(*) FROM messages WHERE conversation_id = $1 AND turn_id = $2 AND role = 'assistant'),
				(SELECT count(*) FROM tool_calls WHERE conversation_id = $1 AND turn_id = $2),
				(SELECT count(*) FROM turn_runs WHERE conversation_id = $1 AND turn_id = $2)`, conv.ID, turn).Scan(&replies, &calls, &left); err != nil {
				t.Fatal(err)
			}
			stored := 1
			if tt.taken {
				stored = 0
			}
			if replies != stored || calls != stored || left != tt.left {
				t.Errorf("after the reply: %d replies, %d audit rows, %d registrations; want %d, %d, %d", replies, calls, left, stored, stored, tt.left)
			}
		})
	}
}
