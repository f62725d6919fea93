package local_test

import (
	"testing"
	"time"

	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/tools/l10n"
)

// A buyer told the money was taken and no confirmation came, about a paid
// order, gets the order's state and payment: paid on its date, its total,
// what comes next (prepared for shipping, cancellable until it ships);
// never a refund's status, a refund passage or a delivery date.
func TestChargedWithoutConfirmationGetsTheOrdersPayment(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, product, total, prepared string
		msgs                                             []string
	}{
		{"en", "shop-maple", "USD", "p-maple-lantern", "$30.00", "being prepared", []string{
			"the money was taken from my card for ORD-18006 but I never got a confirmation",
			"I was charged for ORD-18006 and got no confirmation email, did it go through?",
		}},
		{"ko", "shop-hangang", "KRW", "p-hangang-earbuds", "₩3,000", "배송 준비 중", []string{
			"ORD-18006 결제는 됐는데 확인 메일을 못 받았어요",
			"ORD-18006 돈은 빠져나갔는데 주문 확인 문자가 안 왔어요 언제 와요?",
		}},
		{"es", "shop-sol", "EUR", "p-sol-sandals", "30,00 €", "se está preparando", []string{
			"me cobraron el pedido ORD-18006 pero no recibí ninguna confirmación",
			"ya me descontaron el dinero de ORD-18006 y no me llegó el correo de confirmación",
		}},
		{"ru", "shop-taiga", "RUB", "p-taiga-scarf", "30,00 ₽", "готовится к отправке", []string{
			"с карты списали деньги за ORD-18006, а подтверждения нет",
			"деньги за ORD-18006 сняли, а письма с подтверждением так и не пришло",
		}},
	}
	for i, tt := range cases {
		for _, msg := range tt.msgs {
			t.Run(tt.locale+"/"+msg, func(t *testing.T) {
				c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
				c.onlyOrders()
				c.order("ORD-18006", tt.shop, tt.currency, "paid", 1, tt.product, 1, 3000)
				var paid time.Time
				if err := c.p.pool.QueryRow(t.Context(), `SELECT paid_at FROM orders WHERE id = 'ORD-18006'`).Scan(&paid); err != nil {
					t.Fatal(err)
				}
				got := c.say(msg)
				checkReply(t, msg, got, []string{"ORD-18006", l10n.Date(tt.locale, paid), tt.total, tt.prepared}, nil)
				if len(got.cards) != 0 {
					t.Errorf("%q brought cards %v", msg, got.cards)
				}
			})
		}
	}
}
