package local

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// pieceOrder is a delivered order of refundable lines, each a name, a
// quantity and a unit price in minor units of cur.
func pieceOrder(id, cur string, lines ...any) tools.Order {
	o := tools.Order{ID: id, Status: "delivered"}
	for i := 0; i+2 < len(lines); i += 3 {
		name, qty, unit := lines[i].(string), lines[i+1].(int), int64(lines[i+2].(int))
		o.Items = append(o.Items, tools.Item{Line: len(o.Items) + 1, Name: name, Quantity: qty,
			UnitPrice: tools.Money{Minor: unit, Currency: cur}, Refundable: true})
		o.Total.Minor += unit * int64(qty)
	}
	o.Total.Currency = cur
	return o
}

// refundMinor is what a refund of items comes to on o: each line's unit
// price times its quantity, as the card shows it.
func refundMinor(t *testing.T, o tools.Order, items []refundLine) int64 {
	t.Helper()
	var sum int64
	for _, x := range items {
		found := false
		for _, it := range o.Items {
			if it.Line == x.Line {
				sum += it.UnitPrice.Minor * int64(x.Quantity)
				found = true
			}
		}
		if !found {
			t.Fatalf("refund of line %d, which order %s does not have", x.Line, o.ID)
		}
	}
	return sum
}

// The order tells a count of what was bought from a count of what is
// wrong: the count smaller than the line is the pieces at issue, with
// or without the goods named next to it, and a size named to go back
// (or not said to stay) among two or more sizes of a line is one piece.
func TestPiecesSaid(t *testing.T) {
	mugs := pieceOrder("ORD-20500", "USD", "Ceramic mug", 4, 1200, "Trail hiking boots", 1, 12900)
	boots := pieceOrder("ORD-20501", "EUR", "Botas de montaña", 2, 8000, "Bolso de esparto", 1, 3990)
	for _, tt := range []struct {
		name, text string
		o          tools.Order
		line, want int // line index; want 0 for nothing read
	}{
		{"en bought and broken", "I got 4 mugs and two of them arrived chipped", mugs, 0, 2},
		{"en pronoun piece", "four mugs came. one has a crack in the handle", mugs, 0, 1},
		{"en bought count only", "I ordered 4 mugs last week", mugs, 0, 0},
		{"en days are no count", "the mugs came 2 days ago", mugs, 0, 0},
		{"en this one is no count", "is this one refundable? the mugs", mugs, 0, 0},
		{"en the one that", "refund the one that cracked, I keep the other mugs", mugs, 0, 1},
		{"es article is no count", "las tazas llegaron con una mancha", mugs, 0, 0},
		{"es uno", "pedí cuatro tazas y una está rota", mugs, 0, 1},
		{"ru одна", "пришли четыре кружки, одна треснула", mugs, 0, 1},
		{"ko 하나", "머그컵 4개 왔는데 하나가 깨졌어요", mugs, 0, 1},
		{"ko glued counter", "머그컵 2개는 깨져서 왔어요", mugs, 0, 2},
		{"en sizes, one back", "I got the boots in 41 and 42, I'd like to return the 41", boots, 0, 1},
		{"es sizes, one stays", "pedí las botas en 40 y 41. la 41 me queda perfecta", boots, 0, 1},
		{"ru sizes", "ботинки 38 и 39 размера, 39 подошли, 38 хочу вернуть", boots, 0, 1},
		{"ko mm sizes", "등산화 250이랑 255 샀는데 250은 반품할게요", boots, 0, 1},
		{"money is no size", "the boots cost €40 and €41 with shipping", boots, 0, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := piecesSaid(tt.text, tt.o)[tt.line]
			if got != tt.want {
				t.Errorf("piecesSaid(%q)[%d] = %d, want %d (all: %v)", tt.text, tt.line, got, tt.want, piecesSaid(tt.text, tt.o))
			}
		})
	}
}

// A refund asked after the buyer counted the pieces at issue, or named
// the size to send back, covers those pieces only: the card's items are
// that line and that quantity, and its amount the unit price times it,
// never every piece of the line nor the whole order.
func TestRefundOfPiecesCountedOrSized(t *testing.T) {
	m := newModel(t)
	checkRefunds(t, m, []refundCase{
		{"en two of four", "en", "got 4 mugs in ORD-20510 and two of them arrived chipped", "can I get my money back for the chipped ones? keeping the rest",
			pieceOrder("ORD-20510", "USD", "Ceramic mug", 4, 1200, "Trail hiking boots", 1, 12900), []refundLine{{1, 2}}, 2400},
		{"es una de tres", "es", "en el pedido ORD-20511 me llegaron 3 tazas y una vino rajada", "quiero el reembolso de la rajada, las demás me las quedo",
			pieceOrder("ORD-20511", "EUR", "Taza de cerámica", 3, 1250, "Bolso de esparto", 1, 3990), []refundLine{{1, 1}}, 1250},
		{"ru одна из трёх", "ru", "в заказе ORD-20512 три кружки, одна пришла с отбитой ручкой", "верните деньги только за неё, остальное оставлю",
			pieceOrder("ORD-20512", "RUB", "Кружка керамическая", 3, 90000, "Чайный набор", 1, 320000), []refundLine{{1, 1}}, 90000},
		{"ko 하나", "ko", "ORD-20513 보온 텀블러 3개 시켰는데 하나가 찌그러져서 왔어요", "찌그러진 거만 환불해 주세요 나머지는 쓸게요",
			pieceOrder("ORD-20513", "KRW", "보온 텀블러", 3, 23000, "극세사 담요", 1, 39000), []refundLine{{1, 1}}, 23000},
		{"en size back", "en", "I ordered the hiking boots twice in ORD-20514, a 41 and a 42. the 42 fits great", "can I send the 41 back for a refund?",
			pieceOrder("ORD-20514", "USD", "Trail hiking boots", 2, 12900), []refundLine{{1, 1}}, 12900},
		{"es talla", "es", "pedido ORD-20515: compré las sandalias en 37 y 38, me quedo las 38", "las 37 las devuelvo, ¿me hacéis el reembolso?",
			pieceOrder("ORD-20515", "EUR", "Sandalias de cuero", 2, 4990), []refundLine{{1, 1}}, 4990},
		{"ru размер", "ru", "в заказе ORD-20516 валенки 37 и 38 размера, 37 как раз", "38 хочу вернуть, верните деньги",
			pieceOrder("ORD-20516", "RUB", "Валенки ручной работы", 2, 650000), []refundLine{{1, 1}}, 650000},
		{"ko 사이즈", "ko", "ORD-20517 운동화 235랑 240 두 켤레 샀는데 240이 맞아요", "235는 반품하고 환불해 주세요",
			pieceOrder("ORD-20517", "KRW", "캔버스 운동화", 2, 59000), []refundLine{{1, 1}}, 59000},
		{"en no count, whole line", "en", "the socks in ORD-20518 have holes", "can I just get a refund for the socks? the boots are fine",
			pieceOrder("ORD-20518", "USD", "Merino wool socks (3 pack)", 2, 2400, "Trail hiking boots", 1, 12900), []refundLine{{1, 2}}, 4800},
	})
}

// Two lines asked for in one message, each with its own count, are both
// refunded, each for the pieces named: not only the line named last, and
// not every piece of a line bought several times.
func TestRefundOfTwoLinesEachWithItsCount(t *testing.T) {
	m := newModel(t)
	checkRefunds(t, m, []refundCase{
		{"en lantern and one pack", "en", "order ORD-20520: the lantern won't charge and I got 2 sock packs by mistake", "please refund the lantern, and could I send one of the sock packs back too?",
			pieceOrder("ORD-20520", "USD", "Rechargeable camp lantern", 1, 6998, "Merino wool socks (3 pack)", 2, 2400), []refundLine{{1, 1}, {2, 1}}, 9398},
		{"es bolso y una toalla", "es", "pedido ORD-20521, el bolso no me gusta y pedí dos juegos de toallas sin querer", "quiero devolver el bolso. y también devuelvo uno de los juegos de toallas",
			pieceOrder("ORD-20521", "EUR", "Bolso de esparto", 1, 3990, "Juego de toallas de algodón", 2, 3200), []refundLine{{1, 1}, {2, 1}}, 7190},
		{"ru шарф и кружка", "ru", "в заказе ORD-20522 шарф с затяжкой, а из двух кружек одна с трещиной", "верните деньги за шарф, и за одну кружку тоже верните",
			pieceOrder("ORD-20522", "RUB", "Шерстяной шарф", 1, 240000, "Кружка керамическая", 2, 90000), []refundLine{{1, 1}, {2, 1}}, 330000},
		{"ko 담요와 텀블러 하나", "ko", "ORD-20523 담요에 얼룩이 있고 텀블러 3개 중에 하나는 뚜껑이 안 닫혀요", "담요 환불해 주세요. 텀블러도 하나 반품할게요",
			pieceOrder("ORD-20523", "KRW", "극세사 담요", 1, 39000, "보온 텀블러", 3, 23000), []refundLine{{1, 1}, {2, 1}}, 62000},
		{"ru the box, not the tea set named after", "ru", "в заказе ORD-20524 шкатулка и чайный набор", "верните деньги за шкатулку, она не как на фото. а чайным набором я доволен",
			pieceOrder("ORD-20524", "RUB", "Чайный набор", 1, 320000, "Шкатулка из бересты", 1, 180000), []refundLine{{2, 1}}, 180000},
	})
}

// A count of goods, or goods restricted with "only", that no line of the
// buyer's order is ("one of the mugs", "just the kettle" of an order of
// a lantern and socks) get the question which item, with the order's
// lines: never a card for the whole order, nor for the one line of
// several pieces the buyer did not name.
func TestGoodsOfNoLineAreAsked(t *testing.T) {
	m := newModel(t)
	o := pieceOrder("ORD-20530", "USD", "Rechargeable camp lantern", 1, 6998, "Merino wool socks (3 pack)", 2, 2400)
	data, _ := json.Marshal(o)
	for _, tt := range []struct{ locale, ask string }{
		{"en", "refund just the kettle from ORD-20530 please"},
		{"en", "I want my money back for one of the mugs in ORD-20530"},
		{"es", "quiero el reembolso de una de las tazas del pedido ORD-20530"},
		{"ru", "верните деньги за одну кружку из заказа ORD-20530"},
		{"ko", "ORD-20530 머그컵 하나만 환불해 주세요"},
	} {
		t.Run(tt.locale+" "+tt.ask, func(t *testing.T) {
			history := []agent.Message{user(tt.ask)}
			msg := gen(t, m, tt.locale, history...)
			if len(msg.ToolCalls) == 1 && msg.ToolCalls[0].Name == "get_order" {
				history = append(history, toolMsgs("get_order", string(msg.ToolCalls[0].Arguments), agent.ToolResult{OK: true, Data: data})...)
				msg = gen(t, m, tt.locale, history...)
			}
			if len(msg.ToolCalls) > 0 || !strings.Contains(msg.Content, "ORD-20530") || !strings.Contains(msg.Content, "Rechargeable camp lantern") {
				t.Errorf("%q: %s, want the question which item of ORD-20530, its lines listed", tt.ask, describe(msg))
			}
		})
	}
}

// refundCase is a story about order o, then ask: the refund it must come
// to (want's lines and counts, minor in the order's minor units).
type refundCase struct {
	name, locale, story, ask string
	o                        tools.Order
	want                     []refundLine
	minor                    int64
}

// checkRefunds runs each case through m and checks the request_refund it
// makes: order o, exactly the lines and counts wanted, and the amount.
func checkRefunds(t *testing.T, m *Model, cases []refundCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			order, items, raw := refundAfterStory(t, m, tt.locale, tt.story, tt.ask, tt.o)
			if order != tt.o.ID || len(items) != len(tt.want) {
				t.Fatalf("%q: request_refund %s, want %s items %v", tt.ask, raw, tt.o.ID, tt.want)
			}
			for i := range tt.want {
				if items[i] != tt.want[i] {
					t.Errorf("%q: request_refund %s, want items %v", tt.ask, raw, tt.want)
				}
			}
			if got := refundMinor(t, tt.o, items); got != tt.minor {
				t.Errorf("%q: refund comes to %d, want %d", tt.ask, got, tt.minor)
			}
		})
	}
}
