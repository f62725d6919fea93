package local

import (
	"testing"

	"github.com/csagent/csagent/agent"
)

// A follow-up repeats the request served last for the order it points at,
// unless it makes a request of its own: "and ORD-10058?" after a tracking
// question tracks ORD-10058; "and cancel ORD-10058" cancels it.
func TestFollowUpKeepsItsOwnRequest(t *testing.T) {
	m := newModel(t)
	history := append([]agent.Message{user("my parcel ORD-10001 never arrived, where is it?")},
		toolMsgs("track_shipment", `{"order_id":"ORD-10001"}`, agent.ToolResult{OK: true, Data: []byte(`{"order_id":"ORD-10001"}`)})...)
	history = append(history, agent.Message{Role: agent.RoleAssistant, Content: "Order ORD-10001 shipped."})
	tests := []struct{ text, tool string }{
		{"and ORD-10058?", "track_shipment"},
		{"and cancel ORD-10058 please", "cancel_order"},
	}
	for _, tt := range tests {
		msgs := append(append([]agent.Message{}, history...), user(tt.text))
		msg := gen(t, m, "en", msgs...)
		if len(msg.ToolCalls) != 1 || msg.ToolCalls[0].Name != tt.tool || orderIDIn(msg.ToolCalls[0].Arguments) != "ORD-10058" {
			t.Errorf("%q: %+v, want %s for ORD-10058", tt.text, msg.ToolCalls, tt.tool)
		}
	}
}
