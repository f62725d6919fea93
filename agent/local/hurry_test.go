package local_test

import (
	"testing"

	"github.com/csagent/csagent/tools/demo"
)

// A buyer in a hurry right after an order on its way was looked up gets
// that order's shipping again in short (its number, the carrier's
// tracking number), not a request to rephrase, and never the other order.
func TestHurryAfterLookupGetsTheOrder(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct{ locale, shop, currency, product, ask, hurry string }{
		{"en", "shop-maple", "USD", "p-maple-boots", "where are my hiking boots", "in a rush, quick pls"},
		{"ko", "shop-hangang", "KRW", "p-hangang-kettle", "주전자 어디쯤 왔어요?", "빨리요 급해요"},
		{"es", "shop-sol", "EUR", "p-sol-sandals", "dónde están mis sandalias", "tengo prisa, rapidito porfa"},
		{"ru", "shop-taiga", "RUB", "p-taiga-samovar", "где мой самовар", "побыстрее пожалуйста, некогда"},
	}
	for i, tt := range cases {
		t.Run(tt.locale+"/"+tt.hurry, func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18501", tt.shop, tt.currency, "shipped", 3, tt.product, 1, 5000)
			c.order("ORD-18502", tt.shop, tt.currency, "delivered", 30, tt.product, 1, 5000)
			checkReply(t, tt.ask, c.say(tt.ask), []string{"ORD-18501"}, []string{"ORD-18502"})
			checkReply(t, tt.hurry, c.say(tt.hurry), []string{"ORD-18501", "1Z00000018501"}, []string{"ORD-18502"})
		})
	}
}
