package nlu

import "testing"

// A thanks or an "ok" that closes the last answer is taken off what the
// message asks next; one that is the whole message, or that answers the
// model ("ok, refund it"), stays.
func TestAfterAcknowledgement(t *testing.T) {
	for text, want := range map[string]string{
		"ok thanks. what about ORD-10014?":       "what about ORD-10014?",
		"Thanks! And ORD-10055?":                 "And ORD-10055?",
		"ok. what about ORD-10014?":              "what about ORD-10014?",
		"ok thank you so much, is 10014 shipped": "is 10014 shipped",
		"gracias. ¿y el pedido ORD-10014?":       "¿y el pedido ORD-10014?",
		"спасибо! а что с ORD-10014?":            "а что с ORD-10014?",
		"감사합니다. ORD-10014는요?":                    "ORD-10014는요?",
		"ok, refund it":                          "ok, refund it",
		"buenas, ¿qué sabéis del ORD-10155?":     "¿qué sabéis del ORD-10155?",
		"Здравствуйте! где заказ 10155":          "где заказ 10155",
		"hi, refund it":                          "hi, refund it",
		"hello!":                                 "hello!",
		"thanks!":                                "thanks!",
		"thanks.  ":                              "thanks.  ",
		"ok so the boots, refund them":           "ok so the boots, refund them",
		"no thanks, cancel it":                   "no thanks, cancel it",
		"":                                       "",
	} {
		if got := AfterAcknowledgement(text); got != want {
			t.Errorf("AfterAcknowledgement(%q) = %q, want %q", text, got, want)
		}
	}
}

// The question after a thanks is what the message asks: its order, and
// not "thanks"; a thanks followed by a goodbye is still thanks.
func TestThanksThenQuestionIsReadAsTheQuestion(t *testing.T) {
	c := classifier(t)
	for _, tt := range []struct {
		text, locale, order string
	}{
		{"ok thanks. what about ORD-10014?", "en", "ORD-10014"},
		{"спасибо! а что с ORD-10014?", "ru", "ORD-10014"},
		{"gracias. ¿y el pedido ORD-10014 dónde está?", "es", "ORD-10014"},
	} {
		r := c.Parse(tt.text, tt.locale)
		if r.Intent == Thanks || r.Slots.OrderID != tt.order || r.Text == tt.text {
			t.Errorf("Parse(%q) = %s %.2f, order %q, text %q; want no thanks, order %s, the question's text", tt.text, r.Intent, r.Confidence, r.Slots.OrderID, r.Text, tt.order)
		}
	}
	if r := c.Parse("thanks, bye", "en"); r.Intent != Thanks || r.Text != "thanks, bye" {
		t.Errorf(`Parse("thanks, bye") = %s, text %q; want thanks, the whole message`, r.Intent, r.Text)
	}
}

// A request for part of an order that keeps the rest, names the item by
// its place or asks "how do I do it?" after it, and a complaint closed by
// a formal Korean want ("환불 원합니다"), are requests clear enough to
// propose: the "keep the rest" lines had been taught as cancellations
// only, and 원합니다 was no want.
func TestPartialRefundRequestsAreActionable(t *testing.T) {
	c := classifier(t)
	for _, tt := range []struct{ text, locale string }{
		{"주문번호 ORD-10021인데요 목록에서 두번째 상품만 환불 요청하려고 합니다. 나머지는 다 괜찮아요", "ko"},
		{"Hola, del pedido ORD-10009 quiero devolver solo Lámpara de mesa de cerámica, lo demás me lo quedo que me encanta. Cómo lo hago?", "es"},
		{"주문 ORD-10021: 그릇이 깨져서 왔어요 박스 열자마자 조각나 있었음.. 포장도 엉망이고요. 환불 원합니다", "ko"},
	} {
		r := c.Parse(tt.text, tt.locale)
		if r.Intent != RefundRequest || !r.Actionable() {
			t.Errorf("Parse(%q) = %s %.2f (%s), want an actionable refund request", tt.text, r.Intent, r.Confidence, r.Act)
		}
	}
	if r := c.Parse("환불 원합니다", "ko"); r.Act != ActRequest {
		t.Errorf(`Parse("환불 원합니다").Act = %s, want request`, r.Act)
	}
}
