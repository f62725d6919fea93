package local_test

import (
	"testing"

	"github.com/csagent/csagent/tools/demo"
)

// Right after the order on its way was found by its goods, "will it come
// by <a time>?" — however short, with whatever aside before it — is about
// that order: its tracking (carrier and number) and no promise of a day,
// never the out-of-scope answer, a person, or the buyer's other order.
func TestArrivalByATimeIsAboutTheOrderFound(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, product, old string
		price                                int
		ask, byWhen                          string
	}{
		{"en", "shop-maple", "USD", "p-maple-lantern", "p-maple-boots", 3499,
			"when are my lanterns coming", "on my phone at the gym lol. will it come this week?"},
		{"en", "shop-maple", "USD", "p-maple-lantern", "p-maple-boots", 3499,
			"where's the lantern I ordered", "camping trip saturday, gonna make it by then?"},
		{"ko", "shop-hangang", "KRW", "p-hangang-blanket", "p-hangang-kettle", 39000,
			"담요 언제 와요?", "지금 운전 중이라 짧게요 주말까지 와요?"},
		{"ko", "shop-hangang", "KRW", "p-hangang-blanket", "p-hangang-kettle", 39000,
			"담요 배송 어디쯤이에요", "그럼 금요일 전에 받을 수 있을까요"},
		{"es", "shop-sol", "EUR", "p-sol-lamp", "p-sol-bag", 4990,
			"¿cuándo llega mi lámpara?", "estoy en clase, rápido: ¿la tendré para el sábado?"},
		{"ru", "shop-taiga", "RUB", "p-taiga-scarf", "p-taiga-box", 240000,
			"когда привезут шарф?", "пишу с телефона в метро. будет до пятницы?"},
	}
	for i, tt := range cases {
		t.Run(tt.locale+"/"+tt.byWhen, func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18501", tt.shop, tt.currency, "shipped", 4, tt.product, 1, tt.price)
			c.order("ORD-18502", tt.shop, tt.currency, "delivered", 30, tt.old, 1, 1000)
			tracking := "1Z00000018501"
			checkReply(t, tt.ask, c.say(tt.ask), []string{"ORD-18501"}, []string{"ORD-18502"})
			checkReply(t, tt.byWhen, c.say(tt.byWhen), []string{"ORD-18501", "UPS", tracking}, []string{"ORD-18502"})
		})
	}
}
