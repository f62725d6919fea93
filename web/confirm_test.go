package web_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

// A refund that committed while its decision was lost leaves its action
// pending. The buyer who comes back is not asked to confirm it again as if
// nothing had happened: on hello it is executed, and the reply names the
// refund that stands — the one refund.
func TestHelloExecutesAnActionThatAlreadyTookEffect(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	buyer, order := buyerWith(t, "en", demo.DeliveredRecently)
	c := e.dial(t, buyer)
	ready := c.hello("", 0)
	msg, before := c.ask("r1", "I want a refund for "+order+", it arrived damaged")
	var req frame
	for _, f := range before {
		if f.Type == "confirm_request" {
			req = f
		}
	}
	if req.ActionID == "" {
		t.Fatalf("no confirm_request before %q", msg.Text)
	}
	c.ws.Close()

	// The old confirmation path: the tool committed the refund, the
	// decision's transaction died, the action stayed pending.
	var plan tools.Plan
	var args json.RawMessage
	if err := e.pool.QueryRow(t.Context(), `SELECT plan, arguments FROM pending_actions WHERE id = $1`, req.ActionID).Scan(&plan, &args); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(t.Context(), `UPDATE pending_actions SET status = 'executing', decided_at = now(), claimed_by = 'r_lost00000000', claimed_at = now() WHERE id = $1`, req.ActionID); err != nil {
		t.Fatal(err)
	}
	ctx := tools.NewContext(t.Context(), tools.Caller{Role: tools.RoleBuyer, ID: buyer})
	if out := e.opts.Tools.Call(tools.ApprovePlan(ctx, req.ActionID, plan), tools.Call{ID: "x", Name: "request_refund", Arguments: args,
		ConversationID: ready.ConversationID, TurnID: "t_lost"}); out.Err != nil {
		t.Fatal(out.Err)
	}
	if _, err := e.pool.Exec(t.Context(), `UPDATE pending_actions SET status = 'pending', decided_at = NULL, claimed_by = NULL, claimed_at = NULL WHERE id = $1`, req.ActionID); err != nil {
		t.Fatal(err)
	}

	back := e.dial(t, buyer)
	back.hello(ready.ConversationID, msg.Seq)
	done, frames := back.reply()
	for _, f := range frames {
		if f.Type == "confirm_request" {
			t.Errorf("the buyer was asked again to confirm %+v, which already took effect", f)
		}
	}
	if !strings.Contains(done.Text, "RF-") {
		t.Errorf("reply after hello = %q, want the refund that stands", done.Text)
	}
	var status string
	if err := e.pool.QueryRow(t.Context(), `SELECT status FROM pending_actions WHERE id = $1`, req.ActionID).Scan(&status); err != nil {
		t.Fatal(err)
	}
	if n, _ := e.refunds(t, order); n != 1 || status != agent.ActionExecuted {
		t.Errorf("%d refunds, action %s; want one refund and the action executed", n, status)
	}
}

// A turn queued in one conversation runs under that conversation's status,
// even when a later hello switched the connection to another: a message
// sent where a person has taken over is only stored, never answered by the
// assistant because the other conversation is open.
func TestQueuedTurnKeepsItsOwnConversationsStatus(t *testing.T) {
	t.Parallel()
	m := gatedModel{started: make(chan struct{}, 1), gate: make(chan struct{})}
	e := newEnvOpts(t, envOptions{
		brain: func(agent.Model) agent.Model { return m },
		web:   func(o *web.Options) { o.Limits = web.Limits{MessageBurst: 20} },
	})
	buyer := demo.BuyerID(3)
	st := e.agent.Store()
	open, err := st.Open(t.Context(), buyer, "", "en")
	if err != nil {
		t.Fatal(err)
	}
	taken, err := st.Open(t.Context(), buyer, "", "en")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(t.Context(), `UPDATE conversations SET status = 'agent' WHERE id = $1`, taken.ID); err != nil {
		t.Fatal(err)
	}

	c := e.dial(t, buyer)
	c.hello(open.ID, 0)
	c.sendJSON(map[string]any{"type": "user_message", "id": "1", "text": "first, in the open chat"})
	select {
	case <-m.started:
	case <-time.After(10 * time.Second):
		t.Fatal("the first turn did not start")
	}
	// While it runs: a message in the taken-over chat, then back to the
	// open one, and a last message there.
	c.sendJSON(map[string]any{"type": "hello", "conversation_id": taken.ID})
	c.sendJSON(map[string]any{"type": "user_message", "id": "2", "text": "to the person, please"})
	c.sendJSON(map[string]any{"type": "hello", "conversation_id": open.ID, "last_seq": 1})
	c.sendJSON(map[string]any{"type": "user_message", "id": "3", "text": "last, in the open chat"})
	close(m.gate)
	eventually(t, "the last message's reply", func() bool {
		var n int
		e.pool.QueryRow(t.Context(), `SELECT count(*) FROM messages WHERE conversation_id = $1 AND role = 'assistant'`, open.ID).Scan(&n) //nolint:errcheck // polled
		return n == 2
	})
	var users, assistants int
	if err := e.pool.QueryRow(t.Context(), `SELECT count(*) FILTER (WHERE role = 'user'), count(*) FILTER (WHERE role = 'assistant')
		FROM messages WHERE conversation_id = $1`, taken.ID).Scan(&users, &assistants); err != nil {
		t.Fatal(err)
	}
	if users != 1 || assistants != 0 {
		t.Errorf("the taken-over chat has %d buyer messages and %d assistant replies, want 1 and none", users, assistants)
	}
}

// A confirmation of an expired action is answered every time it is sent,
// not only the first.
func TestRepeatedConfirmOfAnExpiredActionIsAnswered(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	buyer := demo.BuyerID(4)
	c := e.dial(t, buyer)
	ready := c.hello("", 0)
	act, err := e.agent.Store().Propose(t.Context(), agent.Action{ID: agent.NewID("a_"), ConversationID: ready.ConversationID, BuyerID: buyer,
		TurnID: "t", Tool: "request_refund", Arguments: json.RawMessage(`{"order_id":"ORD-10002"}`), Summary: "old",
		ExpiresAt: time.Now().Add(-time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		c.sendJSON(map[string]any{"type": "confirm", "action_id": act.ID, "approved": true})
		if f := c.next(); f.Type != "error" || f.Code != "conflict" {
			t.Fatalf("confirmation %d of an expired action answered %+v, want a conflict error", i+1, f)
		}
	}
}

// A buyer's message whose turn died with its process (stored and echoed,
// never answered) is answered by a server's sweeper, without the client
// sending it again: the reply reaches the open chat live.
func TestServerAnswersATurnWhoseProcessDied(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	buyer, _ := buyerWith(t, "en", demo.DeliveredRecently)
	c := e.dial(t, buyer)
	ready := c.hello("", 0)
	turnID := agent.NewID("t_")
	if _, _, err := e.agent.Store().Append(t.Context(), ready.ConversationID, agent.StoredMessage{TurnID: turnID, Role: "user", AuthorID: buyer,
		Text: "hello, what is your refund policy?", ClientID: "m1", Runner: "r_killed0000000000"}); err != nil {
		t.Fatal(err)
	}
	// It was killed a while ago: its heartbeat is long gone.
	if _, err := e.pool.Exec(t.Context(), `UPDATE turn_runs SET started_at = now() - interval '20 seconds' WHERE turn_id = $1`, turnID); err != nil {
		t.Fatal(err)
	}
	reply, _ := c.reply()
	if reply.TurnID != turnID || reply.Role != "assistant" {
		t.Fatalf("the chat got %+v, want the reply to the orphaned turn %s", reply, turnID)
	}
	c.quiet()
}
