package local_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/tools/l10n"
)

// A problem with goods of the buyer's, told with no order number and no
// question, is answered on the one order holding those goods, never the
// other; the wish for the money back that follows, with no number again,
// is the refund card of that order, with the goods' amount.
func TestOneObviousOrderForAToldProblemAndItsMoneyBack(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, broken, other string
		price                                 int
		problem, moneyBack                    string
	}{
		{"en", "shop-maple", "USD", "p-maple-bottle", "p-maple-boots", 2899,
			"the steel bottle I bought from you doesn't keep anything warm anymore, coffee is cold in an hour",
			"honestly I'd just like my money back for it"},
		{"ko", "shop-hangang", "KRW", "p-hangang-tumbler", "p-hangang-sneakers", 23000,
			"제가 산 보온 텀블러가 보온이 안 돼요 한 시간 지나면 다 식어요",
			"그냥 돈으로 돌려받고 싶어요"},
		{"es", "shop-sol", "EUR", "p-sol-lamp", "p-sol-sandals", 6450,
			"la lámpara de cerámica que compré no se ilumina aunque cambié la bombilla",
			"preferiría que me devolvieran el dinero"},
		{"ru", "shop-taiga", "RUB", "p-taiga-samovar", "p-taiga-scarf", 890000,
			"купила у вас самовар, он перестал греть через неделю",
			"хочу вернуть деньги за него"},
	}
	for i, tt := range cases {
		t.Run(tt.locale, func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18901", tt.shop, tt.currency, "delivered", 9, tt.broken, 1, tt.price)
			c.order("ORD-18902", tt.shop, tt.currency, "delivered", 7, tt.other, 1, 1500)
			amount := l10n.Money(tt.locale, int64(tt.price), tt.currency)
			checkReply(t, tt.problem, c.say(tt.problem), []string{"ORD-18901", amount}, []string{"ORD-18902"})
			turn := c.say(tt.moneyBack)
			checkReply(t, tt.moneyBack, turn, []string{"ORD-18901", amount}, []string{"ORD-18902"})
			if !slices.Contains(turn.cards, "request_refund") {
				t.Errorf("%q showed cards %q, want the refund's", tt.moneyBack, turn.cards)
			}
			acts := c.pending()
			if len(acts) != 1 || acts[0].Tool != "request_refund" {
				t.Fatalf("after %q the waiting actions are %v, want one refund", tt.moneyBack, acts)
			}
			var args struct {
				OrderID string `json:"order_id"`
			}
			if err := json.Unmarshal(acts[0].Arguments, &args); err != nil || args.OrderID != "ORD-18901" {
				t.Errorf("the refund waiting is for %s (%v), want ORD-18901", args.OrderID, err)
			}
		})
	}
}

// A refund asked of an order already refunded in full is answered with
// that refund: the order and the amount, not a bare "already refunded".
func TestAlreadyRefundedShowsTheRefund(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, product string
		price                           int
		ask                             string
	}{
		{"en", "shop-maple", "USD", "p-maple-jacket", 8950, "can I get a refund on ORD-18911 please, need to know it went through"},
		{"ko", "shop-hangang", "KRW", "p-hangang-blanket", 39000, "ORD-18911 환불해 주세요"},
		{"es", "shop-sol", "EUR", "p-sol-bag", 3990, "quiero el reembolso del pedido ORD-18911"},
		{"ru", "shop-taiga", "RUB", "p-taiga-box", 180000, "оформите возврат по заказу ORD-18911"},
	}
	for i, tt := range cases {
		t.Run(tt.locale, func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18911", tt.shop, tt.currency, "delivered", 12, tt.product, 1, tt.price)
			c.plantRefund("ORD-18911", "RF-T18911", tt.price, tt.currency, 3)
			turn := c.say(tt.ask)
			checkReply(t, tt.ask, turn, []string{"ORD-18911", "RF-T18911", l10n.Money(tt.locale, int64(tt.price), tt.currency)}, nil)
			if n := c.refunds("ORD-18911"); n != 1 {
				t.Errorf("ORD-18911 has %d refunds after %q, want the 1 planted", n, tt.ask)
			}
		})
	}
}
