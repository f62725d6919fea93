package local_test

import (
	"strings"
	"testing"
)

// A message that asks a refund of one item and a dispute about another of
// the same order, with no order number, gets two cards: the refund of
// that item alone (never the order's total) and the dispute. "Both" then
// carries out each: the item's amount refunded, a dispute opened.
func TestARefundAndADisputeOfOneOrderGetACardEach(t *testing.T) {
	for _, tt := range []struct {
		locale, shop, currency string
		lines                  []plantedLine // line 1 is refunded, line 2 disputed
		message, both          string
		itemAmount             string
		refunded               int64
	}{
		{"en", "shop-maple", "USD", []plantedLine{{"p-maple-jacket", 1, 8950}, {"p-maple-bottle", 1, 2999}},
			"The rain jacket is too small, I'd like my money back for it. Also the bottle arrived dented, please open a dispute with the seller",
			"ok do both", "$89.50", 8950},
		{"ko", "shop-hangang", "KRW", []plantedLine{{"p-hangang-sneakers", 1, 59000}, {"p-hangang-earbuds", 1, 79000}},
			"운동화는 사이즈가 안 맞아서 환불해 주세요. 그리고 이어폰은 파손되어 와서 판매자한테 분쟁 신청해 주세요",
			"네 둘다 해주세요", "₩59,000", 59000},
		{"es", "shop-sol", "EUR", []plantedLine{{"p-sol-bag", 1, 3990}, {"p-sol-lamp", 1, 6450}},
			"el bolso no me gusta, quiero que me devuelvan el dinero. y la lámpara llegó rota, abrid una disputa con el vendedor",
			"sí, las dos", "39,90 €", 3990},
		{"ru", "shop-taiga", "RUB", []plantedLine{{"p-taiga-scarf", 1, 240000}, {"p-taiga-samovar", 1, 890000}},
			"за шарф верните деньги, не подошёл. а по самовару откройте спор с продавцом, он пришёл разбитым",
			"да, оба", "2 400,00 ₽", 240000},
	} {
		t.Run(tt.locale, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-31101", "buyer-001", tt.shop, tt.currency, "delivered", tt.lines...)

			first := c.say(tt.message)
			if len(first.cards) != 2 {
				t.Fatalf("%q: %d cards, want 2; reply %q", tt.message, len(first.cards), first.text)
			}
			if !strings.Contains(first.text, tt.itemAmount) {
				t.Errorf("reply %q does not give the item's amount %s", first.text, tt.itemAmount)
			}
			tools := map[string]bool{}
			for _, a := range c.pending() {
				tools[a.Tool] = true
			}
			if !tools["request_refund"] || !tools["open_dispute"] {
				t.Fatalf("pending %v, want a refund and a dispute", tools)
			}

			c.say(tt.both)
			if _, refunded := c.status("ORD-31101"); refunded != tt.refunded {
				t.Errorf("after %q: refunded %d, want %d (the one item)", tt.both, refunded, tt.refunded)
			}
			var disputes int
			if err := c.pool.QueryRow(t.Context(), `SELECT count(*) FROM disputes WHERE order_id = 'ORD-31101'`).Scan(&disputes); err != nil {
				t.Fatal(err)
			}
			if disputes != 1 {
				t.Errorf("after %q: %d disputes, want 1", tt.both, disputes)
			}
			if n := len(c.pending()); n != 0 {
				t.Errorf("after %q: %d actions still pending", tt.both, n)
			}
		})
	}
}
