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

// Refunds of part of an order, played over the chat websocket with the
// real tools and Postgres: the card lists each item with its amount, and
// the refund confirmed is the items' amount, never the order's.

// orderLine is a line an order is rewritten with: a catalogue product, how
// many, at what unit price (minor units of the shop's currency).
type orderLine struct {
	product string
	qty     int
	price   int64
}

// deliveredOrder rewrites order as delivered five days ago by shop in
// currency, holding lines, with nothing refunded.
func (e *env) deliveredOrder(t *testing.T, order, shop, currency string, lines []orderLine) {
	t.Helper()
	var total int64
	for _, l := range lines {
		total += int64(l.qty) * l.price
	}
	ctx := t.Context()
	stmts := []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM refund_items WHERE order_id = $1`, []any{order}},
		{`DELETE FROM refunds WHERE order_id = $1`, []any{order}},
		{`DELETE FROM disputes WHERE order_id = $1`, []any{order}},
		{`DELETE FROM order_items WHERE order_id = $1`, []any{order}},
		{`UPDATE orders SET shop_id = $2, currency = $3, status = 'delivered', total_minor = $4, refunded_minor = 0,
			placed_at = now() - interval '11 days', paid_at = now() - interval '11 days', shipped_at = now() - interval '8 days',
			delivered_at = now() - interval '5 days', cancelled_at = NULL, cancel_idempotency_key = NULL WHERE id = $1`,
			[]any{order, shop, currency, total}},
	}
	for i, l := range lines {
		stmts = append(stmts, struct {
			sql  string
			args []any
		}{`INSERT INTO order_items (order_id, line, product_id, quantity, unit_price_minor) VALUES ($1, $2, $3, $4, $5)`,
			[]any{order, i + 1, l.product, l.qty, l.price}})
	}
	for _, s := range stmts {
		if _, err := e.pool.Exec(ctx, s.sql, s.args...); err != nil {
			t.Fatalf("set up %s: %v", order, err)
		}
	}
}

// refundedLines returns the lines, amount and reason of order's one refund.
func (e *env) refundedLines(t *testing.T, order string) (lines []int, amount int64, reason string) {
	t.Helper()
	err := e.pool.QueryRow(t.Context(), `
		SELECT coalesce(array_agg(ri.line ORDER BY ri.line) FILTER (WHERE ri.line IS NOT NULL), '{}'), r.amount_minor, r.reason
		FROM refunds r LEFT JOIN refund_items ri ON ri.refund_id = r.id
		WHERE r.order_id = $1 GROUP BY r.id`, order).Scan(&lines, &amount, &reason)
	if err != nil {
		t.Fatalf("read the refund of %s: %v", order, err)
	}
	return lines, amount, reason
}

// A buyer who names the item they want back and the goods they keep, in
// either order, gets a card for that item alone, with its amount, and the
// confirmed refund is that amount with the reason their words give. Said
// the other way round ("everything but…"), the refund is the rest. The
// card names what stays unrefunded. The
// kept goods are named last on purpose: matched by name alone, the last
// item named would win.
func TestRefundCoversTheItemsMeantNotThoseKept(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		locale, shop, currency string
		lines                  []orderLine
		say                    string
		want                   []int
		reason                 string
	}{
		{"en", "shop-maple", "USD",
			[]orderLine{{"p-maple-boots", 1, 12900}, {"p-maple-socks", 1, 2400}, {"p-maple-lantern", 1, 3499}},
			"%s - can I get money back on the lantern only? it won't switch on. the boots I'm keeping, they're great", []int{3}, "defective"},
		{"ko", "shop-hangang", "KRW",
			[]orderLine{{"p-hangang-kettle", 1, 45000}, {"p-hangang-blanket", 1, 39000}},
			"%s 주전자가 고장났어요 주전자 값만 돌려주세요. 담요는 마음에 들어서 쓸게요", []int{1}, "defective"},
		{"es", "shop-sol", "EUR",
			[]orderLine{{"p-sol-sandals", 1, 4990}, {"p-sol-towels", 2, 1600}, {"p-sol-bag", 1, 3990}},
			"del %s me quedo las sandalias y el bolso, devolvedme el dinero de lo demás", []int{2}, ""},
		{"ru", "shop-taiga", "RUB",
			[]orderLine{{"p-taiga-valenki", 1, 650000}, {"p-taiga-scarf", 1, 240000}, {"p-taiga-samovar", 1, 890000}},
			"верните деньги только за шарф по заказу %s, самовар и валенки в порядке", []int{2}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			// A buyer whose profile is in the case's language: the card is
			// written in it.
			buyer, order := buyerWith(t, tt.locale, demo.DeliveredRecently)
			e.deliveredOrder(t, order, tt.shop, tt.currency, tt.lines)
			var want int64
			for _, l := range tt.want {
				want += int64(tt.lines[l-1].qty) * tt.lines[l-1].price
			}
			var total int64
			for _, l := range tt.lines {
				total += int64(l.qty) * l.price
			}
			c := e.dial(t, buyer)
			c.hello("", 0)
			msg, cards := c.turn("1", fmt.Sprintf(tt.say, order))
			if len(cards) != 1 {
				t.Fatalf("reply %q, cards %+v; want one refund card", msg.Text, cards)
			}
			card := cards[0].Summary
			amount := l10n.Money(tt.locale, want, tt.currency)
			if !strings.Contains(card, amount) || strings.Contains(card, l10n.Money(tt.locale, total, tt.currency)) {
				t.Errorf("card %q: want the items' %s, never the order's total", card, amount)
			}
			for i, l := range tt.lines {
				// What stays unrefunded is named on the card too.
				var name string
				if err := e.pool.QueryRow(t.Context(), `SELECT name FROM products WHERE id = $1`, l.product).Scan(&name); err != nil {
					t.Fatal(err)
				}
				if !slices.Contains(tt.want, i+1) && !strings.Contains(card, name) {
					t.Errorf("card %q does not name %s, which stays unrefunded", card, name)
				}
			}
			c.sendJSON(map[string]any{"type": "confirm", "action_id": cards[0].ActionID, "approved": true})
			done, _ := c.reply()
			lines, got, reason := e.refundedLines(t, order)
			if !slices.Equal(lines, tt.want) || got != want {
				t.Errorf("refunded lines %v, %d; want lines %v, %d (reply %q)", lines, got, tt.want, want, done.Text)
			}
			if tt.reason != "" && reason != tt.reason {
				t.Errorf("reason %q, want %q", reason, tt.reason)
			}
		})
	}
}

// The card of an item refund shows each item with its amount, whichever
// brain proposed it: with an LLM the tools layer prices the lines the
// model named, refuses a line the order does not have, and the refund
// confirmed is the line's amount.
func TestLLMItemRefundCardShowsItemsAndAmounts(t *testing.T) {
	t.Parallel()
	fake, e := newLLMEnv(t, agent.Config{})
	buyer, order := buyerWith(t, "en", demo.DeliveredRecently)
	e.deliveredOrder(t, order, "shop-maple", "USD", []orderLine{{"p-maple-boots", 1, 12900}, {"p-maple-socks", 2, 2400}})
	fake.Push(
		// A line the order does not have is refused by the tool: no card.
		fakellm.Call("request_refund", map[string]any{"order_id": order, "reason": "damaged", "items": []map[string]int{{"line": 9, "quantity": 1}}}),
		fakellm.Call("request_refund", map[string]any{"order_id": order, "reason": "damaged", "items": []map[string]int{{"line": 2, "quantity": 1}}}),
		fakellm.Text("Please confirm the refund of one pack of socks."),
		fakellm.Text("Your refund has been approved."),
	)
	c := e.dial(t, buyer)
	c.hello("", 0)
	msg, cards := c.turn("1", "one pack of the socks from "+order+" came torn, refund just that one please")
	if len(cards) != 1 {
		t.Fatalf("reply %q, cards %+v; want one card", msg.Text, cards)
	}
	if card := cards[0].Summary; !strings.Contains(card, "Merino wool socks (3 pack) ×1: $24.00") || strings.Contains(card, "$177.00") ||
		strings.Contains(card, "Trail hiking boots ×") || !strings.Contains(card, "Trail hiking boots") {
		t.Errorf("card %q: want the socks ×1 with their $24.00, the boots named as not refunded, never the order's total", card)
	}
	c.sendJSON(map[string]any{"type": "confirm", "action_id": cards[0].ActionID, "approved": true})
	c.reply()
	if lines, got, _ := e.refundedLines(t, order); !slices.Equal(lines, []int{2}) || got != 2400 {
		t.Errorf("refunded lines %v, %d; want line 2, 2400", lines, got)
	}
}
