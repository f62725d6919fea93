package local_test

import (
	"regexp"
	"strings"
	"testing"
)

// Whether the buyer's own goods can go back, told when they came ("got
// the jacket 2 days ago, can it be returned?"): the order holding them is
// found without a number, and the reply gives the refund window in days
// and that order; nothing is proposed before the buyer asks for it.
func TestOwnReturnAskedGetsTheOrdersWindow(t *testing.T) {
	tests := []struct {
		locale, shop, currency, product string
		price                           int64
		says                            string
		days                            *regexp.Regexp
	}{
		{"en", "shop-maple", "USD", "p-maple-jacket", 8950, "got the rain jacket 2 days ago, is it possible to return it?", regexp.MustCompile(`\b30 days\b`)},
		{"ko", "shop-hangang", "KRW", "p-hangang-sneakers", 59000, "운동화 받은지 이틀 됐는데 반품 되나요", regexp.MustCompile(`30\s?일`)},
		{"es", "shop-sol", "EUR", "p-sol-bag", 3990, "el bolso me llegó hace dos días, ¿se puede devolver?", regexp.MustCompile(`\b30 días\b`)},
		{"ru", "shop-taiga", "RUB", "p-taiga-teaset", 320000, "чайный набор пришёл 2 дня назад, его можно вернуть?", regexp.MustCompile(`30 дн`)},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-32301", "buyer-001", tt.shop, tt.currency, "delivered", plantedLine{tt.product, 1, tt.price})
			got := c.say(tt.says)
			if !tt.days.MatchString(got.text) || !strings.Contains(got.text, "ORD-32301") {
				t.Errorf("%q = %q, want the window (%s) and ORD-32301", tt.says, got.text, tt.days)
			}
			if len(got.cards) != 0 {
				t.Errorf("%q brought %d cards, want none", tt.says, len(got.cards))
			}
		})
	}
}
