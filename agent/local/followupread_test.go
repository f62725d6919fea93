package local_test

import (
	"testing"

	"github.com/csagent/csagent/agent/local"
)

// An answer that says go ahead in words the yes/no reading does not take
// for a yes ("ok then, file it", "vale, tramítalo ya") carries out the one
// card waiting, read by the follow-up reader; with two cards, "go with
// the two of them" carries out both. The amounts are the cards'.
func TestFollowUpAnswerCarriesOutTheCards(t *testing.T) {
	c, err := classifier()
	if err != nil {
		t.Fatal(err)
	}
	conf := local.NewConfirmations(c)
	for _, tt := range []struct {
		locale, shop, currency string
		lines                  []plantedLine
		ask, answer            string
		refunded               int64
		disputes               int
	}{
		{"en", "shop-maple", "USD", []plantedLine{{"p-maple-boots", 1, 12900}},
			"The boots are the wrong size, I want a refund for ORD-31201", "fine, put it through", 12900, 0},
		{"es", "shop-sol", "EUR", []plantedLine{{"p-sol-bag", 1, 3990}},
			"quiero que me devolváis el dinero del pedido ORD-31201, el bolso llegó roto", "bueno, tramítalo ya", 3990, 0},
		{"ko", "shop-hangang", "KRW", []plantedLine{{"p-hangang-sneakers", 1, 59000}, {"p-hangang-earbuds", 1, 79000}},
			"운동화는 사이즈가 안 맞아서 환불해 주세요. 그리고 이어폰은 파손되어 와서 판매자한테 분쟁 신청해 주세요", "두 건 모두 진행해 주세요", 59000, 1},
		{"ru", "shop-taiga", "RUB", []plantedLine{{"p-taiga-scarf", 1, 240000}, {"p-taiga-samovar", 1, 890000}},
			"за шарф верните деньги, не подошёл. а по самовару откройте спор с продавцом, он пришёл разбитым", "давайте и то и другое", 240000, 1},
	} {
		t.Run(tt.locale, func(t *testing.T) {
			if yes, _ := conf.Confirmation(tt.answer, tt.locale); yes {
				t.Fatalf("Confirmation(%q) is a yes already; the test wants an answer only the follow-up reader takes", tt.answer)
			}
			ch := newChat(t, tt.locale)
			ch.plant("ORD-31201", "buyer-001", tt.shop, tt.currency, "delivered", tt.lines...)
			if first := ch.say(tt.ask); len(first.cards) == 0 {
				t.Fatalf("%q: no card; reply %q", tt.ask, first.text)
			}
			ch.say(tt.answer)
			if _, refunded := ch.status("ORD-31201"); refunded != tt.refunded {
				t.Errorf("after %q: refunded %d, want %d", tt.answer, refunded, tt.refunded)
			}
			var disputes int
			if err := ch.pool.QueryRow(t.Context(), `SELECT count(*) FROM disputes WHERE order_id = 'ORD-31201'`).Scan(&disputes); err != nil {
				t.Fatal(err)
			}
			if disputes != tt.disputes {
				t.Errorf("after %q: %d disputes, want %d", tt.answer, disputes, tt.disputes)
			}
		})
	}
}
