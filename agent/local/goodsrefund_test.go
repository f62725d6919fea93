package local_test

import (
	"encoding/json"
	"testing"

	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/tools/l10n"
)

// A refund asked for goods named, with no order number and no "only", is
// those goods' refund: the card has their amount, never the order's total,
// and the refund waiting lists their line alone; asked for the order named
// by its goods ("my lamp order"), it is the whole order's.
func TestRefundOfGoodsNamedWithoutANumber(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, item, kept string
		price, keptPrice                   int
		ask                                string
		whole                              bool
	}{
		{"en", "shop-maple", "USD", "p-maple-lantern", "p-maple-bottle", 3499, 2899, "I'd like a refund for the lantern, it flickers", false},
		{"ko", "shop-hangang", "KRW", "p-hangang-kettle", "p-hangang-tumbler", 45000, 23000, "전기 주전자 환불 받고 싶어요 물이 새요", false},
		{"es", "shop-sol", "EUR", "p-sol-pan", "p-sol-bag", 2750, 3990, "quiero un reembolso de la paellera, llegó abollada", false},
		{"ru", "shop-taiga", "RUB", "p-taiga-teaset", "p-taiga-scarf", 320000, 240000, "хочу вернуть деньги за чайный набор, чашка треснула", false},
		{"en", "shop-maple", "USD", "p-maple-lantern", "p-maple-bottle", 3499, 2899, "please refund my lantern order, it flickers", true},
	}
	for i, tt := range cases {
		t.Run(tt.locale+"/"+tt.ask, func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18971", tt.shop, tt.currency, "delivered", 6, tt.item, 1, tt.price, tt.kept, 1, tt.keptPrice)
			want := int64(tt.price)
			if tt.whole {
				want += int64(tt.keptPrice)
			}
			checkReply(t, tt.ask, c.say(tt.ask), []string{"ORD-18971", l10n.Money(tt.locale, want, tt.currency)}, nil)
			acts := c.pending()
			if len(acts) != 1 || acts[0].Tool != "request_refund" {
				t.Fatalf("after %q the waiting actions are %v, want one refund", tt.ask, acts)
			}
			var args struct {
				Items []struct{ Line, Quantity int } `json:"items"`
			}
			if err := json.Unmarshal(acts[0].Arguments, &args); err != nil {
				t.Fatal(err)
			}
			if got := len(args.Items) == 1 && args.Items[0].Line == 1; got == tt.whole {
				t.Errorf("refund items %+v for %q, want whole order %v", args.Items, tt.ask, tt.whole)
			}
		})
	}
}
