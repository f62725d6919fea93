package nlu

import "testing"

// A shipment that has stopped moving is a delivery problem reported, not
// a question of where the order is, and a question about a refund's
// progress is its status, not the order's: the act signals "stall" and
// "money asked" carry these across the four languages.
func TestStallAndRefundProgressAreReadAsSuch(t *testing.T) {
	c := classifier(t)
	for _, tt := range []struct {
		text, loc string
		want      Intent
	}{
		{"the tracking on order 10031 has been frozen for a week", "en", DeliveryProblem},
		{"ORDER 10020 STILL HAS NOT MOVED SINCE MONDAY", "en", DeliveryProblem},
		{"mi pedido 10044 lleva 9 días parado en Madrid", "es", DeliveryProblem},
		{"заказ 10051 застрял на сортировке уже 10 дней", "ru", DeliveryProblem},
		{"주문 10033 배송조회 일주일째 그대로예요", "ko", DeliveryProblem},
		{"did the refund for order 10031 go through yet?", "en", RefundStatus},
		{"el reembolso del pedido 10044 ya salió?", "es", RefundStatus},
		{"주문 10033 환불 진행되고 있나요?", "ko", RefundStatus},
		{"деньги за заказ 10051 уже вернули?", "ru", RefundStatus},
		// The plain questions stay what they are.
		{"where is order 10031?", "en", OrderStatus},
		{"¿dónde está mi pedido 10044?", "es", OrderStatus},
	} {
		if r := c.Parse(tt.text, tt.loc); r.Intent != tt.want {
			t.Errorf("Parse(%q) = %s (%.2f), want %s", tt.text, r.Intent, r.Confidence, tt.want)
		}
	}
}
