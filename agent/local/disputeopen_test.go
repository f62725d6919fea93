package local_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/csagent/csagent/tools/demo"
)

// A buyer who asks for a refund of an order, or to open a dispute on it,
// while that order's dispute is open, is told the dispute is already
// open, with its id and what comes next; no new card is proposed and no
// second dispute opened. An order without a dispute still gets its card.
func TestOpenDisputeIsToldBeforeANewCard(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, product, already string
		msgs                                     []string
		fresh                                    string
	}{
		{"en", "shop-maple", "USD", "p-maple-lantern", "already open", []string{
			"can I just get my money back for ORD-18014?",
			"please open a case against the seller for ORD-18014, the lantern is cracked",
			"please open a dispute on ORD-18014, I was sent the wrong item",
		}, "can I just get my money back for ORD-18015?"},
		{"ko", "shop-hangang", "KRW", "p-hangang-earbuds", "이미 분쟁", []string{
			"ORD-18014 돈 돌려받고 싶어요",
			"ORD-18014 건 분쟁 열어 주세요, 다른 상품이 왔어요",
		}, "ORD-18015 돈 돌려받고 싶어요"},
		{"es", "shop-sol", "EUR", "p-sol-sandals", "Ya hay una disputa abierta", []string{
			"devuélvanme el dinero del pedido ORD-18014",
			"necesito abrir una reclamación por el pedido ORD-18014, vino roto",
		}, "devuélvanme el dinero del pedido ORD-18015"},
		{"ru", "shop-taiga", "RUB", "p-taiga-scarf", "уже открыт спор", []string{
			"верните мне деньги за заказ ORD-18014",
			"откройте спор по ORD-18014, шарф порван",
		}, "верните мне деньги за заказ ORD-18015"},
	}
	for i, tt := range cases {
		for _, msg := range tt.msgs {
			t.Run(tt.locale+"/"+msg, func(t *testing.T) {
				c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
				c.onlyOrders()
				c.order("ORD-18014", tt.shop, tt.currency, "delivered", 6, tt.product, 1, 3000)
				c.plantDispute("ORD-18014", "DSP-18014X", 2)
				got := c.say(msg)
				checkReply(t, msg, got, []string{"ORD-18014", "DSP-18014X", tt.already}, nil)
				if len(got.cards) != 0 {
					t.Errorf("%q brought cards %v beside the open dispute", msg, got.cards)
				}
				if n := c.disputes("ORD-18014"); n != 1 {
					t.Errorf("%q left %d disputes on ORD-18014, want the one", msg, n)
				}
			})
		}
		t.Run(tt.locale+"/no dispute", func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18015", tt.shop, tt.currency, "delivered", 6, tt.product, 1, 3000)
			got := c.say(tt.fresh)
			if !slices.Equal(got.cards, []string{"request_refund"}) || !strings.Contains(got.reply, "ORD-18015") {
				t.Errorf("%q brought %v and %q, want the refund's card for ORD-18015", tt.fresh, got.cards, got.reply)
			}
		})
	}
}
