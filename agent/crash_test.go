package agent_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools"
)

// countingTools passes calls to a real registry and counts them by tool.
type countingTools struct {
	agent.Tools
	refunds atomic.Int32
}

func (c *countingTools) Call(ctx context.Context, call tools.Call) tools.Outcome {
	if call.Name == "request_refund" {
		c.refunds.Add(1)
	}
	return c.Tools.Call(ctx, call)
}

// crash stands for the process dying: the runner's goroutine unwinds and
// stores nothing more.
type crash struct{}

// A buyer's decision whose runner died after the refund was made and
// recorded, while the reply narrating it was being written, is answered by
// the sweeper from the recorded outcome: one refund in all, the tool not
// called again, one reply that tells the buyer what was done. This holds
// for a confirm frame and for a typed yes.
func TestDecisionWhoseRunnerDiedAfterRecordIsNarrated(t *testing.T) {
	for _, how := range []string{"confirm", "typed yes"} {
		t.Run(how, func(t *testing.T) {
			pool := pgtest.New(t, demoSeed)
			store := agent.NewStore(pool)
			o := deliveredOrders(t, 1)[0]
			conv, ctx := buyerChat(t, t.Context(), store, o.BuyerID)
			reg := realTools(t, pool)
			args := `{"order_id":"` + o.ID + `","reason":"damaged"}`
			opts := func(m agent.Model, tl agent.Tools) agent.Options {
				return agent.Options{Logger: discard(), Model: m, Tools: tl, Store: store, Effects: tools.NewStore(pool), Confirmations: fakeConfirmations{}}
			}
			card := propose(t, ctx, agent.New(opts(refundModel(args), reg)), conv.ID, "en")

			// The runner that takes the decision dies while the model
			// narrates the refund it made: after record, before the reply.
			dying := agent.New(opts(fakeModel{func(req agent.Request) (agent.Response, error) {
				if req.Messages[len(req.Messages)-1].Role == agent.RoleTool {
					panic(crash{})
				}
				return toolCall("request_refund", args), nil
			}}, reg))
			func() {
				defer func() {
					if r := recover(); r != (crash{}) {
						panic(r)
					}
				}()
				noEvents := func(agent.Event) error { return nil }
				if how == "confirm" {
					dying.Confirm(ctx, conv.ID, card.ActionID, true, "en", noEvents) //nolint:errcheck // it never returns
				} else {
					dying.Run(ctx, agent.Turn{ConversationID: conv.ID, ClientID: agent.NewID("m"), Text: "yes", Locale: "en"}, noEvents) //nolint:errcheck // it never returns
				}
				t.Fatal("the dying runner returned")
			}()
			var turnID, status string
			var plan tools.Plan
			if err := pool.QueryRow(t.Context(), `SELECT decision_turn_id, status, plan FROM pending_actions WHERE id = $1`,
				card.ActionID).Scan(&turnID, &status, &plan); err != nil {
				t.Fatal(err)
			}
			if n, _ := refundsOf(t, pool, o.ID); n != 1 || status != agent.ActionExecuted || replies(t, pool, conv.ID, turnID) != 0 {
				t.Fatalf("after the crash: %d refunds, action %s, %d replies; want 1, executed, 0", n, status, replies(t, pool, conv.ID, turnID))
			}
			// The dead runner never beats again; its turn is old enough.
			if _, err := pool.Exec(t.Context(), `UPDATE turn_runs SET started_at = now() - interval '20 seconds' WHERE conversation_id = $1`,
				conv.ID); err != nil {
				t.Fatal(err)
			}

			counted := &countingTools{Tools: reg}
			sweeper := agent.New(opts(refundModel(args), counted))
			for range 2 {
				if _, err := sweeper.Sweep(t.Context()); err != nil {
					t.Fatal(err)
				}
			}
			n, total := refundsOf(t, pool, o.ID)
			if n != 1 || plan.Amount == nil || total != plan.Amount.Minor || counted.refunds.Load() != 0 {
				t.Errorf("after the sweep: %d refunds of %d in all, the sweeper called the tool %d times; want 1 of %v, no call",
					n, total, counted.refunds.Load(), plan.Amount)
			}
			var refundID string
			if err := pool.QueryRow(t.Context(), `SELECT id FROM refunds WHERE order_id = $1`, o.ID).Scan(&refundID); err != nil {
				t.Fatal(err)
			}
			rows, err := pool.Query(t.Context(), `SELECT role, text FROM messages WHERE conversation_id = $1 AND turn_id = $2 ORDER BY seq`, conv.ID, turnID)
			if err != nil {
				t.Fatal(err)
			}
			var roles []string
			var reply string
			for rows.Next() {
				var role, text string
				if err := rows.Scan(&role, &text); err != nil {
					t.Fatal(err)
				}
				roles = append(roles, role)
				reply = text
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if strings.Join(roles, ",") != "user,assistant" || !strings.Contains(reply, refundID) || strings.Contains(reply, "pending_confirmation") {
				t.Errorf("the decision's turn holds %v ending in %q; want the buyer's decision and one reply narrating refund %s", roles, reply, refundID)
			}
			var running, pending int
			if err := pool.QueryRow(t.Context(), `SELECT (SELECT count(*) FROM turn_runs WHERE conversation_id = $1),
				(SELECT count(*) FROM pending_actions WHERE conversation_id = $1 AND status = 'pending')`, conv.ID).Scan(&running, &pending); err != nil {
				t.Fatal(err)
			}
			if running != 0 || pending != 0 {
				t.Errorf("after the sweep: %d turns still running, %d actions pending; want none", running, pending)
			}
		})
	}
}
