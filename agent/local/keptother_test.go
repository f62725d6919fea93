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

// "And the other one?" after a label the buyer numbers their points with
// ("Point two: and the other one?"), and the order placed after the one
// discussed ("the one I ordered after that"), ask after the other order
// of the buyer's, in the four languages.
func TestOtherOneAfterALabelOrOrderedAfter(t *testing.T) {
	m := newModel(t)
	b, err := json.Marshal(tools.OrderList{Orders: []tools.OrderRow{
		{ID: "ORD-10002", Status: "paid", Items: "Camp chair ×1", Lines: 1},
		{ID: "ORD-10001", Status: "shipped", Items: "Wool blanket ×2", Lines: 1},
	}})
	if err != nil {
		t.Fatal(err)
	}
	first, err := json.Marshal(tools.Order{ID: "ORD-10001", Status: "shipped"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ locale, first, follow string }{
		{"en", "where is ORD-10001?", "Got it. Second point: and the other one? has it shipped too?"},
		{"en", "where is ORD-10001?", "ok and the one I ordered after that?"},
		{"es", "¿dónde está el pedido ORD-10001?", "Vale. Segundo punto: ¿y el otro? ¿ya salió?"},
		{"es", "¿dónde está el pedido ORD-10001?", "vale, ¿y el que pedí después?"},
		{"ru", "где заказ ORD-10001?", "Понял. Второй вопрос: а другой? он уже отправлен?"},
		{"ru", "где заказ ORD-10001?", "а тот, что заказал потом?"},
		{"ko", "ORD-10001 어디쯤 왔어요?", "네 그리고 그 다음에 주문한 거는요?"},
		{"ko", "ORD-10001 어디쯤 왔어요?", "알겠어요. 두 번째 질문: 다른 거는요? 그것도 발송됐나요?"},
	} {
		t.Run(tt.locale+"/"+tt.follow, func(t *testing.T) {
			history := append([]agent.Message{user(tt.first)}, toolMsgs("get_order", `{"order_id":"ORD-10001"}`, agent.ToolResult{OK: true, Data: first})...)
			history = append(history, agent.Message{Role: agent.RoleAssistant, Content: "Order ORD-10001 has shipped."}, user(tt.follow))
			d, _ := m.readMessages(agent.Request{Messages: history, Locale: tt.locale})
			if !d.otherOrder {
				t.Errorf("%q: otherOrder = false, want true", tt.follow)
			}
			msg := gen(t, m, tt.locale, history...)
			if len(msg.ToolCalls) == 1 && msg.ToolCalls[0].Name == "list_orders" {
				msg = gen(t, m, tt.locale, append(history, toolMsgs("list_orders", `{"limit":20}`, agent.ToolResult{OK: true, Data: b})...)...)
			}
			if !strings.Contains(msg.Content, "ORD-10002") && !(len(msg.ToolCalls) > 0 && orderIDIn(msg.ToolCalls[0].Arguments) == "ORD-10002") {
				t.Errorf("%q: %s, want ORD-10002 looked up", tt.follow, describe(msg))
			}
		})
	}
}
