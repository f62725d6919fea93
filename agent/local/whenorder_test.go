package local_test

import (
	"testing"

	"github.com/csagent/csagent/tools/demo"
)

// Of three orders, the one the buyer places in time ("the one I ordered
// yesterday", "la semana pasada") is the one served, without a list to
// pick from; the others are not named.
func TestOrderPlacedInTimeIsPicked(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, product, text, want string
		not                                         []string
	}{
		{"en", "shop-maple", "USD", "p-maple-socks", "has the order I placed yesterday shipped yet?", "ORD-18601", []string{"ORD-18602", "ORD-18603"}},
		{"en", "shop-maple", "USD", "p-maple-socks", "where is my order from last week", "ORD-18602", []string{"ORD-18601", "ORD-18603"}},
		{"ko", "shop-hangang", "KRW", "p-hangang-tumbler", "지난주에 주문한 거 어디쯤 왔어요?", "ORD-18602", []string{"ORD-18601", "ORD-18603"}},
		{"es", "shop-sol", "EUR", "p-sol-towels", "¿dónde está el pedido que hice la semana pasada?", "ORD-18602", []string{"ORD-18601", "ORD-18603"}},
		{"ru", "shop-taiga", "RUB", "p-taiga-scarf", "где заказ, который я сделала вчера?", "ORD-18601", []string{"ORD-18602", "ORD-18603"}},
	}
	for i, tt := range cases {
		t.Run(tt.locale+"/"+tt.text, func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18601", tt.shop, tt.currency, "paid", 1, tt.product, 1, 2000)
			c.order("ORD-18602", tt.shop, tt.currency, "shipped", 9, tt.product, 1, 2000)
			c.order("ORD-18603", tt.shop, tt.currency, "shipped", 4, tt.product, 1, 2000)
			checkReply(t, tt.text, c.say(tt.text), []string{tt.want}, tt.not)
		})
	}
}
