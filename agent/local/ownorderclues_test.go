package local_test

import (
	"testing"

	"github.com/csagent/csagent/tools/demo"
)

// A buyer telling what they ordered, with an ordinal that points at no
// item ("first one since the kids were born", "mi primera compra") or in
// a learner's English ("I buy … it is not send"), gets the order holding
// those goods with where it stands, not a request to rephrase.
func TestPurchaseToldWithoutNumberFindsTheOrder(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, product, other, text, want string
	}{
		{"en", "shop-maple", "USD", "p-maple-boots", "p-maple-bottle",
			"so I ordered the hiking boots on monday, my first order ever on here (first one since I moved, long story) and just want to check it went through", "hasn't shipped"},
		{"en", "shop-maple", "USD", "p-maple-boots", "p-maple-bottle",
			"Hello. I buy the hiking boots 3 days before but it is not send still. Why so long?", "hasn't shipped"},
		{"es", "shop-sol", "EUR", "p-sol-lamp", "p-sol-towels",
			"pedí la lámpara ayer, es mi primera compra aquí y quería saber si el pedido salió bien", "ORD-18401"},
		{"ru", "shop-taiga", "RUB", "p-taiga-scarf", "p-taiga-honey",
			"заказала шарф вчера, первый раз тут покупаю, хотела проверить, что заказ прошёл", "ORD-18401"},
		{"ko", "shop-hangang", "KRW", "p-hangang-blanket", "p-hangang-mug",
			"어제 담요 주문했는데 첫 주문이라 잘 들어갔는지 확인하고 싶어요", "ORD-18401"},
	}
	for i, tt := range cases {
		t.Run(tt.locale+"/"+tt.text, func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18401", tt.shop, tt.currency, "paid", 2, tt.product, 1, 5000)
			c.order("ORD-18402", tt.shop, tt.currency, "delivered", 30, tt.other, 1, 2000)
			checkReply(t, tt.text, c.say(tt.text), []string{"ORD-18401", tt.want}, []string{"ORD-18402"})
		})
	}
}
