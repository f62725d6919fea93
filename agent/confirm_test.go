package agent_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

// realTools is the tool registry as serve builds it, on pool.
func realTools(t testing.TB, pool *pgxpool.Pool) *tools.Registry {
	t.Helper()
	reg, err := tools.NewRegistry(discard(), tools.NewAudit(pool), tools.All(tools.NewStore(pool), nil)...)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// refundModel asks for a refund with args on the buyer's first message
// and narrates whatever a tool said after.
func refundModel(args string) fakeModel {
	return fakeModel{func(req agent.Request) (agent.Response, error) {
		last := req.Messages[len(req.Messages)-1]
		if last.Role == agent.RoleTool {
			return textReply("tool said: " + last.Content), nil
		}
		return toolCall("request_refund", args), nil
	}}
}

// deliveredOrders returns n recently delivered orders of n different buyers.
func deliveredOrders(t testing.TB, n int) []demo.Order {
	t.Helper()
	seen := map[string]bool{}
	var out []demo.Order
	for _, o := range demo.Plan() {
		if o.Kind == demo.DeliveredRecently && !seen[o.BuyerID] {
			seen[o.BuyerID] = true
			out = append(out, o)
		}
	}
	if len(out) < n {
		t.Fatalf("the demo has %d buyers with a recently delivered order, want %d", len(out), n)
	}
	return out[:n]
}

// buyerChat opens a conversation of buyer on store and returns it with the
// buyer's context.
func buyerChat(t testing.TB, ctx context.Context, store *agent.Store, buyer string) (agent.Conversation, context.Context) {
	t.Helper()
	conv, err := store.Open(ctx, buyer, "", "en")
	if err != nil {
		t.Fatal(err)
	}
	return conv, tools.NewContext(ctx, tools.Caller{Role: tools.RoleBuyer, ID: buyer, Locale: "en"})
}

// propose runs a turn in which the model asks for a refund, and returns the
// confirmation the buyer was asked.
func propose(t testing.TB, ctx context.Context, a *agent.Agent, convID, locale string) agent.Event {
	t.Helper()
	var ev agent.Event
	var mu sync.Mutex
	_, err := a.Run(ctx, agent.Turn{ConversationID: convID, ClientID: agent.NewID("m"), Text: "refund it please", Locale: locale}, func(e agent.Event) error {
		mu.Lock()
		defer mu.Unlock()
		if e.Kind == agent.EventConfirm {
			ev = e
		}
		return nil
	})
	if err != nil || ev.ActionID == "" {
		t.Fatalf("Run = %v, confirm_request %+v; want a refund to confirm", err, ev)
	}
	return ev
}

func refundsOf(t testing.TB, pool *pgxpool.Pool, orderID string) (n int, total int64) {
	t.Helper()
	if err := pool.QueryRow(t.Context(), `SELECT count(*), coalesce(sum(amount_minor), 0) FROM refunds WHERE order_id = $1 AND idempotency_key IS NOT NULL`,
		orderID).Scan(&n, &total); err != nil {
		t.Fatal(err)
	}
	return n, total
}

// A buyer shown one refund never gets another: when the order changed
// between the card and the confirmation, nothing is refunded, the buyer is
// told what changed in their language and asked to confirm the new refund,
// and confirming that one refunds what it showed.
func TestConfirmExecutesOnlyThePlanTheBuyerSaw(t *testing.T) {
	tests := []struct {
		locale, changed string
	}{
		{"en", "the amount is now"},
		{"es", "el importe ahora es"},
		{"ru", "сумма теперь"},
		{"ko", "금액이"},
	}
	pool := pgtest.New(t, demoSeed)
	store := agent.NewStore(pool)
	orders := deliveredOrders(t, len(tests))
	for i, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			o := orders[i]
			conv, ctx := buyerChat(t, t.Context(), store, o.BuyerID)
			a := agent.New(agent.Options{Logger: discard(), Model: refundModel(`{"order_id":"` + o.ID + `","reason":"damaged"}`),
				Tools: realTools(t, pool), Store: store, Effects: tools.NewStore(pool)})
			card := propose(t, ctx, a, conv.ID, tt.locale)
			var shown int64
			if err := pool.QueryRow(t.Context(), `SELECT (plan->'amount'->>'minor')::bigint FROM pending_actions WHERE id = $1`, card.ActionID).Scan(&shown); err != nil {
				t.Fatal(err)
			}
			// The seller corrects the order's price after the buyer saw the card.
			if _, err := pool.Exec(t.Context(), `UPDATE order_items SET unit_price_minor = unit_price_minor - 100 WHERE order_id = $1 AND line = 1`, o.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := pool.Exec(t.Context(), `UPDATE orders SET total_minor = total_minor - 100 * (SELECT quantity FROM order_items WHERE order_id = $1 AND line = 1) WHERE id = $1`, o.ID); err != nil {
				t.Fatal(err)
			}

			var events []agent.Event
			r, err := a.Confirm(ctx, conv.ID, card.ActionID, true, tt.locale, func(e agent.Event) error {
				events = append(events, e)
				return nil
			})
			if err != nil {
				t.Fatalf("Confirm: %v", err)
			}
			if n, total := refundsOf(t, pool, o.ID); n != 0 {
				t.Fatalf("a confirmation of a refund of %d made %d refunds of %d after the order changed; want none", shown, n, total)
			}
			if !strings.Contains(r.Assistant.Text, tt.changed) {
				t.Errorf("reply = %q, want it to say what changed (%q)", r.Assistant.Text, tt.changed)
			}
			var again agent.Event
			for _, e := range events {
				if e.Kind == agent.EventConfirm {
					again = e
				}
			}
			if again.ActionID == "" || again.ActionID == card.ActionID {
				t.Fatalf("events %+v, want a new confirmation card", events)
			}
			var status, code string
			if err := pool.QueryRow(t.Context(), `SELECT status, error_code FROM pending_actions WHERE id = $1`, card.ActionID).Scan(&status, &code); err != nil {
				t.Fatal(err)
			}
			if status != "failed" || code != string(tools.CodePlanChanged) {
				t.Errorf("the first action is %s (%s), want failed (plan_changed)", status, code)
			}

			// The new card is what happens.
			var planned int64
			if err := pool.QueryRow(t.Context(), `SELECT (plan->'amount'->>'minor')::bigint FROM pending_actions WHERE id = $1`, again.ActionID).Scan(&planned); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Confirm(ctx, conv.ID, again.ActionID, true, tt.locale, func(agent.Event) error { return nil }); err != nil {
				t.Fatal(err)
			}
			if n, total := refundsOf(t, pool, o.ID); n != 1 || total != planned || planned == shown {
				t.Errorf("after confirming the new card: %d refunds of %d; want one of the new plan's %d (the old showed %d)", n, total, planned, shown)
			}
		})
	}
}

// The database refuses a refund under a confirmed action's key that is not
// the action's stored plan, or written while the action is not claimed.
func TestDatabaseHoldsRefundsToTheActionsPlan(t *testing.T) {
	pool := pgtest.New(t, demoSeed)
	store := agent.NewStore(pool)
	o := deliveredOrders(t, 1)[0]
	conv, _ := buyerChat(t, t.Context(), store, o.BuyerID)
	var total int64
	var currency string
	if err := pool.QueryRow(t.Context(), `SELECT total_minor, currency FROM orders WHERE id = $1`, o.ID).Scan(&total, &currency); err != nil {
		t.Fatal(err)
	}
	plan := tools.Plan{Action: "refund", OrderID: o.ID, Amount: &tools.Money{Minor: 500, Currency: currency}, Reason: "damaged"}
	act, err := store.Propose(t.Context(), agent.Action{ID: agent.NewID("a_"), ConversationID: conv.ID, BuyerID: o.BuyerID, TurnID: "t",
		Tool: "request_refund", Arguments: json.RawMessage(`{}`), Summary: "refund 5.00", Plan: &plan, ExpiresAt: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	insert := func(id string, amount int64, reason string) error {
		_, err := pool.Exec(t.Context(), `INSERT INTO refunds (id, order_id, buyer_id, amount_minor, currency, status, reason, idempotency_key)
			VALUES ($1, $2, $3, $4, $5, 'approved', $6, $7)`, id, o.ID, o.BuyerID, amount, currency, reason, "action:"+act.ID)
		return err
	}
	if err := insert("RF-TEST0001", 500, "damaged"); constraintOf(err) != "refunds_match_plan" {
		t.Errorf("refund of a pending (unclaimed) action = %v, want refunds_match_plan", err)
	}
	if _, err := pool.Exec(t.Context(), `UPDATE pending_actions SET status = 'executing', decided_at = now(), claimed_by = 'r_test000000', claimed_at = now() WHERE id = $1`, act.ID); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		amount int64
		reason string
	}{{"another amount", 501, "damaged"}, {"another reason", 500, "changed_mind"}} {
		if err := insert("RF-TEST0002", tt.amount, tt.reason); constraintOf(err) != "refunds_match_plan" {
			t.Errorf("%s: %v, want refunds_match_plan", tt.name, err)
		}
	}
	if err := insert("RF-TEST0003", 500, "damaged"); err != nil {
		t.Errorf("the planned refund: %v, want it written", err)
	}
}

func constraintOf(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.ConstraintName
	}
	return ""
}

// Four times as many buyers as the pool has connections confirm at the same
// moment, with the real tools on Postgres: every refund is made exactly
// once and every buyer gets the reply, well inside a generous deadline.
func TestSimultaneousConfirmationsNeverStall(t *testing.T) {
	_, url := pgtest.NewWithURL(t, demoSeed)
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 4
	pool, err := pgxpool.NewWithConfig(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	store := agent.NewStore(pool)
	reg := realTools(t, pool)
	orders := deliveredOrders(t, 4*int(cfg.MaxConns))

	type buyer struct {
		o    demo.Order
		conv agent.Conversation
		ctx  context.Context
		card agent.Event
		a    *agent.Agent
	}
	buyers := make([]buyer, len(orders))
	for i, o := range orders {
		b := &buyers[i]
		b.o = o
		b.conv, b.ctx = buyerChat(t, t.Context(), store, o.BuyerID)
		b.a = agent.New(agent.Options{Logger: discard(), Model: refundModel(`{"order_id":"` + o.ID + `","reason":"damaged"}`),
			Tools: reg, Store: store, Effects: tools.NewStore(pool)})
		b.card = propose(t, b.ctx, b.a, b.conv.ID, "en")
	}

	deadline, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	replies := make([]agent.Reply, len(buyers))
	errs := make([]error, len(buyers))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range buyers {
		b := buyers[i]
		wg.Go(func() {
			<-start
			ctx := tools.NewContext(deadline, tools.Caller{Role: tools.RoleBuyer, ID: b.o.BuyerID, Locale: "en"})
			replies[i], errs[i] = b.a.Confirm(ctx, b.conv.ID, b.card.ActionID, true, "en", func(agent.Event) error { return nil })
		})
	}
	close(start)
	wg.Wait()
	for i, b := range buyers {
		r := replies[i]
		if errs[i] != nil || !r.HasReply || r.Duplicate || !strings.Contains(r.Assistant.Text, "RF-") {
			t.Errorf("buyer %s: Confirm = %v, reply %q (duplicate %v); want the refund narrated", b.o.BuyerID, errs[i], r.Assistant.Text, r.Duplicate)
		}
		if n, _ := refundsOf(t, pool, b.o.ID); n != 1 {
			t.Errorf("order %s has %d refunds, want exactly 1", b.o.ID, n)
		}
	}
	var executed int
	if err := pool.QueryRow(t.Context(), `SELECT count(*) FROM pending_actions WHERE status = 'executed'`).Scan(&executed); err != nil {
		t.Fatal(err)
	}
	if executed != len(buyers) {
		t.Errorf("%d actions executed, want %d", executed, len(buyers))
	}
}

// A refund that committed while its decision was lost leaves the action
// pending: declining it then does not pretend nothing happened — it is
// recorded as executed and the buyer told it stands — and confirming it
// returns the same refund.
func TestDecisionOnAnActionThatAlreadyTookEffect(t *testing.T) {
	for _, approved := range []bool{false, true} {
		t.Run(fmt.Sprintf("approved=%v", approved), func(t *testing.T) {
			pool := pgtest.New(t, demoSeed)
			store := agent.NewStore(pool)
			o := deliveredOrders(t, 1)[0]
			conv, ctx := buyerChat(t, t.Context(), store, o.BuyerID)
			reg := realTools(t, pool)
			a := agent.New(agent.Options{Logger: discard(), Model: refundModel(`{"order_id":"` + o.ID + `","reason":"damaged"}`),
				Tools: reg, Store: store, Effects: tools.NewStore(pool)})
			card := propose(t, ctx, a, conv.ID, "en")

			// The refund commits under the action's key; the decision that
			// ran it is lost, so the action is still pending.
			lostDecision(t, pool, card.ActionID, func() {
				var plan tools.Plan
				if err := pool.QueryRow(t.Context(), `SELECT plan FROM pending_actions WHERE id = $1`, card.ActionID).Scan(&plan); err != nil {
					t.Fatal(err)
				}
				out := reg.Call(tools.ApprovePlan(ctx, card.ActionID, plan), tools.Call{ID: "x", Name: "request_refund",
					Arguments: json.RawMessage(`{"order_id":"` + o.ID + `","reason":"damaged"}`), ConversationID: conv.ID, TurnID: "t_lost"})
				if out.Err != nil {
					t.Fatal(out.Err)
				}
			})

			r, err := a.Confirm(ctx, conv.ID, card.ActionID, approved, "en", func(agent.Event) error { return nil })
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(r.Assistant.Text, "I haven't done it") || !strings.Contains(r.Assistant.Text, "RF-") {
				t.Errorf("reply = %q, want the refund that stands, not a decline", r.Assistant.Text)
			}
			if !approved && !strings.Contains(r.Assistant.Text, "already been done") {
				t.Errorf("reply to the decline = %q, want it to say it had already been done", r.Assistant.Text)
			}
			var status string
			if err := pool.QueryRow(t.Context(), `SELECT status FROM pending_actions WHERE id = $1`, card.ActionID).Scan(&status); err != nil {
				t.Fatal(err)
			}
			if n, _ := refundsOf(t, pool, o.ID); n != 1 || status != "executed" {
				t.Errorf("%d refunds, action %s; want the one refund and the action executed", n, status)
			}
		})
	}
}

// lostDecision runs effect as the old code did — a decision whose
// transaction died after the tool committed — and leaves the action
// pending.
func lostDecision(t *testing.T, pool *pgxpool.Pool, actionID string, effect func()) {
	t.Helper()
	if _, err := pool.Exec(t.Context(), `UPDATE pending_actions SET status = 'executing', decided_at = now(), claimed_by = 'r_lost00000000', claimed_at = now() WHERE id = $1`, actionID); err != nil {
		t.Fatal(err)
	}
	effect()
	if _, err := pool.Exec(t.Context(), `UPDATE pending_actions SET status = 'pending', decided_at = NULL, claimed_by = NULL, claimed_at = NULL WHERE id = $1`, actionID); err != nil {
		t.Fatal(err)
	}
}

// An expired action is answered as expired however often it is confirmed.
func TestRepeatedConfirmOfAnExpiredAction(t *testing.T) {
	h := newHarness(t)
	tl, m, _ := refundWorld()
	a := h.agent(m, tl, agent.Config{})
	expired, err := h.store.Propose(t.Context(), agent.Action{ID: agent.NewID("a_"), ConversationID: h.conv.ID, BuyerID: demo.BuyerID(0),
		TurnID: "t", Tool: "request_refund", Arguments: json.RawMessage(`{"order_id":"ORD-10002"}`), Summary: "old", ExpiresAt: time.Now().Add(-time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := a.Confirm(h.ctx, h.conv.ID, expired.ID, true, "en", func(agent.Event) error { return nil }); !errors.Is(err, agent.ErrExpired) {
			t.Errorf("confirmation %d of an expired action = %v, want ErrExpired", i+1, err)
		}
	}
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
