package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/internal/fakellm"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

// dbCounter counts what the server asks of the database: transactions
// (a statement or batch begun outside a transaction starts one, explicit
// or implicit) and pool acquires, each attributed to the statement it was
// acquired for. The runner's heartbeat and the orphan sweeper run on a
// clock, not per turn, and the hub's LISTENs once, on its own connection:
// they are left out by their statements.
type dbCounter struct {
	mu           sync.Mutex
	counting     bool
	tx, acquires int
	acquired     map[*pgx.Conn]bool // acquired, no statement seen yet
	sample       []string
	// trips counts round trips: every statement or batch sent; a
	// confirmed tool's are marked "tool: ".
	trips     int
	tripsSeen []string
}

// background reports whether sql is work of the server's own, not of the
// turn under count: runner heartbeats, the sweeper's claims, LISTEN, and
// a websocket's catch-up read of messages it has not seen (Store.Messages,
// "seq > $2 ORDER BY seq"), which the hub runs when a notification arrives
// ahead of the frames it sent, on its own schedule: counted, it made the
// confirm path's count depend on that timing (5 instead of 4 once in a
// loaded CI run).
func (c *dbCounter) background(sql string) bool {
	for _, s := range []string{"agent_runners", "UPDATE turn_runs t SET runner", "UPDATE pending_actions p SET claimed_by", "LISTEN ",
		"WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"} {
		if strings.Contains(sql, s) {
			return true
		}
	}
	return false
}

func (c *dbCounter) statement(ctx context.Context, conn *pgx.Conn, sql string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	acquired := c.acquired[conn]
	delete(c.acquired, conn)
	if !c.counting || c.background(sql) {
		return
	}
	if acquired {
		c.acquires++
	}
	c.trips++
	seen := strings.Join(strings.Fields(sql), " ")
	if _, ok := tools.ApprovalFrom(ctx); ok {
		seen = "tool: " + seen // a confirmed tool's own
	}
	c.tripsSeen = append(c.tripsSeen, seen[:min(76, len(seen))])
	if conn.PgConn().TxStatus() == 'I' {
		c.tx++
		c.sample = append(c.sample, strings.Join(strings.Fields(sql), " ")[:min(60, len(strings.Join(strings.Fields(sql), " ")))])
	}
}

func (c *dbCounter) TraceQueryStart(ctx context.Context, conn *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	c.statement(ctx, conn, d.SQL)
	return ctx
}

func (c *dbCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (c *dbCounter) TraceBatchStart(ctx context.Context, conn *pgx.Conn, d pgx.TraceBatchStartData) context.Context {
	sql := "batch"
	if qs := d.Batch.QueuedQueries; len(qs) > 0 {
		sql = "batch: " + qs[0].SQL
	}
	c.statement(ctx, conn, sql)
	return ctx
}

func (c *dbCounter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

func (c *dbCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

func (c *dbCounter) TraceAcquireStart(ctx context.Context, _ *pgxpool.Pool, _ pgxpool.TraceAcquireStartData) context.Context {
	return ctx
}

func (c *dbCounter) TraceAcquireEnd(_ context.Context, _ *pgxpool.Pool, d pgxpool.TraceAcquireEndData) {
	if d.Err != nil || d.Conn == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.acquired == nil {
		c.acquired = map[*pgx.Conn]bool{}
	}
	c.acquired[d.Conn] = true
}

func (c *dbCounter) start() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counting, c.tx, c.acquires, c.sample, c.trips, c.tripsSeen = true, 0, 0, nil, 0, nil
}

// roundTrips stops counting and returns the round trips since start, with
// the start of each statement.
func (c *dbCounter) roundTrips() (int, []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counting = false
	return c.trips, c.tripsSeen
}

func (c *dbCounter) stop() (tx, acquires int, sample []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counting = false
	return c.tx, c.acquires, c.sample
}

// A plain turn (the buyer names an order, the model asks for get_order,
// then answers) costs the database at most two transactions and three
// pool acquires, whatever it keeps: the buyer's message with the turn's
// reads and the order it names (which the tool then takes: it sends no
// statement of its own), and the reply with the audit row, scope stamps,
// turn registration and tokens (docs/performance.md; three transactions
// before the order was read with the message). It counts, and never times.
func TestPlainTurnTransactions(t *testing.T) {
	t.Parallel()
	fake := fakellm.New(fakellm.Options{APIKey: "k"})
	up := httptest.NewServer(fake)
	t.Cleanup(up.Close)
	counter := &dbCounter{}
	e := newEnvOpts(t, envOptions{
		brain: func(localModel agent.Model) agent.Model {
			return agent.NewChain(discard(), []agent.Model{
				agent.NewOpenAI(agent.OpenAIConfig{BaseURL: up.URL + "/v1", APIKey: "k", Model: "gpt-test", MaxRetries: 1}),
				localModel,
			}, []string{"gpt-test", "local"})
		},
		// Budgets make the turn read its token counts too.
		cfg:    agent.Config{ConversationTokens: 1_000_000, DailyTokens: 1_000_000},
		tracer: counter,
		// The dashboard's refresher would count among the turns' work.
		web: func(o *web.Options) { o.OpsRefreshEvery = -1 },
	})
	buyer, order := buyerWith(t, "en", demo.InTransit)
	c := e.dial(t, buyer)
	ready := c.hello("", 0)

	// The first turn, not counted, comes after whatever hello still reads.
	const turns = 4
	for i := range turns + 1 {
		if i == 1 {
			counter.start()
		}
		fake.Push(
			fakellm.Call("get_order", map[string]any{"order_id": order}),
			fakellm.Text(fmt.Sprintf("Order %s is on its way (%d).", order, i)),
		)
		msg, _ := c.ask(fmt.Sprint("m", i), "what is the status of "+order+"?")
		if !strings.Contains(msg.Text, order) {
			t.Fatalf("turn %d answered %q", i, msg.Text)
		}
	}
	tx, acquires, sample := counter.stop()
	if tx > 2*turns || acquires > 3*turns {
		t.Errorf("%d turns took %d transactions and %d pool acquires, want at most %d and %d:\n%s",
			turns, tx, acquires, 2*turns, 3*turns, strings.Join(sample, "\n"))
	}

	// What the turns kept is all there: every message, each turn's audit
	// row, its tokens, no turn left registered as running, and the
	// messages stamped with the order's shop.
	var msgs, audited, running, stamped int
	var tokens int64
	if err := e.pool.QueryRow(t.Context(), `SELECT
		(SELECT count(*) FROM messages WHERE conversation_id = $1),
		(SELECT count(*) FROM tool_calls WHERE conversation_id = $1 AND tool = 'get_order'),
		(SELECT count(*) FROM turn_runs WHERE conversation_id = $1),
		(SELECT count(*) FROM messages m JOIN orders o ON o.id = $2 WHERE m.conversation_id = $1 AND m.shop_id = o.shop_id),
		(SELECT coalesce(sum(tokens), 0) FROM token_usage)`, ready.ConversationID, order).Scan(&msgs, &audited, &running, &stamped, &tokens); err != nil {
		t.Fatal(err)
	}
	if all := turns + 1; msgs != 2*all || audited != all || running != 0 || stamped != 2*all || tokens <= 0 {
		t.Errorf("stored %d messages (%d stamped with the shop), %d audit rows, %d running turns, %d tokens; want %d, %d, %d, 0, some",
			msgs, stamped, audited, running, tokens, 2*all, 2*all, all)
	}
}
