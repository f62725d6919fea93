package local_test

import (
	"strings"
	"testing"
)

// "cancel lantern order + where r boots": two requests joined by a sign,
// the second a lookup. The first gets its cancellation card; the second
// is answered with where its order stands, and never inherits the
// cancellation (the shipped order gets no card).
func TestCancelAndLookupByGoods(t *testing.T) {
	tests := []struct {
		locale, shop, currency string
		paid, shipped          plantedLine
		text                   string
	}{
		{"en", "shop-maple", "USD", plantedLine{"p-maple-lantern", 1, 3499}, plantedLine{"p-maple-boots", 1, 12900},
			"cancel the lantern order + where r my boots"},
		{"ko", "shop-hangang", "KRW", plantedLine{"p-hangang-kettle", 1, 45000}, plantedLine{"p-hangang-blanket", 1, 39000},
			"주전자 주문 취소해 주세요 + 담요 배송 조회"},
		{"es", "shop-sol", "EUR", plantedLine{"p-sol-lamp", 1, 6450}, plantedLine{"p-sol-towels", 1, 3200},
			"cancela el pedido de la lámpara & dónde están las toallas"},
		{"ru", "shop-taiga", "RUB", plantedLine{"p-taiga-samovar", 1, 890000}, plantedLine{"p-taiga-box", 1, 180000},
			"отмени заказ с самоваром + где шкатулка"},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-32001", "buyer-001", tt.shop, tt.currency, "paid", tt.paid)
			c.plant("ORD-32002", "buyer-001", tt.shop, tt.currency, "shipped", tt.shipped)
			got := c.say(tt.text)
			acts := c.pending()
			if len(acts) != 1 || acts[0].Tool != "cancel_order" {
				t.Fatalf("%q: pending %+v, want the one cancellation; reply %q", tt.text, acts, got.text)
			}
			planOf(t, acts, "ORD-32001")
			if !strings.Contains(got.text, "ORD-32002") {
				t.Errorf("reply %q does not say where ORD-32002 stands", got.text)
			}
		})
	}
}
