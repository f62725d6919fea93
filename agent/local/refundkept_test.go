package local_test

import "testing"

// Goods the buyer says stay with them ("the jacket stays", "que las
// toallas sigan igual", "валенки пусть остаются", "담요는 남겨 둘게요") are
// kept, wherever in the message they are named: the refund covers the
// goods asked for, never the ones that stay. Before, "Jacket stays" got
// the jacket refunded instead of the dented bottle.
func TestGoodsThatStayAreKept(t *testing.T) {
	tests := []goodsRefundCase{
		{locale: "en", shop: "shop-maple", currency: "USD",
			lines: []plantedLine{{"p-maple-jacket", 1, 8950}, {"p-maple-bottle", 1, 2899}},
			says:  []string{"ORD-32001: refund the bottle only please, the lid is cracked. The jacket stays."},
			line:  2, qty: 1, amount: "$28.99", total: "$118.49", item: "Insulated steel bottle"},
		{locale: "ko", shop: "shop-hangang", currency: "KRW",
			lines: []plantedLine{{"p-hangang-blanket", 1, 39000}, {"p-hangang-kettle", 1, 45000}},
			says:  []string{"ORD-32001 주전자만 환불해 주세요. 전원이 안 켜져요. 담요는 남겨 둘게요"},
			line:  2, qty: 1, amount: "₩45,000", total: "₩84,000", item: "전기 주전자"},
		{locale: "es", shop: "shop-sol", currency: "EUR",
			lines: []plantedLine{{"p-sol-towels", 1, 3200}, {"p-sol-lamp", 1, 6450}},
			says:  []string{"del pedido ORD-32001 quiero el reembolso de la lámpara, llegó rota. Las toallas que sigan igual"},
			line:  2, qty: 1, amount: "64,50 €", total: "96,50 €", item: "Lámpara de mesa de cerámica"},
		{locale: "ru", shop: "shop-taiga", currency: "RUB",
			lines: []plantedLine{{"p-taiga-valenki", 1, 650000}, {"p-taiga-box", 1, 180000}},
			says:  []string{"заказ ORD-32001: верните деньги за шкатулку, она треснула. Валенки пусть остаются"},
			line:  2, qty: 1, amount: "1 800,00 ₽", total: "8 300,00 ₽", item: "Шкатулка из бересты"},
	}
	for _, tt := range tests {
		t.Run(tt.locale+" "+tt.says[0], func(t *testing.T) { checkGoodsRefund(t, tt) })
	}
}
