package local_test

import (
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/tools/l10n"
)

// pending returns the actions waiting for the buyerChat's buyer.
func (c *buyerChat) pending() []agent.Action {
	c.t.Helper()
	ctx := tools.NewContext(c.t.Context(), tools.Caller{Role: tools.RoleBuyer, ID: c.buyer, Locale: c.locale})
	acts, err := c.p.store.Pending(ctx, c.conv)
	if err != nil {
		c.t.Fatalf("read pending actions: %v", err)
	}
	return acts
}

// refunds counts the refunds of order id.
func (c *buyerChat) refunds(id string) int {
	c.t.Helper()
	var n int
	if err := c.p.pool.QueryRow(c.t.Context(), `SELECT count(*) FROM refunds WHERE order_id = $1`, id).Scan(&n); err != nil {
		c.t.Fatalf("count refunds of %s: %v", id, err)
	}
	return n
}

// A refund card for one item of an order the buyer did not name, answered
// with that order's number, is the same card shown again (one action
// waiting, the same one, the item's amount), not a lookup of the order;
// "hold on, cancel that" then calls it off: nothing waits and nothing is
// refunded, and the buyer is told the window's days.
func TestOrderNumberShowsTheCardAgainAndCancelThatDropsIt(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, item, kept string
		price                              int
		ask, number, drop, days            string
	}{
		{"en", "shop-maple", "USD", "p-maple-jacket", "p-maple-socks", 8950,
			"the rain jacket leaks at the seams, I want my money back for it. keeping the socks",
			"oh it's order number ORD-18801", "hmm wait, scrap that, I'll try to reseal it first", "30 days"},
		{"ko", "shop-hangang", "KRW", "p-hangang-kettle", "p-hangang-tumbler", 45000,
			"전기 주전자 전원이 안 들어와요 주전자만 환불해 주세요 텀블러는 괜찮아요",
			"ORD-18801 입니다", "잠깐만요 그거 취소해 주세요 좀 더 써볼게요", "30일"},
		{"es", "shop-sol", "EUR", "p-sol-lamp", "p-sol-towels", 6450,
			"la lámpara de cerámica llegó rota, quiero el reembolso solo de la lámpara, las toallas me las quedo",
			"el pedido es el ORD-18801", "espera, cancélalo, prefiero hablar antes con la tienda", "30 días"},
		{"ru", "shop-taiga", "RUB", "p-taiga-samovar", "p-taiga-box", 890000,
			"самовар не греет, верните деньги только за самовар, шкатулку оставлю",
			"номер заказа ORD-18801", "погодите, отмените это, сначала сам попробую починить", "30 дней"},
	}
	for i, tt := range cases {
		t.Run(tt.locale, func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18801", tt.shop, tt.currency, "delivered", 6, tt.item, 1, tt.price, tt.kept, 1, 1000)
			amount := l10n.Money(tt.locale, int64(tt.price), tt.currency)
			first := c.say(tt.ask)
			checkReply(t, tt.ask, first, []string{"ORD-18801", amount}, nil)
			before := c.pending()
			if len(before) != 1 {
				t.Fatalf("after %q %d actions wait, want 1", tt.ask, len(before))
			}
			again := c.say(tt.number)
			checkReply(t, tt.number, again, []string{"ORD-18801", amount}, nil)
			if len(again.cards) != 1 {
				t.Errorf("%q showed cards %q, want the refund's again", tt.number, again.cards)
			}
			if after := c.pending(); len(after) != 1 || after[0].ID != before[0].ID {
				t.Errorf("after %q the waiting actions are %v, want the one action %s", tt.number, after, before[0].ID)
			}
			dropped := c.say(tt.drop)
			checkReply(t, tt.drop, dropped, []string{tt.days}, nil)
			if n := len(c.pending()); n != 0 {
				t.Errorf("after %q %d actions wait, want none", tt.drop, n)
			}
			if n := c.refunds("ORD-18801"); n != 0 {
				t.Errorf("ORD-18801 has %d refunds after %q, want none", n, tt.drop)
			}
		})
	}
}
