package local_test

import (
	"testing"

	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/tools/l10n"
)

// Asked after "the other one" when that order is paid but not shipped, the
// reply names it, what it holds and its total, and that it can still be
// cancelled before it ships; the first order is not repeated and nothing
// is proposed or cancelled.
func TestOtherUnshippedOrderGetsTotalAndCancelStep(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, first, second, goods string
		qty, price                                   int
		ask, other, cancel                           string
	}{
		{"en", "shop-maple", "USD", "p-maple-boots", "p-maple-bottle", "Insulated steel bottle ×3", 3, 2899,
			"where is ORD-18101 at?", "got it. how's my other order doing?", "cancel"},
		{"ko", "shop-hangang", "KRW", "p-hangang-blanket", "p-hangang-tumbler", "보온 텀블러 ×2", 2, 23000,
			"ORD-18101 지금 어디쯤 있어요?", "네 알겠어요 다른 주문은요?", "취소"},
		{"es", "shop-sol", "EUR", "p-sol-bag", "p-sol-towels", "Juego de toallas de algodón ×1", 1, 3200,
			"¿por dónde va el ORD-18101?", "vale gracias. ¿y el otro pedido qué tal va?", "cancelar"},
		{"ru", "shop-taiga", "RUB", "p-taiga-samovar", "p-taiga-teaset", "Чайный набор ×1", 1, 320000,
			"где сейчас ORD-18101?", "понял, спасибо. а второй как там?", "отменить"},
	}
	for i, tt := range cases {
		t.Run(tt.locale+"/"+tt.other, func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18101", tt.shop, tt.currency, "shipped", 4, tt.first, 1, 5000)
			c.order("ORD-18102", tt.shop, tt.currency, "paid", 1, tt.second, tt.qty, tt.price)
			checkReply(t, tt.ask, c.say(tt.ask), []string{"ORD-18101"}, nil)
			total := l10n.Money(tt.locale, int64(tt.qty*tt.price), tt.currency)
			turn := c.say(tt.other)
			checkReply(t, tt.other, turn, []string{"ORD-18102", tt.goods, total, tt.cancel}, []string{"ORD-18101"})
			if len(turn.cards) > 0 || c.cancelled("ORD-18102") {
				t.Errorf("%q: cards %v, cancelled %v; want nothing proposed or done", tt.other, turn.cards, c.cancelled("ORD-18102"))
			}
		})
	}
}
