package local_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/tools/l10n"
)

// plantRefund gives order id an approved full refund of amount, made
// days ago.
func (c *buyerChat) plantRefund(id, refund string, amount int, currency string, days int) {
	c.t.Helper()
	if _, err := c.p.pool.Exec(c.t.Context(), fmt.Sprintf(`
		UPDATE order_items SET refunded_quantity = quantity WHERE order_id = '%[1]s';
		INSERT INTO refunds (id, order_id, buyer_id, amount_minor, currency, status, reason, created_at, updated_at)
		VALUES ('%[2]s', '%[1]s', '%[3]s', %[4]d, '%[5]s', 'approved', 'other', now() - interval '%[6]d days', now() - interval '%[6]d days')`,
		id, refund, c.buyer, amount, currency, days)); err != nil {
		c.t.Fatalf("plant refund of %s: %v", id, err)
	}
}

// plantDispute opens dispute on order id, days ago, the seller not having
// answered yet.
func (c *buyerChat) plantDispute(id, dispute string, days int) {
	c.t.Helper()
	if _, err := c.p.pool.Exec(c.t.Context(), fmt.Sprintf(`
		INSERT INTO disputes (id, order_id, buyer_id, status, reason, description, seller_respond_by, decide_by, created_at, updated_at)
		VALUES ('%[2]s', '%[1]s', '%[3]s', 'open', 'not_as_described', 'Not as described.', now() - interval '%[4]d days' + interval '3 days',
			now() - interval '%[4]d days' + interval '10 days', now() - interval '%[4]d days', now() - interval '%[4]d days')`,
		id, dispute, c.buyer, days)); err != nil {
		c.t.Fatalf("plant dispute on %s: %v", id, err)
	}
}

// disputes counts the disputes of order id.
func (c *buyerChat) disputes(id string) int {
	c.t.Helper()
	var n int
	if err := c.p.pool.QueryRow(c.t.Context(), `SELECT count(*) FROM disputes WHERE order_id = $1`, id).Scan(&n); err != nil {
		c.t.Fatalf("count disputes of %s: %v", id, err)
	}
	return n
}

// After one order's refund, "the other one" asked after by its dispute —
// named, told as opened, or "escalated to a dispute" — gets the other
// order's open dispute: never the first order's (which has none), never a
// new dispute, never a person.
func TestOtherOrdersDisputeStatus(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, refunded, disputed string
		price                                      int
		first, other                               string
	}{
		{"en", "shop-maple", "USD", "p-maple-socks", "p-maple-lantern", 2400,
			"where does the refund on ORD-18401 stand, and for what amount?",
			"alright, and the other order? I filed a claim on it, has the seller replied yet?"},
		{"en", "shop-maple", "USD", "p-maple-socks", "p-maple-lantern", 2400,
			"what's the refund status of ORD-18401?",
			"thanks and the one I bought last week? escalated it into a dispute a few days back, anything new from the seller?"},
		{"ko", "shop-hangang", "KRW", "p-hangang-kettle", "p-hangang-blanket", 45000,
			"ORD-18401 환불 금액이랑 처리 상태 좀 알려주세요",
			"네 그럼 다른 주문은요? 담요 건으로 분쟁 열어놨는데 판매자 답변 왔나요?"},
		{"es", "shop-sol", "EUR", "p-sol-bag", "p-sol-lamp", 3990,
			"¿en qué estado está el reembolso del ORD-18401?",
			"vale, ¿y el otro pedido? el de la lámpara, tengo una disputa abierta con el vendedor"},
		{"ru", "shop-taiga", "RUB", "p-taiga-box", "p-taiga-scarf", 180000,
			"какой статус возврата по ORD-18401?",
			"ладно, а по другому заказу? шарф, я открыла спор, продавец ответил?"},
	}
	for i, tt := range cases {
		t.Run(tt.locale+"/"+tt.other, func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18401", tt.shop, tt.currency, "delivered", 12, tt.refunded, 1, tt.price)
			c.plantRefund("ORD-18401", "RF-T18401", tt.price, tt.currency, 3)
			c.order("ORD-18402", tt.shop, tt.currency, "delivered", 8, tt.disputed, 1, 5000)
			c.plantDispute("ORD-18402", "DSP-T18402", 4)
			checkReply(t, tt.first, c.say(tt.first), []string{"ORD-18401", l10n.Money(tt.locale, int64(tt.price), tt.currency)}, nil)
			turn := c.say(tt.other)
			checkReply(t, tt.other, turn, []string{"ORD-18402", "DSP-T18402"}, []string{"ORD-18401"})
			if !slices.Contains(turn.tools, "get_dispute") || slices.Contains(turn.tools, "open_dispute") {
				t.Errorf("%q called %q, want get_dispute and no open_dispute", tt.other, turn.tools)
			}
			if n := c.disputes("ORD-18402"); n != 1 {
				t.Errorf("ORD-18402 has %d disputes after %q, want the 1 planted", n, tt.other)
			}
		})
	}
}

// After one order's dispute, "the other one" asked after by its refund
// gets the other order's refund with its amount, not the first order's
// dispute again.
func TestOtherOrdersRefundStatus(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, disputed, refunded string
		price                                      int
		first, other                               string
	}{
		{"en", "shop-maple", "USD", "p-maple-lantern", "p-maple-socks", 2400,
			"any news on the dispute for ORD-18403?",
			"ok. and the other one, was the refund for it approved?"},
		{"ko", "shop-hangang", "KRW", "p-hangang-blanket", "p-hangang-kettle", 45000,
			"ORD-18403 분쟁 진행 상황 알려주세요",
			"다른 주문은요? 그건 환불 됐나요?"},
		{"es", "shop-sol", "EUR", "p-sol-lamp", "p-sol-bag", 3990,
			"¿cómo va la disputa del ORD-18403?",
			"¿y el otro pedido? ¿me devolvieron ya el dinero?"},
		{"ru", "shop-taiga", "RUB", "p-taiga-scarf", "p-taiga-box", 180000,
			"что со спором по ORD-18403?",
			"а по другому заказу возврат оформлен ли?"},
	}
	for i, tt := range cases {
		t.Run(tt.locale+"/"+tt.other, func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18403", tt.shop, tt.currency, "delivered", 9, tt.disputed, 1, 5000)
			c.plantDispute("ORD-18403", "DSP-T18403", 2)
			c.order("ORD-18404", tt.shop, tt.currency, "delivered", 14, tt.refunded, 1, tt.price)
			c.plantRefund("ORD-18404", "RF-T18404", tt.price, tt.currency, 2)
			checkReply(t, tt.first, c.say(tt.first), []string{"ORD-18403", "DSP-T18403"}, nil)
			turn := c.say(tt.other)
			checkReply(t, tt.other, turn, []string{"ORD-18404", l10n.Money(tt.locale, int64(tt.price), tt.currency)}, []string{"ORD-18403"})
			if slices.Contains(turn.tools, "request_refund") {
				t.Errorf("%q asked for a new refund (%q)", tt.other, turn.tools)
			}
		})
	}
}
