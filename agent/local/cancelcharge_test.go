package local_test

import (
	"testing"

	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/tools/l10n"
)

// "Will I be charged or not?" asked while a cancellation waits is the
// card's money: the reply gives the amount the cancellation refunds, on
// that order, and shows no new card; nothing is cancelled.
func TestChargeAskedOfAWaitingCancellation(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, product string
		price                           int
		cancel, charged                 string
	}{
		{"en", "shop-maple", "USD", "p-maple-lantern", 3499, "please cancel ORD-19101, ordered it twice by mistake", "so I won't be charged for it, right?"},
		{"ko", "shop-hangang", "KRW", "p-hangang-tumbler", 23000, "ORD-19101 주문 취소해 주세요", "그럼 결제된 금액은 청구 안 되는 거죠?"},
		{"es", "shop-sol", "EUR", "p-sol-pan", 2750, "cancelen el pedido ORD-19101 por favor", "¿y no me van a cobrar nada?"},
		{"ru", "shop-taiga", "RUB", "p-taiga-box", 180000, "отмените заказ ORD-19101", "а деньги с карты не спишут?"},
	}
	for i, tt := range cases {
		t.Run(tt.locale, func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-19101", tt.shop, tt.currency, "paid", 1, tt.product, 1, tt.price)
			amount := l10n.Money(tt.locale, int64(tt.price), tt.currency)
			checkReply(t, tt.cancel, c.say(tt.cancel), []string{"ORD-19101", amount}, nil)
			turn := c.say(tt.charged)
			checkReply(t, tt.charged, turn, []string{"ORD-19101", amount}, nil)
			if len(turn.cards) > 0 {
				t.Errorf("%q brought another card: %v", tt.charged, turn.cards)
			}
			if c.cancelled("ORD-19101") {
				t.Errorf("ORD-19101 was cancelled without the buyer's yes")
			}
		})
	}
}
