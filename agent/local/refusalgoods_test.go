package local

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// Money back asked for the one line of a mixed order the rules exclude
// (food beside a refundable tea set) is refused for that line; a fault
// told next ("there are splinters in the jar", "это же брак") answers the
// refusal with a dispute on that order, in the four languages, though
// another line of the order could be refunded. Asked for the refundable
// line, no refusal stands and the fault is not read as its answer.
func TestFaultAfterRefusedGoods(t *testing.T) {
	m := newModel(t)
	delivered := time.Now().Add(-4 * 24 * time.Hour)
	tests := []struct {
		locale, food, other, ask, fault string
		dispute                         bool
	}{
		{"en", "Wildflower honey 1 kg", "Porcelain tea set", "the honey went solid, I want my money back for the honey, order ORD-20430", "and if there are wood chips floating in the jar? that's a defect", true},
		{"es", "Aceite de oliva virgen extra 2L", "Paellera de acero pulido", "quiero que me devuelvan el dinero del aceite, pedido ORD-20430", "¿y si la botella trae trozos de vidrio dentro? eso es un defecto", true},
		{"ru", "Алтайский мёд 1 кг", "Чайный набор", "хочу вернуть деньги за мёд, заказ ORD-20430", "а если в банке какие-то щепки? это же брак", true},
		{"ko", "제주 감귤 5kg", "보온 텀블러", "ORD-20430 감귤 환불해 주세요", "근데 상자 안에 곰팡이 핀 게 섞여 있으면요? 불량이잖아요", true},
		{"ru", "Алтайский мёд 1 кг", "Чайный набор", "хочу вернуть деньги за чайный набор, заказ ORD-20430", "а если в банке какие-то щепки? это же брак", false},
	}
	for _, tt := range tests {
		o := tools.Order{ID: "ORD-20430", Status: "delivered", DeliveredAt: &delivered, Total: tools.Money{Minor: 440000, Currency: "RUB"}, Items: []tools.Item{
			{Line: 1, Name: tt.food, Quantity: 1, Category: "food"}, {Line: 2, Name: tt.other, Quantity: 1, Refundable: true}}}
		data, _ := json.Marshal(o)
		history := append([]agent.Message{user(tt.ask)}, toolMsgs("get_order", `{"order_id":"ORD-20430"}`, agent.ToolResult{OK: true, Data: data})...)
		history = append(history, agent.Message{Role: agent.RoleAssistant, Content: "…"}, user(tt.fault))
		d, _ := m.readMessages(agent.Request{Messages: history, Locale: tt.locale})
		if _, refused := d.refusedRefund(); refused != tt.dispute {
			t.Errorf("%s %q then %q: refusal read %v, want %v", tt.locale, tt.ask, tt.fault, refused, tt.dispute)
		}
		if !tt.dispute {
			continue
		}
		msg := gen(t, m, tt.locale, history...)
		if len(msg.ToolCalls) != 1 || msg.ToolCalls[0].Name != "open_dispute" || orderIDIn(msg.ToolCalls[0].Arguments) != "ORD-20430" {
			t.Errorf("%s %q after the refusal: %s, want open_dispute on ORD-20430", tt.locale, tt.fault, describe(msg))
		}
	}
}
