package eval

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/migrations/pgtest"
)

// stateBackend is a Backend over a real database whose chats are real
// conversation rows, answered by reply (which may write pending actions and
// handoffs, as the agent does).
type stateBackend struct {
	pool  *pgxpool.Pool
	n     atomic.Int32
	reply func(ctx context.Context, conv, text string) (Reply, error)
}

func (b *stateBackend) Open(context.Context, Brain) (World, error) { return stateWorld{b}, nil }

type stateWorld struct{ b *stateBackend }

func (w stateWorld) Chat(ctx context.Context, buyer, locale string) (Chat, error) {
	id := fmt.Sprintf("c_evalstate%04d", w.b.n.Add(1))
	_, err := w.b.pool.Exec(ctx, `INSERT INTO conversations (id, buyer_id, locale) VALUES ($1, $2, $3)`, id, buyer, locale)
	return stateChat{b: w.b, id: id}, err
}
func (w stateWorld) DB() DB                      { return w.b.pool }
func (w stateWorld) Brain() Brain                { return Brain{Name: BrainLocal} }
func (w stateWorld) Close(context.Context) error { return nil }

type stateChat struct {
	b  *stateBackend
	id string
}

func (c stateChat) ConversationID() string { return c.id }
func (c stateChat) Send(ctx context.Context, text string) (Reply, error) {
	return c.b.reply(ctx, c.id, text)
}
func (c stateChat) Decide(context.Context, bool) (Reply, error) { return Reply{}, ErrNothingPending }
func (c stateChat) Close() error                                { return nil }

// pending, handoff_summary and repeats judge what the conversation left
// behind: an action still waiting after "never mind" fails pending: 0; the
// summary read is the shop's when a shop's queue has the handoff, support's
// otherwise, and a conversation never handed off fails; a reply that is the
// previous one again (case and spacing aside) fails repeats: false.
func TestRunnerPendingHandoffSummaryAndRepeats(t *testing.T) {
	pool := pgtest.New(t, demoSeed)
	s := mustParse(t, `
name: state
defaults: {fixture: {order: paid}}
cases:
  - id: dropped
    turns:
      - user: "propose {{order}}"
        expect: {pending: 1}
      - user: "never mind"
        expect: {pending: 0, repeats: false}
  - id: still-waiting
    turns:
      - user: "propose {{order}}"
      - user: "ignore never mind"
        expect: {pending: 0}
  - id: shop-summary
    turns: [{user: "hand off to shop {{order}}"}]
    expect:
      handoff_summary: {contains: ["{{order}}", "not received"], not_contains: ["customer wrote"], language: en}
  - id: support-summary-quotes
    turns: [{user: "hand off to support {{order}}"}]
    expect:
      handoff_summary: {not_regex: ["customer wrote"]}
  - id: never-handed-off
    turns: [{user: "hello"}]
    expect:
      handoff_summary: {contains: ["{{order}}"]}
  - id: echo
    turns:
      - user: "hello"
      - user: "you said that already"
        expect: {repeats: false}
  - id: echo-expected
    turns:
      - user: "hello"
        expect: {repeats: false}
      - user: "again"
        expect: {repeats: true}
`)
	b := &stateBackend{pool: pool}
	b.reply = func(ctx context.Context, conv, text string) (Reply, error) {
		var buyer string
		if err := pool.QueryRow(ctx, `SELECT buyer_id FROM conversations WHERE id = $1`, conv).Scan(&buyer); err != nil {
			return Reply{}, err
		}
		var err error
		switch {
		case strings.HasPrefix(text, "propose "):
			order := strings.TrimPrefix(text, "propose ")
			_, err = pool.Exec(ctx, `INSERT INTO pending_actions (id, conversation_id, buyer_id, turn_id, tool, arguments, summary, expires_at)
				VALUES ('a_' || substr(md5($1), 1, 12), $1, $2, 't1', 'cancel_order', jsonb_build_object('order_id', $3::text), 'Cancel', now() + interval '15 minutes'),
				       ('a_' || substr(md5($1 || 'old'), 1, 12), $1, $2, 't0', 'cancel_order', '{}', 'Expired', now() - interval '1 minute')`,
				conv, buyer, order)
		case text == "never mind":
			_, err = pool.Exec(ctx, `UPDATE pending_actions SET status = 'declined', decided_at = now() WHERE conversation_id = $1 AND status = 'pending'`, conv)
			return Reply{Text: "OK, I will not cancel it."}, err
		case strings.HasPrefix(text, "hand off to shop "):
			order := strings.TrimPrefix(text, "hand off to shop ")
			_, err = pool.Exec(ctx, `INSERT INTO handoffs (conversation_id, reason, summary, shop_id, shop_summary)
				VALUES ($1, 'complaint', 'Customer wrote: where is it', 'shop-maple', $2)`, conv, "Order "+order+" marked delivered but not received; the buyer checked with neighbours.")
		case strings.HasPrefix(text, "hand off to support "):
			_, err = pool.Exec(ctx, `INSERT INTO handoffs (conversation_id, reason, summary) VALUES ($1, 'customer_request', 'The customer wrote: get me a human')`, conv)
		}
		if strings.HasPrefix(text, "you said") || text == "again" {
			text = "hello"
		}
		return Reply{Text: "  Reply to " + strings.ToUpper(text)}, err
	}
	rep, err := (&Runner{Backend: b}).Run(t.Context(), []*Suite{s})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Status{
		"dropped": StatusPass, "still-waiting": StatusFail, "shop-summary": StatusPass, "support-summary-quotes": StatusFail,
		"never-handed-off": StatusFail, "echo": StatusFail, "echo-expected": StatusPass,
	}
	for _, c := range rep.Cases {
		if c.Status != want[c.ID] {
			t.Errorf("%s = %s, want %s: %+v", c.ID, c.Status, want[c.ID], c.Runs)
		}
	}
}

// Without the database, pending and handoff_summary cannot be judged: an
// error, not a failure.
func TestPendingAndHandoffSummaryNeedTheDatabase(t *testing.T) {
	s := scope{conv: "c_x"}
	if r := checkPending(t.Context(), 0, s); r.Status != StatusError {
		t.Errorf("pending without a database = %+v, want error", r)
	}
	if r := checkHandoffSummary(t.Context(), TextExpect{Contains: []string{"x"}}, Bindings{}, s); statuses(r) != "error" {
		t.Errorf("handoff_summary without a database = %+v, want error", r)
	}
}

// A negative pending count and an empty handoff_summary are suite errors.
func TestParseRejectsBadStateExpectations(t *testing.T) {
	for _, tt := range []struct{ yaml, want string }{
		{`{pending: -1}`, "pending: must not be negative"},
		{`{handoff_summary: {}}`, "handoff_summary: give contains"},
		{`{handoff_summary: {regex: ["("]}}`, "handoff_summary.regex[0]: not a valid pattern"},
		{`{handoff_summary: {contains: ["{{order9}}"]}}`, "placeholder {{order9}}"},
	} {
		_, err := Parse("t.yaml", []byte("name: x\ncases:\n  - id: a\n    turns: [{user: hi, expect: "+tt.yaml+"}]\n"))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.yaml, err, tt.want)
		}
	}
}
