package local_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

// buyerChat is one buyer's conversation with the agent as serve wires it
// (policyAgent): real tools on Postgres, the demo policies, guardrails.
type buyerChat struct {
	p      policyAgent
	t      *testing.T
	buyer  string
	locale string
	conv   string
	n      int
}

func (p policyAgent) buyerChat(t *testing.T, buyer, locale string) *buyerChat {
	t.Helper()
	ctx := tools.NewContext(t.Context(), tools.Caller{Role: tools.RoleBuyer, ID: buyer, Locale: locale})
	conv, err := p.store.Open(ctx, buyer, "", locale)
	if err != nil {
		t.Fatalf("open conversation: %v", err)
	}
	return &buyerChat{p: p, t: t, buyer: buyer, locale: locale, conv: conv.ID}
}

// chatTurn is what one message of the buyer brought: the reply, and the tools
// it called and the cards it showed, by tool name.
type chatTurn struct {
	reply string
	tools []string
	cards []string
}

func (c *buyerChat) say(text string) chatTurn {
	c.t.Helper()
	ctx := tools.NewContext(c.t.Context(), tools.Caller{Role: tools.RoleBuyer, ID: c.buyer, Locale: c.locale})
	c.n++
	var tr chatTurn
	r, err := c.p.agent.Run(ctx, agent.Turn{ConversationID: c.conv, ClientID: fmt.Sprintf("m%d", c.n), Text: text, Locale: c.locale}, func(e agent.Event) error {
		switch e.Kind {
		case agent.EventTool:
			if e.Status == "started" {
				tr.tools = append(tr.tools, e.Tool)
			}
		case agent.EventConfirm:
			tr.cards = append(tr.cards, e.Tool)
		}
		return nil
	})
	if err != nil {
		c.t.Fatalf("Run(%q): %v", text, err)
	}
	tr.reply = r.Assistant.Text
	return tr
}

// order gives the buyerChat's buyer order id from shop in status with the
// products' lines (product id, quantity, unit price in minor units),
// placed days ago; shipped and delivered orders shipped days-1 ago and
// were delivered a day later.
func (c *buyerChat) order(id, shop, currency, status string, days int, lines ...any) {
	c.t.Helper()
	var total int64
	var values []string
	for i := 0; i+2 < len(lines); i += 3 {
		q, price := lines[i+1].(int), lines[i+2].(int)
		total += int64(q * price)
		values = append(values, fmt.Sprintf("('%s', %d, '%s', %d, %d)", id, i/3+1, lines[i].(string), q, price))
	}
	shipped, delivered := "NULL", "NULL"
	if status == "shipped" || status == "delivered" {
		shipped = fmt.Sprintf("now() - interval '%d days' + interval '1 day'", days)
	}
	if status == "delivered" {
		delivered = fmt.Sprintf("now() - interval '%d days' + interval '2 days'", days)
	}
	sql := fmt.Sprintf(`
		DELETE FROM refunds WHERE order_id = '%[1]s';
		DELETE FROM disputes WHERE order_id = '%[1]s';
		DELETE FROM order_items WHERE order_id = '%[1]s';
		DELETE FROM orders WHERE id = '%[1]s';
		INSERT INTO orders (id, buyer_id, shop_id, status, total_minor, currency, placed_at, paid_at, shipped_at, delivered_at, carrier, tracking_number)
		VALUES ('%[1]s', '%[2]s', '%[3]s', '%[4]s', %[5]d, '%[6]s', now() - interval '%[7]d days', now() - interval '%[7]d days' + interval '10 minutes', %[8]s, %[9]s,
			CASE WHEN %[8]s IS NULL THEN NULL ELSE 'UPS' END, CASE WHEN %[8]s IS NULL THEN NULL ELSE '1Z000000%[10]s' END);
		INSERT INTO order_items (order_id, line, product_id, quantity, unit_price_minor) VALUES %[11]s;`,
		id, c.buyer, shop, status, total, currency, days, shipped, delivered, strings.TrimPrefix(id, "ORD-"), strings.Join(values, ", "))
	if _, err := c.p.pool.Exec(c.t.Context(), sql); err != nil {
		c.t.Fatalf("plant order %s: %v", id, err)
	}
}

// cancelled reports whether order id was cancelled.
func (c *buyerChat) cancelled(id string) bool {
	c.t.Helper()
	var status string
	if err := c.p.pool.QueryRow(c.t.Context(), `SELECT status FROM orders WHERE id = $1`, id).Scan(&status); err != nil {
		c.t.Fatalf("read order %s: %v", id, err)
	}
	return status == "cancelled"
}

// A question whether an order can be cancelled is answered for the state
// it names: yes before it ships (and the full amount comes back), no
// after — from that state's own subsection of the refunds policy, in
// every language. "Not shipped yet" names a state; it does not ask
// whether a time limit has passed, and it holds the word "shipped" that
// the other subsection's heading has.
func TestCancelRuleFollowsTheStateAsked(t *testing.T) {
	p := newPolicyAgent(t)
	questions := []struct {
		locale, text string
		want         []string
		not          string
	}{
		{"en", "quick question - if a seller hasn't sent my stuff out yet, am I able to cancel?", []string{"Yes", "full amount"}, "no longer be cancelled"},
		{"en", "can you still cancel an order once it's already been shipped", []string{"no longer be cancelled"}, "Yes"},
		{"ko", "판매자가 아직 발송 안 한 주문은 취소할 수 있어요?", []string{"네", "전액"}, "취소할 수 없습니다"},
		{"ko", "이미 발송된 주문도 취소되나요?", []string{"취소할 수 없습니다"}, "네,"},
		{"es", "¿Se puede anular la compra si la tienda aún no la ha mandado? Me arrepentí", []string{"Sí", "importe total"}, "ya no se puede cancelar"},
		{"es", "¿y un pedido que ya fue enviado se puede cancelar?", []string{"ya no se puede cancelar"}, "Sí"},
		{"ru", "Скажите, а заказ, который продавец пока не отправил, отменить можно?", []string{"Да", "вся оплаченная сумма"}, "отменить нельзя"},
		{"ru", "можно ли отменить заказ после отправки?", []string{"отменить нельзя"}, "Да"},
	}
	for _, q := range questions {
		t.Run(q.locale+"/"+q.text, func(t *testing.T) {
			reply, searched := p.ask(t, q.locale, q.text)
			if !searched {
				t.Fatalf("%q did not reach search_policy; reply %q", q.text, reply)
			}
			for _, w := range q.want {
				if !strings.Contains(reply, w) {
					t.Errorf("reply to %q lacks %q:\n%s", q.text, w, reply)
				}
			}
			if strings.Contains(reply, q.not) {
				t.Errorf("reply to %q has the other state's rule %q:\n%s", q.text, q.not, reply)
			}
		})
	}
}

// A buyer who, after asking the rule, asks to cancel a named order gets
// the cancellation's card for that order and never for their other one,
// however the message reads: a plain "yes, cancel it" after the order was
// named, a request naming the order and the goods it holds, a request
// the classifier is unsure of. Asked then how much comes back and when,
// the reply gives the card's amount and that it is refunded automatically
// on cancelling, while the card still waits; nothing is cancelled until
// the buyer confirms.
func TestCancelRequestAfterTheRule(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency string
		product                string
		price                  int
		other                  string
		msgs                   []string
		amount                 string
		money                  string
		timing                 string
	}{
		{"en", "shop-maple", "USD", "p-maple-bottle", 2899, "p-maple-socks",
			[]string{"so orders can be cancelled before they ship, right?", "ok well the bottle one is ORD-19001, it's a duplicate", "right, cancel it then"},
			"$28.99", "how much do I get back and when?", "automatically"},
		{"ko", "shop-hangang", "KRW", "p-hangang-kettle", 45000, "p-hangang-blanket",
			[]string{"발송 전이면 주문 취소 가능한가요?", "그럼 ORD-19001 전기 주전자 주문 취소 부탁드려요. ORD-19002 담요는 잘 받았어요."},
			"₩45,000", "돈은 얼마나 돌려받나요?", "자동"},
		{"es", "shop-sol", "EUR", "p-sol-lamp", 6450, "p-sol-towels",
			[]string{"¿un pedido que no se ha enviado todavía se puede cancelar?", "pues cancélenme el ORD-19001 de la lámpara porfa, el otro ya lo tengo"},
			"64,50 €", "¿y cuándo me devuelven la plata?", "automáticamente"},
		{"ru", "shop-taiga", "RUB", "p-taiga-teaset", 320000, "p-taiga-box",
			[]string{"Можно ли отменить заказ до отправки?", "Тогда отмените, пожалуйста, заказ ORD-19001 с чайным набором. Заказ ORD-19002 со шкатулкой пришёл, всё хорошо."},
			"3 200", "А деньги когда вернутся и сколько?", "автоматически"},
	}
	for i, tt := range cases {
		t.Run(tt.locale, func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(10+i), tt.locale)
			c.order("ORD-19001", tt.shop, tt.currency, "paid", 1, tt.product, 1, tt.price)
			c.order("ORD-19002", tt.shop, tt.currency, "delivered", 20, tt.other, 1, 1000)
			var last chatTurn
			for _, m := range tt.msgs {
				last = c.say(m)
			}
			if len(last.cards) != 1 || last.cards[0] != "cancel_order" || !strings.Contains(last.reply, "ORD-19001") || !strings.Contains(last.reply, tt.amount) {
				t.Fatalf("%q: reply %q, cards %v; want the cancellation of ORD-19001 (%s) to confirm", tt.msgs[len(tt.msgs)-1], last.reply, last.cards, tt.amount)
			}
			money := c.say(tt.money)
			for _, w := range []string{tt.amount, "ORD-19001"} {
				if !strings.Contains(money.reply, w) {
					t.Errorf("%q: reply lacks %q:\n%s", tt.money, w, money.reply)
				}
			}
			if len(money.cards) > 0 {
				t.Errorf("%q brought another card: %v", tt.money, money.cards)
			}
			if c.cancelled("ORD-19001") || c.cancelled("ORD-19002") {
				t.Errorf("an order was cancelled without the buyer's yes")
			}
		})
	}
}

// "Can I cancel it and get my money back?" about the order the
// conversation is on is answered for that order: not shipped yet, so it
// can be cancelled for its whole amount, with the policy's rule cited and
// the cancellation prepared as a card; shipped, so it cannot, and no card.
// Nothing is cancelled until the buyer confirms. In the four languages.
func TestOwnOrderCancelQuestionAppliesTheRule(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, product string
		price                           int
		lookup, ask                     string
		amount, rule                    string
	}{
		{"en", "shop-maple", "USD", "p-maple-boots", 12900, "hi, where is ORD-19001 at?", "and if it's too late for the trip, could I still call it off and get the money back?", "$129.00", "Paid orders that have not shipped"},
		{"ko", "shop-hangang", "KRW", "p-hangang-earbuds", 89000, "ORD-19001 주문 언제 발송돼요?", "생일 전에 못 받으면 취소하고 환불받을 수 있나요?", "₩89,000", "결제 완료 후 발송 전인 주문"},
		{"es", "shop-sol", "EUR", "p-sol-bag", 3990, "¿cómo va mi pedido ORD-19001?", "si no me llega antes del viaje, ¿lo puedo cancelar y que me devuelvan el dinero?", "39,90 €", "Pedidos pagados que aún no se han enviado"},
		{"ru", "shop-taiga", "RUB", "p-taiga-samovar", 890000, "Где мой заказ ORD-19001?", "а если не успеет к празднику, можно будет его отменить и вернуть деньги?", "8 900", "Оплаченные, но ещё не отправленные заказы"},
	}
	for i, tt := range cases {
		t.Run(tt.locale+"/paid", func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(20+i), tt.locale)
			c.order("ORD-19001", tt.shop, tt.currency, "paid", 2, tt.product, 1, tt.price)
			c.say(tt.lookup)
			got := c.say(tt.ask)
			for _, w := range []string{"ORD-19001", tt.amount, tt.rule} {
				if !strings.Contains(got.reply, w) {
					t.Errorf("%q: reply lacks %q:\n%s", tt.ask, w, got.reply)
				}
			}
			if len(got.cards) != 1 || got.cards[0] != "cancel_order" {
				t.Errorf("%q: cards %v, want the cancellation of ORD-19001 prepared", tt.ask, got.cards)
			}
			if c.cancelled("ORD-19001") {
				t.Errorf("ORD-19001 was cancelled without the buyer's yes")
			}
		})
		t.Run(tt.locale+"/shipped", func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(30+i), tt.locale)
			c.order("ORD-19003", tt.shop, tt.currency, "shipped", 3, tt.product, 1, tt.price)
			c.say(strings.ReplaceAll(tt.lookup, "19001", "19003"))
			got := c.say(tt.ask)
			if !strings.Contains(got.reply, "ORD-19003") || len(got.cards) > 0 {
				t.Errorf("%q about a shipped order: reply %q, cards %v; want the order named and no card", tt.ask, got.reply, got.cards)
			}
			if c.cancelled("ORD-19003") {
				t.Errorf("ORD-19003 was cancelled")
			}
		})
	}
}

// A cancellation asked for in so many words is still only a card for the
// buyer's own order: another buyer's order gets no card and stays as it
// is, and a want negated or supposed ("don't cancel it", "if I cancel
// it …") proposes nothing.
func TestCancelWantsStayOnTheBuyersOwnOrders(t *testing.T) {
	p := newPolicyAgent(t)
	owner := p.buyerChat(t, demo.BuyerID(40), "en")
	owner.order("ORD-19005", "shop-maple", "USD", "paid", 1, "p-maple-lantern", 1, 3499)

	c := p.buyerChat(t, demo.BuyerID(41), "en")
	c.order("ORD-19006", "shop-maple", "USD", "paid", 1, "p-maple-bottle", 1, 2899)
	for _, tt := range []struct{ locale, text string }{
		{"en", "yeah cancel it, ORD-19005"},
		{"es", "cancelen el ORD-19005 porfa"},
		{"ru", "прошу отменить заказ ORD-19005"},
	} {
		c.locale = tt.locale
		got := c.say(tt.text)
		if len(got.cards) > 0 || strings.Contains(got.reply, "Rechargeable camp lantern") {
			t.Errorf("%q (another buyer's order): reply %q, cards %v; want no card and nothing of that order", tt.text, got.reply, got.cards)
		}
	}
	c.locale = "en"
	c.say("where is ORD-19006?")
	for _, text := range []string{"don't cancel it", "if I cancel it, do I pay a fee?"} {
		if got := c.say(text); len(got.cards) > 0 {
			t.Errorf("%q: cards %v, want none", text, got.cards)
		}
	}
	if owner.cancelled("ORD-19005") || c.cancelled("ORD-19006") {
		t.Errorf("an order was cancelled without its buyer's yes")
	}
}
