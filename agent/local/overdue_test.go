package local_test

import (
	"slices"
	"testing"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/tools/l10n"
)

// A buyer asking where a parcel is, or telling it never came, when it
// shipped over 15 days ago and was never delivered, is told it can be
// reported as not received, from which day, and gets the item-not-received
// dispute as a card; a yes opens it. A parcel shipped a few days ago gets
// no card.
func TestOverdueParcelGetsTheNotReceivedCard(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, product, yes string
		msgs                                 []string
	}{
		{"en", "shop-maple", "USD", "p-maple-lantern", "yes please", []string{
			"where's ORD-18022 gone? nothing has shown up",
			"ORD-18022 never got to me",
		}},
		{"ko", "shop-hangang", "KRW", "p-hangang-earbuds", "네 진행해 주세요", []string{
			"ORD-18022 택배 지금 어디쯤이에요?",
			"ORD-18022 아직도 못 받았어요",
		}},
		{"es", "shop-sol", "EUR", "p-sol-sandals", "sí, adelante", []string{
			"¿qué pasó con mi pedido ORD-18022? no me ha llegado nada",
			"nunca recibí el ORD-18022",
		}},
		{"ru", "shop-taiga", "RUB", "p-taiga-scarf", "да, давайте", []string{
			"что с заказом ORD-18022? посылки так и нет",
			"ORD-18022 я так и не получил",
		}},
	}
	for i, tt := range cases {
		for _, msg := range tt.msgs {
			t.Run(tt.locale+"/"+msg, func(t *testing.T) {
				c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
				c.onlyOrders()
				c.order("ORD-18022", tt.shop, tt.currency, "shipped", 25, tt.product, 1, 3000)
				_, shipped := c.dates("ORD-18022")
				got := c.say(msg)
				checkReply(t, msg, got, []string{"ORD-18022", "1Z00000018022", l10n.Date(tt.locale, shipped.Add(tools.NotReceivedAfter))}, nil)
				if !slices.Equal(got.cards, []string{"open_dispute"}) {
					t.Fatalf("%q brought cards %v, want the item-not-received dispute's", msg, got.cards)
				}
				c.say(tt.yes)
				var reason string
				if err := c.p.pool.QueryRow(t.Context(), `SELECT reason FROM disputes WHERE order_id = 'ORD-18022'`).Scan(&reason); err != nil || reason != "not_received" {
					t.Errorf("after %q: dispute reason %q (%v), want not_received", tt.yes, reason, err)
				}
			})
		}
		t.Run(tt.locale+"/on its way", func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18023", tt.shop, tt.currency, "shipped", 4, tt.product, 1, 3000)
			msg := "ORD-18023?"
			if got := c.say(msg); len(got.cards) != 0 {
				t.Errorf("%q of a parcel shipped 3 days ago brought cards %v: %q", msg, got.cards, got.reply)
			}
		})
	}
}
