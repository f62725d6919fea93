package local_test

import (
	"strings"
	"testing"
)

// A payment the buyer's bank shows twice is answered with the order it was
// for (the one whose total is the sum named, of the buyer's two orders),
// that order's one payment and an offer of a person, never a refund card;
// a yes then hands the conversation over. Before, the classifier's reading
// gave the whole order's refund card, the payment methods' passage or "out
// of scope". The same goods told broken with no word of paying twice are
// not read so.
func TestChargedTwiceNamesTheOrderAndOffersAPerson(t *testing.T) {
	tests := []struct {
		locale, shop, currency string
		charged, other         plantedLine
		told, amount, yes      string
		notBilling, marker     string
	}{
		{"en", "shop-maple", "USD", plantedLine{"p-maple-jacket", 1, 8950}, plantedLine{"p-maple-socks", 1, 2400},
			"hey, my card got hit with 89.50 twice yesterday", "$89.50", "yes please",
			"the jacket I got has a torn sleeve, twice the same problem with your jackets", "one payment"},
		{"ko", "shop-hangang", "KRW", plantedLine{"p-hangang-tumbler", 1, 23000}, plantedLine{"p-hangang-blanket", 1, 39000},
			"통장에서 23000원이 두 번 출금됐어요 확인 좀 해주세요", "₩23,000", "네",
			"텀블러 뚜껑이 두 번이나 빠졌어요", "결제 한 건"},
		{"es", "shop-sol", "EUR", plantedLine{"p-sol-lamp", 1, 6450}, plantedLine{"p-sol-pan", 1, 2750},
			"me aparece el cobro de 64,50 € duplicado en la tarjeta", "64,50 €", "sí, por favor",
			"la lámpara se ha apagado sola dos veces hoy", "un solo pago"},
		{"ru", "shop-taiga", "RUB", plantedLine{"p-taiga-box", 1, 180000}, plantedLine{"p-taiga-teaset", 1, 320000},
			"у меня два раза списали 1800 рублей за шкатулку", "1 800,00 ₽", "да, соедините",
			"шкатулка два раза падала с полки и треснула", "одна оплата"},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-31101", "buyer-001", tt.shop, tt.currency, "delivered", tt.charged)
			c.plant("ORD-31102", "buyer-001", tt.shop, tt.currency, "delivered", tt.other)
			got := c.say(tt.told)
			if !strings.Contains(got.text, "ORD-31101") || strings.Contains(got.text, "ORD-31102") || !strings.Contains(got.text, tt.amount) {
				t.Errorf("%q = %q, want ORD-31101 with its %s and not ORD-31102", tt.told, got.text, tt.amount)
			}
			if len(got.cards) != 0 {
				t.Errorf("%q: %d cards, want none (a bank's charge is a person's to check)", tt.told, len(got.cards))
			}
			c.say(tt.yes)
			var handoffs int
			if err := c.pool.QueryRow(t.Context(), `SELECT count(*) FROM handoffs WHERE conversation_id = $1`, c.conv).Scan(&handoffs); err != nil {
				t.Fatal(err)
			}
			if handoffs != 1 {
				t.Errorf("after %q: %d handoffs, want 1", tt.yes, handoffs)
			}
		})
		t.Run(tt.locale+" not billing", func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-31101", "buyer-001", tt.shop, tt.currency, "delivered", tt.charged)
			if got := c.say(tt.notBilling); strings.Contains(got.text, tt.marker) {
				t.Errorf("%q = %q, read as a payment taken twice", tt.notBilling, got.text)
			}
		})
	}
}
