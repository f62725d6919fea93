package local_test

import "testing"

// "Only one of them" with no goods named is one piece of the goods the
// buyer named earlier in the conversation, or of the one line bought
// several times: its card refunds that one piece at its unit price, not
// the line, not the order, and does not ask which item. Before, the buyer
// was asked which item, and the yes that followed did nothing.
func TestOnePieceOfTheGoodsSaidBefore(t *testing.T) {
	tests := []goodsRefundCase{
		{locale: "ko", shop: "shop-hangang", currency: "KRW",
			lines: []plantedLine{{"p-hangang-tumbler", 3, 23000}, {"p-hangang-blanket", 1, 39000}},
			says:  []string{"사무실에서 쓰려고 텀블러 세 개 샀어요 ORD-32001", "근데 그중 하나가 찌그러져 왔네요 하나만 환불해 주실 수 있나요? 나머진 괜찮아요"},
			line:  1, qty: 1, amount: "₩23,000", total: "₩108,000", item: "보온 텀블러"},
		{locale: "en", shop: "shop-maple", currency: "USD",
			lines: []plantedLine{{"p-maple-lantern", 1, 3499}, {"p-maple-socks", 3, 2400}},
			says:  []string{"got my order ORD-32001, the socks were a gift for my brothers", "one of them has a hole already, can I get money back for just that one?"},
			line:  2, qty: 1, amount: "$24.00", total: "$106.99", item: "Merino wool socks"},
		// No goods said at all: the one line bought several times.
		{locale: "es", shop: "shop-sol", currency: "EUR",
			lines: []plantedLine{{"p-sol-lamp", 1, 6450}, {"p-sol-towels", 2, 3200}},
			says:  []string{"del pedido ORD-32001 uno de los dos llegó manchado, ¿me devuelven el dinero de ese solo?"},
			line:  2, qty: 1, amount: "32,00 €", total: "128,50 €", item: "Juego de toallas de algodón"},
		{locale: "ru", shop: "shop-taiga", currency: "RUB",
			lines: []plantedLine{{"p-taiga-scarf", 2, 240000}, {"p-taiga-box", 1, 180000}},
			says:  []string{"заказ ORD-32001 пришёл, шарфы брала на подарки", "один из них с затяжкой, верните за него деньги"},
			line:  1, qty: 1, amount: "2 400,00 ₽", total: "6 600,00 ₽", item: "Шарф из шерсти"},
	}
	for _, tt := range tests {
		t.Run(tt.locale+" "+tt.says[len(tt.says)-1], func(t *testing.T) { checkGoodsRefund(t, tt) })
	}
}
