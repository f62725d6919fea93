package local_test

import (
	"strings"
	"testing"
)

// goodsRefundCase is one language's conversation about part of a
// delivered order: what the buyer says, which line and how many pieces
// the refund must cover, and the amount the reply must state (never the
// order's total).
type goodsRefundCase struct {
	locale, shop, currency string
	lines                  []plantedLine
	says                   []string
	// line and qty are the refund's one item; amount its money as the
	// reply writes it, total the order's, which it must not name.
	line, qty     int
	amount, total string
	item          string
}

// checkGoodsRefund plays tt against ORD-32001, checks that the
// conversation got one card, for tt's line and pieces, that the last reply
// names its item and amount and not the order's total, and that a yes
// refunds that amount alone.
func checkGoodsRefund(t *testing.T, tt goodsRefundCase) {
	t.Helper()
	c := newChat(t, tt.locale)
	c.plant("ORD-32001", "buyer-001", tt.shop, tt.currency, "delivered", tt.lines...)
	var last turn
	cards := 0
	for _, s := range tt.says {
		last = c.say(s)
		cards += len(last.cards)
	}
	// The card may come before the amount is asked ("the rest is fine"
	// already says which goods), and the answer then states its amount.
	if acts := c.pending(); cards != 1 || len(acts) != 1 {
		t.Fatalf("%d cards, %d pending, want 1 and 1; last reply %q", cards, len(acts), last.text)
	}
	act := planOf(t, c.pending(), "ORD-32001")
	if act.Tool != "request_refund" {
		t.Fatalf("pending %s, want request_refund", act.Tool)
	}
	if it := act.Plan.Items; len(it) != 1 || it[0].Line != tt.line || it[0].Quantity != tt.qty {
		t.Errorf("refund items = %+v, want line %d ×%d", it, tt.line, tt.qty)
	}
	for _, want := range []string{tt.item, tt.amount} {
		if !strings.Contains(last.text, want) {
			t.Errorf("reply %q does not name %q", last.text, want)
		}
	}
	if strings.Contains(last.text, tt.total) {
		t.Errorf("reply %q names the order's total %s", last.text, tt.total)
	}
	c.say(map[string]string{"en": "yes", "ko": "네", "es": "sí", "ru": "да"}[tt.locale])
	want := int64(tt.qty) * tt.lines[tt.line-1].price
	if _, refunded := c.status("ORD-32001"); refunded != want {
		t.Errorf("after yes %d refunded, want %d (%d × line %d)", refunded, want, tt.qty, tt.line)
	}
}

// "How much do I get back?" asked before any card, about goods the buyer
// said were faulty a message or two before, while keeping the rest, is
// the refund of those goods: its card names the item and its amount, not
// the order's total, and asks to confirm. Before, the question was read
// as one about the refund policy's timing, or not understood.
func TestAmountAskedBeforeAnyCardProposesTheGoodsRefund(t *testing.T) {
	tests := []goodsRefundCase{
		{locale: "en", shop: "shop-maple", currency: "USD",
			lines: []plantedLine{{"p-maple-bottle", 1, 2899}, {"p-maple-jacket", 1, 8950}},
			says: []string{"the flask I got is leaking all over my bag", "it's order ORD-32001. the rain jacket is great, I'm keeping it",
				"ok so what would I get back for it?"},
			line: 1, qty: 1, amount: "$28.99", total: "$118.49", item: "Insulated steel bottle"},
		{locale: "ko", shop: "shop-hangang", currency: "KRW",
			lines: []plantedLine{{"p-hangang-kettle", 1, 45000}, {"p-hangang-blanket", 1, 39000}},
			says: []string{"주전자 손잡이가 부러진 채로 왔어요", "주문번호는 ORD-32001이에요. 담요는 멀쩡해요",
				"그럼 돌려받는 돈은 얼마예요?"},
			line: 1, qty: 1, amount: "₩45,000", total: "₩84,000", item: "전기 주전자"},
		{locale: "es", shop: "shop-sol", currency: "EUR",
			lines: []plantedLine{{"p-sol-sandals", 1, 4990}, {"p-sol-towels", 1, 3200}},
			says: []string{"las sandalias vinieron con la suela despegada", "es el pedido ORD-32001, las toallas están perfectas, me las quedo",
				"¿y cuánto dinero me devolverían?"},
			line: 1, qty: 1, amount: "49,90 €", total: "81,90 €", item: "Sandalias de cuero"},
		{locale: "ru", shop: "shop-taiga", currency: "RUB",
			lines: []plantedLine{{"p-taiga-samovar", 1, 890000}, {"p-taiga-teaset", 1, 320000}},
			says: []string{"чайный набор пришёл разбитым, две чашки в осколках", "заказ ORD-32001. самовар в порядке, его оставляю",
				"сколько мне тогда вернут?"},
			line: 2, qty: 1, amount: "3 200,00 ₽", total: "12 100,00 ₽", item: "Чайный набор"},
		// One piece of a line bought twice, the amount asked as "what's
		// the refund for", "환불 금액 알려주세요" (read alone as a refund
		// status question) or after the model asked which order.
		{locale: "en", shop: "shop-maple", currency: "USD",
			lines: []plantedLine{{"p-maple-bottle", 2, 2899}, {"p-maple-jacket", 1, 8950}},
			says:  []string{"hi, order ORD-32001 came yesterday", "one of the bottles has a big dent in it", "what's the refund for that one bottle?"},
			line:  1, qty: 1, amount: "$28.99", total: "$147.48", item: "Insulated steel bottle"},
		{locale: "ko", shop: "shop-hangang", currency: "KRW",
			lines: []plantedLine{{"p-hangang-blanket", 2, 39000}, {"p-hangang-tumbler", 1, 23000}},
			says:  []string{"담요 하나가 올이 다 풀려서 왔어요", "ORD-32001 주문이에요. 나머지는 괜찮아요", "환불 금액 알려주세요"},
			line:  1, qty: 1, amount: "₩39,000", total: "₩101,000", item: "극세사 담요"},
		{locale: "ru", shop: "shop-taiga", currency: "RUB",
			lines: []plantedLine{{"p-taiga-teaset", 2, 320000}, {"p-taiga-valenki", 1, 650000}},
			says:  []string{"заказ ORD-32001 получила", "один чайный набор пришёл с трещиной", "какую сумму вернёте?"},
			line:  1, qty: 1, amount: "3 200,00 ₽", total: "12 900,00 ₽", item: "Чайный набор"},
	}
	for _, tt := range tests {
		t.Run(tt.locale+" "+tt.says[len(tt.says)-1], func(t *testing.T) { checkGoodsRefund(t, tt) })
	}
}

// A count next to the goods says how many pieces of a line are meant:
// "two of the three sock packs", "텀블러 3개 중에 2개", "una toalla de las
// dos", "один шарф из двух" — never every piece of the line, nor the
// order. A "both" about something else ("both times") says nothing of the
// goods.
func TestCountNextToTheGoodsIsThePiecesRefunded(t *testing.T) {
	tests := []goodsRefundCase{
		{locale: "en", shop: "shop-maple", currency: "USD",
			lines: []plantedLine{{"p-maple-socks", 3, 2400}, {"p-maple-boots", 1, 12900}},
			says:  []string{"ORD-32001: two of the three sock packs came with holes in them, both times I ordered from you this happened. money back for those two please"},
			line:  1, qty: 2, amount: "$48.00", total: "$201.00", item: "Merino wool socks"},
		{locale: "ko", shop: "shop-hangang", currency: "KRW",
			lines: []plantedLine{{"p-hangang-tumbler", 3, 23000}, {"p-hangang-blanket", 1, 39000}},
			says:  []string{"ORD-32001 텀블러 3개 중에 2개가 찌그러져서 왔어요. 그 2개만 환불해 주세요"},
			line:  1, qty: 2, amount: "₩46,000", total: "₩108,000", item: "보온 텀블러"},
		{locale: "es", shop: "shop-sol", currency: "EUR",
			lines: []plantedLine{{"p-sol-lamp", 1, 6450}, {"p-sol-towels", 2, 3200}},
			says:  []string{"del pedido ORD-32001 me llegó una toalla de las dos rasgada, quiero que me devuelvan el dinero de esa"},
			line:  2, qty: 1, amount: "32,00 €", total: "128,50 €", item: "Juego de toallas de algodón"},
		{locale: "ru", shop: "shop-taiga", currency: "RUB",
			lines: []plantedLine{{"p-taiga-scarf", 2, 240000}, {"p-taiga-box", 1, 180000}},
			says:  []string{"в заказе ORD-32001 один шарф из двух порван, верните деньги за него"},
			line:  1, qty: 1, amount: "2 400,00 ₽", total: "6 600,00 ₽", item: "Шарф из шерсти"},
		// The count said of the goods in talk: "esos dos".
		{locale: "es", shop: "shop-sol", currency: "EUR",
			lines: []plantedLine{{"p-sol-towels", 3, 3200}, {"p-sol-pan", 1, 2750}},
			says:  []string{"del pedido ORD-32001 me llegaron 3 juegos de toallas y 2 vinieron manchados", "quiero el reembolso de esos dos, ¿cuánto es?"},
			line:  1, qty: 2, amount: "64,00 €", total: "123,50 €", item: "Juego de toallas de algodón"},
	}
	for _, tt := range tests {
		t.Run(tt.locale+" "+tt.says[len(tt.says)-1], func(t *testing.T) { checkGoodsRefund(t, tt) })
	}
}

// Goods the buyer says have nothing wrong with them, or that they are
// using, are kept, however late in the message they are named; goods
// marked "only" are the ones refunded. Before, the goods named last were
// taken for the faulty ones.
func TestGoodsWithNothingWrongAreKept(t *testing.T) {
	tests := []goodsRefundCase{
		{locale: "en", shop: "shop-maple", currency: "USD",
			lines: []plantedLine{{"p-maple-lantern", 1, 3499}, {"p-maple-boots", 1, 12900}},
			says:  []string{"ORD-32001: the lantern stopped charging after a day. nothing wrong with the boots though. I'd like my money back"},
			line:  1, qty: 1, amount: "$34.99", total: "$163.99", item: "Rechargeable camp lantern"},
		{locale: "ko", shop: "shop-hangang", currency: "KRW",
			lines: []plantedLine{{"p-hangang-earbuds", 1, 89000}, {"p-hangang-sneakers", 1, 59000}},
			says:  []string{"ORD-32001 이어폰만 환불해 주세요. 운동화는 잘 신고 있고 이상 없어요"},
			line:  1, qty: 1, amount: "₩89,000", total: "₩148,000", item: "무선 이어폰"},
		// Goods the buyer will go on using, named last: before, the
		// sneakers were refunded.
		{locale: "ko", shop: "shop-hangang", currency: "KRW",
			lines: []plantedLine{{"p-hangang-earbuds", 1, 89000}, {"p-hangang-sneakers", 1, 59000}},
			says:  []string{"ORD-32001 이어폰 환불하고 싶어요 운동화는 그냥 신을게요"},
			line:  1, qty: 1, amount: "₩89,000", total: "₩148,000", item: "무선 이어폰"},
		{locale: "es", shop: "shop-sol", currency: "EUR",
			lines: []plantedLine{{"p-sol-lamp", 1, 6450}, {"p-sol-bag", 1, 3990}},
			says:  []string{"pedido ORD-32001: la lámpara llegó con la pantalla rota. El bolso no tiene ningún problema. Quiero el reembolso"},
			line:  1, qty: 1, amount: "64,50 €", total: "104,40 €", item: "Lámpara de mesa de cerámica"},
		{locale: "ru", shop: "shop-taiga", currency: "RUB",
			lines: []plantedLine{{"p-taiga-box", 1, 180000}, {"p-taiga-valenki", 1, 650000}},
			says:  []string{"по заказу ORD-32001 шкатулка треснула по крышке. С валенками всё без проблем. Верните деньги"},
			line:  1, qty: 1, amount: "1 800,00 ₽", total: "8 300,00 ₽", item: "Шкатулка из бересты"},
	}
	for _, tt := range tests {
		t.Run(tt.locale+" "+tt.says[len(tt.says)-1], func(t *testing.T) { checkGoodsRefund(t, tt) })
	}
}

// Asked whether they want a refund or a dispute after telling a problem
// with some pieces of a line, a buyer who answers with the refund ("yes
// refund those", read alone as a bare yes) gets the refund of those
// pieces. Before, "yes refund those" tracked the parcel.
func TestRefundChosenAfterTheProblemCoversThePiecesTold(t *testing.T) {
	tests := []goodsRefundCase{
		{locale: "en", shop: "shop-maple", currency: "USD",
			lines: []plantedLine{{"p-maple-socks", 3, 2400}},
			says:  []string{"2 of the 3 sock packs in ORD-32001 arrived torn", "yes refund those"},
			line:  1, qty: 2, amount: "$48.00", total: "$72.00", item: "Merino wool socks"},
		{locale: "ko", shop: "shop-hangang", currency: "KRW",
			lines: []plantedLine{{"p-hangang-tumbler", 3, 23000}},
			says:  []string{"ORD-32001 텀블러 3개 중에 1개가 금이 갔어요", "환불로 해주세요"},
			line:  1, qty: 1, amount: "₩23,000", total: "₩69,000", item: "보온 텀블러"},
		{locale: "es", shop: "shop-sol", currency: "EUR",
			lines: []plantedLine{{"p-sol-towels", 2, 3200}},
			says:  []string{"en el pedido ORD-32001 una de las dos toallas llegó rota", "sí, el reembolso por favor"},
			line:  1, qty: 1, amount: "32,00 €", total: "64,00 €", item: "Juego de toallas de algodón"},
		{locale: "ru", shop: "shop-taiga", currency: "RUB",
			lines: []plantedLine{{"p-taiga-scarf", 2, 240000}},
			says:  []string{"в заказе ORD-32001 один из двух шарфов пришёл порванным", "да, верните деньги"},
			line:  1, qty: 1, amount: "2 400,00 ₽", total: "4 800,00 ₽", item: "Шарф из шерсти"},
		{locale: "ru", shop: "shop-taiga", currency: "RUB",
			lines: []plantedLine{{"p-taiga-scarf", 2, 240000}},
			says:  []string{"в заказе ORD-32001 один из двух шарфов пришёл порванным", "да"},
			line:  1, qty: 1, amount: "2 400,00 ₽", total: "4 800,00 ₽", item: "Шарф из шерсти"},
	}
	for _, tt := range tests {
		t.Run(tt.locale+" "+tt.says[len(tt.says)-1], func(t *testing.T) { checkGoodsRefund(t, tt) })
	}
}
