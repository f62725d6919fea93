package agent_test

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools"
)

// sweepers runs the agents as servers do — heartbeat and sweep, each
// every 100 ms here — until the test ends or stop is called.
func sweepers(t *testing.T, agents ...*agent.Agent) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	for _, a := range agents {
		wg.Go(func() {
			for ctx.Err() == nil {
				if err := a.Heartbeat(ctx); err != nil && ctx.Err() == nil {
					t.Errorf("Heartbeat: %v", err)
				}
				if _, err := a.Sweep(ctx); err != nil && ctx.Err() == nil {
					t.Errorf("Sweep: %v", err)
				}
				select {
				case <-ctx.Done():
				case <-time.After(100 * time.Millisecond):
				}
			}
		})
	}
	stop = func() { cancel(); wg.Wait() }
	t.Cleanup(stop)
	return stop
}

// orphanTurn stores a buyer's message as a turn of runner that started age
// ago and never answered (its process was killed after the echo).
func orphanTurn(t *testing.T, pool *pgxpool.Pool, store *agent.Store, convID, buyer, runner, text string, age time.Duration) string {
	t.Helper()
	turnID := agent.NewID("t_")
	if _, _, err := store.Append(t.Context(), convID, agent.StoredMessage{TurnID: turnID, Role: "user", AuthorID: buyer, Text: text,
		ClientID: agent.NewID("m"), Runner: runner}); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(t.Context(), `UPDATE turn_runs SET started_at = now() - make_interval(secs => $3) WHERE conversation_id = $1 AND turn_id = $2`,
		convID, turnID, age.Seconds()); err != nil {
		t.Fatal(err)
	}
	return turnID
}

func replies(t *testing.T, pool *pgxpool.Pool, convID, turnID string) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(t.Context(), `SELECT count(*) FROM messages WHERE conversation_id = $1 AND turn_id = $2 AND role = 'assistant'`,
		convID, turnID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A turn whose runner died after storing the buyer's message is answered
// server-side, without the client sending anything, by one of two runners
// sweeping the same database, and only once. A turn whose runner is alive
// is left to it, and a conversation a person has taken over gets no reply
// from the assistant.
func TestOrphanedTurnsAreAnsweredOnceByAnotherRunner(t *testing.T) {
	h := newHarness(t)
	var calls atomic.Int32
	model := fakeModel{func(agent.Request) (agent.Response, error) {
		calls.Add(1)
		return textReply("It is on its way."), nil
	}}
	b := h.agent(model, &fakeTools{}, agent.Config{})
	c := h.agent(model, &fakeTools{}, agent.Config{})

	dead := orphanTurn(t, h.pool, h.store, h.conv.ID, h.conv.BuyerID, "r_dead000000000000", "where is my parcel?", 20*time.Second)
	running := orphanTurn(t, h.pool, h.store, h.conv.ID, h.conv.BuyerID, aliveRunner(t, h.pool), "and my other one?", 20*time.Second)
	taken, _ := h.store.Open(t.Context(), h.conv.BuyerID, "", "en")
	personal := orphanTurn(t, h.pool, h.store, taken.ID, h.conv.BuyerID, "r_dead000000000000", "hello?", 20*time.Second)
	if _, err := h.pool.Exec(t.Context(), `UPDATE conversations SET status = 'agent' WHERE id = $1`, taken.ID); err != nil {
		t.Fatal(err)
	}

	stop := sweepers(t, b, c)
	deadline := time.Now().Add(30 * time.Second)
	for replies(t, h.pool, h.conv.ID, dead) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	// A few more sweeps by both, to catch any second answer.
	time.Sleep(500 * time.Millisecond)
	stop()
	if n := replies(t, h.pool, h.conv.ID, dead); n != 1 || calls.Load() != 1 {
		t.Errorf("the orphaned turn has %d replies after %d model calls, want exactly 1", n, calls.Load())
	}
	if n := replies(t, h.pool, h.conv.ID, running); n != 0 {
		t.Errorf("a live runner's turn got %d replies from other runners, want none", n)
	}
	if n := replies(t, h.pool, taken.ID, personal); n != 0 {
		t.Errorf("a conversation a person took over got %d assistant replies, want none", n)
	}
	var left int
	if err := h.pool.QueryRow(t.Context(), `SELECT count(*) FROM turn_runs WHERE turn_id = ANY($1)`, []string{dead, personal}).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d recovered turns are still registered as running", left)
	}
}

// aliveRunner registers a runner with a fresh heartbeat and returns its id.
func aliveRunner(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	id := agent.NewID("r_")
	if _, err := pool.Exec(t.Context(), `INSERT INTO agent_runners (id) VALUES ($1)`, id); err != nil {
		t.Fatal(err)
	}
	return id
}

// A confirmation whose runner died between claiming the action and
// recording it is not stuck: another runner runs it again under the same
// idempotency key — one refund in all — records it and answers the buyer.
func TestAbandonedConfirmationIsRecoveredOnce(t *testing.T) {
	pool := pgtest.New(t, demoSeed)
	store := agent.NewStore(pool)
	o := deliveredOrders(t, 1)[0]
	conv, ctx := buyerChat(t, t.Context(), store, o.BuyerID)
	reg := realTools(t, pool)
	args := `{"order_id":"` + o.ID + `","reason":"damaged"}`
	newAgent := func() *agent.Agent {
		return agent.New(agent.Options{Logger: discard(), Model: refundModel(args), Tools: reg, Store: store, Effects: tools.NewStore(pool)})
	}
	card := propose(t, ctx, newAgent(), conv.ID, "en")

	// The dead runner claimed it and may or may not have made the refund.
	var plan tools.Plan
	if err := pool.QueryRow(t.Context(), `SELECT plan FROM pending_actions WHERE id = $1`, card.ActionID).Scan(&plan); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(t.Context(), `UPDATE pending_actions SET status = 'executing', decided_at = now(), decision_turn_id = 't_decision',
		claimed_by = 'r_dead000000000000', claimed_at = now() - interval '20 seconds' WHERE id = $1`, card.ActionID); err != nil {
		t.Fatal(err)
	}
	if out := reg.Call(tools.ApprovePlan(ctx, card.ActionID, plan), tools.Call{ID: "x", Name: "request_refund", Arguments: json.RawMessage(args),
		ConversationID: conv.ID, TurnID: "t_decision"}); out.Err != nil {
		t.Fatal(out.Err)
	}

	stop := sweepers(t, newAgent(), newAgent())
	deadline := time.Now().Add(30 * time.Second)
	for replies(t, pool, conv.ID, "t_decision") == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	stop()
	var status string
	if err := pool.QueryRow(t.Context(), `SELECT status FROM pending_actions WHERE id = $1`, card.ActionID).Scan(&status); err != nil {
		t.Fatal(err)
	}
	if n, _ := refundsOf(t, pool, o.ID); n != 1 || status != agent.ActionExecuted || replies(t, pool, conv.ID, "t_decision") != 1 {
		t.Errorf("after recovery: %d refunds, action %s, %d replies; want 1, executed, 1", n, status, replies(t, pool, conv.ID, "t_decision"))
	}

	// A repeated confirmation now gets that reply.
	r, err := newAgent().Confirm(ctx, conv.ID, card.ActionID, true, "en", func(agent.Event) error { return nil })
	if err != nil || !r.Duplicate || !r.HasReply {
		t.Errorf("Confirm after recovery = %+v, %v; want the recovered reply", r, err)
	}
}
