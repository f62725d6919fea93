package local_test

import (
	"testing"

	"github.com/csagent/csagent/agent/local"
)

// The answer step picks the section that answers the question's type
// where a neighbouring one shares more words (issue 14, round 10): where
// refunded money goes (not the non-refundable list a gift card is on),
// the refund window for a return after delivery (not a late parcel's
// dispute), a late parcel's own time limit (not the refund window the
// money hoped for names), the return-shipping table for "is it free?",
// who bears the cost for a defect, the decision time of a claim, and the
// food a buyer names by what it is.
func TestPolicyAnswersByQuestionType(t *testing.T) {
	p := newPolicyAgent(t)
	c, err := classifier()
	if err != nil {
		t.Fatal(err)
	}
	m := local.New(c)
	tests := []struct {
		locale, q string
		want      []string // any of them
	}{
		{"en", "I paid partly with a gift card and partly with my credit card, where does the money go when I'm refunded?", []string{"original payment method"}},
		{"ko", "기프트카드랑 신용카드로 나눠서 결제했는데 환불되면 어디로 들어와요?", []string{"원래 결제 수단"}},
		{"es", "Pagué una parte con tarjeta regalo y otra con mi tarjeta, ¿a dónde vuelve el dinero del reembolso?", []string{"método de pago original"}},
		{"ru", "Платила частично сертификатом, частично картой. Куда придут деньги при возврате?", []string{"исходный способ оплаты"}},
		{"en", "the jacket arrived 10 days ago and it's too small. am I still allowed to send it back?", []string{"30 days"}},
		{"ko", "받은 지 2주 됐는데 언제까지 돌려보낼 수 있나요?", []string{"30일"}},
		{"es", "mi paquete lleva 3 semanas de retraso, ¿qué puedo hacer? ¿me devuelven el dinero?", []string{"15 días"}},
		{"en", "is sending a sweater back free if I just don't like it?", []string{"buyer"}},
		{"es", "¿Quién asume el coste del envío de devolución si el producto llega defectuoso?", []string{"vendedor"}},
		{"ko", "이의신청 하면 결과는 보통 며칠 걸려요?", []string{"10일"}},
		{"en", "can I return a jar of honey if I don't like the taste?", []string{"perishable food"}},
		{"ru", "можно ли вернуть сыр, если не понравился?", []string{"скоропортящиеся"}},
		// A crack is damage, and what to have ready is the request's steps.
		{"ru", "пришла ваза с трещиной, че делать?", []string{"о каком заказе", "фото"}},
		{"ko", "그릇이 깨져서 왔어요 뭘 준비해야 하나요", []string{"어느 주문", "사진"}},
	}
	for _, tt := range tests {
		reply := p.answer(t, m, tt.locale, tt.q)
		if miss := missingFact(reply, [][]string{tt.want}); miss != "" {
			t.Errorf("answer to %q = %q, want it to state %q", tt.q, reply, miss)
		}
	}
}
