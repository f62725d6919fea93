package local_test

import (
	"strings"
	"testing"
)

// "The kettle order can still be cancelled, right?" asks about the
// buyer's own order, named by its goods: that order is found among the
// buyer's orders (never the other one), the rule for its state is given,
// and its cancellation is prepared as a card with the whole amount; the
// order stays as it is until the buyer confirms. Before, a question naming
// a state ("it hasn't shipped yet") was taken for one about orders in
// general, and no order was looked at.
func TestOwnCancelQuestionNamingTheGoods(t *testing.T) {
	tests := []struct {
		locale, shop, currency string
		paid, delivered        plantedLine
		text, amount           string
	}{
		{"en", "shop-maple", "USD", plantedLine{"p-maple-lantern", 1, 3499}, plantedLine{"p-maple-boots", 1, 12900},
			"the lantern order can still be cancelled, right? I think it hasn't shipped yet", "$34.99"},
		{"ko", "shop-hangang", "KRW", plantedLine{"p-hangang-kettle", 1, 45000}, plantedLine{"p-hangang-blanket", 1, 39000},
			"주전자 주문은 아직 취소 가능하죠? 아직 안 보냈을 텐데", "₩45,000"},
		{"es", "shop-sol", "EUR", plantedLine{"p-sol-lamp", 1, 6450}, plantedLine{"p-sol-towels", 1, 3200},
			"el pedido de la lámpara todavía se puede cancelar, ¿verdad? creo que no lo han enviado", "64,50 €"},
		{"ru", "shop-taiga", "RUB", plantedLine{"p-taiga-samovar", 1, 890000}, plantedLine{"p-taiga-box", 1, 180000},
			"заказ с самоваром ведь можно ещё отменить? его пока не отправили", "8 900,00 ₽"},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-32001", "buyer-001", tt.shop, tt.currency, "paid", tt.paid)
			c.plant("ORD-32002", "buyer-001", tt.shop, tt.currency, "delivered", tt.delivered)
			got := c.say(tt.text)
			acts := c.pending()
			if len(acts) != 1 || len(got.cards) != 1 {
				t.Fatalf("%q: %d pending, %d cards, want 1 and 1; reply %q", tt.text, len(acts), len(got.cards), got.text)
			}
			if act := planOf(t, acts, "ORD-32001"); act.Tool != "cancel_order" {
				t.Errorf("pending %s, want cancel_order of ORD-32001", act.Tool)
			}
			if !strings.Contains(got.text, tt.amount) || !strings.Contains(got.text, "ORD-32001") {
				t.Errorf("reply %q does not name ORD-32001 and %s", got.text, tt.amount)
			}
			if st, _ := c.status("ORD-32001"); st != "paid" {
				t.Errorf("ORD-32001 is %s before any yes, want paid", st)
			}
		})
	}
}
