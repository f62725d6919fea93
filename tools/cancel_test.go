package tools_test

import (
	"context"
	"strings"
	"testing"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

// The cancellation rules (refunds policy, "Cancelling an order instead of
// refunding it"), through Preview and the approved Call.
func TestCancelOrderPolicy(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name     string
		kind     demo.Kind
		code     tools.Code
		msg      string
		refunded bool
	}{
		{name: "awaiting payment: cancelled, nothing charged", kind: demo.Pending},
		{name: "paid not shipped: cancelled and refunded in full", kind: demo.Paid, refunded: true},
		{name: "shipped: can no longer be cancelled", kind: demo.InTransit, code: tools.CodeNotEligible, msg: "item not received"},
		{name: "delivered: refund instead", kind: demo.DeliveredRecently, code: tools.CodeNotEligible, msg: "request_refund"},
		{name: "already cancelled", kind: demo.CancelledUnpaid, code: tools.CodeConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := e.pick(tt.kind)
			before := e.order(o)
			args := `{"order_id":"` + o.ID + `"}`
			ctx := buyer(t.Context(), o.BuyerID)
			p, perr := e.preview(ctx, "cancel_order", args)
			out := e.call(approved(ctx), "cancel_order", args)
			if errCode(perr) != tt.code {
				t.Errorf("Preview(cancel_order) = %v, want %q", perr, tt.code)
			}
			wantCode(t, "cancel_order", out, tt.code)
			after := e.order(o)
			if tt.code != "" {
				if !strings.Contains(out.Err.Message, tt.msg) {
					t.Errorf("message %q does not say %q", out.Err.Message, tt.msg)
				}
				if after.Status != before.Status || after.Refunded != before.Refunded {
					t.Errorf("a refused cancellation changed the order: %s %v → %s %v", before.Status, before.Refunded, after.Status, after.Refunded)
				}
				return
			}
			c := decode[tools.Cancellation](t, out.Data)
			pd := p.Data.(tools.ActionPreview)
			if after.Status != "cancelled" || after.CancelledAt == nil || c.Status != "cancelled" {
				t.Errorf("after cancel_order the order is %s, result %+v", after.Status, c)
			}
			if !tt.refunded {
				if c.Refund != nil || after.Refunded.Minor != 0 || pd.Amount != nil || c.Charged {
					t.Errorf("an unpaid cancellation refunded %v (result %+v, preview %+v)", after.Refunded, c, pd)
				}
				return
			}
			if c.Refund == nil || c.Refund.Amount != before.Total || c.Refund.Status != "completed" || c.Refund.Reason != "cancelled" {
				t.Errorf("refund = %+v, want a completed refund of %v", c.Refund, before.Total)
			}
			if pd.Amount == nil || *pd.Amount != before.Total || !strings.Contains(p.Summary, before.Total.String()) {
				t.Errorf("preview %q %+v does not promise %v", p.Summary, pd, before.Total)
			}
			if after.Refunded != before.Total {
				t.Errorf("order refunded %v, want %v", after.Refunded, before.Total)
			}
			for _, it := range after.Items {
				if it.RefundedQuantity != it.Quantity {
					t.Errorf("line %d refunded %d of %d", it.Line, it.RefundedQuantity, it.Quantity)
				}
			}
			// A refund request afterwards finds the order refunded.
			wantCode(t, "request_refund after cancelling", e.call(approved(ctx), "request_refund", refundJSON(o.ID, "")), tools.CodeAlreadyRefunded)
		})
	}
}

func TestCancelOrderIdempotentAndScoped(t *testing.T) {
	e := newEnv(t)
	o := e.pick(demo.Paid)
	ctx := approved(buyer(t.Context(), o.BuyerID))
	args := `{"order_id":"` + o.ID + `"}`
	first, second := e.call(ctx, "cancel_order", args), e.call(ctx, "cancel_order", args)
	wantCode(t, "cancel_order", first, "")
	wantCode(t, "cancel_order again under the same approval", second, "")
	a, b := decode[tools.Cancellation](t, first.Data), decode[tools.Cancellation](t, second.Data)
	if a.Refund == nil || b.Refund == nil || a.Refund.ID != b.Refund.ID {
		t.Errorf("two confirmations answered %+v and %+v, want the same refund", a.Refund, b.Refund)
	}
	if n := e.count(`SELECT count(*) FROM refunds WHERE order_id = $1`, o.ID); n != 1 {
		t.Errorf("order has %d refunds, want 1", n)
	}
	wantCode(t, "cancel_order under a new approval", e.call(approved(buyer(t.Context(), o.BuyerID)), "cancel_order", args), tools.CodeConflict)

	pending, foreign := e.pick(demo.Pending), e.pick(demo.Paid)
	pctx := buyer(t.Context(), pending.BuyerID)
	tests := []struct {
		name string
		ctx  context.Context
		args string
		code tools.Code
	}{
		{"another buyer's order", pctx, `{"order_id":"` + foreign.ID + `"}`, tools.CodeNotFound},
		{"nonexistent order", pctx, `{"order_id":"ORD-99999"}`, tools.CodeNotFound},
		{"malformed id", pctx, `{"order_id":"cancel all"}`, tools.CodeInvalidArgument},
		{"SQL metacharacters", pctx, `{"order_id":"ORD-1; UPDATE orders SET status='cancelled'"}`, tools.CodeInvalidArgument},
		{"an extra field", pctx, `{"order_id":"` + pending.ID + `","force":true}`, tools.CodeInvalidArgument},
		{"a seller", e.seller(t.Context(), pending.ShopID), `{"order_id":"` + pending.ID + `"}`, tools.CodeInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, perr := e.preview(tt.ctx, "cancel_order", tt.args)
			if errCode(perr) != tt.code {
				t.Errorf("Preview = %v, want %s", perr, tt.code)
			}
			wantCode(t, "cancel_order", e.call(approved(tt.ctx), "cancel_order", tt.args), tt.code)
		})
	}
	if got := e.order(foreign).Status; got != "paid" {
		t.Errorf("another buyer's order is now %s", got)
	}
	if got := e.order(pending).Status; got != "pending" {
		t.Errorf("refused calls changed order %s to %s", pending.ID, got)
	}
}

// Consequential tools never run on a model's word alone: without an
// approval they refuse, change nothing, and the refusal is audited.
func TestConsequentialToolsNeedApproval(t *testing.T) {
	e := newEnv(t)
	delivered, paid := e.pick(demo.DeliveredRecently), e.pick(demo.Paid)
	tests := []struct {
		tool string
		o    demo.Order
		args string
	}{
		{"request_refund", delivered, refundJSON(delivered.ID, "")},
		{"open_dispute", delivered, disputeJSON(delivered.ID, "damaged", "")},
		{"cancel_order", paid, `{"order_id":"` + paid.ID + `"}`},
	}
	for _, tt := range tests {
		for _, ctx := range []context.Context{
			buyer(t.Context(), tt.o.BuyerID),
			tools.Approve(buyer(t.Context(), tt.o.BuyerID), ""),
			tools.Approve(buyer(t.Context(), tt.o.BuyerID), "a_1 OR 1=1"),
		} {
			wantCode(t, tt.tool+" without approval", e.call(ctx, tt.tool, tt.args), tools.CodeConfirmationRequired)
		}
		if spec, ok := e.reg.Lookup(tt.tool); !ok || !spec.Consequential {
			t.Errorf("Lookup(%s) = %+v, want a consequential tool", tt.tool, spec)
		}
	}
	if n := e.count(`SELECT count(*) FROM refunds WHERE order_id IN ($1, $2)`, delivered.ID, paid.ID); n != 0 {
		t.Errorf("unapproved calls made %d refunds", n)
	}
	if n := e.count(`SELECT count(*) FROM disputes WHERE order_id = $1`, delivered.ID); n != 0 {
		t.Errorf("unapproved calls opened %d disputes", n)
	}
	if got := e.order(paid).Status; got != "paid" {
		t.Errorf("an unapproved cancel_order left the order %s", got)
	}
	if n := e.count(`SELECT count(*) FROM tool_calls WHERE error_code = 'confirmation_required'`); n != 3*len(tests) {
		t.Errorf("audit log has %d refused calls, want %d", n, 3*len(tests))
	}
	// An approval does not unlock tools that need none, nor change them.
	wantCode(t, "get_order with an approval", e.call(approved(buyer(t.Context(), delivered.BuyerID)), "get_order",
		`{"order_id":"`+delivered.ID+`"}`), "")
}
