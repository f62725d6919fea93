package local_test

import (
	"strings"
	"testing"

	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/tools/l10n"
)

// A buyer who tells a problem with goods they bought, without the order
// number (in one message, or a word at a time), gets the order holding
// those goods named with the options for it: a refund of what the goods
// cost, or a dispute. The buyer's other order is never named, and nothing
// is proposed or refunded before the buyer says which.
func TestProblemWithOwnGoodsGetsTheOrderAndOptions(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, broken, other string
		price                                 int
		msgs                                  []string
		refund                                string
	}{
		{"en", "shop-maple", "USD", "p-maple-boots", "p-maple-socks", 12900,
			[]string{"hi, the hiking boots I ordered arrived damaged, one sole is torn", "I don't have the order number with me"}, "refund"},
		{"en", "shop-maple", "USD", "p-maple-bottle", "p-maple-jacket", 2899,
			[]string{"my steel bottle arrived all dented. what are my options?"}, "refund"},
		{"ko", "shop-hangang", "KRW", "p-hangang-tumbler", "p-hangang-blanket", 23000,
			[]string{"텀블러 샀는데 깨져서 왔어요", "어떻게 해야 돼요?"}, "환불"},
		{"es", "shop-sol", "EUR", "p-sol-sandals", "p-sol-towels", 4990,
			[]string{"buenas, las sandalias que compré llegaron rotas", "¿qué hago ahora?"}, "reembolso"},
		{"ru", "shop-taiga", "RUB", "p-taiga-samovar", "p-taiga-scarf", 890000,
			[]string{"самовар", "пришёл сломанный", "что мне делать?"}, "возврат"},
	}
	for i, tt := range cases {
		t.Run(tt.locale+"/"+tt.msgs[0], func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18201", tt.shop, tt.currency, "delivered", 5, tt.broken, 1, tt.price)
			c.order("ORD-18202", tt.shop, tt.currency, "delivered", 20, tt.other, 1, 1500)
			var turn chatTurn
			for _, m := range tt.msgs {
				turn = c.say(m)
				if len(turn.cards) > 0 {
					t.Errorf("%q showed cards %v; want none before the buyer chooses", m, turn.cards)
				}
			}
			last := tt.msgs[len(tt.msgs)-1]
			amount := l10n.Money(tt.locale, int64(tt.price), tt.currency)
			checkReply(t, last, turn, []string{"ORD-18201", amount, tt.refund}, []string{"ORD-18202"})
			if !strings.Contains(turn.reply, "ORD-18201") || strings.Contains(strings.Join(turn.tools, " "), "request_refund") {
				t.Errorf("%q: tools %v; want the order looked up and nothing refunded", last, turn.tools)
			}
		})
	}
}
