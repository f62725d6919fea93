package tools_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

func refundJSON(id, extra string) string {
	return `{"order_id":"` + id + `","reason":"damaged"` + extra + `}`
}

// Setups that move a demo order into the situation a case needs.

func deliveredDaysAgo(d int) func(*env, demo.Order) {
	return func(e *env, o demo.Order) {
		e.exec(`UPDATE orders SET delivered_at = now() - make_interval(days => $2), shipped_at = now() - make_interval(days => $2 + 2),
			paid_at = now() - make_interval(days => $2 + 3), placed_at = now() - make_interval(days => $2 + 3, hours => 1) WHERE id = $1`, o.ID, d)
	}
}

func shippedDaysAgo(d int) func(*env, demo.Order) {
	return func(e *env, o demo.Order) {
		e.exec(`UPDATE orders SET shipped_at = now() - make_interval(days => $2), paid_at = now() - make_interval(days => $2 + 1),
			placed_at = now() - make_interval(days => $2 + 1, hours => 1) WHERE id = $1`, o.ID, d)
	}
}

// addRefunds gives order o n refunds of one minor unit, age old.
func addRefunds(e *env, orderID, buyerID string, n int, age time.Duration, status, reason string) {
	for i := range n {
		e.exec(`INSERT INTO refunds (id, order_id, buyer_id, amount_minor, currency, status, reason, created_at)
			SELECT $1, id, $2, 1, currency, $3, $4, now() - $5::interval FROM orders WHERE id = $6`,
			fmt.Sprintf("RF-T%s%02d", strings.TrimPrefix(orderID, "ORD-"), i), buyerID, status, reason, age.String(), orderID)
	}
}

// buyerRefunds gives o's buyer n more refunds on their other orders.
func buyerRefunds(n int, age time.Duration, reason string, except ...string) func(*env, demo.Order) {
	return func(e *env, o demo.Order) {
		rows, err := e.pool.Query(context.Background(), `SELECT id FROM orders o WHERE buyer_id = $1 AND id <> ALL($2)
			AND total_minor - refunded_minor >= 3 AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.id) ORDER BY id`,
			o.BuyerID, append(except, o.ID))
		if err != nil {
			e.tb.Fatal(err)
		}
		var ids []string
		for rows.Next() {
			var id string
			rows.Scan(&id) //nolint:errcheck
			ids = append(ids, id)
		}
		rows.Close()
		for _, id := range ids {
			k := min(n, tools.MaxRefundsPerOrder)
			addRefunds(e, id, o.BuyerID, k, age, "approved", reason)
			n -= k
		}
		if n > 0 {
			e.tb.Fatalf("buyer %s has too few orders for the refunds the case needs", o.BuyerID)
		}
	}
}

// recentRefunds counts o's buyer's self-service refunds in the policy's
// rolling period.
func recentRefunds(e *env, o demo.Order) int {
	return e.count(`SELECT count(*) FROM refunds WHERE buyer_id = $1 AND status <> 'rejected' AND reason <> 'cancelled'
		AND created_at > now() - interval '30 days'`, o.BuyerID)
}

// addNonRefundableLine adds a non-refundable product of o's shop to o.
func addNonRefundableLine(e *env, o demo.Order) {
	e.exec(`WITH p AS (SELECT id, price_minor FROM products WHERE shop_id = $2 AND NOT refundable ORDER BY id LIMIT 1),
		l AS (INSERT INTO order_items (order_id, line, product_id, quantity, unit_price_minor)
		      SELECT $1, (SELECT max(line) + 1 FROM order_items WHERE order_id = $1), p.id, 1, p.price_minor FROM p RETURNING unit_price_minor)
		UPDATE orders SET total_minor = total_minor + (SELECT unit_price_minor FROM l) WHERE id = $1`, o.ID, o.ShopID)
}

func lastLine(e *env, o demo.Order) tools.Item {
	it := e.order(o).Items
	return it[len(it)-1]
}

// Each rule of the refunds policy (retrieval/policies/en/refunds.md), one
// case each, checked through Preview and through the approved Call, which
// must agree.
func TestRequestRefundPolicy(t *testing.T) {
	e := newEnv(t)
	type tcase struct {
		name  string
		kind  demo.Kind
		setup func(*env, demo.Order)
		args  func(*env, demo.Order) string
		code  tools.Code
		msg   string // a phrase the message must hold
		// amount is the refund wanted, from the order before the call.
		amount func(before tools.Order) int64
	}
	full := func(_ *env, o demo.Order) string { return refundJSON(o.ID, "") }
	amount := func(minor int64) func(*env, demo.Order) string {
		return func(e *env, o demo.Order) string {
			return refundJSON(o.ID, fmt.Sprintf(`,"amount_minor":%d,"currency":"%s"`, minor, e.order(o).Total.Currency))
		}
	}
	line := func(n, qty int) func(*env, demo.Order) string {
		return func(_ *env, o demo.Order) string {
			return refundJSON(o.ID, fmt.Sprintf(`,"items":[{"line":%d,"quantity":%d}]`, n, qty))
		}
	}
	rest := func(b tools.Order) int64 { return b.Total.Minor - b.Refunded.Minor }
	tests := []tcase{
		{name: "refund window: delivered days ago, full refund", kind: demo.DeliveredRecently, args: full, amount: rest},
		{name: "refund window: day 29 after delivery is inside", kind: demo.DeliveredRecently, setup: deliveredDaysAgo(29), args: full, amount: rest},
		{name: "refund window: day 31 after delivery is outside, dispute offered", kind: demo.DeliveredRecently, setup: deliveredDaysAgo(31), args: full,
			code: tools.CodeWindowExpired, msg: "open_dispute"},
		{name: "refund window: past the dispute window too", kind: demo.DeliveredRecently, setup: deliveredDaysAgo(61), args: full,
			code: tools.CodeWindowExpired, msg: "dispute window has ended"},
		{name: "refund window: delivered 35+ days ago", kind: demo.DeliveredLongAgo, args: full, code: tools.CodeWindowExpired},
		{name: "order state: awaiting payment, cancel instead", kind: demo.Pending, args: full, code: tools.CodeNotEligible, msg: "cancel_order"},
		{name: "order state: paid not shipped, cancel instead", kind: demo.Paid, args: full, code: tools.CodeNotEligible, msg: "cancel_order"},
		{name: "order state: shipped not delivered, not-received dispute after 15 days", kind: demo.InTransit, args: full,
			code: tools.CodeNotEligible, msg: "item not received"},
		{name: "order state: shipped 15+ days ago, not-received dispute now", kind: demo.Overdue, args: full,
			code: tools.CodeNotEligible, msg: "can be opened now"},
		{name: "cancelled orders: refunded in full on cancellation", kind: demo.CancelledPaid, args: full, code: tools.CodeAlreadyRefunded},
		{name: "cancelled orders: cancelled before payment", kind: demo.CancelledUnpaid, args: full, code: tools.CodeNotEligible, msg: "nothing was charged"},
		{name: "maximum refund amount: fully refunded order", kind: demo.FullyRefunded, args: full, code: tools.CodeAlreadyRefunded},
		{name: "maximum refund amount: more than is left", kind: demo.DeliveredRecently, args: amount(1 << 40), code: tools.CodeNotEligible, msg: "at most"},
		{name: "maximum refund amount: full refund of a partly refunded order is the rest", kind: demo.PartiallyRefunded, args: full, amount: rest},
		{name: "partial refunds: by amount", kind: demo.DeliveredRecently, args: amount(100), amount: func(tools.Order) int64 { return 100 }},
		{name: "partial refunds: by amount in another currency", kind: demo.DeliveredRecently,
			args: func(e *env, o demo.Order) string {
				cur := "RUB"
				if e.order(o).Total.Currency == cur {
					cur = "USD"
				}
				return refundJSON(o.ID, `,"amount_minor":100,"currency":"`+cur+`"`)
			}, code: tools.CodeInvalidArgument, msg: "was paid in"},
		{name: "partial refunds: by item", kind: demo.DeliveredRecently, args: line(1, 1),
			amount: func(b tools.Order) int64 { return b.Items[0].UnitPrice.Minor }},
		{name: "partial refunds: an item already refunded", kind: demo.PartiallyRefunded, args: line(1, 1),
			setup: func(e *env, o demo.Order) {
				e.exec(`UPDATE order_items SET refunded_quantity = quantity WHERE order_id = $1 AND line = 1`, o.ID)
			}, code: tools.CodeAlreadyRefunded},
		{name: "partial refunds: more of an item than is left", kind: demo.DeliveredRecently, args: line(1, 3), code: tools.CodeInvalidArgument},
		{name: "partial refunds: a line the order does not have", kind: demo.DeliveredRecently, args: line(9, 1), code: tools.CodeInvalidArgument},
		{name: "non-refundable items: an order of only non-refundable items", kind: demo.NonRefundable, args: full,
			code: tools.CodeNotEligible, msg: "open_dispute"},
		{name: "non-refundable items: asking for the non-refundable line", kind: demo.DeliveredRecently, setup: addNonRefundableLine,
			args: func(e *env, o demo.Order) string {
				return refundJSON(o.ID, fmt.Sprintf(`,"items":[{"line":%d,"quantity":1}]`, lastLine(e, o).Line))
			}, code: tools.CodeNotEligible, msg: "cannot be refunded"},
		{name: "non-refundable items: a full refund leaves them out", kind: demo.DeliveredRecently, setup: addNonRefundableLine, args: full,
			amount: func(b tools.Order) int64 { return rest(b) - b.Items[len(b.Items)-1].UnitPrice.Minor }},
		{name: "refunds per order: 3 refunds already", kind: demo.DeliveredRecently, args: full, code: tools.CodeLimitReached,
			setup: func(e *env, o demo.Order) { addRefunds(e, o.ID, o.BuyerID, 3, time.Hour, "approved", "other") }},
		{name: "refunds per order: the 3rd refund is allowed", kind: demo.DeliveredRecently, args: amount(100),
			setup:  func(e *env, o demo.Order) { addRefunds(e, o.ID, o.BuyerID, 2, time.Hour, "approved", "other") },
			amount: func(tools.Order) int64 { return 100 }},
		{name: "refunds per order: rejected refunds do not count", kind: demo.DeliveredRecently, args: amount(100),
			setup:  func(e *env, o demo.Order) { addRefunds(e, o.ID, o.BuyerID, 3, time.Hour, "rejected", "other") },
			amount: func(tools.Order) int64 { return 100 }},
		{name: "self-service limit: 5 refunds in the last 30 days, specialist reviews", kind: demo.DeliveredRecently, args: full,
			setup: buyerRefunds(5, 24*time.Hour, "other"), code: tools.CodeLimitReached, msg: "specialist"},
		{name: "self-service limit: the 5th refund is allowed", kind: demo.DeliveredRecently, args: amount(100),
			setup: func(e *env, o demo.Order) {
				if n := tools.MaxSelfServiceRefunds - 1 - recentRefunds(e, o); n > 0 {
					buyerRefunds(n, 24*time.Hour, "other")(e, o)
				}
			}, amount: func(tools.Order) int64 { return 100 }},
		{name: "self-service limit: rolling, refunds 31 days old do not count", kind: demo.DeliveredRecently, args: amount(100),
			setup: buyerRefunds(5, 31*24*time.Hour, "other"), amount: func(tools.Order) int64 { return 100 }},
		{name: "self-service limit: cancellation refunds do not count", kind: demo.DeliveredRecently, args: amount(100),
			setup: buyerRefunds(5, 24*time.Hour, "cancelled"), amount: func(tools.Order) int64 { return 100 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := e.pick(tt.kind)
			if tt.setup != nil {
				tt.setup(e, o)
			}
			before := e.order(o)
			args := tt.args(e, o)
			ctx := buyer(t.Context(), o.BuyerID)
			p, perr := e.preview(ctx, "request_refund", args)
			out := e.call(approved(ctx), "request_refund", args)
			if errCode(perr) != tt.code {
				t.Errorf("Preview(request_refund %s) = %v, want %q", args, perr, tt.code)
			}
			wantCode(t, "request_refund "+args, out, tt.code)
			if tt.code != "" {
				if perr != nil && perr.Message != out.Err.Message {
					t.Errorf("preview says %q, the call %q", perr.Message, out.Err.Message)
				}
				if !strings.Contains(out.Err.Message, tt.msg) {
					t.Errorf("message %q does not say %q", out.Err.Message, tt.msg)
				}
				if after := e.order(o); after.Refunded != before.Refunded {
					t.Errorf("a refused refund changed the refunded amount from %v to %v", before.Refunded, after.Refunded)
				}
				return
			}
			r := decode[tools.Refund](t, out.Data)
			want := tools.Money{Minor: tt.amount(before), Currency: before.Total.Currency}
			pd := p.Data.(tools.ActionPreview)
			if r.Amount != want || pd.Amount == nil || *pd.Amount != want {
				t.Errorf("refund %v, preview %v; want %v", r.Amount, pd.Amount, want)
			}
			if !strings.Contains(p.Summary, want.String()) || !strings.Contains(p.Summary, o.ID) {
				t.Errorf("preview summary %q does not name %s and %s", p.Summary, want, o.ID)
			}
			// The card shows each line with its money only where the lines
			// add up to the refund; otherwise it says what was refunded before.
			var lines, priced int64
			for _, it := range pd.Items {
				if it.Amount != nil {
					lines += it.Amount.Minor
					priced++
				}
			}
			if priced > 0 && lines != want.Minor {
				t.Errorf("the card's lines %+v come to %d, the refund is %v", pd.Items, lines, want)
			}
			if paid := before.Refunded.Minor; priced == 0 && len(pd.Items) > 0 && (pd.Less == nil || !strings.Contains(p.Summary, pd.Less.String())) {
				t.Errorf("the card lists lines without money and does not say why (refunded before: %d): less %v, summary %q", paid, pd.Less, p.Summary)
			}
			if r.Status != "approved" || r.ExpectedBy == nil || !strings.HasPrefix(r.ID, "RF-") {
				t.Errorf("refund = %+v, want an approved RF- refund with an expected date", r)
			}
			after := e.order(o)
			if after.Refunded.Minor != before.Refunded.Minor+want.Minor {
				t.Errorf("order refunded %v after, %v before, want +%v", after.Refunded, before.Refunded, want)
			}
			for i, it := range after.Items {
				got := it.RefundedQuantity - before.Items[i].RefundedQuantity
				var wantQty int
				for _, ri := range pd.Items {
					if ri.Line == it.Line {
						wantQty = ri.Quantity
					}
				}
				if got != wantQty {
					t.Errorf("line %d: refunded quantity grew by %d, want %d", it.Line, got, wantQty)
				}
			}
		})
	}
}

// A refund of everything left after a refund of an amount (not of lines)
// refunds the balance, and its card does not show the lines with prices
// that add up to more: it lists them without money and says how much was
// refunded before, so what the buyer confirms is what is refunded.
func TestFullRefundAfterARefundOfAnAmount(t *testing.T) {
	e := newEnv(t)
	o := e.pick(demo.DeliveredRecently)
	ctx := buyer(t.Context(), o.BuyerID)
	total := e.order(o).Total
	first := e.call(approved(ctx), "request_refund", refundJSON(o.ID, fmt.Sprintf(`,"amount_minor":%d,"currency":"%s"`, total.Minor/3, total.Currency)))
	wantCode(t, "request_refund of a third", first, "")

	args := refundJSON(o.ID, "")
	p, perr := e.preview(ctx, "request_refund", args)
	if perr != nil {
		t.Fatalf("Preview(request_refund %s) = %v", args, perr)
	}
	pd := p.Data.(tools.ActionPreview)
	rest := tools.Money{Minor: total.Minor - total.Minor/3, Currency: total.Currency}
	if pd.Amount == nil || *pd.Amount != rest {
		t.Fatalf("the card refunds %v, want the rest, %v", pd.Amount, rest)
	}
	for _, it := range pd.Items {
		if it.Amount != nil {
			t.Errorf("the card shows line %d at %v; its lines come to more than the %v refunded", it.Line, *it.Amount, rest)
		}
	}
	less := tools.Money{Minor: total.Minor / 3, Currency: total.Currency}
	if len(pd.Items) == 0 || pd.Less == nil || *pd.Less != less || !strings.Contains(p.Summary, less.String()) {
		t.Errorf("the card (items %+v, less %v, %q) does not say that %v was refunded before", pd.Items, pd.Less, p.Summary, less)
	}
	out := e.call(approved(ctx), "request_refund", args)
	wantCode(t, "request_refund of the rest", out, "")
	if r := decode[tools.Refund](t, out.Data); r.Amount != rest {
		t.Errorf("refunded %v, the card said %v", r.Amount, rest)
	}
	if got := e.order(o).Refunded; got != total {
		t.Errorf("order refunded %v in all, want its total %v", got, total)
	}
}

// The same approval makes one refund however often it is confirmed; another
// approval is another refund; an approval reused on another order is a
// conflict.
func TestRequestRefundIdempotent(t *testing.T) {
	e := newEnv(t)
	o := e.pick(demo.DeliveredRecently)
	ctx := approved(buyer(t.Context(), o.BuyerID))
	args := refundJSON(o.ID, fmt.Sprintf(`,"amount_minor":100,"currency":"%s"`, e.order(o).Total.Currency))
	first := e.call(ctx, "request_refund", args)
	second := e.call(ctx, "request_refund", args)
	wantCode(t, "first request_refund", first, "")
	wantCode(t, "second request_refund", second, "")
	r1, r2 := decode[tools.Refund](t, first.Data), decode[tools.Refund](t, second.Data)
	if r1.ID != r2.ID || r1.Amount != r2.Amount || r1.Status != r2.Status || !r1.CreatedAt.Equal(r2.CreatedAt) ||
		r1.ExpectedBy == nil || r2.ExpectedBy == nil || !r1.ExpectedBy.Equal(*r2.ExpectedBy) {
		t.Errorf("two calls under one approval answered\n%s\n%s", first.Data, second.Data)
	}
	if n := e.count(`SELECT count(*) FROM refunds WHERE order_id = $1`, o.ID); n != 1 {
		t.Errorf("order has %d refunds after one approved action, want 1", n)
	}
	if got := e.order(o).Refunded.Minor; got != 100 {
		t.Errorf("order refunded %d, want 100", got)
	}

	third := e.call(approved(buyer(t.Context(), o.BuyerID)), "request_refund", args)
	wantCode(t, "request_refund under a new approval", third, "")
	if r3 := decode[tools.Refund](t, third.Data); r3.ID == r1.ID {
		t.Errorf("a new approval returned the old refund %s", r1.ID)
	}

	other := e.pick(demo.DeliveredRecently)
	reused := tools.Approve(buyer(t.Context(), other.BuyerID), mustApproval(t, ctx))
	wantCode(t, "request_refund reusing another buyer's approval", e.call(reused, "request_refund", refundJSON(other.ID, "")), tools.CodeConflict)
	if n := e.count(`SELECT count(*) FROM refunds WHERE order_id = $1`, other.ID); n != 0 {
		t.Errorf("a reused approval made %d refunds", n)
	}
}

func mustApproval(tb testing.TB, ctx context.Context) string {
	id, ok := tools.ApprovalFrom(ctx)
	if !ok {
		tb.Fatal("no approval in context")
	}
	return id
}

// 50 confirmations of one action and 50 different partial refunds of the
// same order at once: the database ends with at most the total refunded,
// one refund for the shared action and no more refunds than the policy
// allows per order.
func TestRequestRefundConcurrency(t *testing.T) {
	e := newEnv(t)
	o := e.pick(demo.DeliveredRecently)
	before := e.order(o)
	base := buyer(t.Context(), o.BuyerID)
	shared := tools.Approve(base, "a_shared_action")
	cur := before.Total.Currency
	sharedArgs := refundJSON(o.ID, fmt.Sprintf(`,"amount_minor":%d,"currency":"%s"`, before.Total.Minor/4, cur))

	var wg sync.WaitGroup
	outs := make([]tools.Outcome, 100)
	for i := range 50 {
		wg.Go(func() { outs[i] = e.call(shared, "request_refund", sharedArgs) })
		wg.Go(func() {
			amount := before.Total.Minor/5 + int64(i)
			outs[50+i] = e.call(approved(base), "request_refund",
				refundJSON(o.ID, fmt.Sprintf(`,"amount_minor":%d,"currency":"%s"`, amount, cur)))
		})
	}
	wg.Wait()

	sharedIDs := map[string]bool{}
	for i, out := range outs {
		if out.Err != nil {
			switch out.Err.Code {
			case tools.CodeLimitReached, tools.CodeNotEligible, tools.CodeAlreadyRefunded:
			default:
				t.Errorf("call %d failed with %v, want success or a policy refusal", i, out.Err)
			}
			continue
		}
		if i < 50 {
			sharedIDs[decode[tools.Refund](t, out.Data).ID] = true
		}
	}
	var refunded int64
	e.scan(&refunded, `SELECT coalesce(sum(amount_minor), 0) FROM refunds WHERE order_id = $1 AND status <> 'rejected'`, o.ID)
	n := e.count(`SELECT count(*) FROM refunds WHERE order_id = $1`, o.ID)
	nShared := e.count(`SELECT count(*) FROM refunds WHERE idempotency_key = 'action:a_shared_action'`)
	switch {
	case refunded > before.Total.Minor:
		t.Errorf("refunded %d of an order of %d", refunded, before.Total.Minor)
	case n > tools.MaxRefundsPerOrder:
		t.Errorf("order has %d refunds, the policy allows %d", n, tools.MaxRefundsPerOrder)
	case nShared > 1:
		t.Errorf("the shared action made %d refunds", nShared)
	case nShared == 1 && len(sharedIDs) != 1:
		t.Errorf("the shared action's confirmations saw refunds %v, want one", sharedIDs)
	case nShared == 0 && len(sharedIDs) != 0:
		t.Errorf("the shared action reported refunds %v that are not stored", sharedIDs)
	}
	t.Logf("refunded %d of %d in %d refunds, shared %d, shared ids %v", refunded, before.Total.Minor, n, nShared, sharedIDs)
	if after := e.order(o); after.Refunded.Minor != refunded {
		t.Errorf("orders.refunded_minor = %d, refunds add up to %d", after.Refunded.Minor, refunded)
	}
}

// Refunds of two orders of one buyer at once: the per-buyer limit holds,
// because the buyer's refunds are checked one at a time.
func TestSelfServiceLimitConcurrency(t *testing.T) {
	e := newEnv(t)
	var a, b demo.Order
	for _, o := range demo.Plan() {
		if o.Kind != demo.DeliveredRecently {
			continue
		}
		for _, p := range demo.Plan() {
			if p.BuyerID == o.BuyerID && p.Kind == demo.InTransit {
				a, b = o, p
			}
		}
		if b.ID != "" {
			break
		}
	}
	if b.ID == "" {
		t.Fatal("no buyer with a recent delivery and an order in transit")
	}
	e.exec(`UPDATE orders SET status = 'delivered', delivered_at = now() WHERE id = $1`, b.ID)
	if n := tools.MaxSelfServiceRefunds - 1 - recentRefunds(e, a); n > 0 {
		buyerRefunds(n, time.Hour, "other", b.ID)(e, a)
	}
	ctx := buyer(t.Context(), a.BuyerID)
	var wg sync.WaitGroup
	outs := make([]tools.Outcome, 10)
	for i := range outs {
		o := []demo.Order{a, b}[i%2]
		wg.Go(func() {
			outs[i] = e.call(approved(ctx), "request_refund", refundJSON(o.ID, fmt.Sprintf(`,"amount_minor":100,"currency":"%s"`, e.order(o).Total.Currency)))
		})
	}
	wg.Wait()
	ok := 0
	for i, out := range outs {
		switch {
		case out.Err == nil:
			ok++
		case out.Err.Code != tools.CodeLimitReached:
			t.Errorf("call %d = %v, want success or limit_reached", i, out.Err)
		}
	}
	if n := recentRefunds(e, a); ok != 1 || n != tools.MaxSelfServiceRefunds {
		t.Errorf("%d refunds succeeded, the buyer has %d in the period; want 1 and %d", ok, n, tools.MaxSelfServiceRefunds)
	}
}

// The database refuses what the policy forbids even when every Go check is
// bypassed.
func TestDatabaseRefusesWhatRefundPolicyForbids(t *testing.T) {
	e := newEnv(t)
	insert := func(o demo.Order, id string, amount int64, status string) error {
		_, err := e.pool.Exec(t.Context(), `INSERT INTO refunds (id, order_id, buyer_id, amount_minor, currency, status, reason)
			SELECT $1, id, buyer_id, $2, currency, $3, 'other' FROM orders WHERE id = $4`, id, amount, status, o.ID)
		return err
	}
	total := func(o demo.Order) int64 { return e.order(o).Total.Minor }
	tests := []struct {
		name       string
		do         func(o demo.Order) error
		constraint string
	}{
		{"maximum refund amount: one refund above the total", func(o demo.Order) error {
			return insert(o, "RF-OVER1", total(o)+1, "approved")
		}, "orders_refund_within_total"},
		{"maximum refund amount: the total across refunds", func(o demo.Order) error {
			if err := insert(o, "RF-HALF1", total(o)-1, "approved"); err != nil {
				return fmt.Errorf("first refund: %w", err)
			}
			return insert(o, "RF-HALF2", 2, "pending")
		}, "orders_refund_within_total"},
		{"refunds per order: a 4th refund", func(o demo.Order) error {
			for i := range tools.MaxRefundsPerOrder {
				if err := insert(o, fmt.Sprintf("RF-LIM%d", i), 1, "pending"); err != nil {
					return fmt.Errorf("refund %d: %w", i+1, err)
				}
			}
			return insert(o, "RF-LIM9", 1, "approved")
		}, "refunds_per_order_limit"},
		{"refunds per order: a rejected refund revived as the 4th", func(o demo.Order) error {
			for i := range tools.MaxRefundsPerOrder {
				if err := insert(o, fmt.Sprintf("RF-REV%d", i), 1, "approved"); err != nil {
					return fmt.Errorf("refund %d: %w", i+1, err)
				}
			}
			if err := insert(o, "RF-REJ1", 1, "rejected"); err != nil {
				return fmt.Errorf("rejected refund: %w", err)
			}
			_, err := e.pool.Exec(t.Context(), `UPDATE refunds SET status = 'approved' WHERE id = 'RF-REJ1'`)
			return err
		}, "refunds_per_order_limit"},
		{"refunds: another currency than the order's", func(o demo.Order) error {
			_, err := e.pool.Exec(t.Context(), `INSERT INTO refunds (id, order_id, buyer_id, amount_minor, currency, status, reason)
				SELECT 'RF-CUR1', id, buyer_id, 1, CASE currency WHEN 'USD' THEN 'EUR' ELSE 'USD' END, 'approved', 'other' FROM orders WHERE id = $1`, o.ID)
			return err
		}, "refunds_currency_matches_order"},
		{"partial refunds: more of a line than was bought", func(o demo.Order) error {
			_, err := e.pool.Exec(t.Context(), `UPDATE order_items SET refunded_quantity = quantity + 1 WHERE order_id = $1 AND line = 1`, o.ID)
			return err
		}, "order_items_refunded_within_quantity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := e.pick(demo.DeliveredRecently)
			err := tt.do(o)
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) || pgErr.ConstraintName != tt.constraint {
				t.Errorf("err = %v, want a violation of %s", err, tt.constraint)
			}
			var refunded int64
			e.scan(&refunded, `SELECT refunded_minor FROM orders WHERE id = $1`, o.ID)
			if refunded > total(o) {
				t.Errorf("order refunded %d of %d", refunded, total(o))
			}
		})
	}
}

// Arguments and callers that must not reach another buyer's refund, or any
// refund at all.
func TestRequestRefundAuthority(t *testing.T) {
	e := newEnv(t)
	o := e.pick(demo.DeliveredRecently)
	foreign := another(o.BuyerID)
	ctx := buyer(t.Context(), o.BuyerID)
	tests := []struct {
		name string
		ctx  context.Context
		args string
		code tools.Code
	}{
		{"another buyer's order", ctx, refundJSON(foreign.ID, ""), tools.CodeNotFound},
		{"nonexistent order", ctx, refundJSON("ORD-99999", ""), tools.CodeNotFound},
		{"malformed order id", ctx, refundJSON("order 12", ""), tools.CodeInvalidArgument},
		{"SQL metacharacters in the order id", ctx, refundJSON(o.ID+"' OR '1'='1", ""), tools.CodeInvalidArgument},
		{"SQL metacharacters in the reason", ctx, `{"order_id":"` + o.ID + `","reason":"damaged'; DELETE FROM refunds; --"}`, tools.CodeInvalidArgument},
		{"unknown reason", ctx, `{"order_id":"` + o.ID + `","reason":"cancelled"}`, tools.CodeInvalidArgument},
		{"missing reason", ctx, `{"order_id":"` + o.ID + `"}`, tools.CodeInvalidArgument},
		{"a buyer id in the arguments", ctx, refundJSON(o.ID, `,"buyer_id":"`+foreign.BuyerID+`"`), tools.CodeInvalidArgument},
		{"items and an amount", ctx, refundJSON(o.ID, `,"items":[{"line":1,"quantity":1}],"amount_minor":1,"currency":"USD"`), tools.CodeInvalidArgument},
		{"negative amount", ctx, refundJSON(o.ID, `,"amount_minor":-500,"currency":"USD"`), tools.CodeInvalidArgument},
		{"fractional amount", ctx, refundJSON(o.ID, `,"amount_minor":12.5,"currency":"USD"`), tools.CodeInvalidArgument},
		{"amount without currency", ctx, refundJSON(o.ID, `,"amount_minor":100`), tools.CodeInvalidArgument},
		{"currency without amount", ctx, refundJSON(o.ID, `,"currency":"USD"`), tools.CodeInvalidArgument},
		{"unknown currency", ctx, refundJSON(o.ID, `,"amount_minor":100,"currency":"BTC"`), tools.CodeInvalidArgument},
		{"zero quantity", ctx, refundJSON(o.ID, `,"items":[{"line":1,"quantity":0}]`), tools.CodeInvalidArgument},
		{"a line twice", ctx, refundJSON(o.ID, `,"items":[{"line":1,"quantity":1},{"line":1,"quantity":1}]`), tools.CodeInvalidArgument},
		{"empty items", ctx, refundJSON(o.ID, `,"items":[]`), tools.CodeInvalidArgument},
		{"an extra field in an item", ctx, refundJSON(o.ID, `,"items":[{"line":1,"quantity":1,"unit_price":1}]`), tools.CodeInvalidArgument},
		{"oversized", ctx, refundJSON(o.ID, `,"pad":"`+strings.Repeat("x", tools.MaxArgumentBytes)+`"`), tools.CodeInvalidArgument},
		{"not JSON", ctx, `refund everything`, tools.CodeInvalidArgument},
		{"a seller", e.seller(t.Context(), o.ShopID), refundJSON(o.ID, ""), tools.CodeInvalidArgument},
		{"a caller without a role", tools.NewContext(t.Context(), tools.Caller{ID: o.BuyerID}), refundJSON(o.ID, ""), tools.CodeInvalidArgument},
		{"no caller", t.Context(), refundJSON(o.ID, ""), tools.CodeUnauthorized},
	}
	var nonexistent string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, perr := e.preview(tt.ctx, "request_refund", tt.args)
			if errCode(perr) != tt.code {
				t.Errorf("Preview = %v, want %s", perr, tt.code)
			}
			out := e.call(approved(tt.ctx), "request_refund", tt.args)
			wantCode(t, "request_refund", out, tt.code)
			switch tt.name {
			case "nonexistent order":
				nonexistent = notFoundShape(out.Err.Message, "ORD-99999")
			case "another buyer's order":
				if got := notFoundShape(out.Err.Message, foreign.ID); nonexistent != "" && got != nonexistent {
					t.Errorf("another buyer's order answers %q, a nonexistent one %q", got, nonexistent)
				}
			}
		})
	}
	if n := e.count(`SELECT count(*) FROM refunds WHERE order_id IN ($1, $2) AND created_at > now() - interval '1 hour'`, o.ID, foreign.ID); n != 0 {
		t.Errorf("refused requests made %d refunds", n)
	}
}

func TestGetRefundStatus(t *testing.T) {
	e := newEnv(t)
	o := e.pick(demo.PartiallyRefunded)
	var refundID string
	e.scan(&refundID, `SELECT id FROM refunds WHERE order_id = $1`, o.ID)
	foreign := e.pick(demo.FullyRefunded)
	var foreignRefund string
	e.scan(&foreignRefund, `SELECT id FROM refunds WHERE order_id = $1`, foreign.ID)
	ctx := buyer(t.Context(), o.BuyerID)

	made := e.call(approved(ctx), "request_refund", refundJSON(o.ID, `,"items":[{"line":2,"quantity":1}]`))
	wantCode(t, "request_refund", made, "")
	newID := decode[tools.Refund](t, made.Data).ID

	tests := []struct {
		name, args string
		code       tools.Code
		refunds    int
	}{
		{"own refund by id", `{"refund_id":"` + refundID + `"}`, "", 1},
		{"own refund by id, lower case", `{"refund_id":"` + strings.ToLower(newID) + `"}`, "", 1},
		{"own order's refunds", `{"order_id":"` + o.ID + `"}`, "", 2},
		{"another buyer's refund", `{"refund_id":"` + foreignRefund + `"}`, tools.CodeNotFound, 0},
		{"another buyer's order", `{"order_id":"` + foreign.ID + `"}`, tools.CodeNotFound, 0},
		{"nonexistent refund", `{"refund_id":"RF-ZZZZZZZZZZ"}`, tools.CodeNotFound, 0},
		{"malformed refund id", `{"refund_id":"refund 1"}`, tools.CodeInvalidArgument, 0},
		{"SQL metacharacters", `{"refund_id":"RF-1' OR '1'='1"}`, tools.CodeInvalidArgument, 0},
		{"both ids", `{"refund_id":"` + refundID + `","order_id":"` + o.ID + `"}`, tools.CodeInvalidArgument, 0},
		{"neither id", `{}`, tools.CodeInvalidArgument, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := e.call(ctx, "get_refund_status", tt.args)
			wantCode(t, "get_refund_status "+tt.args, out, tt.code)
			switch {
			case tt.code != "":
			case strings.Contains(tt.args, "order_id"):
				l := decode[tools.RefundList](t, out.Data)
				if len(l.Refunds) != tt.refunds || l.Refunded.Minor == 0 {
					t.Errorf("refunds of %s = %+v, want %d", o.ID, l, tt.refunds)
				}
			default:
				r := decode[tools.Refund](t, out.Data)
				if r.OrderID != o.ID || r.Amount.Minor <= 0 {
					t.Errorf("refund = %+v", r)
				}
				if r.ID == newID && (len(r.Items) != 1 || r.Items[0].Line != 2 || r.ExpectedBy == nil) {
					t.Errorf("new refund = %+v, want line 2 and an expected date", r)
				}
			}
		})
	}
	none := e.call(buyer(t.Context(), e.pick(demo.DeliveredRecently).BuyerID), "get_refund_status", `{"order_id":"ORD-99999"}`)
	wantCode(t, "get_refund_status of a nonexistent order", none, tools.CodeNotFound)
}

// A refund by items shows each line with what it comes to, and the total
// is their sum, never the order's; the lines left out are listed as kept; the preview says until when the refund
// may still be asked (delivery + the window), so a buyer who calls it off
// is told. The refund made under the approval is the items' amount.
func TestRefundByItemsPricesEachLine(t *testing.T) {
	e := newEnv(t)
	o := e.pick(demo.DeliveredRecently)
	e.exec(`UPDATE order_items SET quantity = 3 WHERE order_id = $1 AND line = 1`, o.ID)
	e.exec(`UPDATE orders SET total_minor = (SELECT sum(quantity * unit_price_minor) FROM order_items WHERE order_id = $1) WHERE id = $1`, o.ID)
	order := e.order(o)
	if len(order.Items) < 2 {
		t.Fatalf("order %s has %d lines, want two or more", o.ID, len(order.Items))
	}
	first, second := order.Items[0], order.Items[1]
	ctx := buyer(t.Context(), o.BuyerID)
	args := refundJSON(o.ID, fmt.Sprintf(`,"items":[{"line":%d,"quantity":2},{"line":%d,"quantity":1}]`, first.Line, second.Line))
	p, perr := e.preview(ctx, "request_refund", args)
	if perr != nil {
		t.Fatalf("Preview(request_refund %s) = %v", args, perr)
	}
	data, ok := p.Data.(tools.ActionPreview)
	if !ok {
		t.Fatalf("preview data is %T, want tools.ActionPreview", p.Data)
	}
	want := 2*first.UnitPrice.Minor + second.UnitPrice.Minor
	if data.Amount == nil || data.Amount.Minor != want || data.Amount.Minor == order.Total.Minor {
		t.Errorf("preview amount %v, want %d (not the order's %d)", data.Amount, want, order.Total.Minor)
	}
	if len(data.Items) != 2 || data.Items[0].Amount == nil || data.Items[1].Amount == nil ||
		data.Items[0].Amount.Minor != 2*first.UnitPrice.Minor || data.Items[1].Amount.Minor != second.UnitPrice.Minor ||
		data.Items[0].Amount.Currency != order.Total.Currency {
		t.Errorf("preview items %+v, want line %d ×2 at %d and line %d ×1 at %d", data.Items, first.Line, 2*first.UnitPrice.Minor, second.Line, second.UnitPrice.Minor)
	}
	// Line one had three pieces and two are refunded: one stays.
	if len(data.Kept) != len(order.Items)-1 || data.Kept[0].Line != first.Line || data.Kept[0].Quantity != 1 {
		t.Errorf("kept %+v, want one piece of line %d and the order's %d other lines", data.Kept, first.Line, len(order.Items)-2)
	}
	for _, k := range data.Kept[1:] {
		if k.Line == first.Line || k.Line == second.Line {
			t.Errorf("kept %+v is refunded", k)
		}
	}
	if end := order.DeliveredAt.Add(tools.RefundWindow); data.RefundableUntil == nil || !data.RefundableUntil.Equal(end) {
		t.Errorf("refundable until %v, want %v", data.RefundableUntil, end)
	}
	if !strings.Contains(p.Summary, first.Name+" ×2: ") {
		t.Errorf("summary %q does not price %s", p.Summary, first.Name)
	}
	out := e.call(approved(ctx), "request_refund", args)
	wantCode(t, "request_refund by items", out, "")
	if r := decode[tools.Refund](t, out.Data); r.Amount.Minor != want {
		t.Errorf("refund %d, want the items' %d", r.Amount.Minor, want)
	}
}
