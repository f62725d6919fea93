package local_test

import (
	"strings"
	"testing"
)

// "How much will I get back?" about the one card waiting shows that card
// again, with its amount: the buyer reads the sum where they confirm,
// nothing new waits (the store keeps the one action), and the yes that
// follows refunds that amount and no more. Before, the sum came as a bare
// sentence and the buyer was left looking for the card.
func TestAmountQuestionShowsTheWaitingCardAgain(t *testing.T) {
	tests := []struct {
		locale, shop, currency, product string
		price                           int64
		ask, howMuch, yes, amount       string
	}{
		{"en", "shop-maple", "USD", "p-maple-socks", 2400, "I got 2 packs of the socks, please refund one of them for ORD-33001", "ok and how much do I get back exactly?", "yes", "$24.00"},
		{"ko", "shop-hangang", "KRW", "p-hangang-tumbler", 23000, "ORD-33001 텀블러 두 개 중에 하나만 환불해 주세요", "그럼 얼마 돌려받아요?", "네", "₩23,000"},
		{"es", "shop-sol", "EUR", "p-sol-towels", 1600, "del pedido ORD-33001 devuélvanme solo una de las dos toallas", "¿y cuánto me devolvéis?", "sí", "16,00"},
		{"ru", "shop-taiga", "RUB", "p-taiga-box", 180000, "по заказу ORD-33001 верните деньги за одну шкатулку из двух", "а сколько вернёте?", "da", "1 800"},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-33001", "buyer-001", tt.shop, tt.currency, "delivered", plantedLine{tt.product, 2, tt.price})
			first := c.say(tt.ask)
			if len(first.cards) != 1 {
				t.Fatalf("%q brought %d cards, want 1; reply %q", tt.ask, len(first.cards), first.text)
			}
			// The card again, and the sum said anew: not the card's words
			// repeated, which read as the model saying the same twice.
			got := c.say(tt.howMuch)
			if len(got.cards) != 1 || !strings.Contains(got.text, tt.amount) || got.text == first.text {
				t.Fatalf("%q brought %d cards and %q, want the card again with %s said anew", tt.howMuch, len(got.cards), got.text, tt.amount)
			}
			if n := len(c.pending()); n != 1 {
				t.Fatalf("%d actions waiting after %q, want 1", n, tt.howMuch)
			}
			c.say(tt.yes)
			if _, refunded := c.status("ORD-33001"); refunded != tt.price {
				t.Errorf("refunded %d after %q, want %d (one unit)", refunded, tt.yes, tt.price)
			}
		})
	}
}
