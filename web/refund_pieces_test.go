package web_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/internal/fakellm"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/tools/l10n"
)

// Refunds of part of a line, and "how much do I get back?", played over
// the chat websocket with the real tools and Postgres.

// refundedPieces returns, per line, the pieces order's one refund covered.
func (e *env) refundedPieces(t *testing.T, order string) map[int]int {
	t.Helper()
	rows, err := e.pool.Query(t.Context(), `SELECT line, quantity FROM refund_items WHERE order_id = $1`, order)
	if err != nil {
		t.Fatalf("read the refund items of %s: %v", order, err)
	}
	defer rows.Close()
	out := map[int]int{}
	for rows.Next() {
		var line, qty int
		if err := rows.Scan(&line, &qty); err != nil {
			t.Fatal(err)
		}
		out[line] = qty
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// A buyer who says one piece of a line bought several times is broken,
// and keeps the rest of the order, gets a card for that one piece at its
// unit price; asked how much they get back while the card waits, the
// reply is that card's item and amount (no policy passage, no new card);
// confirmed, the refund is that one piece; asked again afterwards, the
// reply is the refund made. In the four languages, with the piece named
// in an earlier message ("one of the two…") or by "the other ones are
// fine".
func TestRefundOfOnePieceAndItsAmount(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		locale, shop, currency string
		lines                  []orderLine
		// turns before the card; %s is the order.
		turns       []string
		line, price int64
		ask, after  string
	}{
		{"en", "shop-maple", "USD",
			[]orderLine{{"p-maple-lantern", 1, 3499}, {"p-maple-bottle", 2, 3200}},
			[]string{"Got %s yesterday. One of the two steel bottles has a dent and won't seal.",
				"The lantern works great and the other bottle is fine as well, I'd just like a refund for the dented one"},
			2, 3200, "what's the amount coming back to me?", "and how much was refunded in the end?"},
		{"ko", "shop-hangang", "KRW",
			[]orderLine{{"p-hangang-blanket", 1, 35000}, {"p-hangang-tumbler", 3, 28000}},
			[]string{"%s 주문 받았는데 텀블러 세 개 중 하나가 금이 가 있어요",
				"담요는 마음에 들어서 그대로 쓸게요. 금 간 텀블러 한 개만 환불해 주세요"},
			2, 28000, "그러면 환불 금액이 얼마예요?", "결국 얼마 돌려받은 거예요?"},
		{"es", "shop-sol", "EUR",
			[]orderLine{{"p-sol-bag", 1, 3400}, {"p-sol-towels", 3, 1600}},
			[]string{"Hola, del pedido %s una de las tres toallas vino con un agujero",
				"El bolso me encanta y las otras dos toallas están bien, solo quiero el reembolso de la toalla rota"},
			2, 1600, "¿Y cuánto dinero me devolvéis exactamente?", "¿Cuánto me habéis reembolsado al final?"},
		{"ru", "shop-taiga", "RUB",
			[]orderLine{{"p-taiga-valenki", 1, 500000}, {"p-taiga-scarf", 2, 240000}},
			[]string{"Добрый день, по заказу %s: один из двух шарфов пришёл с дыркой",
				"Валенки отличные, другой шарф тоже в порядке. Верните, пожалуйста, деньги за испорченный шарф"},
			2, 240000, "Какую сумму вы вернёте?", "Сколько в итоге вернули?"},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			buyer, order := buyerWith(t, tt.locale, demo.DeliveredRecently)
			e.deliveredOrder(t, order, tt.shop, tt.currency, tt.lines)
			var total int64
			for _, l := range tt.lines {
				total += int64(l.qty) * l.price
			}
			unit := l10n.Money(tt.locale, tt.price, tt.currency)
			wrong := []string{l10n.Money(tt.locale, total, tt.currency), l10n.Money(tt.locale, 2*tt.price, tt.currency)}
			c := e.dial(t, buyer)
			c.hello("", 0)
			var cards []frame
			var msg frame
			for i, say := range tt.turns {
				if strings.Contains(say, "%s") {
					say = fmt.Sprintf(say, order)
				}
				msg, cards = c.turn(fmt.Sprint(i), say)
			}
			if len(cards) != 1 {
				t.Fatalf("reply %q, cards %+v; want one refund card", msg.Text, cards)
			}
			card := cards[0].Summary
			if !strings.Contains(card, "×1: "+unit) {
				t.Errorf("card %q: want one piece at %s", card, unit)
			}
			for _, w := range wrong {
				if strings.Contains(card, w) {
					t.Errorf("card %q: names %s, more than the one piece", card, w)
				}
			}

			msg, again := c.turn("amount", tt.ask)
			if !shownAgainOrNone(cards[0], again) || !strings.Contains(msg.Text, unit) || !strings.Contains(msg.Text, order) {
				t.Errorf("asked the amount: reply %q, %d new cards; want the waiting card's %s for %s and no new card", msg.Text, len(again), unit, order)
			}
			for _, w := range wrong {
				if strings.Contains(msg.Text, w) {
					t.Errorf("asked the amount: reply %q names %s", msg.Text, w)
				}
			}

			c.sendJSON(map[string]any{"type": "confirm", "action_id": cards[0].ActionID, "approved": true})
			c.reply()
			if got := e.refundedPieces(t, order); !maps1(got, int(tt.line), 1) {
				t.Errorf("refunded pieces %v; want line %d ×1", got, tt.line)
			}
			if _, amount, _ := e.refundedLines(t, order); amount != tt.price {
				t.Errorf("refunded %d; want the one piece's %d", amount, tt.price)
			}

			msg, _ = c.turn("after", tt.after)
			if !strings.Contains(msg.Text, unit) || !strings.Contains(msg.Text, "RF-") {
				t.Errorf("asked after confirming: reply %q; want the refund made, %s", msg.Text, unit)
			}
		})
	}
}

func maps1(m map[int]int, line, qty int) bool {
	return len(m) == 1 && m[line] == qty
}

// One clause that names what the buyer wants back and what they keep,
// without a comma between ("…the lantern, the bottle I keep"; "el bolso
// no"), refunds the goods asked for, never the kept ones, whichever is
// named last; and money back for part of the order asked as a question
// about the order the conversation is on is a card, not the rule.
func TestRefundAskedAndKeptInOneBreath(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		locale, shop, currency string
		lines                  []orderLine
		turns                  []string
		want                   int
	}{
		{"en", "shop-maple", "USD",
			[]orderLine{{"p-maple-boots", 1, 12900}, {"p-maple-jacket", 1, 8900}},
			[]string{"i need to send back the jacket from %s its the wrong colour the boots i am keeping"}, 2},
		{"ko", "shop-hangang", "KRW",
			[]orderLine{{"p-hangang-earbuds", 1, 89000}, {"p-hangang-kettle", 1, 42000}},
			[]string{"%s 주문한 거 어제 받았어요. 이어폰이 충전이 안 돼요", "이어폰 값만 환불받을 수 있을까요?"}, 1},
		{"es", "shop-sol", "EUR",
			[]orderLine{{"p-sol-lamp", 1, 4850}, {"p-sol-bag", 1, 3400}},
			[]string{"quiero devolver la lampara del pedido %s porque no me convence el bolso no"}, 1},
		{"ru", "shop-taiga", "RUB",
			[]orderLine{{"p-taiga-samovar", 1, 1290000}, {"p-taiga-teaset", 1, 360000}},
			[]string{"хочу вернуть самовар из заказа %s он шумит чайный набор оставлю себе"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			buyer, order := buyerWith(t, tt.locale, demo.DeliveredRecently)
			e.deliveredOrder(t, order, tt.shop, tt.currency, tt.lines)
			c := e.dial(t, buyer)
			c.hello("", 0)
			var msg frame
			var cards []frame
			for i, say := range tt.turns {
				if strings.Contains(say, "%s") {
					say = fmt.Sprintf(say, order)
				}
				msg, cards = c.turn(fmt.Sprint(i), say)
			}
			want := tt.lines[tt.want-1]
			amount := l10n.Money(tt.locale, int64(want.qty)*want.price, tt.currency)
			if len(cards) != 1 || !strings.Contains(cards[0].Summary, "×1: "+amount) {
				t.Fatalf("reply %q, cards %+v; want one card for line %d at %s", msg.Text, cards, tt.want, amount)
			}
			c.sendJSON(map[string]any{"type": "confirm", "action_id": cards[0].ActionID, "approved": true})
			c.reply()
			if lines, got, _ := e.refundedLines(t, order); !slices.Equal(lines, []int{tt.want}) || got != int64(want.qty)*want.price {
				t.Errorf("refunded lines %v, %d; want line %d only", lines, got, tt.want)
			}
		})
	}
}

// With an LLM, a reply that restates the waiting card's amount is backed
// by the card's preview, which the tool wrote; an amount the card does
// not have is still held back. A question about the amount never moves
// money: the refund made on confirmation is the card's.
func TestLLMRestatesTheWaitingCard(t *testing.T) {
	fake, e := newLLMEnv(t, agent.Config{})
	buyer, order := buyerWith(t, "en", demo.DeliveredRecently)
	e.deliveredOrder(t, order, "shop-maple", "USD", []orderLine{{"p-maple-boots", 1, 12900}, {"p-maple-socks", 2, 2400}})
	fake.Push(
		fakellm.Call("request_refund", map[string]any{"order_id": order, "reason": "damaged", "items": []map[string]int{{"line": 2, "quantity": 1}}}),
		fakellm.Text("Please confirm the refund of one pack of socks."),
		fakellm.Text("That refund comes to $24.00 for one pack of the socks."),
		fakellm.Text("That refund comes to $48.00 for the socks."),
	)
	c := e.dial(t, buyer)
	c.hello("", 0)
	msg, cards := c.turn("1", "one pack of socks from "+order+" is torn, refund that pack")
	if len(cards) != 1 {
		t.Fatalf("reply %q, cards %+v; want one card", msg.Text, cards)
	}
	msg, _ = c.turn("2", "how much is that?")
	if msg.Guardrail == "fallback" || !strings.Contains(msg.Text, "$24.00") {
		t.Errorf("reply %q (guardrail %s): the card's own $24.00 is backed by its preview", msg.Text, msg.Guardrail)
	}
	msg, _ = c.turn("3", "sorry, how much again?")
	if strings.Contains(msg.Text, "$48.00") {
		t.Errorf("reply %q: $48.00 is not the card's amount and must not reach the buyer", msg.Text)
	}
	c.sendJSON(map[string]any{"type": "confirm", "action_id": cards[0].ActionID, "approved": true})
	c.reply()
	if lines, got, _ := e.refundedLines(t, order); !slices.Equal(lines, []int{2}) || got != 2400 {
		t.Errorf("refunded lines %v, %d; want line 2, 2400", lines, got)
	}
}

// "How much do I get back?" while a refund or cancellation card waits is
// answered with that card's amount and items, whatever card it is (a
// whole order's refund, a cancellation): not a policy passage, not a
// question back, not the card again. A question about another order, or
// about shipping, is not answered from the card.
func TestAmountQuestionAnswersTheWaitingCard(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		locale, shop, currency string
		kind                   demo.Kind
		product                string
		price                  int64
		ask, amount, other     string
	}{
		{"en", "shop-maple", "USD", demo.DeliveredRecently, "p-maple-jacket", 8900,
			"I want a refund for %s, it arrived damaged", "ok so what sum lands back on my card?", "how much is shipping on ORD-99999?"},
		{"ko", "shop-hangang", "KRW", demo.DeliveredRecently, "p-hangang-blanket", 35000,
			"%s 주문 환불해 주세요. 파손되어 도착했어요", "환불되면 얼마 받는 거죠?", "ORD-99999 주문은 얼마였죠?"},
		{"es", "shop-sol", "EUR", demo.DeliveredRecently, "p-sol-bag", 3400,
			"Quiero un reembolso del pedido %s, llegó roto", "¿cuánto dinero recibo de vuelta?", "¿y cuánto costó el pedido ORD-99999?"},
		{"ru", "shop-taiga", "RUB", demo.DeliveredRecently, "p-taiga-box", 180000,
			"Хочу вернуть деньги за заказ %s, он пришёл сломанным", "а сколько денег мне придёт?", "а сколько стоил заказ ORD-99999?"},
		{"en", "shop-maple", "USD", demo.Paid, "", 0,
			"please cancel %s, I ordered it by mistake", "how much will I get back from that?", ""},
		{"ru", "shop-taiga", "RUB", demo.Paid, "", 0,
			"отмените, пожалуйста, заказ %s", "сколько мне вернут за отмену?", ""},
	}
	for _, tt := range tests {
		t.Run(tt.locale+"/"+tt.kind.String(), func(t *testing.T) {
			buyer, order := buyerWith(t, tt.locale, tt.kind)
			var want string
			if tt.product != "" {
				e.deliveredOrder(t, order, tt.shop, tt.currency, []orderLine{{tt.product, 1, tt.price}})
				want = l10n.Money(tt.locale, tt.price, tt.currency)
			} else {
				var total int64
				var cur string
				if err := e.pool.QueryRow(t.Context(), `SELECT total_minor, currency FROM orders WHERE id = $1`, order).Scan(&total, &cur); err != nil {
					t.Fatal(err)
				}
				want = l10n.Money(tt.locale, total, cur)
			}
			c := e.dial(t, buyer)
			c.hello("", 0)
			msg, cards := c.turn("1", fmt.Sprintf(tt.ask, order))
			if len(cards) != 1 || !strings.Contains(cards[0].Summary, want) {
				t.Fatalf("reply %q, cards %+v; want one card for %s", msg.Text, cards, want)
			}
			msg, again := c.turn("2", tt.amount)
			if !shownAgainOrNone(cards[0], again) || !strings.Contains(msg.Text, want) || !strings.Contains(msg.Text, order) {
				t.Errorf("asked the amount: reply %q, %d new cards; want the waiting card's %s for %s", msg.Text, len(again), want, order)
			}
			if tt.other != "" {
				msg, _ = c.turn("3", tt.other)
				if strings.Contains(msg.Text, want) {
					t.Errorf("asked about another order: reply %q restates the card's %s", msg.Text, want)
				}
			}
			if n, _ := e.refunds(t, order); n != 0 {
				t.Errorf("%d refunds made by asking the amount; want none before the buyer confirms", n)
			}
		})
	}
}

// shownAgainOrNone reports whether the cards a turn sent are none, or the
// waiting card shown again (the same action, so the buyer confirms where
// they read the sum): never a second action proposed beside it.
func shownAgainOrNone(waiting frame, again []frame) bool {
	return len(again) == 0 || (len(again) == 1 && again[0].ActionID == waiting.ActionID)
}
