package nlu

import "testing"

// A request wrapped in courtesy ("if at all possible", "I would be
// grateful if…", "가능하다면") stays a request: the conditional is
// politeness, not a hypothesis about the rules. A real hypothesis keeps
// the question.
func TestCourtesyKeepsTheRequest(t *testing.T) {
	c := classifier(t)
	tests := []struct {
		text, locale string
		want         Intent
		act          Act
	}{
		{"I would be most grateful if a refund could be issued for the kettle, it leaks", "en", RefundRequest, ActRequest},
		{"Quisiera anular el pedido 10042, si fuese posible. Gracias.", "es", CancelOrder, ActRequest},
		{"Les agradecería que me reembolsaran el importe de las botas, llegaron rotas", "es", RefundRequest, ActRequest},
		{"Была бы признательна, если вы отмените заказ 10042. Спасибо", "ru", CancelOrder, ActRequest},
		{"가능하시다면 주문 10042 취소 부탁드립니다", "ko", CancelOrder, ActRequest},
		{"텀블러 환불해 주실 수 있나요? 뚜껑이 깨졌어요", "ko", RefundRequest, ActRequest},
		// A hypothesis stays a question about the rules.
		{"if an order arrives broken, is a refund possible?", "en", PolicyQuestion, ActQuestion},
		{"если товар придёт разбитым, вернут ли деньги?", "ru", PolicyQuestion, ActQuestion},
	}
	for _, tt := range tests {
		r := c.Parse(tt.text, tt.locale)
		if r.Intent != tt.want || r.Act != tt.act {
			t.Errorf("Parse(%q) = %s (%s, %.2f), want %s (%s)", tt.text, r.Intent, r.Act, r.Confidence, tt.want, tt.act)
		}
	}
}
