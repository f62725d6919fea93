package local

import (
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
)

// afterLookup is a conversation in which the model just looked an order up
// for the buyer, then the buyer's text.
func afterLookup(text string) []agent.Message {
	return []agent.Message{
		user("where is my order?"),
		{Role: agent.RoleAssistant, ToolCalls: []agent.ToolCall{{ID: "c1", Name: "get_order", Arguments: []byte(`{"order_id":"ORD-10042"}`)}}},
		{Role: agent.RoleTool, ToolCallID: "c1", Name: "get_order", Content: `{"ok":true,"data":{}}`},
		{Role: agent.RoleAssistant, Content: "Order ORD-10042 shipped on November 20, 2026."},
		user(text),
	}
}

// Goods named after a lookup, and nothing asked of them, are the same
// question about the order they are in; goods named with a request of
// their own (a return, a cancellation, a negation) are that request.
func TestGoodsAfterALookupRepeatTheLookup(t *testing.T) {
	m := newModel(t)
	for _, tt := range []struct {
		locale, text string
		follows      bool
	}{
		{"en", "oh, the jacket i ordered", true},
		{"ko", "주전자 주문한 거요", true},
		{"es", "las sandalias que pedí", true},
		{"ru", "валенки, которые заказывал", true},
		{"en", "cancel the jacket", false},
		{"en", "the jacket doesn't fit", false},
		{"en", "i want to return the jacket", false},
		{"ko", "주전자 반품할래요", false},
		{"es", "las sandalias, cancélalas", false},
		{"ru", "валенки верните", false},
	} {
		d := m.read(agent.Request{Messages: afterLookup(tt.text), Locale: tt.locale})
		if follows := d.carried && d.intent == nlu.OrderStatus; follows != tt.follows {
			t.Errorf("%q after a lookup: intent %s (carried %v), want the lookup repeated: %v", tt.text, d.intent, d.carried, tt.follows)
		}
	}
}
