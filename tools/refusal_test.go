package tools_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

// Each refusal of the refund and cancellation rules carries the rule, the
// order's date it counts from, the window's end and the alternative the
// policy allows, the same through Preview and through the approved Call;
// a ready alternative is a call the tools accept.
func TestRefusalsCarryTheRuleTheDatesAndTheAlternative(t *testing.T) {
	e := newEnv(t)
	type want struct {
		rule  string
		event string
		// date picks the order's date the rule counts from.
		date     func(tools.Order) *time.Time
		deadline time.Duration // after date; 0: none
		alt      string        // the alternative's tool, "" for none
		ready    bool
		until    time.Duration // after date; 0: none
	}
	delivered := func(o tools.Order) *time.Time { return o.DeliveredAt }
	shipped := func(o tools.Order) *time.Time { return o.ShippedAt }
	placed := func(o tools.Order) *time.Time { return &o.PlacedAt }
	tests := []struct {
		name   string
		kind   demo.Kind
		setup  func(*env, demo.Order)
		tool   string
		reason string
		want   want
	}{
		{name: "refund past the window, damaged: a dispute is prepared", kind: demo.DeliveredLongAgo, tool: "request_refund", reason: "damaged",
			want: want{rule: tools.RuleRefundWindow, event: "delivered", date: delivered, deadline: tools.RefundWindow, alt: "open_dispute", ready: true, until: tools.DisputeWindow}},
		{name: "refund past the window, changed mind: the dispute route needs a problem", kind: demo.DeliveredLongAgo, tool: "request_refund", reason: "changed_mind",
			want: want{rule: tools.RuleRefundWindow, event: "delivered", date: delivered, deadline: tools.RefundWindow, alt: "open_dispute", until: tools.DisputeWindow}},
		{name: "refund past the dispute window too: nothing instead", kind: demo.DeliveredRecently, setup: deliveredDaysAgo(61), tool: "request_refund", reason: "damaged",
			want: want{rule: tools.RuleRefundWindow, event: "delivered", date: delivered, deadline: tools.RefundWindow}},
		{name: "non-refundable, wrong item: a dispute is prepared", kind: demo.NonRefundable, tool: "request_refund", reason: "wrong_item",
			want: want{rule: tools.RuleNonRefundable, event: "delivered", date: delivered, alt: "open_dispute", ready: true, until: tools.DisputeWindow}},
		{name: "non-refundable, changed mind", kind: demo.NonRefundable, tool: "request_refund", reason: "changed_mind",
			want: want{rule: tools.RuleNonRefundable, event: "delivered", date: delivered, alt: "open_dispute", until: tools.DisputeWindow}},
		{name: "refund of a paid order: cancel instead", kind: demo.Paid, tool: "request_refund", reason: "changed_mind",
			want: want{rule: tools.RuleNotShipped, event: "placed", date: placed, alt: "cancel_order", ready: true}},
		{name: "refund of an unpaid order: cancel instead", kind: demo.Pending, tool: "request_refund", reason: "changed_mind",
			want: want{rule: tools.RuleNotPaid, event: "placed", date: placed, alt: "cancel_order", ready: true}},
		{name: "refund in transit: a not-received dispute later", kind: demo.InTransit, tool: "request_refund", reason: "not_received",
			want: want{rule: tools.RuleInTransit, event: "shipped", date: shipped, alt: "open_dispute", until: tools.DisputeWindow}},
		{name: "refund overdue: a not-received dispute now", kind: demo.Overdue, tool: "request_refund", reason: "changed_mind",
			want: want{rule: tools.RuleInTransit, event: "shipped", date: shipped, alt: "open_dispute", ready: true, until: tools.DisputeWindow}},
		{name: "cancel after shipping", kind: demo.InTransit, tool: "cancel_order",
			want: want{rule: tools.RuleShippedNoCancel, event: "shipped", date: shipped, alt: "open_dispute", until: tools.DisputeWindow}},
		{name: "cancel after delivery: a refund within the window", kind: demo.DeliveredRecently, tool: "cancel_order",
			want: want{rule: tools.RuleDeliveredNoCancel, event: "delivered", date: delivered, deadline: tools.RefundWindow, alt: "request_refund", until: tools.RefundWindow}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := e.pick(tt.kind)
			if tt.setup != nil {
				tt.setup(e, o)
			}
			before := e.order(o)
			refunds := e.count(`SELECT count(*) FROM refunds WHERE order_id = $1`, o.ID)
			args := `{"order_id":"` + o.ID + `"}`
			if tt.tool == "request_refund" {
				args = `{"order_id":"` + o.ID + `","reason":"` + tt.reason + `"}`
			}
			ctx := buyer(t.Context(), o.BuyerID)
			_, perr := e.preview(ctx, tt.tool, args)
			out := e.call(approved(ctx), tt.tool, args)
			for _, err := range []*tools.Error{perr, out.Err} {
				if err == nil || err.Refusal == nil {
					t.Fatalf("%s(%s) = %v, want a refusal", tt.tool, args, err)
				}
				r := err.Refusal
				w := tt.want
				at := w.date(before)
				if r.Rule != w.rule || r.OrderID != o.ID || r.Status != before.Status || r.Event != w.event || r.Date == nil || !r.Date.Equal(*at) {
					t.Errorf("refusal %+v, want rule %s, order %s (%s), %s on %v", r, w.rule, o.ID, before.Status, w.event, at)
				}
				if r.Policy.Doc == "" || r.Policy.Section == "" {
					t.Errorf("refusal %+v cites no policy section", r)
				}
				switch {
				case w.deadline == 0 && r.Deadline != nil:
					t.Errorf("deadline %v, want none", r.Deadline)
				case w.deadline != 0 && (r.Deadline == nil || !r.Deadline.Equal(at.Add(w.deadline))):
					t.Errorf("deadline %v, want %v", r.Deadline, at.Add(w.deadline))
				}
				alt := r.Alternative
				if w.alt == "" {
					if alt != nil {
						t.Errorf("alternative %+v, want none", alt)
					}
					continue
				}
				if alt == nil || alt.Tool != w.alt || alt.Ready() != w.ready {
					t.Fatalf("alternative %+v, want %s (ready %v)", alt, w.alt, w.ready)
				}
				if w.until != 0 && (alt.Until == nil || !alt.Until.Equal(at.Add(w.until))) {
					t.Errorf("alternative until %v, want %v", alt.Until, at.Add(w.until))
				}
				if !alt.Ready() {
					continue
				}
				var a struct {
					OrderID string `json:"order_id"`
				}
				if json.Unmarshal(alt.Arguments, &a) != nil || a.OrderID != o.ID {
					t.Errorf("alternative arguments %s are not about %s", alt.Arguments, o.ID)
				}
				if _, aerr := e.preview(ctx, alt.Tool, string(alt.Arguments)); aerr != nil {
					t.Errorf("the prepared alternative %s %s is refused: %v", alt.Tool, alt.Arguments, aerr)
				}
			}
			if n := e.count(`SELECT count(*) FROM refunds WHERE order_id = $1`, o.ID); n != refunds {
				t.Errorf("a refused %s made a refund of %s", tt.tool, o.ID)
			}
		})
	}

	// Another buyer's order is not found, with nothing of the order in
	// the answer.
	o := e.pick(demo.NonRefundable)
	other := another(o.BuyerID)
	_, perr := e.preview(buyer(t.Context(), other.BuyerID), "request_refund", `{"order_id":"`+o.ID+`","reason":"damaged"}`)
	if perr == nil || perr.Code != tools.CodeNotFound || perr.Refusal != nil {
		t.Errorf("another buyer's refund of %s: %+v, want not_found without a refusal", o.ID, perr)
	}
}
