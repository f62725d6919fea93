package local

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// "The other one is fine" says the order's other item is kept: no other
// order is looked for (nor "no other order" answered). "And the other
// one?" asking after another order is TestOtherOneLooksUpTheOrderNotDiscussed.
func TestOtherOneKeptIsNoOtherOrder(t *testing.T) {
	m := newModel(t)
	b, err := json.Marshal(tools.OrderList{Orders: []tools.OrderRow{
		{ID: "ORD-10002", Status: "delivered", Items: "Camp chair ×1", Lines: 1},
		{ID: "ORD-10001", Status: "delivered", Items: "Wool blanket ×2", Lines: 1},
	}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		locale, first, follow string
		other                 bool
	}{
		{"en", "ORD-10001 one of the two blankets has a tear", "only the torn one please, the other one is fine", false},
		{"es", "ORD-10001 una de las mantas llegó rota", "solo esa manta, la otra está perfecta", false},
		{"ko", "ORD-10001 담요 두 개 중 하나가 찢어졌어요", "찢어진 것만요 다른 하나는 괜찮아요", false},
	}
	for _, tt := range tests {
		t.Run(tt.locale+"/"+tt.follow, func(t *testing.T) {
			history := []agent.Message{user(tt.first), {Role: agent.RoleAssistant, Content: "Order ORD-10001 was delivered."}, user(tt.follow)}
			d, _ := m.readMessages(agent.Request{Messages: history, Locale: tt.locale})
			if d.otherOrder != tt.other {
				t.Errorf("%q: otherOrder = %v, want %v", tt.follow, d.otherOrder, tt.other)
			}
			msg := gen(t, m, tt.locale, history...)
			if len(msg.ToolCalls) == 1 && msg.ToolCalls[0].Name == "list_orders" {
				msg = gen(t, m, tt.locale, append(history, toolMsgs("list_orders", `{"limit":20}`, agent.ToolResult{OK: true, Data: b})...)...)
			}
			another := msg.Content == render(tt.locale, "no_other_order") || strings.Contains(msg.Content, "ORD-10002") ||
				(len(msg.ToolCalls) > 0 && orderIDIn(msg.ToolCalls[0].Arguments) == "ORD-10002")
			if another != tt.other {
				t.Errorf("%q: %s; another order looked up = %v, want %v", tt.follow, describe(msg), another, tt.other)
			}
		})
	}
}
