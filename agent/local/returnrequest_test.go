package local

import (
	"testing"
)

// A return asked for in so many words after the rules were asked ("then
// please process the return for order 20601", "оформите возврат по
// заказу 20604") is a refund request, however unsure the classifier is
// among the story's words; a question about the rule, a supposed case or
// a request of another kind is not.
func TestAsksReturnStarted(t *testing.T) {
	m := newModel(t)
	for _, tt := range []struct {
		locale, text string
		want         bool
	}{
		{"en", "alright, then please start a return for the jacket, order 20601. it came last week", true},
		{"ko", "알겠습니다. 그렇다면 주문 20602 니트 반품을 신청하고자 합니다.", true},
		{"es", "Vale, pues tramíteme la devolución del pedido 20603, llegó hace 5 días", true},
		{"ru", "Хорошо, тогда оформите возврат платья по заказу 20604, получила неделю назад. Вернётся 3 100, правильно?", true},
		{"en", "if it doesn't fit, can i return it and who pays the postage?", false},
		{"es", "quiero saber la política de devoluciones", false},
		{"ru", "отмените заказ 20605", false},
	} {
		t.Run(tt.text, func(t *testing.T) {
			r := m.parse(tt.text, tt.locale)
			if got := asksReturnStarted(r, r.Text); got != tt.want {
				t.Errorf("asksReturnStarted(%q) = %v, want %v (read %s %.2f)", tt.text, got, tt.want, r.Intent, r.Confidence)
			}
		})
	}
}

// Served, such a request asks the tools for the refund of the order it
// names (the card then asks the buyer to confirm), not "a refund, or a
// question about the rules?".
func TestReturnAskedAfterTheRulesIsProposed(t *testing.T) {
	m := newModel(t)
	for _, tt := range []struct{ locale, text, id string }{
		{"ko", "안내 감사합니다. 그렇다면 주문 20611 반품을 신청하고자 합니다.", "ORD-20611"},
		{"ru", "Понятно. Тогда оформите, пожалуйста, возврат по заказу 20612. Сумма 2 400, верно?", "ORD-20612"},
	} {
		t.Run(tt.locale, func(t *testing.T) {
			got := gen(t, m, tt.locale, user(tt.text))
			if name, args := callArgs(t, got); name != "request_refund" || args["order_id"] != tt.id {
				t.Errorf("%q = %+v, want the refund of %s asked of the tools", tt.text, got, tt.id)
			}
		})
	}
}
