package local

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// A buyer who says a refund already made is not on their card ("where is
// my money", "nothing on my card", "на карте ноль") asks where that refund
// stands as surely as one who asks how long it takes: the reply names the
// order's refund, its amount and state, not only the policy's days and
// the window for asking a refund the buyer already has.
func TestRefundMissingNamesTheRefund(t *testing.T) {
	m := newModel(t)
	tests := []struct {
		locale, text, amount string
	}{
		{"en", "hello?? ORD-50011 got refunded last week and still nothing on my card. where is it", "$42.00"},
		{"en", "where's my money for ORD-50011, you refunded it ages ago", "$42.00"},
		{"ko", "ORD-50011 환불 됐다면서 카드에 아직 안 들어왔어요", "₩42,000"},
		{"es", "me hicieron el reembolso del ORD-50011 hace 12 días y no me ha llegado nada a la tarjeta", "42,00 €"},
		{"ru", "где деньги? возврат по ORD-50011 сделали неделю назад, а на карте ничего", "42,00 ₽"},
		// A refund dated in days, which reads as a question of time.
		{"en", "ORD-50011 was refunded 9 days ago and I still have nothing on my card!!", "$42.00"},
		{"en", "you guys refunded ORD-50011 like 12 days ago, where is it??", "$42.00"},
		{"ko", "ORD-50011 환불 처리된 지 10일 지났는데 카드에 안 들어왔어요", "₩42,000"},
		{"es", "el reembolso del ORD-50011 se hizo hace 9 días y en mi tarjeta no aparece", "42,00 €"},
		{"es", "¿dónde está mi dinero? me reembolsaron el ORD-50011 hace dos semanas", "42,00 €"},
		{"ru", "где мои деньги, ORD-50011 вернули две недели назад", "42,00 ₽"},
	}
	currency := map[string]string{"en": "USD", "ko": "KRW", "es": "EUR", "ru": "RUB"}
	minor := map[string]int64{"en": 4200, "ko": 42000, "es": 4200, "ru": 4200}
	for _, tt := range tests {
		t.Run(tt.locale+" "+tt.text, func(t *testing.T) {
			msgs := []agent.Message{user(tt.text)}
			look := genWith(t, m, statusTools, tt.locale, msgs...)
			if name, args := callArgs(t, look); name != "get_refund_status" || args["order_id"] != "ORD-50011" {
				t.Fatalf("%q = %s, want get_refund_status ORD-50011", tt.text, describe(look))
			}
			list, _ := json.Marshal(tools.RefundList{OrderID: "ORD-50011", Refunds: []tools.Refund{{ID: "RF-50011", OrderID: "ORD-50011",
				Amount: tools.Money{Minor: minor[tt.locale], Currency: currency[tt.locale]}, Status: "completed", CreatedAt: time.Now().Add(-10 * 24 * time.Hour)}}})
			msgs = answered(t, msgs, look, agent.ToolResult{OK: true, Data: list})
			next := genWith(t, m, statusTools, tt.locale, msgs...)
			if name, _ := callArgs(t, next); name == "search_policy" {
				hits, _ := json.Marshal(map[string]any{"hits": []map[string]any{{"doc": "refunds", "section": "Refund timing", "locale": tt.locale,
					"text": "Approved refunds are returned to the original payment method within 5 business days."}}})
				next = genWith(t, m, statusTools, tt.locale, answered(t, msgs, next, agent.ToolResult{OK: true, Data: hits})...)
			}
			if len(next.ToolCalls) > 0 || !strings.Contains(next.Content, "RF-50011") || !strings.Contains(next.Content, tt.amount) {
				t.Errorf("reply = %s, want the refund RF-50011 of %s", describe(next), tt.amount)
			}
		})
	}
}
