package tools_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

// env is a demo-seeded database of its own with every tool registered.
type env struct {
	tb   testing.TB
	pool *pgxpool.Pool
	reg  *tools.Registry
	// used holds the buyers a test has claimed, so cases that shape a
	// buyer's state do not meet.
	used map[string]bool
}

func newEnv(tb testing.TB) *env {
	tb.Helper()
	pool := pgtest.New(tb, demoSeed)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	reg, err := tools.NewRegistry(logger, tools.NewAudit(pool), tools.All(tools.NewStore(pool), nil)...)
	if err != nil {
		tb.Fatal(err)
	}
	return &env{tb: tb, pool: pool, reg: reg, used: map[string]bool{}}
}

// pick returns an order of kind whose buyer no earlier pick has claimed,
// and claims the buyer.
func (e *env) pick(kind demo.Kind) demo.Order {
	e.tb.Helper()
	for _, o := range demo.Plan() {
		if o.Kind == kind && !e.used[o.BuyerID] {
			e.used[o.BuyerID] = true
			return o
		}
	}
	e.tb.Fatalf("no demo order of kind %s with an unused buyer", kind)
	return demo.Order{}
}

// another returns an order of a buyer other than buyerID.
func another(buyerID string) demo.Order {
	for _, o := range demo.Plan() {
		if o.BuyerID != buyerID {
			return o
		}
	}
	panic("one buyer only")
}

// otherShop returns an order of a shop other than shopID.
func otherShop(shopID string) demo.Order {
	for _, o := range demo.Plan() {
		if o.ShopID != shopID {
			return o
		}
	}
	panic("one shop only")
}

func buyer(ctx context.Context, id string) context.Context {
	return tools.NewContext(ctx, tools.Caller{Role: tools.RoleBuyer, ID: id})
}

// seller returns a context with the seller of shopID.
func (e *env) seller(ctx context.Context, shopID string) context.Context {
	e.tb.Helper()
	var id string
	e.scan(&id, `SELECT id FROM sellers WHERE shop_id = $1`, shopID)
	return tools.NewContext(ctx, tools.Caller{Role: tools.RoleSeller, ID: id, ShopID: shopID})
}

var actions atomic.Int64

// approved returns ctx approved for a fresh action.
func approved(ctx context.Context) context.Context {
	return tools.Approve(ctx, fmt.Sprintf("a_test%010d", actions.Add(1)))
}

func (e *env) call(ctx context.Context, name, args string) tools.Outcome {
	return e.reg.Call(ctx, tools.Call{ID: "call-1", Name: name, Arguments: json.RawMessage(args), TurnID: "turn-1"})
}

func (e *env) preview(ctx context.Context, name, args string) (tools.Preview, *tools.Error) {
	return e.reg.Preview(ctx, tools.Call{ID: "call-1", Name: name, Arguments: json.RawMessage(args), TurnID: "turn-1"})
}

func (e *env) exec(sql string, args ...any) {
	e.tb.Helper()
	if _, err := e.pool.Exec(context.Background(), sql, args...); err != nil {
		e.tb.Fatalf("%s: %v", sql, err)
	}
}

func (e *env) scan(dst any, sql string, args ...any) {
	e.tb.Helper()
	if err := e.pool.QueryRow(context.Background(), sql, args...).Scan(dst); err != nil {
		e.tb.Fatalf("%s: %v", sql, err)
	}
}

func (e *env) count(sql string, args ...any) int {
	e.tb.Helper()
	var n int
	e.scan(&n, sql, args...)
	return n
}

// order reads an order as its buyer sees it.
func (e *env) order(o demo.Order) tools.Order {
	e.tb.Helper()
	got, err := tools.NewStore(e.pool).Order(context.Background(), tools.Caller{Role: tools.RoleBuyer, ID: o.BuyerID}, o.ID)
	if err != nil {
		e.tb.Fatalf("load %s: %v", o.ID, err)
	}
	return got
}

// wantCode fails unless out failed with code (or succeeded, for "").
func wantCode(tb testing.TB, what string, out tools.Outcome, code tools.Code) {
	tb.Helper()
	if code == "" {
		if out.Err != nil {
			tb.Fatalf("%s = %v, want success", what, out.Err)
		}
		return
	}
	if out.Err == nil || out.Err.Code != code {
		tb.Fatalf("%s = %v (data %s), want %s", what, out.Err, out.Data, code)
	}
	if out.Data != nil {
		tb.Errorf("%s failed but returned data %s", what, out.Data)
	}
}

func errCode(e *tools.Error) tools.Code {
	if e == nil {
		return ""
	}
	return e.Code
}

func decode[T any](tb testing.TB, raw json.RawMessage) T {
	tb.Helper()
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		tb.Fatalf("decode %s: %v", raw, err)
	}
	return v
}

// notFoundShape masks the id in a not_found message, so the answers for a
// foreign and a nonexistent id can be compared.
func notFoundShape(msg, id string) string { return strings.ReplaceAll(msg, id, "ID") }
