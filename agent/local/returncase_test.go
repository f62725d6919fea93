package local

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// After "can I return the <item>?" answered from the policies, the
// buyer's next message tells their case ("I opened it and tasted it",
// "it's order 20702, came 3 days ago"): the order is found (named, or
// holding the item the question named) and settles it. Opened food is
// asked of the tools, whose refusal gives the rule; an order within the
// window gets its own last day. Before, such a message got "I didn't
// understand", the out-of-scope answer or the order's tracking.
func TestReturnCaseAfterTheQuestion(t *testing.T) {
	m := newModel(t)
	food := func(id, name string) tools.Order {
		return tools.Order{ID: id, Status: "delivered", DeliveredAt: daysAgo(5), RefundUntil: daysAgo(-25),
			Items: []tools.Item{{Line: 1, Name: name, Quantity: 1, Category: "food"}}}
	}
	shoes := func(id, name string) tools.Order {
		return tools.Order{ID: id, Status: "delivered", DeliveredAt: daysAgo(3), RefundUntil: daysAgo(-27),
			Items: []tools.Item{{Line: 1, Name: name, Quantity: 1, Refundable: true, Category: "shoes"}}}
	}
	tests := []struct {
		name, locale, question, tell string
		orders                       []tools.Order
		refund                       bool // the tools asked for the refund (the rules refuse it)
	}{
		{"opened food, ru", "ru", "А варенье можно вернуть? Оно какое-то слишком сладкое", "Банку уже открыли и попробовали",
			[]tools.Order{shoes("ORD-20701", "Ботинки"), food("ORD-20702", "Варенье малиновое")}, true},
		{"opened food, es", "es", "¿por qué no puedo devolver la miel? no me aparece la opción", "es el 20703, la abrí y no me gusta",
			[]tools.Order{food("ORD-20703", "Miel de romero")}, true},
		{"within the window, en", "en", "how long do i have to send back sneakers?", "it's order 20704, they came 3 days ago and pinch",
			[]tools.Order{shoes("ORD-20704", "Canvas sneakers")}, false},
		{"within the window, ko", "ko", "운동화 반품 기간이 며칠이에요?", "주문 20705 운동화요 3일 전에 받았어요",
			[]tools.Order{shoes("ORD-20705", "캔버스 운동화")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := append([]agent.Message{user(tt.question)}, pastCall("search_policy", `{"query":"q"}`, map[string]any{"hits": []any{}})...)
			msgs = append(msgs, assistant("(the policy answer)"), user(tt.tell))
			byID := map[string]tools.Order{}
			rows := tools.OrderList{}
			for _, o := range tt.orders {
				byID[o.ID] = o
				rows.Orders = append(rows.Orders, tools.OrderRow{ID: o.ID, Status: o.Status, Items: o.Items[0].Name + " ×1"})
			}
			var last agent.Message
			for range 4 {
				last = gen(t, m, tt.locale, msgs...)
				name, args := callArgs(t, last)
				var res agent.ToolResult
				switch name {
				case "list_orders":
					data, _ := json.Marshal(rows)
					res = agent.ToolResult{OK: true, Data: data}
				case "get_order":
					data, _ := json.Marshal(byID[args["order_id"].(string)])
					res = agent.ToolResult{OK: true, Data: data}
				default:
					goto done
				}
				msgs = append(msgs, toolMsgs(name, string(last.ToolCalls[0].Arguments), res)...)
			}
		done:
			name, args := callArgs(t, last)
			want := tt.orders[len(tt.orders)-1]
			switch {
			case tt.refund && (name != "request_refund" || args["order_id"] != want.ID):
				t.Errorf("%q = %+v, want the refund of %s asked of the tools (the rule answers)", tt.tell, last, want.ID)
			case !tt.refund && (len(last.ToolCalls) > 0 || !strings.Contains(last.Content, want.ID) ||
				!strings.Contains(last.Content, (&dialogue{locale: tt.locale}).day(*want.RefundUntil))):
				t.Errorf("%q = %+v, want %s and its last day", tt.tell, last, want.ID)
			}
		})
	}
}
