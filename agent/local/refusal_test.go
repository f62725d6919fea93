package local

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// An unsure refund request that names an order is settled by the order: a
// delivered order past the window is asked of the tools (their refusal
// answers with the rule and dates), one that could be refunded or has not
// been delivered gets the question, so no refund or cancellation card
// follows an unsure request.
func TestDoubtfulRefundIsSettledByTheOrder(t *testing.T) {
	m := newModel(t)
	text := "ORD-10042 refundable?"
	if r := m.nlu.Parse(text, "en"); r.Actionable() {
		t.Fatalf("%q reads as a sure request (%s %.2f); pick an unsure one", text, r.Intent, r.Confidence)
	}
	at := func(days int) *time.Time { d := time.Now().Add(-time.Duration(days) * 24 * time.Hour); return &d }
	item := []tools.Item{{Line: 1, Name: "Trail hiking boots", Quantity: 1, Refundable: true}}
	tests := []struct {
		name  string
		order tools.Order
		want  string // the tool called next, "" for a question
	}{
		{"delivered 40 days ago", tools.Order{ID: "ORD-10042", Status: "delivered", DeliveredAt: at(40), Items: item}, "request_refund"},
		{"only non-refundable items", tools.Order{ID: "ORD-10042", Status: "delivered", DeliveredAt: at(3),
			Items: []tools.Item{{Line: 1, Name: "Gift card", Quantity: 1}}}, "request_refund"},
		{"delivered 3 days ago", tools.Order{ID: "ORD-10042", Status: "delivered", DeliveredAt: at(3), Items: item}, ""},
		{"paid, not shipped", tools.Order{ID: "ORD-10042", Status: "paid", Items: item}, ""},
		{"in transit", tools.Order{ID: "ORD-10042", Status: "shipped", ShippedAt: at(2), Items: item}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first := gen(t, m, "en", user(text))
			if name, _ := callArgs(t, first); name != "get_order" {
				t.Fatalf("%q = %+v, want the order looked up first", text, first)
			}
			data, _ := json.Marshal(tt.order)
			next := gen(t, m, "en", append([]agent.Message{user(text)},
				toolMsgs("get_order", `{"order_id":"ORD-10042"}`, agent.ToolResult{OK: true, Data: data})...)...)
			name, args := callArgs(t, next)
			if name != tt.want {
				t.Fatalf("after get_order: %+v, want %q", next, tt.want)
			}
			if name == "request_refund" && (args["order_id"] != "ORD-10042" || args["reason"] == "") {
				t.Errorf("request_refund %v", args)
			}
		})
	}
}
