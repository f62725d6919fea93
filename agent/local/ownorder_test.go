package local_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/tools/l10n"
)

// onlyOrders gives the buyerChat's demo orders to another buyer, so the
// orders the test plants are the buyer's only ones.
func (c *buyerChat) onlyOrders() {
	c.t.Helper()
	if _, err := c.p.pool.Exec(c.t.Context(),
		`UPDATE orders SET buyer_id = (SELECT id FROM buyers WHERE id <> $1 ORDER BY id LIMIT 1) WHERE buyer_id = $1`, c.buyer); err != nil {
		c.t.Fatalf("move the demo orders of %s: %v", c.buyer, err)
	}
}

// dates returns when order id was placed and shipped (zero when it has
// not), as the database keeps them.
func (c *buyerChat) dates(id string) (placed, shipped time.Time) {
	c.t.Helper()
	var s *time.Time
	if err := c.p.pool.QueryRow(c.t.Context(), `SELECT placed_at, shipped_at FROM orders WHERE id = $1`, id).Scan(&placed, &s); err != nil {
		c.t.Fatalf("read order %s: %v", id, err)
	}
	if s != nil {
		shipped = *s
	}
	return placed, shipped
}

// checkReply fails the test when turn handed the chat to a person, or its
// reply lacks one of want or holds one of not.
func checkReply(t *testing.T, msg string, turn chatTurn, want, not []string) {
	t.Helper()
	if slices.Contains(turn.tools, "handoff_to_human") {
		t.Errorf("%q was handed to a person; reply %q", msg, turn.reply)
	}
	for _, w := range want {
		if !strings.Contains(turn.reply, w) {
			t.Errorf("reply to %q lacks %q:\n%s", msg, w, turn.reply)
		}
	}
	for _, n := range not {
		if strings.Contains(turn.reply, n) {
			t.Errorf("reply to %q has %q:\n%s", msg, n, turn.reply)
		}
	}
}

// A buyer who does not know the order number and describes what they
// bought gets the one order on its way, named, with the day it shipped;
// saying they have no number gets that order again, not a request for the
// number or a person; asking whether it arrives by a day gets its
// tracking number. The old delivered order is never mentioned.
func TestOrderFoundWithoutItsNumber(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, product, old string
		price                                int
		describe, noNumber, byDay            string
	}{
		{"en", "shop-maple", "USD", "p-maple-socks", "p-maple-bottle", 2400,
			"hi, I bought a pair of those thick socks for my dad, any idea when they'll show up?",
			"sorry I have no idea what the order number is", "do you think it'll get here by friday?"},
		{"en", "shop-maple", "USD", "p-maple-socks", "p-maple-bottle", 2400,
			"the thing I ordered for my dad's birthday, when does it come?", "I don't remember the number sorry",
			"it's been a few days, is that normal?"},
		{"ko", "shop-hangang", "KRW", "p-hangang-blanket", "p-hangang-kettle", 39000,
			"담요 하나 주문했는데 언제쯤 와요?", "주문번호는 모르겠어요", "금요일까지 올까요?"},
		{"es", "shop-sol", "EUR", "p-sol-towels", "p-sol-bag", 3200,
			"buenas, pedí unas toallas para mi madre y quería saber cuándo llegan", "no tengo el número de pedido, lo siento",
			"¿llegará antes del sábado?"},
		{"ru", "shop-taiga", "RUB", "p-taiga-scarf", "p-taiga-honey", 240000,
			"Добрый вечер. Заказал шарф жене, когда привезут?", "номер заказа я не помню", "к субботе успеет?"},
		{"ru", "shop-taiga", "RUB", "p-taiga-valenki", "p-taiga-box", 650000,
			"privet, zakazyvala valenki, kogda pridut?", "nomer ne pomnyu", "а до субботы придут?"},
	}
	for i, tt := range cases {
		t.Run(tt.locale+"/"+tt.describe, func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18001", tt.shop, tt.currency, "shipped", 3, tt.product, 1, tt.price)
			c.order("ORD-18002", tt.shop, tt.currency, "delivered", 50, tt.old, 1, 1000)
			_, shipped := c.dates("ORD-18001")
			tracking := "1Z00000018001"

			checkReply(t, tt.describe, c.say(tt.describe), []string{"ORD-18001", l10n.Date(tt.locale, shipped)}, []string{"ORD-18002"})
			checkReply(t, tt.noNumber, c.say(tt.noNumber), []string{"ORD-18001", tracking}, []string{"ORD-18002"})
			checkReply(t, tt.byDay, c.say(tt.byDay), []string{"ORD-18001", tracking}, []string{"ORD-18002"})
		})
	}
}

// A buyer whose one order has not shipped, asking after it and then
// whether it has shipped, gets that order named without a number asked
// for, and, to the shipping question, its goods, the day it was placed,
// that it has not shipped so there is no tracking number yet, and the
// next step: the seller, or cancelling while it has not shipped. Nothing
// is cancelled or proposed.
func TestNotShippedOrderGetsTheNextStep(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, product, goods string
		price                                  int
		msgs                                   []string
		notShipped, seller, cancel             string
	}{
		{"en", "shop-maple", "USD", "p-maple-boots", "Trail hiking boots", 12900,
			[]string{"any news on my order?", "it's the hiking boots, bought them thursday", "has the seller sent it out or not?"},
			"hasn't shipped", "seller", "cancel"},
		{"en", "shop-maple", "USD", "p-maple-boots", "Trail hiking boots", 12900,
			[]string{"yo where's my package", "still no tracking number?? when are they gonna ship"},
			"hasn't shipped", "seller", "cancel"},
		{"ko", "shop-hangang", "KRW", "p-hangang-kettle", "전기 주전자", 45000,
			[]string{"제 주문 어떻게 됐어요?", "전기 주전자요 며칠 전에 산 거", "발송은 언제 해요?"},
			"발송 전", "판매자", "취소"},
		{"es", "shop-sol", "EUR", "p-sol-pan", "Paellera de acero pulido", 2750,
			[]string{"hola, mi pedido?", "la paellera que compré el lunes", "¿todavía no la han enviado? ¿cuándo sale?"},
			"no se ha enviado", "vendedor", "cancelar"},
		{"ru", "shop-taiga", "RUB", "p-taiga-teaset", "Чайный набор", 320000,
			[]string{"где мой заказ?", "чайный набор, брал пару дней назад", "а когда его отправят вообще?"},
			"не отправлен", "продавца", "отменить"},
		{"en", "shop-maple", "USD", "p-maple-jacket", "Waterproof rain jacket", 8950,
			[]string{"has my order shipped yet?"}, "hasn't shipped", "seller", "cancel"},
		{"en", "shop-maple", "USD", "p-maple-jacket", "Waterproof rain jacket", 8950,
			[]string{"Good afternoon. I placed an order on Saturday for a rain coat and have heard nothing since.",
				"I'm afraid I don't have the order reference to hand.", "Could you let me know when it will be dispatched?"},
			"hasn't shipped", "seller", "cancel"},
		{"ko", "shop-hangang", "KRW", "p-hangang-mug", "이니셜 각인 머그컵", 18000,
			[]string{"머그컵 주문했는데 아직 안 보내졌나요?"}, "발송 전", "판매자", "취소"},
		{"es", "shop-sol", "EUR", "p-sol-lamp", "Lámpara de mesa de cerámica", 6450,
			[]string{"¿ya enviaron mi pedido?"}, "no se ha enviado", "vendedor", "cancelar"},
		{"ru", "shop-taiga", "RUB", "p-taiga-samovar", "Электрический самовар", 890000,
			[]string{"мой заказ уже отправили?"}, "не отправлен", "продавца", "отменить"},
	}
	for i, tt := range cases {
		t.Run(tt.locale+"/"+tt.msgs[len(tt.msgs)-1], func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18003", tt.shop, tt.currency, "paid", 4, tt.product, 1, tt.price)
			placed, _ := c.dates("ORD-18003")
			for _, m := range tt.msgs[:len(tt.msgs)-1] {
				checkReply(t, m, c.say(m), []string{"ORD-18003"}, nil)
			}
			last := tt.msgs[len(tt.msgs)-1]
			turn := c.say(last)
			checkReply(t, last, turn, []string{"ORD-18003", tt.goods, l10n.Date(tt.locale, placed), tt.notShipped, tt.seller, tt.cancel}, nil)
			if len(turn.cards) > 0 || c.cancelled("ORD-18003") {
				t.Errorf("%q: cards %v, cancelled %v; want nothing proposed or done", last, turn.cards, c.cancelled("ORD-18003"))
			}
		})
	}
}

// After a question about one order, "the other one" or the goods of
// another ("what about my lantern?", "¿y las sandalias que pedí?") is
// that other order, never the first again; asked then whether the wait is
// normal, the reply gives its tracking number and the day from which an
// item-not-received dispute is possible (15 days after it shipped), or,
// for an order not shipped yet, that it has not shipped.
func TestOtherOrderAfterTheFirst(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, first, second, status string
		msgs                                          []string
		wait                                          string
	}{
		{"en", "shop-maple", "USD", "p-maple-jacket", "p-maple-lantern", "shipped",
			[]string{"was ORD-18004 delivered?", "great thanks. what about my lantern?", "it's been over a week, is that normal?"}, ""},
		{"en", "shop-maple", "USD", "p-maple-jacket", "p-maple-lantern", "shipped",
			[]string{"did order 18004 arrive yet?", "cool got it. and my other order? it's taking forever"}, ""},
		{"ko", "shop-hangang", "KRW", "p-hangang-tumbler", "p-hangang-earbuds", "shipped",
			[]string{"18004번 주문 배송 완료됐나요?", "네 받았어요. 이어폰은요?", "일주일 넘었는데 원래 이렇게 걸려요?"}, ""},
		{"es", "shop-sol", "EUR", "p-sol-lamp", "p-sol-sandals", "paid",
			[]string{"¿me confirma si el pedido 18004 ya se entregó?", "perfecto, gracias. ¿y las sandalias que pedí también?", "¿cuándo las mandan? las necesito ya"},
			"no se ha enviado"},
		{"ru", "shop-taiga", "RUB", "p-taiga-box", "p-taiga-valenki", "shipped",
			[]string{"Заказ 18004 доставлен?", "Отлично. А с валенками что?", "Неделю уже едут, так и должно быть?"}, ""},
		{"ru", "shop-taiga", "RUB", "p-taiga-box", "p-taiga-valenki", "shipped",
			[]string{"Заказ 18004 доставлен?", "ок спасибо, а другой заказ где?"}, ""},
		{"en", "shop-maple", "USD", "p-maple-bottle", "p-maple-jacket", "paid",
			[]string{"is ORD-18004 delivered", "thanks! and the one I ordered last week?"}, ""},
		{"ko", "shop-hangang", "KRW", "p-hangang-tumbler", "p-hangang-sneakers", "paid",
			[]string{"18004 주문 받았는지 확인 부탁드려요", "감사합니다~ 지난주에 시킨 건요?"}, ""},
		{"es", "shop-sol", "EUR", "p-sol-bag", "p-sol-lamp", "paid",
			[]string{"el pedido 18004 ya me llegó?", "vale, y el de la semana pasada?"}, ""},
		{"ru", "shop-taiga", "RUB", "p-taiga-box", "p-taiga-samovar", "paid",
			[]string{"заказ 18004 пришёл?", "спасибо. а тот, что на прошлой неделе?"}, ""},
	}
	for i, tt := range cases {
		t.Run(tt.locale+"/"+tt.msgs[1], func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18004", tt.shop, tt.currency, "delivered", 6, tt.first, 1, 1000)
			c.order("ORD-18005", tt.shop, tt.currency, tt.status, 8, tt.second, 1, 2000)
			checkReply(t, tt.msgs[0], c.say(tt.msgs[0]), []string{"ORD-18004"}, nil)
			checkReply(t, tt.msgs[1], c.say(tt.msgs[1]), []string{"ORD-18005"}, []string{"ORD-18004"})
			if len(tt.msgs) < 3 {
				return
			}
			want := []string{"ORD-18005", tt.wait}
			if tt.status == "shipped" {
				_, shipped := c.dates("ORD-18005")
				want = []string{"ORD-18005", "1Z00000018005", l10n.Date(tt.locale, shipped.Add(tools.NotReceivedAfter))}
			}
			checkReply(t, tt.msgs[2], c.say(tt.msgs[2]), want, []string{"ORD-18004"})
		})
	}
}

// A buyer worried that their order takes too long, in the first message
// and without its number, gets the order on its way found, its tracking
// number and the day from which an item-not-received dispute is possible
// (15 days after it shipped), not only its status.
func TestDelayWorryGetsTheDisputeDay(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct{ locale, shop, currency, product, text string }{
		{"en", "shop-maple", "USD", "p-maple-lantern", "my order is taking forever, is this normal??"},
		{"ko", "shop-hangang", "KRW", "p-hangang-earbuds", "주문한 지 일주일째인데 원래 이렇게 오래 걸려요?"},
		{"es", "shop-sol", "EUR", "p-sol-sandals", "mi pedido lleva una semana, ¿es normal que tarde tanto?"},
		{"ru", "shop-taiga", "RUB", "p-taiga-scarf", "zdravstvujte, gde moj zakaz? uzhe nedelyu zhdu"},
	}
	for i, tt := range cases {
		t.Run(tt.locale+"/"+tt.text, func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18006", tt.shop, tt.currency, "shipped", 8, tt.product, 1, 3000)
			c.order("ORD-18004", tt.shop, tt.currency, "delivered", 30, tt.product, 1, 3000)
			_, shipped := c.dates("ORD-18006")
			checkReply(t, tt.text, c.say(tt.text),
				[]string{"ORD-18006", "1Z00000018006", l10n.Date(tt.locale, shipped.Add(tools.NotReceivedAfter))}, []string{"ORD-18004"})
		})
	}
}

// "The other one" inside a longer message ("ah, the neighbour took it in.
// And the other one? It's been ages") is the order not discussed, and
// what the message asks of it is answered: for a parcel on its way, the
// tracking number and the day from which an item-not-received dispute is
// possible. "y lo otro que pedí?" is the other order too, not the list.
func TestOtherOneInALongerMessage(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, first, second string
		msgs                                  []string
		delay                                 bool
	}{
		{"en", "shop-maple", "USD", "p-maple-bottle", "p-maple-lantern",
			[]string{"hey can u check ORD-18004 for me", "ah right the neighbour took it in. and the other one? it's been ages and there's still nothing at my door"}, true},
		{"ko", "shop-hangang", "KRW", "p-hangang-tumbler", "p-hangang-sneakers",
			[]string{"18004 배송됐어요?", "아 경비실에 있었네요 ㅎㅎ 근데 나머지 하나는 어떻게 됐어요? 일주일 넘었는데 소식이 없어요"}, true},
		{"es", "shop-sol", "EUR", "p-sol-bag", "p-sol-lamp",
			[]string{"¿dónde está mi pedido 18004?", "ya apareció, lo tenía el portero. ¿Y el otro? ya va más de una semana y nada"}, true},
		{"es", "shop-sol", "EUR", "p-sol-bag", "p-sol-lamp",
			[]string{"hola, el 18004 se entregó?", "y lo otro que pedí?"}, false},
		{"ru", "shop-taiga", "RUB", "p-taiga-box", "p-taiga-scarf",
			[]string{"заказ 18004 где?", "нашёл, у соседей был. а второй мой заказ где? уже больше недели жду, это нормально?"}, true},
	}
	for i, tt := range cases {
		t.Run(tt.locale+"/"+tt.msgs[1], func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18004", tt.shop, tt.currency, "delivered", 6, tt.first, 1, 1000)
			c.order("ORD-18005", tt.shop, tt.currency, "shipped", 8, tt.second, 1, 2000)
			_, shipped := c.dates("ORD-18005")
			checkReply(t, tt.msgs[0], c.say(tt.msgs[0]), []string{"ORD-18004"}, nil)
			want := []string{"ORD-18005", "1Z00000018005"}
			if tt.delay {
				want = append(want, l10n.Date(tt.locale, shipped.Add(tools.NotReceivedAfter)))
			}
			checkReply(t, tt.msgs[1], c.say(tt.msgs[1]), want, []string{"ORD-18004"})
		})
	}
}

// A buyer who says the parcel turned up after all ("never mind, found it
// on the porch") is not answered with the same lookup again, nor handed
// to a person.
func TestFoundParcelIsNotLookedUpAgain(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct{ locale, shop, currency, product, ask, found string }{
		{"en", "shop-maple", "USD", "p-maple-lantern", "where's ORD-18006", "oh wait never mind, found it on the porch"},
		{"ko", "shop-hangang", "KRW", "p-hangang-earbuds", "ORD-18006 어디쯤이에요?", "아 찾았어요 문 앞에 있었네요"},
		{"es", "shop-sol", "EUR", "p-sol-lamp", "¿dónde está mi pedido ORD-18006?", "ah, ya lo encontré, estaba en el buzón"},
		{"ru", "shop-taiga", "RUB", "p-taiga-scarf", "заказ ORD-18006 где?", "всё, нашлась посылка, у соседей была"},
	}
	for i, tt := range cases {
		t.Run(tt.locale+"/"+tt.found, func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18006", tt.shop, tt.currency, "shipped", 5, tt.product, 1, 2000)
			checkReply(t, tt.ask, c.say(tt.ask), []string{"ORD-18006"}, nil)
			turn := c.say(tt.found)
			checkReply(t, tt.found, turn, nil, []string{"ORD-18006"})
			if len(turn.tools) > 0 {
				t.Errorf("%q called %v; want nothing looked up again", tt.found, turn.tools)
			}
		})
	}
}
