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

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

// countingDB is a tools.DB that counts the statements and batches sent
// through it.
type countingDB struct {
	tools.DB
	batcher interface {
		SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
	}
	sent atomic.Int64
}

func (c *countingDB) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	c.sent.Add(1)
	return c.DB.Exec(ctx, sql, args...)
}

func (c *countingDB) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	c.sent.Add(1)
	return c.DB.Query(ctx, sql, args...)
}

func (c *countingDB) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	c.sent.Add(1)
	return c.DB.QueryRow(ctx, sql, args...)
}

func (c *countingDB) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	c.sent.Add(1)
	return c.batcher.SendBatch(ctx, b)
}

// snapshotOf reads the orders text names for buyerID as the agent's first
// batch does.
func (e *env) snapshotOf(ctx context.Context, buyerID, text string) *tools.OrderSnapshot {
	e.tb.Helper()
	p := tools.PrefetchOrders(tools.Caller{Role: tools.RoleBuyer, ID: buyerID}, text)
	if p == nil {
		return nil
	}
	var b pgx.Batch
	p.Queue(&b)
	br := e.pool.SendBatch(ctx, &b)
	defer br.Close()
	s, err := p.Read(br)
	if err != nil {
		e.tb.Fatalf("read ahead %q: %v", text, err)
	}
	return s
}

// The orders a buyer's message names, read with the message, answer that
// buyer's get_order and track_shipment exactly as the query would, without
// a round trip; anything else (an order not named, another person's, one a
// confirmed action of the same turn changed) is queried as before.
func TestOrderSnapshot(t *testing.T) {
	e := newEnv(t)
	db := &countingDB{DB: e.pool, batcher: e.pool}
	reg, err := tools.NewRegistry(slog.New(slog.NewTextHandler(io.Discard, nil)), tools.NewAudit(e.pool), tools.All(tools.NewStore(db), nil)...)
	if err != nil {
		t.Fatal(err)
	}
	call := func(ctx context.Context, name, id string) (tools.Outcome, int64) {
		t.Helper()
		before := db.sent.Load()
		out := reg.Call(ctx, tools.Call{ID: "call-1", Name: name, Arguments: json.RawMessage(fmt.Sprintf(`{"order_id":%q}`, id)), TurnID: "turn-1"})
		return out, db.sent.Load() - before
	}

	// Every kind of order, each as the query sees it and as the snapshot
	// serves it: the same data, the second without a statement.
	for _, kind := range []demo.Kind{demo.Paid, demo.InTransit, demo.DeliveredRecently, demo.DeliveredLongAgo} {
		o := e.pick(kind)
		for _, tool := range []string{"get_order", "track_shipment"} {
			t.Run(fmt.Sprintf("%s %s", tool, kind), func(t *testing.T) {
				ctx := buyer(t.Context(), o.BuyerID)
				want, queried := call(ctx, tool, o.ID)
				if queried == 0 {
					t.Fatalf("%s without a snapshot sent no statement", tool)
				}
				snap := e.snapshotOf(ctx, o.BuyerID, "hi, where is "+strings.ToLower(o.ID)+"?")
				got, sent := call(tools.WithOrderSnapshot(ctx, snap), tool, o.ID)
				if sent != 0 {
					t.Errorf("%s(%s) from the snapshot sent %d statements, want 0", tool, o.ID, sent)
				}
				if string(got.Data) != string(want.Data) || got.Text != want.Text || (got.Err == nil) != (want.Err == nil) {
					t.Errorf("%s(%s) from the snapshot = %s %q %v, queried %s %q %v", tool, o.ID, got.Data, got.Text, got.Err, want.Data, want.Text, want.Err)
				}
			})
		}
	}

	// Several orders named in one message: each is served as queried,
	// with its own carrier and tracking number, not the next order's (the
	// rows of the next order are read before the previous one is done).
	t.Run("several orders named", func(t *testing.T) {
		var buyerID, first, second string
		if err := e.pool.QueryRow(t.Context(), `SELECT a.buyer_id, a.id, b.id FROM orders a
			JOIN orders b ON b.buyer_id = a.buyer_id AND a.id < b.id AND b.tracking_number IS NOT NULL
			WHERE a.tracking_number IS DISTINCT FROM b.tracking_number ORDER BY a.id, b.id LIMIT 1`).Scan(&buyerID, &first, &second); err != nil {
			t.Fatalf("find a buyer with two orders tracked apart: %v", err)
		}
		ctx := buyer(t.Context(), buyerID)
		snap := e.snapshotOf(ctx, buyerID, "where are "+second+" and "+first+"?")
		for _, id := range []string{first, second} {
			want, _ := call(ctx, "get_order", id)
			got, sent := call(tools.WithOrderSnapshot(ctx, snap), "get_order", id)
			if sent != 0 {
				t.Errorf("get_order(%s) from the snapshot sent %d statements, want 0", id, sent)
			}
			if string(got.Data) != string(want.Data) {
				t.Errorf("get_order(%s) from the snapshot = %s, queried %s", id, got.Data, want.Data)
			}
		}
	})

	mine := e.pick(demo.DeliveredRecently)
	theirs := another(mine.BuyerID)
	ctx := buyer(t.Context(), mine.BuyerID)
	tests := []struct {
		name string
		// text is the buyer's message the snapshot is read for; ctx is
		// the lookup's caller.
		text   string
		ctx    context.Context
		order  string
		code   tools.Code
		served bool
	}{
		{"the order named", "status of " + mine.ID + " please", ctx, mine.ID, "", true},
		{"an order not named", "where is my order?", ctx, mine.ID, "", false},
		{"another buyer's order named", "what about " + theirs.ID, ctx, theirs.ID, tools.CodeNotFound, false},
		{"another caller with the snapshot", "status of " + mine.ID, buyer(t.Context(), theirs.BuyerID), mine.ID, tools.CodeNotFound, false},
		{"the seller of the order", "status of " + mine.ID, e.seller(t.Context(), mine.ShopID), mine.ID, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := e.snapshotOf(ctx, mine.BuyerID, tt.text)
			out, sent := call(tools.WithOrderSnapshot(tt.ctx, snap), "get_order", tt.order)
			wantCode(t, "get_order", out, tt.code)
			if served := sent == 0; served != tt.served {
				t.Errorf("get_order(%s) sent %d statements, want served from the snapshot %v", tt.order, sent, tt.served)
			}
		})
	}

	// A refund confirmed in the turn changes the order: the lookup after it
	// queries and sees the refund, not the snapshot read before it.
	t.Run("after a confirmed action", func(t *testing.T) {
		o := e.pick(demo.DeliveredRecently)
		ctx := buyer(t.Context(), o.BuyerID)
		tctx := tools.WithOrderSnapshot(ctx, e.snapshotOf(ctx, o.BuyerID, "refund "+o.ID+", it arrived damaged"))
		args := fmt.Sprintf(`{"order_id":%q,"reason":"damaged"}`, o.ID)
		p, perr := e.preview(tctx, "request_refund", args)
		if perr != nil {
			t.Fatalf("preview: %v", perr)
		}
		if out := reg.Call(tools.ApprovePlan(tctx, "a_snapshot0000000001", p.Plan), tools.Call{ID: "call-2", Name: "request_refund", Arguments: json.RawMessage(args), TurnID: "turn-1"}); out.Err != nil {
			t.Fatalf("refund: %v", out.Err)
		}
		out, sent := call(tctx, "get_order", o.ID)
		wantCode(t, "get_order", out, "")
		var got tools.Order
		if err := json.Unmarshal(out.Data, &got); err != nil {
			t.Fatal(err)
		}
		if sent == 0 || got.Refunded.Minor == 0 {
			t.Errorf("get_order after the refund sent %d statements and shows %v refunded, want a query and the refund", sent, got.Refunded)
		}
	})
}

// A message is read ahead for the orders it names, at most four, in any
// case, once each; nothing for a message that names none or for a caller
// who is not a buyer.
func TestPrefetchOrders(t *testing.T) {
	buyer := tools.Caller{Role: tools.RoleBuyer, ID: "b1"}
	tests := []struct {
		caller tools.Caller
		text   string
		want   int
	}{
		{buyer, "where is my order?", 0},
		{buyer, "where is ORD-10042?", 1},
		{buyer, "ord-10042 and ORD-10042 again", 1},
		{buyer, "xORD-10042 or ORD-100421", 0},
		{buyer, "ORD-10001 ORD-10002 ORD-10003 ORD-10004 ORD-10005", 4},
		{tools.Caller{Role: tools.RoleSeller, ID: "s1", ShopID: "shop1"}, "ORD-10042", 0},
	}
	for _, tt := range tests {
		p := tools.PrefetchOrders(tt.caller, tt.text)
		var b pgx.Batch
		if p != nil {
			p.Queue(&b)
		}
		got := 0
		if b.Len() > 0 {
			got = len(b.QueuedQueries[0].Arguments[0].([]string))
		}
		if got != tt.want {
			t.Errorf("PrefetchOrders(%s, %q) reads %d orders, want %d", tt.caller.Role, tt.text, got, tt.want)
		}
	}
}
