package local_test

import "testing"

// A first message that only tells what arrived, with no problem and no
// word of money back, gets no refund card however the classifier leans;
// the same goods asked back get one. Found after the TEST-7 rotation: "По
// заказу 10107 получил ... чайный набор и два шарфа" was proposed as a
// refund of both scarves.
func TestToldOnlyIsNoRefundAsked(t *testing.T) {
	tests := []struct {
		locale, shop, currency string
		line                   plantedLine
		told, asked            string
	}{
		{"en", "shop-maple", "USD", plantedLine{"p-maple-socks", 2, 2400},
			"Hi, got ORD-31001 three days ago, the two packs of merino socks", "please refund the socks from ORD-31001, they have holes"},
		{"ko", "shop-hangang", "KRW", plantedLine{"p-hangang-tumbler", 2, 23000},
			"ORD-31001 사흘 전에 받았어요, 보온 텀블러 두 개요", "ORD-31001 텀블러 환불해 주세요"},
		{"es", "shop-sol", "EUR", plantedLine{"p-sol-towels", 2, 3200},
			"Hola, el pedido ORD-31001 me llegó hace tres días, dos juegos de toallas", "quiero el reembolso de las toallas del pedido ORD-31001"},
		{"ru", "shop-taiga", "RUB", plantedLine{"p-taiga-scarf", 2, 240000},
			"Здравствуйте. По заказу ORD-31001 получил три дня назад два шарфа из шерсти.", "верните деньги за шарфы по заказу ORD-31001"},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-31001", "buyer-001", tt.shop, tt.currency, "delivered", tt.line)
			if told := c.say(tt.told); len(told.cards) != 0 {
				t.Fatalf("%q: %d cards, reply %q; want no refund proposed", tt.told, len(told.cards), told.text)
			}
			if asked := c.say(tt.asked); len(asked.cards) != 1 {
				t.Errorf("%q: %d cards, reply %q; want the refund's card", tt.asked, len(asked.cards), asked.text)
			}
		})
	}
}
