package eval

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools/demo"
)

var demoSeed = pgtest.Seed{Name: "demo", Run: func(ctx context.Context, pool *pgxpool.Pool) error {
	return demo.Seed(ctx, pool, time.Now())
}}

func exec(t *testing.T, db DB, sql string, args ...any) {
	t.Helper()
	if _, err := db.Exec(t.Context(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func orderOf(t *testing.T, kind string) (buyer, order string) {
	t.Helper()
	b, err := resolve(Fixture{Order: kind}, "en")
	if err != nil {
		t.Fatal(err)
	}
	return b.Buyer, b.Vars["order"]
}

// The end state counts only what the case created: rows that were there
// before are ignored, and the narrowing fields must all match.
func TestCheckDBCountsWhatTheCaseCreated(t *testing.T) {
	pool := pgtest.New(t, demoSeed)
	ctx := t.Context()
	before, err := takeSnapshot(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	overdueBuyer, overdue := orderOf(t, "overdue")
	recentBuyer, recent := orderOf(t, "delivered_recently")
	_, paid := orderOf(t, "paid")
	_, refunded := orderOf(t, "fully_refunded")
	_, cancelledBefore := orderOf(t, "cancelled_unpaid")
	exec(t, pool, `INSERT INTO disputes (id, order_id, buyer_id, status, reason, seller_respond_by, decide_by)
		VALUES ('DSP-TEST1', $1, $2, 'open', 'not_received', now(), now())`, overdue, overdueBuyer)
	exec(t, pool, `INSERT INTO refunds (id, order_id, buyer_id, amount_minor, currency, status, reason)
		SELECT 'RF-TEST1', id, $2, 100, currency, 'approved', 'damaged' FROM orders WHERE id = $1`, recent, recentBuyer)
	exec(t, pool, `UPDATE orders SET status = 'cancelled', cancelled_at = now() WHERE id = $1`, paid)

	b := Bindings{Vars: map[string]string{"order": overdue, "recent": recent, "paid": paid, "refunded": refunded, "gone": cancelledBefore}}
	amount := int64(100)
	wrong := int64(99)
	tests := []struct {
		name string
		e    DBExpect
		want string
	}{
		{"dispute created", DBExpect{MustExist: []DBRow{{Kind: "dispute", Reason: "not_received", Status: "open"}}}, "pass"},
		{"dispute with another reason", DBExpect{MustExist: []DBRow{{Kind: "dispute", Reason: "damaged"}}}, "fail"},
		{"no dispute wanted", DBExpect{MustNotExist: []DBRow{{Kind: "dispute"}}}, "fail"},
		{"refund with its amount", DBExpect{MustExist: []DBRow{{Kind: "refund", Order: "{{recent}}", AmountMinor: &amount}}}, "pass"},
		{"refund with another amount", DBExpect{MustExist: []DBRow{{Kind: "refund", Order: "{{recent}}", AmountMinor: &wrong}}}, "fail"},
		{"a refund from before the case is not new", DBExpect{MustNotExist: []DBRow{{Kind: "refund", Order: "{{refunded}}"}}}, "pass"},
		{"nor is it created", DBExpect{MustExist: []DBRow{{Kind: "refund", Order: "{{refunded}}"}}}, "fail"},
		{"cancellation", DBExpect{MustExist: []DBRow{{Kind: "cancellation", Order: "{{paid}}"}}, MustNotExist: []DBRow{{Kind: "cancellation", Order: "{{gone}}"}}}, "pass pass"},
		{"no refund on the order", DBExpect{MustNotExist: []DBRow{{Kind: "refund"}}}, "pass"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkDB(ctx, &tt.e, b, pool, &before)
			if s := statuses(got); s != tt.want {
				t.Errorf("checkDB(%+v) = %s (%+v), want %s", tt.e, s, got, tt.want)
			}
		})
	}
	if got := checkDB(ctx, &DBExpect{MustExist: []DBRow{{Kind: "refund"}}}, b, nil, nil); statuses(got) != "error" {
		t.Errorf("without a database: %+v, want an error", got)
	}
}

// A turn's tool calls come from the audit log and the pending actions, in
// the order they were made, with arguments and results.
func TestLoadToolCalls(t *testing.T) {
	pool := pgtest.New(t, demoSeed)
	buyer, order := orderOf(t, "delivered_recently")
	exec(t, pool, `INSERT INTO conversations (id, buyer_id, locale) VALUES ('c_evaltest0001', $1, 'en')`, buyer)
	exec(t, pool, `INSERT INTO tool_calls (conversation_id, turn_id, call_id, actor_role, actor_id, tool, arguments, result, latency_us, created_at)
		VALUES ('c_evaltest0001', 't_1', 'call_1', 'buyer', $1, 'get_order', $2, '{"status":"delivered"}', 10, now() - interval '2 seconds')`,
		buyer, `{"order_id":"`+order+`"}`)
	exec(t, pool, `INSERT INTO pending_actions (id, conversation_id, buyer_id, turn_id, tool, arguments, summary, details, expires_at, created_at)
		VALUES ('a_evaltest0001', 'c_evaltest0001', $1, 't_1', 'request_refund', $2, 'a refund', '{"amount_minor": 100}', now() + interval '1 hour', now() - interval '1 second')`,
		buyer, `{"order_id":"`+order+`"}`)
	exec(t, pool, `INSERT INTO tool_calls (conversation_id, turn_id, call_id, actor_role, actor_id, tool, arguments, error_code, latency_us)
		VALUES ('c_evaltest0001', 't_2', 'a_evaltest0001', 'buyer', $1, 'request_refund', '{}', 'window_expired', 10)`, buyer)

	calls, err := loadToolCalls(t.Context(), pool, "c_evaltest0001", "t_1")
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 2 || calls[0].Name != "get_order" || calls[0].Outcome != "ok" || calls[1].Name != "request_refund" || calls[1].Outcome != "proposed" {
		t.Fatalf("calls = %+v, want get_order ok then request_refund proposed", calls)
	}
	if !calls[0].ArgsKnown || !strings.Contains(string(calls[0].Arguments), order) || !strings.Contains(string(calls[0].Result), "delivered") ||
		!strings.Contains(string(calls[1].Result), "amount_minor") {
		t.Errorf("arguments and results = %+v", calls)
	}
	later, err := loadToolCalls(t.Context(), pool, "c_evaltest0001", "t_2")
	if err != nil || len(later) != 1 || later[0].Outcome != "window_expired" {
		t.Errorf("second turn = %+v, %v; want the failed call with its code", later, err)
	}
}

// dbBackend is a fake backend whose worlds share one real database and
// whose chat writes what a scripted agent would.
type dbBackend struct {
	pool  *pgxpool.Pool
	reply func(ctx context.Context, text string) (Reply, error)
}

func (b *dbBackend) Open(context.Context, Brain) (World, error) { return dbWorld{b}, nil }

type dbWorld struct{ b *dbBackend }

func (w dbWorld) Chat(context.Context, string, string) (Chat, error) { return dbChat(w), nil }
func (w dbWorld) DB() DB                                             { return w.b.pool }
func (w dbWorld) Brain() Brain                                       { return Brain{Name: BrainLocal} }
func (w dbWorld) Close(context.Context) error                        { return nil }

type dbChat struct{ b *dbBackend }

func (c dbChat) ConversationID() string                               { return "c_none" }
func (c dbChat) Send(ctx context.Context, text string) (Reply, error) { return c.b.reply(ctx, text) }
func (c dbChat) Decide(context.Context, bool) (Reply, error)          { return Reply{}, nil }
func (c dbChat) Close() error                                         { return nil }

// Setup runs before the snapshot, so what it plants is fixture, not the
// case's doing; what the conversation writes is.
func TestRunnerSetupAndEndState(t *testing.T) {
	pool := pgtest.New(t, demoSeed)
	s := mustParse(t, `
name: db
defaults: {fixture: {order: paid}}
cases:
  - id: cancel
    setup: ["UPDATE products SET name = 'planted' WHERE id IN (SELECT product_id FROM order_items WHERE order_id = '{{order}}')"]
    turns: [{user: "cancel {{order}}"}]
    expect:
      db:
        must_exist: [{kind: cancellation}]
        must_not_exist: [{kind: refund}]
`)
	b := &dbBackend{pool: pool, reply: func(ctx context.Context, text string) (Reply, error) {
		order := strings.TrimPrefix(text, "cancel ")
		var name string
		if err := pool.QueryRow(ctx, `SELECT p.name FROM products p JOIN order_items i ON i.product_id = p.id WHERE i.order_id = $1 LIMIT 1`, order).Scan(&name); err != nil {
			return Reply{}, err
		}
		_, err := pool.Exec(ctx, `UPDATE orders SET status = 'cancelled', cancelled_at = now() WHERE id = $1`, order)
		return Reply{Text: "cancelled " + name}, err
	}}
	rep, err := (&Runner{Backend: b}).Run(t.Context(), []*Suite{s})
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Cases[0]
	if c.Status != StatusPass || !strings.Contains(c.Runs[0].Turns[0].Reply.Text, "planted") {
		t.Errorf("case = %s, reply %q; want pass after the setup planted the name (%+v)", c.Status, c.Runs[0].Turns[0].Reply.Text, c.Runs[0])
	}
}
