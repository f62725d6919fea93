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
		// What the goods are like, asked of goods that also come in
		// reports of goods found wrong.
		{"will the blanket shrink if I tumble it?", "en", OutOfScope},
		{"¿las sandalias destiñen con el agua?", "es", OutOfScope},
		{"мёд подходит веганам?", "ru", OutOfScope},
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

// A service no shop offers is out of scope even when it names the buyer's
// own order ("can you gift wrap my order", which read as a cancellation),
// unless a complaint, goods found wrong or a cancellation comes with it.
func TestServiceRequestsAreOutOfScope(t *testing.T) {
	c := classifier(t)
	tests := []struct {
		text, locale string
		out          bool
	}{
		{"can you gift wrap my order ORD-10042 please", "en", true},
		{"could you put a handwritten card in the parcel for my dad", "en", true},
		{"¿me lo podéis mandar en una caja sin logo? es una sorpresa", "es", true},
		{"¿igualan el precio si otra tienda lo tiene más barato?", "es", true},
		{"упакуйте заказ 10042 в подарочную упаковку, пожалуйста", "ru", true},
		{"вы снизите цену, если я найду дешевле?", "ru", true},
		{"선물이라 가격표 빼고 로고 없는 박스로 보내 주세요", "ko", true},
		{"are you hiring at the moment?", "en", true},
		// A cancellation, or goods found wrong, keeps its own reading.
		{"cancel ORD-10042, you forgot the gift wrap I paid for", "en", false},
		{"la caja sin logo llegó con la lámpara rota", "es", false},
	}
	for _, tt := range tests {
		r := c.Parse(tt.text, tt.locale)
		if got := r.Intent == OutOfScope; got != tt.out {
			t.Errorf("Parse(%q) = %s (%.2f), want out of scope %v", tt.text, r.Intent, r.Confidence, tt.out)
		}
		if tt.out && r.Actionable() {
			t.Errorf("Parse(%q) is actionable", tt.text)
		}
	}
}
