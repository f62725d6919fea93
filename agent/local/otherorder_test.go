package local_test

import (
	"fmt"
	"testing"

	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/tools/l10n"
)

// "And the one I bought last week?" after a thanks, in a longer message,
// is the buyer's other order, never the one just discussed; a buyer who
// doubts it arrived gets its status and the next step (the neighbours or
// the building's reception, then a person: no not-received dispute on a
// delivered order).
func TestOrderFromLastWeekIsTheOtherOne(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, first, second string
		ask, other, next                      string
	}{
		{"en", "shop-maple", "USD", "p-maple-jacket", "p-maple-lantern",
			"is ORD-18301 delivered?", "ok good. and the one I bought last week? I really never got it", "neighbours"},
		{"ko", "shop-hangang", "KRW", "p-hangang-kettle", "p-hangang-blanket",
			"ORD-18301 배송됐나요?", "네 확인했어요. 근데 지난주에 산 거는요? 저는 받은 적이 없는데요", "이웃"},
		{"es", "shop-sol", "EUR", "p-sol-lamp", "p-sol-bag",
			"¿ya llegó el ORD-18301?", "genial, gracias. ¿Y el que compré la semana pasada? Yo no lo he recibido", "vecinos"},
		{"ru", "shop-taiga", "RUB", "p-taiga-scarf", "p-taiga-box",
			"ORD-18301 доставлен?", "Хорошо. А тот, что на прошлой неделе заказывала? Я его не получала", "соседей"},
	}
	for i, tt := range cases {
		t.Run(tt.locale+"/"+tt.other, func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18301", tt.shop, tt.currency, "delivered", 4, tt.first, 1, 2000)
			c.order("ORD-18302", tt.shop, tt.currency, "delivered", 10, tt.second, 1, 3000)
			checkReply(t, tt.ask, c.say(tt.ask), []string{"ORD-18301"}, nil)
			checkReply(t, tt.other, c.say(tt.other), []string{"ORD-18302", tt.next}, []string{"ORD-18301"})
		})
	}
}

// A refund asked after by its goods, with no number, is looked up on the
// order holding those goods (not the order discussed before), and the
// reply gives its amount and when an approved refund reaches the card,
// counted in the policy's business days.
func TestRefundAskedByItsGoodsGetsAmountAndTiming(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, first, refunded string
		price                                   int
		ask, days                               string
	}{
		{"en", "shop-maple", "USD", "p-maple-boots", "p-maple-socks", 2400,
			"you said the socks were refunded but my card shows nothing yet, what's going on with that refund?", "5 business days"},
		{"ko", "shop-hangang", "KRW", "p-hangang-kettle", "p-hangang-blanket", 39000,
			"담요 환불 처리됐다고 했는데 환불 상태가 어떻게 되나요? 카드에 아직 안 들어왔어요", "영업일 기준 5일"},
		{"es", "shop-sol", "EUR", "p-sol-lamp", "p-sol-sandals", 4990,
			"me dijeron que el reembolso de las sandalias ya está hecho, ¿en qué estado está ese reembolso?", "5 días hábiles"},
		{"ru", "shop-taiga", "RUB", "p-taiga-scarf", "p-taiga-box", 180000,
			"мне сказали, что деньги за шкатулку вернули. какой статус возврата?", "5 рабочих дней"},
	}
	for i, tt := range cases {
		t.Run(tt.locale+"/"+tt.ask, func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18303", tt.shop, tt.currency, "delivered", 12, tt.first, 1, 5000)
			c.order("ORD-18304", tt.shop, tt.currency, "delivered", 10, tt.refunded, 1, tt.price)
			if _, err := c.p.pool.Exec(c.t.Context(), fmt.Sprintf(`
				UPDATE order_items SET refunded_quantity = quantity WHERE order_id = 'ORD-18304';
				INSERT INTO refunds (id, order_id, buyer_id, amount_minor, currency, status, reason, created_at, updated_at)
				VALUES ('RF-T18304', 'ORD-18304', '%s', %d, '%s', 'approved', 'damaged', now() - interval '2 days', now() - interval '2 days')`,
				c.buyer, tt.price, tt.currency)); err != nil {
				t.Fatalf("plant refund: %v", err)
			}
			amount := l10n.Money(tt.locale, int64(tt.price), tt.currency)
			checkReply(t, tt.ask, c.say(tt.ask), []string{"ORD-18304", "RF-T18304", amount, tt.days}, []string{"ORD-18303"})
		})
	}
}

// A buyer who doubts a delivery the record shows ("I want proof it was
// really delivered") or reports it missing gets the day it was delivered
// and the shipping policy's next step: the neighbours or the building's
// reception, then a person. Never a not-received dispute: the disputes
// policy rules it out for an order the carrier marked delivered, and
// open_dispute refuses it.
func TestDoubtedDeliveryGetsTheNextStep(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct{ locale, shop, currency, product, text, next, never string }{
		{"en", "shop-maple", "USD", "p-maple-boots", "prove to me that ORD-18701 was really delivered, I don't trust that label", "neighbours", "dispute"},
		{"ko", "shop-hangang", "KRW", "p-hangang-kettle", "ORD-18701 진짜 배송 완료된 거 맞아요? 증거 있어요?", "이웃", "분쟁"},
		{"es", "shop-sol", "EUR", "p-sol-lamp", "¿el ORD-18701 de verdad se entregó? quiero una prueba", "vecinos", "disputa"},
		{"ru", "shop-taiga", "RUB", "p-taiga-box", "ORD-18701 точно доставили? докажите", "соседей", "спор"},
		{"en", "shop-maple", "USD", "p-maple-boots", "ORD-18701 says delivered on the app but there is nothing at my door", "neighbours", "dispute"},
		{"ko", "shop-hangang", "KRW", "p-hangang-kettle", "ORD-18701 배송 완료라고 떴는데 문 앞에 아무것도 없어요", "이웃", "분쟁"},
		{"es", "shop-sol", "EUR", "p-sol-lamp", "el ORD-18701 sale como entregado pero aquí no ha llegado nada", "vecinos", "disputa"},
		{"ru", "shop-taiga", "RUB", "p-taiga-box", "по ORD-18701 написано доставлен, а посылки нет", "соседей", "спор"},
	}
	for i, tt := range cases {
		t.Run(tt.locale+"/"+tt.text, func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18701", tt.shop, tt.currency, "delivered", 6, tt.product, 1, 2000)
			checkReply(t, tt.text, c.say(tt.text), []string{"ORD-18701", tt.next}, []string{tt.never})
		})
	}
}
