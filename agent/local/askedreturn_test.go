package local_test

import "testing"

// A return asked for as a request, with the story around it (why the
// goods do not suit, when they came), gets its card: the goods named, one
// piece when one is said, their amount and never the order's total. A yes
// refunds that amount alone. Before, the buyer was asked "a refund, or a
// question about the rules?", or told the order's last day and "tell me
// if you want the return".
func TestReturnAskedAsARequestGetsItsCard(t *testing.T) {
	tests := []goodsRefundCase{
		{locale: "en", shop: "shop-maple", currency: "USD",
			lines: []plantedLine{{"p-maple-lantern", 1, 3499}, {"p-maple-bottle", 1, 2899}},
			says:  []string{"I would like to return the lantern from ORD-32001 please, it's far too dim for camping"},
			line:  1, qty: 1, amount: "$34.99", total: "$63.98", item: "Rechargeable camp lantern"},
		{locale: "ko", shop: "shop-hangang", currency: "KRW",
			lines: []plantedLine{{"p-hangang-tumbler", 1, 23000}, {"p-hangang-blanket", 1, 39000}},
			says:  []string{"ORD-32001 주문 중 극세사 담요 반품 요청드립니다. 생각보다 얇아서요"},
			line:  2, qty: 1, amount: "₩39,000", total: "₩62,000", item: "극세사 담요"},
		{locale: "es", shop: "shop-sol", currency: "EUR",
			lines: []plantedLine{{"p-sol-sandals", 1, 4990}, {"p-sol-towels", 2, 3200}},
			says:  []string{"Buenas, quisiera devolver uno de los dos juegos de toallas del pedido ORD-32001, el color no es el de la foto"},
			line:  2, qty: 1, amount: "32,00 €", total: "114,90 €", item: "Juego de toallas de algodón"},
		// An indefinite pronoun ("какая-то") says why, and asks nothing.
		{locale: "ru", shop: "shop-taiga", currency: "RUB",
			lines: []plantedLine{{"p-taiga-box", 1, 180000}, {"p-taiga-scarf", 1, 240000}},
			says:  []string{"хотела бы вернуть шкатулку из заказа ORD-32001, она какая-то маленькая"},
			line:  1, qty: 1, amount: "1 800,00 ₽", total: "4 200,00 ₽", item: "Шкатулка из бересты"},
		// The order under discussion, the request in a later message.
		{locale: "en", shop: "shop-maple", currency: "USD",
			lines: []plantedLine{{"p-maple-boots", 1, 12900}, {"p-maple-socks", 1, 2400}},
			says:  []string{"hi, is ORD-32001 delivered?", "ok great. I'd like to return the boots, they pinch my toes"},
			line:  1, qty: 1, amount: "$129.00", total: "$153.00", item: "Trail hiking boots"},
		// "Do the return" of the order under discussion, naming only the
		// goods that stay.
		{locale: "es", shop: "shop-sol", currency: "EUR",
			lines: []plantedLine{{"p-sol-lamp", 1, 6450}, {"p-sol-towels", 1, 3200}},
			says:  []string{"¿el pedido ORD-32001 ya está entregado?", "vale, pues tramíteme la devolución, porfa. Las toallas que sigan igual"},
			line:  1, qty: 1, amount: "64,50 €", total: "96,50 €", item: "Lámpara de mesa de cerámica"},
		{locale: "ru", shop: "shop-taiga", currency: "RUB",
			lines: []plantedLine{{"p-taiga-valenki", 1, 650000}, {"p-taiga-teaset", 1, 320000}},
			says:  []string{"заказ ORD-32001 пришёл?", "тогда оформляйте возврат на валенки, малы оказались"},
			line:  1, qty: 1, amount: "6 500,00 ₽", total: "9 700,00 ₽", item: "Валенки ручной работы"},
	}
	for _, tt := range tests {
		t.Run(tt.locale+" "+tt.says[len(tt.says)-1], func(t *testing.T) { checkGoodsRefund(t, tt) })
	}
}
