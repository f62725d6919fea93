package local_test

import (
	"strings"
	"testing"
)

// A buyer who tells a problem with goods a refund cannot cover (food, a
// download) gets the dispute itself as a card, with why (no refund, the
// dispute open until its date), when the problem names a dispute reason:
// the policy allows only that, so there is nothing to choose. Before,
// the reply offered the dispute in words, and the buyer's "do that" got
// the card only then, one more confirmation away from being opened. The
// yes opens it on the order the goods are in.
func TestProblemWithNonRefundableGoodsPreparesTheDispute(t *testing.T) {
	tests := []struct {
		locale, shop, currency, product string
		price                           int64
		story, yes                      string
	}{
		{"en", "shop-maple", "USD", "p-maple-map", 1200, "the trail map bundle I bought arrived broken, half the pages are corrupted and blank", "ok yes"},
		{"ko", "shop-hangang", "KRW", "p-hangang-kimchi", 32000, "제가 주문한 김치가 통이 깨진 채로 파손되어 도착했어요", "네 진행해 주세요"},
		{"es", "shop-sol", "EUR", "p-sol-oil", 2400, "el aceite de oliva que compré me llegó con la botella rota", "sí, adelante"},
		{"ru", "shop-taiga", "RUB", "p-taiga-honey", 120000, "мой мёд пришёл с разбитой банкой, всё вытекло", "да, давайте"},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-34001", "buyer-001", tt.shop, tt.currency, "delivered", plantedLine{tt.product, 1, tt.price})
			got := c.say(tt.story)
			if len(got.cards) != 1 || got.cards[0].Tool != "open_dispute" || !strings.Contains(got.text, "ORD-34001") {
				t.Fatalf("%q brought %d cards and %q, want the dispute's card for ORD-34001", tt.story, len(got.cards), got.text)
			}
			c.say(tt.yes)
			var n int
			if err := c.pool.QueryRow(t.Context(), `SELECT count(*) FROM disputes WHERE order_id = 'ORD-34001'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if _, refunded := c.status("ORD-34001"); n != 1 || refunded != 0 {
				t.Errorf("after %q: %d disputes and %d refunded, want 1 dispute and nothing refunded", tt.yes, n, refunded)
			}
		})
	}
}
