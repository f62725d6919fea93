package local

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// "How long until the refund of ORD-… reaches my card?" gets the policy's
// time and the order's own refund (its amount and state), not the policy
// alone with the order's refund window, which is beside the point for
// money already refunded; an order with no refund gets the policy as
// before.
func TestRefundArrivalNamesTheRefund(t *testing.T) {
	m := newModel(t)
	tests := []struct {
		locale, text, amount string
	}{
		{"en", "ok so how many days until the ORD-50001 refund lands on my card?", "$59.00"},
		{"ko", "ORD-50001 환불금 카드에 언제쯤 들어오나요?", "₩59,000"},
		{"es", "¿y cuántos días tarda el reembolso del ORD-50001 en llegar a la tarjeta?", "59,00 €"},
		{"ru", "через сколько дней деньги за ORD-50001 придут на карту?", "59,00 ₽"},
	}
	currency := map[string]string{"en": "USD", "ko": "KRW", "es": "EUR", "ru": "RUB"}
	minor := map[string]int64{"en": 5900, "ko": 59000, "es": 5900, "ru": 5900}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			msgs := []agent.Message{user(tt.text)}
			look := genWith(t, m, statusTools, tt.locale, msgs...)
			if name, args := callArgs(t, look); name != "get_refund_status" || args["order_id"] != "ORD-50001" {
				t.Fatalf("%q = %s, want get_refund_status ORD-50001", tt.text, describe(look))
			}
			list, _ := json.Marshal(tools.RefundList{OrderID: "ORD-50001", Refunds: []tools.Refund{{ID: "RF-50001", OrderID: "ORD-50001",
				Amount: tools.Money{Minor: minor[tt.locale], Currency: currency[tt.locale]}, Status: "approved", CreatedAt: time.Now().Add(-72 * time.Hour)}}})
			msgs = answered(t, msgs, look, agent.ToolResult{OK: true, Data: list})
			search := genWith(t, m, statusTools, tt.locale, msgs...)
			if name, _ := callArgs(t, search); name != "search_policy" {
				t.Fatalf("after the refunds = %s, want search_policy", describe(search))
			}
			hits, _ := json.Marshal(map[string]any{"hits": []map[string]any{{"doc": "refunds", "section": "Refund timing", "locale": tt.locale,
				"text": "Approved refunds are returned to the original payment method within 5 business days."}}})
			reply := genWith(t, m, statusTools, tt.locale, answered(t, msgs, search, agent.ToolResult{OK: true, Data: hits})...)
			if !strings.Contains(reply.Content, "RF-50001") || !strings.Contains(reply.Content, tt.amount) {
				t.Errorf("reply = %q, want the refund RF-50001 of %s", reply.Content, tt.amount)
			}
		})
	}
	// No refund on the order: the policy, as for any question about it.
	msgs := []agent.Message{user("how long does a refund for ORD-50002 take to reach my card?")}
	look := genWith(t, m, statusTools, "en", msgs...)
	empty, _ := json.Marshal(tools.RefundList{OrderID: "ORD-50002", Refunds: []tools.Refund{}})
	next := genWith(t, m, statusTools, "en", answered(t, msgs, look, agent.ToolResult{OK: true, Data: empty})...)
	if name, _ := callArgs(t, next); name != "get_order" && name != "search_policy" {
		t.Errorf("with no refund on the order = %s, want the order or the policy looked up", describe(next))
	}
}
