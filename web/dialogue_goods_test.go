package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/tools/l10n"
)

// Dialogue state in the buyer's own words, over the chat websocket with
// the local model, the real tools and Postgres, in the four languages.

// A buyer who, after their order was looked up, names only the goods they
// ordered ("the blanket one", "the lamp") means that order again: the reply
// names it, never "I didn't understand", nor a question about refunds.
func TestGoodsNamedAfterALookupMeanThatOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// A buyer with one order on its way, its goods rewritten so the
	// follow-up names them.
	one := buyersWhere(t, 4, func(b string) bool { return len(activeOrders(b)) == 1 })
	tests := []struct {
		locale, shop, currency, product string
		price                           int64
		ask, goods                      string
	}{
		{"en", "shop-maple", "USD", "p-maple-jacket", 8950, "any idea when my parcel turns up?", "the raincoat i bought last week"},
		{"ko", "shop-hangang", "KRW", "p-hangang-kettle", 45000, "택배 언제쯤 오나요?", "전기 주전자 산 거요"},
		{"es", "shop-sol", "EUR", "p-sol-lamp", 6450, "¿sabéis algo de mi paquete?", "la lámpara de cerámica"},
		{"ru", "shop-taiga", "RUB", "p-taiga-box", 180000, "когда приедет моя посылка?", "шкатулка из бересты"},
	}
	for i, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			buyer := one[i]
			order := activeOrders(buyer)[0]
			e.rewriteLines(t, order, tt.shop, tt.currency, tt.product, tt.price)
			c := e.dial(t, buyer)
			c.hello("", 0)
			msg, _ := c.turn("1", tt.ask)
			if !strings.Contains(msg.Text, order) {
				t.Fatalf("reply %q does not name the one order %s", msg.Text, order)
			}
			msg, cards := c.turn("2", tt.goods)
			if !strings.Contains(msg.Text, order) || len(cards) > 0 {
				t.Errorf("%q after the lookup: reply %q (cards %+v), want %s again", tt.goods, msg.Text, cards, order)
			}
		})
	}
}

// "Stop, don't do anything" while a refund card waits calls it off, and
// the reply says the refund can still be asked for later, until the last
// day of its window (delivery + 30 days), written the buyer's way.
func TestStoppedRefundSaysUntilWhenItCanBeAsked(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	says := map[string][2]string{
		"en": {"please refund %s, the strap snapped", "hold on, don't do anything yet, my brother might fix it"},
		"ko": {"%s 환불해 주세요. 끈이 끊어졌어요", "잠깐만요, 아무것도 하지 마세요. 동생이 고쳐 본대요"},
		"es": {"quiero el reembolso del %s, se rompió el asa", "para para, no hagas nada aún, igual lo arregla mi hermano"},
		"ru": {"оформите возврат по %s, ручка сломана", "подождите, ничего не делайте пока, брат попробует починить"},
	}
	for _, locale := range []string{"en", "ko", "es", "ru"} {
		t.Run(locale, func(t *testing.T) {
			buyer, order := buyerWith(t, locale, demo.DeliveredRecently)
			var delivered time.Time
			if err := e.pool.QueryRow(t.Context(), `SELECT delivered_at FROM orders WHERE id = $1`, order).Scan(&delivered); err != nil {
				t.Fatal(err)
			}
			n, _ := e.refunds(t, order)
			c := e.dial(t, buyer)
			ready := c.hello("", 0)
			if _, cards := c.turn("1", fmt.Sprintf(says[locale][0], order)); len(cards) != 1 {
				t.Fatalf("cards %+v, want one refund card", cards)
			}
			msg, cards := c.turn("2", says[locale][1])
			until := l10n.Date(locale, delivered.Add(30*24*time.Hour))
			if len(cards) > 0 || !strings.Contains(msg.Text, order) || !strings.Contains(msg.Text, until) {
				t.Errorf("%q: reply %q (cards %+v), want the refund of %s called off and %s as the last day to ask", says[locale][1], msg.Text, cards, order, until)
			}
			if d := e.count(t, `SELECT count(*) FROM pending_actions WHERE conversation_id = $1 AND status = 'pending'`, ready.ConversationID); d != 0 {
				t.Errorf("%d actions still pending", d)
			}
			if got, _ := e.refunds(t, order); got != n {
				t.Errorf("a refund of %s ran", order)
			}
		})
	}
}

// rewriteLines makes order one piece of product at price, sold by shop in
// currency, its state left as it is.
func (e *env) rewriteLines(t *testing.T, order, shop, currency, product string, price int64) {
	t.Helper()
	ctx := t.Context()
	if _, err := e.pool.Exec(ctx, `DELETE FROM order_items WHERE order_id = $1`, order); err != nil {
		t.Fatalf("set up %s: %v", order, err)
	}
	if _, err := e.pool.Exec(ctx, `UPDATE orders SET shop_id = $2, currency = $3, total_minor = $4 WHERE id = $1`, order, shop, currency, price); err != nil {
		t.Fatalf("set up %s: %v", order, err)
	}
	if _, err := e.pool.Exec(ctx, `INSERT INTO order_items (order_id, line, product_id, quantity, unit_price_minor) VALUES ($1, 1, $2, 1, $3)`, order, product, price); err != nil {
		t.Fatalf("set up %s: %v", order, err)
	}
}
