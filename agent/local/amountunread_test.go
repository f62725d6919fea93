package local_test

import (
	"strings"
	"testing"
)

// A refund asked with money that cannot be given back ("$-5", "1e308
// USD", "$0.001") is asked about: no card, nothing refunded, the order
// named; an amount that can be read still gets its card.
func TestUnreadAmountIsAskedNotTakenForTheWholeOrder(t *testing.T) {
	tests := []struct {
		locale, shop, currency, product string
		ask                             string
		card                            bool
	}{
		{"en", "shop-maple", "USD", "p-maple-lantern", "I want $-5 back for ORD-32001", false},
		{"en", "shop-maple", "USD", "p-maple-lantern", "refund 1e308 USD of ORD-32001 pls", false},
		{"en", "shop-maple", "USD", "p-maple-lantern", "refund $0.001 for ORD-32001", false},
		{"es", "shop-sol", "EUR", "p-sol-towels", "devuélvanme -5 euros del pedido ORD-32001", false},
		{"ru", "shop-taiga", "RUB", "p-taiga-box", "верните 99999999999999999999 руб за заказ ORD-32001", false},
		{"en", "shop-maple", "USD", "p-maple-lantern", "refund $20 of ORD-32001 please, it flickers", true},
	}
	for _, tt := range tests {
		t.Run(tt.locale+" "+tt.ask, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-32001", "buyer-001", tt.shop, tt.currency, "delivered", plantedLine{tt.product, 2, 3499})
			got := c.say(tt.ask)
			if tt.card {
				if len(got.cards) != 1 {
					t.Fatalf("%q brought %d cards, want 1; reply %q", tt.ask, len(got.cards), got.text)
				}
				return
			}
			if len(got.cards) != 0 || len(c.pending()) != 0 {
				t.Fatalf("%q brought %d cards (%d pending), want a question; reply %q", tt.ask, len(got.cards), len(c.pending()), got.text)
			}
			if !strings.Contains(got.text, "ORD-32001") {
				t.Errorf("reply %q does not name ORD-32001", got.text)
			}
			if _, refunded := c.status("ORD-32001"); refunded != 0 {
				t.Errorf("%d refunded, want nothing", refunded)
			}
		})
	}
}
