package local

import "testing"

// A return asked for in so many words is told from a question about the
// rules put as a request ("안내 부탁드립니다"), a want negated, and a
// request of another kind.
func TestAsksReturnDone(t *testing.T) {
	m := newModel(t)
	for _, tt := range []struct {
		locale, text string
		want         bool
	}{
		{"en", "I'd like to return the scarf, it itches", true},
		{"ko", "담요 반품 부탁드려요. 색이 사진이랑 달라요", true},
		{"ko", "텀블러 환불 요청드려요", true},
		{"es", "me gustaría devolver la lámpara, no pega con el salón", true},
		{"es", "Solicito la devolución de las toallas, llegaron hace cuatro días", true},
		{"ru", "хотел бы вернуть самовар, он какой-то тяжёлый", true},
		{"ru", "oformite vozvrat na samovar pozhaluysta", true},
		{"en", "I don't want to return the boots, they're fine", false},
		{"en", "could you tell me who pays the shipping if I return the boots?", false},
		{"ko", "반품하면 배송비는 누가 부담하는지 안내 부탁드립니다", false},
		{"es", "quiero saber cuántos días tengo para devolver algo", false},
		{"ru", "подскажите, как оформить возврат?", false},
		{"ru", "я хочу знать, самовар можно вернуть?", false},
		{"en", "I want to know if I can return a gift card", false},
		{"ru", "отмените заказ 20605", false},
	} {
		t.Run(tt.text, func(t *testing.T) {
			r := m.parse(tt.text, tt.locale)
			if got := asksReturnDone(r, tt.text); got != tt.want {
				t.Errorf("asksReturnDone(%q) = %v, want %v (read %s %.2f)", tt.text, got, tt.want, r.Intent, r.Confidence)
			}
		})
	}
}
