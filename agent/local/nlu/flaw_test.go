package nlu

import "testing"

// Goods found wrong on arrival are found by the complaint reasons and by
// the flaw cues, in the four languages; what merely names goods, or a
// need ("hace falta"), is no flaw.
func TestFindFlaw(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"the lamp came without the cable", true},
		{"got a green one instead of the blue", true},
		{"the bottle arrived dented", true},
		{"a la lámpara le falta la pantalla", true},
		{"vino con el asa descosida", true},
		{"в наборе не хватает чашки", true},
		{"пришли два левых валенка", true},
		{"이어폰 한쪽이 빠져 있어요", true},
		{"텀블러 대신 컵이 왔어요", true},
		{"where is my lantern", false},
		{"si hace falta, les mando fotos", false},
		{"сколько стоит доставка", false},
		{"담요 언제 와요", false},
	}
	for _, tt := range tests {
		a := analyze(tt.text, true, nil)
		if a.flaw != tt.want {
			t.Errorf("analyze(%q).flaw = %v, want %v", tt.text, a.flaw, tt.want)
		}
	}
}

// Goods found wrong and told without a request are a delivery problem,
// whatever goods or order come with them; with a want the want decides.
func TestFlawToldIsDeliveryProblem(t *testing.T) {
	c := classifier(t)
	tests := []struct {
		text, locale string
		want         Intent
	}{
		{"order 10042: the bottle came without its lid", "en", DeliveryProblem},
		{"las toallas del pedido 10042 vinieron con manchas", "es", DeliveryProblem},
		{"в заказе 10042 вместо шарфа положили шапку", "ru", DeliveryProblem},
		{"10042 주문한 담요 대신 수건이 왔어요", "ko", DeliveryProblem},
		{"the bottle came without its lid, refund me please", "en", RefundRequest},
	}
	for _, tt := range tests {
		if r := c.Parse(tt.text, tt.locale); r.Intent != tt.want {
			t.Errorf("Parse(%q) = %s (%.2f), want %s", tt.text, r.Intent, r.Confidence, tt.want)
		}
	}
}

// Where the money of a refund is, or whether it has gone through, asks the
// refund's status.
func TestRefundSettledIsStatus(t *testing.T) {
	c := classifier(t)
	tests := []struct{ text, locale string }{
		{"has the refund for ORD-10042 gone through?", "en"},
		{"reembolso del 10042 dónde está", "es"},
		{"деньги за заказ 10042 уже зачислили?", "ru"},
		{"10042 환불 됐어요?", "ko"},
		{"¿me habéis devuelto ya el dinero del pedido 10042?", "es"},
	}
	for _, tt := range tests {
		if r := c.Parse(tt.text, tt.locale); r.Intent != RefundStatus {
			t.Errorf("Parse(%q) = %s (%.2f), want %s", tt.text, r.Intent, r.Confidence, RefundStatus)
		}
	}
}
