package local_test

import (
	"strings"
	"testing"
)

// After a shipped order's cancellation is refused, asking about returning
// it later gets the rule of its goods when none of them can be refunded
// (the goods named, no return window), in the four languages; an order of
// goods that can be refunded is never told its goods are excluded. (Asked
// with "when it arrives" in Spanish or Russian, "¿y cuando llegue lo puedo
// devolver?", the message is still read as the delivery date asked, with
// either goods: a reading gap left for the follow-up readers.)
func TestShippedExcludedGoodsGetTheirRuleNotTheWindow(t *testing.T) {
	tests := []struct {
		locale, shop, currency string
		excluded, refundable   plantedLine
		cancel, later, window  string
		excludedLead           string
	}{
		{"en", "shop-maple", "USD", plantedLine{"p-maple-giftcard", 1, 5000}, plantedLine{"p-maple-boots", 1, 12900},
			"please cancel ORD-31401", "ok, can I send it back once it arrives then?", "30 days", "cannot be returned for a refund"},
		{"ko", "shop-hangang", "KRW", plantedLine{"p-hangang-kimchi", 1, 32000}, plantedLine{"p-hangang-kettle", 1, 45000},
			"ORD-31401 취소해 주세요", "그럼 받고 나서 반품은 돼요?", "30일", "반품 환불이 되지 않습니다"},
		{"es", "shop-sol", "EUR", plantedLine{"p-sol-oil", 1, 2400}, plantedLine{"p-sol-pan", 1, 2750},
			"cancela el pedido ORD-31401", "¿y luego se puede devolver?", "30 días", "tampoco se puede devolver"},
		{"ru", "shop-taiga", "RUB", plantedLine{"p-taiga-engraved", 1, 210000}, plantedLine{"p-taiga-box", 1, 180000},
			"отмените заказ ORD-31401", "ну а потом его можно будет сдать обратно?", "30 дней", "не получится и после доставки"},
	}
	for _, tt := range tests {
		for _, excluded := range []bool{true, false} {
			line := tt.refundable
			if excluded {
				line = tt.excluded
			}
			t.Run(tt.locale+map[bool]string{true: " excluded", false: " refundable"}[excluded], func(t *testing.T) {
				c := newChat(t, tt.locale)
				c.plant("ORD-31401", "buyer-001", tt.shop, tt.currency, "shipped", line)
				c.say(tt.cancel)
				got := c.say(tt.later)
				if said := strings.Contains(got.text, tt.excludedLead); said != excluded {
					t.Errorf("%q = %q; says the goods are excluded: %v, want %v", tt.later, got.text, said, excluded)
				}
				if excluded && strings.Contains(got.text, tt.window) {
					t.Errorf("%q = %q, want no %s window for goods no refund can be made of", tt.later, got.text, tt.window)
				}
				if len(got.cards) != 0 {
					t.Errorf("%q: %d cards, want none", tt.later, len(got.cards))
				}
			})
		}
	}
}
