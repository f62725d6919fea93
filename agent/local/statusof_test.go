package local_test

import (
	"slices"
	"testing"

	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/tools/l10n"
)

// A dispute's or a refund's status asked with no number, among several
// delivered orders, is the one order that has a dispute or a refund: its
// status is given, not a list to pick from, and nothing new is opened.
func TestStatusOfTheOneOrderWithIt(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, product string
		price                           int
		dispute                         bool
		ask                             string
	}{
		{"en", "shop-maple", "USD", "p-maple-lantern", 3499, true, "where's my dispute at? the seller never got back to me"},
		{"en", "shop-maple", "USD", "p-maple-lantern", 3499, false, "did my refund ever go through?"},
		{"ko", "shop-hangang", "KRW", "p-hangang-blanket", 39000, true, "분쟁 신청했는데 판매자가 답을 안 하네요 어떻게 돼가요?"},
		{"es", "shop-sol", "EUR", "p-sol-lamp", 4990, false, "¿en qué quedó mi reembolso?"},
		{"ru", "shop-taiga", "RUB", "p-taiga-box", 180000, true, "что там с моим спором? продавец молчит"},
	}
	for i, tt := range cases {
		t.Run(tt.locale+"/"+tt.ask, func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18701", tt.shop, tt.currency, "delivered", 6, tt.product, 1, tt.price)
			c.order("ORD-18702", tt.shop, tt.currency, "delivered", 12, tt.product, 1, tt.price)
			c.order("ORD-18703", tt.shop, tt.currency, "delivered", 20, tt.product, 1, tt.price)
			want := []string{"ORD-18702", "RF-T18702", l10n.Money(tt.locale, int64(tt.price), tt.currency)}
			if tt.dispute {
				c.plantDispute("ORD-18702", "DSP-T18702", 4)
				want = []string{"ORD-18702", "DSP-T18702"}
			} else {
				c.plantRefund("ORD-18702", "RF-T18702", tt.price, tt.currency, 2)
			}
			turn := c.say(tt.ask)
			checkReply(t, tt.ask, turn, want, []string{"ORD-18701", "ORD-18703"})
			if slices.Contains(turn.tools, "open_dispute") || slices.Contains(turn.tools, "request_refund") {
				t.Errorf("%q acted (%q), want a lookup", tt.ask, turn.tools)
			}
		})
	}
}
