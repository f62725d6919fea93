package tools_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

func TestListOrders(t *testing.T) {
	e := newEnv(t)
	const who = "buyer-007"
	var own []demo.Order
	for _, o := range demo.Plan() {
		if o.BuyerID == who {
			own = append(own, o)
		}
	}
	ctx := buyer(t.Context(), who)
	today := time.Now().UTC().Format(time.DateOnly)
	tests := []struct {
		name string
		args string
		code tools.Code
		n    int  // rows wanted; -1: don't check
		more bool // more wanted
	}{
		{"all recent orders", `{}`, "", len(own), false},
		{"limit with more", `{"limit":2}`, "", 2, true},
		{"status filter", `{"status":"` + statusOf(own[0].Kind) + `"}`, "", countStatus(own, statusOf(own[0].Kind)), false},
		{"placed today or later", `{"since":"` + today + `"}`, "", -1, false},
		{"placed long ago", `{"until":"2000-01-01"}`, "", 0, false},
		{"since and until", `{"since":"2000-01-01","until":"` + today + `"}`, "", len(own), false},
		{"limit 21", `{"limit":21}`, tools.CodeInvalidArgument, 0, false},
		{"negative limit", `{"limit":-1}`, tools.CodeInvalidArgument, 0, false},
		{"unknown status", `{"status":"lost"}`, tools.CodeInvalidArgument, 0, false},
		{"malformed date", `{"since":"last week"}`, tools.CodeInvalidArgument, 0, false},
		{"until before since", `{"since":"2026-02-01","until":"2026-01-01"}`, tools.CodeInvalidArgument, 0, false},
		{"SQL metacharacters in status", `{"status":"paid' OR '1'='1"}`, tools.CodeInvalidArgument, 0, false},
		{"a buyer id in the arguments", `{"buyer_id":"buyer-001"}`, tools.CodeInvalidArgument, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := e.call(ctx, "list_orders", tt.args)
			wantCode(t, "list_orders "+tt.args, out, tt.code)
			if tt.code != "" {
				return
			}
			l := decode[tools.OrderList](t, out.Data)
			if tt.n >= 0 && (len(l.Orders) != tt.n || l.More != tt.more) {
				t.Errorf("list_orders(%s) = %d orders (more %v), want %d (more %v)", tt.args, len(l.Orders), l.More, tt.n, tt.more)
			}
			for i, r := range l.Orders {
				if !ownOrder(own, r.ID) {
					t.Errorf("list_orders returned %s, not %s's", r.ID, who)
				}
				if r.ShopName == "" || r.BuyerName != "" || r.Items == "" || r.Total.Minor <= 0 {
					t.Errorf("row %+v, want shop name and items, no buyer name", r)
				}
				if i > 0 && r.PlacedAt.After(l.Orders[i-1].PlacedAt) {
					t.Errorf("rows not newest first")
				}
			}
		})
	}
	if specs := e.reg.Specs(tools.RoleSeller); hasSpec(specs, "list_orders") {
		t.Error("sellers are offered list_orders")
	}
}

func statusOf(k demo.Kind) string {
	switch k {
	case demo.Pending:
		return "pending"
	case demo.Paid:
		return "paid"
	case demo.InTransit, demo.Overdue:
		return "shipped"
	case demo.CancelledPaid, demo.CancelledUnpaid:
		return "cancelled"
	}
	return "delivered"
}

func countStatus(os []demo.Order, status string) int {
	n := 0
	for _, o := range os {
		if statusOf(o.Kind) == status {
			n++
		}
	}
	return n
}

func ownOrder(os []demo.Order, id string) bool {
	for _, o := range os {
		if o.ID == id {
			return true
		}
	}
	return false
}

func hasSpec(specs []tools.Spec, name string) bool {
	for _, s := range specs {
		if s.Name == name {
			return true
		}
	}
	return false
}

func TestTrackShipment(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name   string
		kind   demo.Kind
		code   tools.Code
		status string
		msg    string
	}{
		{name: "in transit", kind: demo.InTransit, status: "in_transit"},
		{name: "shipped over 15 days ago, not delivered", kind: demo.Overdue, status: "delayed"},
		{name: "delivered", kind: demo.DeliveredRecently, status: "delivered"},
		{name: "awaiting payment: not shipped", kind: demo.Pending, code: tools.CodeNotEligible, msg: "not been paid"},
		{name: "paid: not shipped yet, ships within 2 business days", kind: demo.Paid, code: tools.CodeNotEligible, msg: "ships it by"},
		{name: "cancelled", kind: demo.CancelledPaid, code: tools.CodeNotEligible},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := e.pick(tt.kind)
			out := e.call(buyer(t.Context(), o.BuyerID), "track_shipment", `{"order_id":"`+o.ID+`"}`)
			wantCode(t, "track_shipment", out, tt.code)
			if tt.code != "" {
				if !strings.Contains(out.Err.Message, tt.msg) {
					t.Errorf("message %q does not say %q", out.Err.Message, tt.msg)
				}
				return
			}
			s := decode[tools.Shipment](t, out.Data)
			if s.Status != tt.status || s.TrackingNumber == "" || s.Carrier == "" || s.ShippedAt.IsZero() {
				t.Errorf("shipment = %+v, want status %s with tracking", s, tt.status)
			}
			if (s.Status == "delivered") != (s.DeliveredAt != nil) || (s.Status != "delivered") != (s.NotReceivedFrom != nil) {
				t.Errorf("shipment dates = %+v", s)
			}
		})
	}
	o := e.pick(demo.InTransit)
	for _, tt := range []struct {
		name, args string
		code       tools.Code
	}{
		{"another buyer's order", `{"order_id":"` + another(o.BuyerID).ID + `"}`, tools.CodeNotFound},
		{"nonexistent order", `{"order_id":"ORD-99999"}`, tools.CodeNotFound},
		{"malformed id", `{"order_id":"where is it"}`, tools.CodeInvalidArgument},
	} {
		wantCode(t, "track_shipment "+tt.name, e.call(buyer(context.Background(), o.BuyerID), "track_shipment", tt.args), tt.code)
	}
}
