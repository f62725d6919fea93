package nlu

import "testing"

// A shipment that has stopped moving is still on its way: where it is is
// the order's status, however stuck (arrival.go); a delivery problem is
// told of a parcel that came wrong or is marked delivered and missing. A
// question about a refund's progress is its status, not the order's: the
// act signals "stall" and "money asked" and the arrival features carry
// these across the four languages.
func TestStallArrivalAndRefundProgressAreReadAsSuch(t *testing.T) {
	c := classifier(t)
	for _, tt := range []struct {
		text, loc string
		want      Intent
	}{
		{"the tracking on order 10031 has been frozen for a week", "en", OrderStatus},
		{"ORDER 10020 STILL HAS NOT MOVED SINCE MONDAY", "en", OrderStatus},
		{"mi pedido 10044 lleva 9 días parado en Madrid", "es", OrderStatus},
		{"заказ 10051 застрял на сортировке уже 10 дней", "ru", OrderStatus},
		{"주문 10033 배송조회 일주일째 그대로예요", "ko", OrderStatus},
		// Came wrong, or marked delivered and missing.
		{"order 10031 finally came and the handle is snapped off", "en", DeliveryProblem},
		{"el 10044 pone entregado desde ayer y aquí no hay nada", "es", DeliveryProblem},
		{"заказ 10051 привезли, а внутри чужие вещи", "ru", DeliveryProblem},
		{"주문 10033 배송완료라고 뜨는데 문 앞에 아무것도 없어요", "ko", DeliveryProblem},
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
