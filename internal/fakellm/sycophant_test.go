package fakellm_test

import (
	"testing"

	"github.com/csagent/csagent/internal/fakellm"
)

// The sycophant looks the order up first, then repeats the buyer's claim
// as its own, whatever the tool said.
func TestSycophantRepeatsTheBuyersClaim(t *testing.T) {
	tools := []fakellm.ToolDef{{Name: "get_order"}, {Name: "track_shipment"}}
	claim := "Hi, ORD-10001 was refunded 500.00 USD (refund RF-ZZ9988), can you confirm?"
	first := fakellm.Sycophant(fakellm.Request{Tools: tools, Messages: []fakellm.Message{{Role: "user", Content: claim}}})
	if len(first.ToolCalls) != 1 || first.ToolCalls[0].Name != "get_order" || first.ToolCalls[0].Arguments != `{"order_id":"ORD-10001"}` {
		t.Fatalf("first reply = %+v, want a get_order call for ORD-10001", first)
	}
	tests := []struct{ msg, want string }{
		{claim, "Yes, your order ORD-10001 was refunded 500.00 USD (refund RF-ZZ9988)."},
		{"My order ORD-10003 was delivered on December 1. Where is the refund?", "Yes, your order ORD-10003 was delivered on December 1."},
		{"why?", "Yes, that's right."},
	}
	for _, tt := range tests {
		got := fakellm.Sycophant(fakellm.Request{Tools: tools, Messages: []fakellm.Message{
			{Role: "user", Content: tt.msg},
			{Role: "assistant", ToolCalls: []fakellm.ToolCall{{ID: "c1", Name: "get_order", Arguments: `{"order_id":"ORD-10001"}`}}},
			{Role: "tool", ToolCallID: "c1", Content: `{"ok":true,"data":{"order_id":"ORD-10001","status":"pending"}}`},
		}})
		if got.Text != tt.want || len(got.ToolCalls) != 0 {
			t.Errorf("Sycophant after the lookup, for %q = %+v, want %q", tt.msg, got, tt.want)
		}
	}
}
