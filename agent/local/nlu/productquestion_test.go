package nlu

import "testing"

// A question about the goods themselves or about a service no shop offers
// is out of scope; the same goods in a question about the rules, in a
// complaint about a purchase or in an order question keep their intent.
func TestQuestionsAboutGoodsAreOutOfScope(t *testing.T) {
	c := classifier(t)
	tests := []struct {
		text, locale string
		want         Intent
	}{
		{"is the rain jacket machine washable?", "en", OutOfScope},
		{"do these hiking boots run small?", "en", OutOfScope},
		{"¿la paellera vale para inducción?", "es", OutOfScope},
		{"¿podéis envolver para regalo la lámpara?", "es", OutOfScope},
		{"шарф из хлопковой пряжи или синтетика?", "ru", OutOfScope},
		{"самовар можно мыть в посудомоечной машине?", "ru", OutOfScope},
		{"텀블러 식기세척기 돌려도 돼요?", "ko", OutOfScope},
		{"운동화 재입고 언제 돼요?", "ko", OutOfScope},
		// The rules about goods stay policy questions.
		{"is there a restocking fee on returns?", "en", PolicyQuestion},
		{"товары с гравировкой можно вернуть?", "ru", PolicyQuestion},
		// A purchase of the buyer's stays an order matter, named by
		// words that are also a product question's.
		{"where is my order ORD-10042? the waterproof jacket", "en", OrderStatus},
		{"I ordered the waterproof rain jacket last week, when does it arrive?", "en", OrderStatus},
	}
	for _, tt := range tests {
		r := c.Parse(tt.text, tt.locale)
		if r.Intent != tt.want {
			t.Errorf("Parse(%q) = %s (%.2f), want %s", tt.text, r.Intent, r.Confidence, tt.want)
		}
		if r.Actionable() {
			t.Errorf("Parse(%q) is actionable", tt.text)
		}
	}
}
