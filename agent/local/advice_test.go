package local_test

import (
	"strings"
	"testing"
)

// Advice asked in words the classifier has no intent for, right after the
// buyer told what went wrong with goods and the order holding them was
// found, gets that order's options with the amount; nothing is proposed.
// Asked with no story told, the same words get no options.
func TestAdviceAfterTheGoodsStoryGetsTheOrdersOptions(t *testing.T) {
	tests := []struct {
		locale, shop, currency string
		line                   plantedLine
		story, advice          string
		amount                 string
	}{
		{"en", "shop-maple", "USD", plantedLine{"p-maple-bottle", 1, 2899},
			"the steel bottle from ORD-31301 leaks from the bottom seam", "hmm and what would you recommend?", "$28.99"},
		{"ko", "shop-hangang", "KRW", plantedLine{"p-hangang-kettle", 1, 45000},
			"ORD-31301 전기 주전자 물 끓일 때 손잡이가 너무 뜨거워져요", "그럼 어떻게 하는 게 좋을까요?", "₩45,000"},
		{"es", "shop-sol", "EUR", plantedLine{"p-sol-towels", 1, 3200},
			"las toallas del pedido ORD-31301 sueltan pelusa a cada lavado", "¿y usted qué me aconseja?", "32,00 €"},
		{"ru", "shop-taiga", "RUB", plantedLine{"p-taiga-samovar", 1, 890000},
			"самовар из заказа ORD-31301 гудит и пахнет пластиком", "а вы что посоветуете?", "8 900,00 ₽"},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-31301", "buyer-001", tt.shop, tt.currency, "delivered", tt.line)
			c.say(tt.story)
			got := c.say(tt.advice)
			if !strings.Contains(got.text, "ORD-31301") || !strings.Contains(got.text, tt.amount) {
				t.Errorf("%q after %q = %q, want ORD-31301's options with %s", tt.advice, tt.story, got.text, tt.amount)
			}
			if len(got.cards) != 0 {
				t.Errorf("%q: %d cards, want none before the buyer chooses", tt.advice, len(got.cards))
			}
		})
		t.Run(tt.locale+" no story", func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-31301", "buyer-001", tt.shop, tt.currency, "delivered", tt.line)
			if got := c.say(tt.advice); strings.Contains(got.text, tt.amount) {
				t.Errorf("%q with no story = %q, want no options", tt.advice, got.text)
			}
		})
	}
}
