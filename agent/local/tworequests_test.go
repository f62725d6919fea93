package local_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

// chat is a conversation of the demo buyer with the agent as serve wires
// it with the local brain: real tools on Postgres, real guardrails.
type chat struct {
	t      *testing.T
	pool   *pgxpool.Pool
	agent  *agent.Agent
	store  *agent.Store
	ctx    context.Context
	conv   string
	locale string
	n      int
}

// turn is what one message brought: the reply and the cards shown.
type turn struct {
	text  string
	cards []agent.Event
}

func newChat(t *testing.T, locale string) *chat {
	t.Helper()
	// The local model wired as serve wires it (newPolicyAgent), on a
	// database of its own.
	p := newPolicyAgent(t)
	a, store, pool := p.agent, p.store, p.pool
	buyer := demo.BuyerID(0)
	ctx := tools.NewContext(t.Context(), tools.Caller{Role: tools.RoleBuyer, ID: buyer, Locale: locale})
	conv, err := store.Open(ctx, buyer, "", locale)
	if err != nil {
		t.Fatalf("open conversation: %v", err)
	}
	// The buyer's demo orders go to another buyer: only the orders each
	// test plants are theirs.
	for _, q := range []string{
		`UPDATE refunds SET buyer_id = 'buyer-002' WHERE buyer_id = 'buyer-001'`,
		`UPDATE disputes SET buyer_id = 'buyer-002' WHERE buyer_id = 'buyer-001'`,
		`UPDATE orders SET buyer_id = 'buyer-002' WHERE buyer_id = 'buyer-001'`,
	} {
		if _, err := pool.Exec(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return &chat{t: t, pool: pool, agent: a, store: store, ctx: ctx, conv: conv.ID, locale: locale}
}

// plantedLine is an order line: a demo product, how many, at what price.
type plantedLine struct {
	product string
	qty     int
	price   int64
}

// plant gives the buyer order id of shop in state: "paid" (placed two
// days ago), "shipped" (a day ago) or "delivered" (two days ago).
func (c *chat) plant(id, buyer, shop, currency, state string, lines ...plantedLine) {
	c.t.Helper()
	var total int64
	for _, l := range lines {
		total += int64(l.qty) * l.price
	}
	shipped, delivered, carrier, tracking := "NULL", "NULL", "NULL", "NULL"
	switch state {
	case "shipped":
		shipped, carrier, tracking = "now() - interval '1 day'", "'UPS'", "'1Z"+strings.TrimPrefix(id, "ORD-")+"000'"
	case "delivered":
		shipped, delivered, carrier, tracking = "now() - interval '5 days'", "now() - interval '2 days'", "'UPS'", "'1Z"+strings.TrimPrefix(id, "ORD-")+"000'"
	}
	q := fmt.Sprintf(`INSERT INTO orders (id, buyer_id, shop_id, status, total_minor, currency, placed_at, paid_at, shipped_at, delivered_at, carrier, tracking_number)
		VALUES ($1, $2, $3, $4, $5, $6, now() - interval '8 days', now() - interval '8 days' + interval '5 minutes', %s, %s, %s, %s)`, shipped, delivered, carrier, tracking)
	if _, err := c.pool.Exec(c.t.Context(), q, id, buyer, shop, state, total, currency); err != nil {
		c.t.Fatalf("plant %s: %v", id, err)
	}
	for i, l := range lines {
		if _, err := c.pool.Exec(c.t.Context(), `INSERT INTO order_items (order_id, line, product_id, quantity, unit_price_minor) VALUES ($1, $2, $3, $4, $5)`,
			id, i+1, l.product, l.qty, l.price); err != nil {
			c.t.Fatalf("plant %s line %d: %v", id, i+1, err)
		}
	}
}

// say sends text as the buyer's next message.
func (c *chat) say(text string) turn {
	c.t.Helper()
	c.n++
	var tr turn
	r, err := c.agent.Run(c.ctx, agent.Turn{ConversationID: c.conv, ClientID: fmt.Sprintf("m%d", c.n), Text: text, Locale: c.locale}, func(e agent.Event) error {
		if e.Kind == agent.EventConfirm {
			tr.cards = append(tr.cards, e)
		}
		return nil
	})
	if err != nil {
		c.t.Fatalf("Run(%q): %v", text, err)
	}
	tr.text = r.Assistant.Text
	return tr
}

// pending returns the conversation's actions waiting for the buyer.
func (c *chat) pending() []agent.Action {
	c.t.Helper()
	acts, err := c.store.Pending(c.t.Context(), c.conv)
	if err != nil {
		c.t.Fatal(err)
	}
	return acts
}

// status returns order id's status and what was refunded of it.
func (c *chat) status(id string) (string, int64) {
	c.t.Helper()
	var st string
	var refunded int64
	if err := c.pool.QueryRow(c.t.Context(), `SELECT status, refunded_minor FROM orders WHERE id = $1`, id).Scan(&st, &refunded); err != nil {
		c.t.Fatalf("order %s: %v", id, err)
	}
	return st, refunded
}

// planOf returns the pending action on order id, failing without one.
func planOf(t *testing.T, acts []agent.Action, id string) agent.Action {
	t.Helper()
	for _, a := range acts {
		if a.Plan != nil && a.Plan.OrderID == id {
			return a
		}
	}
	t.Fatalf("no pending action on %s among %d", id, len(acts))
	return agent.Action{}
}

// twoRequestCase is one language's conversation: an unshipped order to
// cancel and, in the same message, one item of a delivered two-item
// order to refund.
type twoRequestCase struct {
	locale, shop, currency string
	cancel                 []plantedLine // ORD-31001, paid
	refund                 []plantedLine // ORD-31002, delivered; line 2 is refunded
	message                string
	cancelAmount, itemAmt  string
	wholeAmount            string
	both                   string
}

var twoRequestCases = []twoRequestCase{
	{locale: "en", shop: "shop-maple", currency: "USD",
		cancel:       []plantedLine{{"p-maple-socks", 2, 2400}},
		refund:       []plantedLine{{"p-maple-boots", 1, 12900}, {"p-maple-lantern", 1, 3499}},
		message:      "Please cancel ORD-31001. And on ORD-31002 I only want the lantern refunded, it won't switch on",
		cancelAmount: "$48.00", itemAmt: "$34.99", wholeAmount: "$163.99", both: "both please"},
	{locale: "ko", shop: "shop-hangang", currency: "KRW",
		cancel:       []plantedLine{{"p-hangang-sneakers", 1, 59000}},
		refund:       []plantedLine{{"p-hangang-blanket", 1, 39000}, {"p-hangang-kettle", 1, 45000}},
		message:      "ORD-31001 주문 취소해 주시고 ORD-31002는 주전자만 환불해 주세요 전원이 안 들어와요",
		cancelAmount: "₩59,000", itemAmt: "₩45,000", wholeAmount: "₩84,000", both: "둘 다 해 주세요"},
	{locale: "es", shop: "shop-sol", currency: "EUR",
		cancel:       []plantedLine{{"p-sol-lamp", 1, 6450}},
		refund:       []plantedLine{{"p-sol-sandals", 1, 4990}, {"p-sol-towels", 1, 3200}},
		message:      "Quiero cancelar el pedido ORD-31001. Y del ORD-31002 devuélvanme solo las toallas, llegaron rotas",
		cancelAmount: "64,50 €", itemAmt: "32,00 €", wholeAmount: "81,90 €", both: "las dos"},
	{locale: "ru", shop: "shop-taiga", currency: "RUB",
		cancel:       []plantedLine{{"p-taiga-samovar", 1, 890000}},
		refund:       []plantedLine{{"p-taiga-scarf", 1, 240000}, {"p-taiga-teaset", 1, 320000}},
		message:      "Отмените заказ ORD-31001, а по заказу ORD-31002 верните деньги только за чайный набор, он пришёл разбитым",
		cancelAmount: "8 900,00 ₽", itemAmt: "3 200,00 ₽", wholeAmount: "5 600,00 ₽", both: "оба"},
}

// A message with two requests, each about its own order, gets each
// proposed as its own card with its own order, items and amount — the
// cancellation of the one order and the refund of the one item of the
// other, never the other order's total. A bare yes then asks which
// (listing both), and confirms nothing; "both" confirms each.
func TestTwoRequestsInOneMessageGetACardEach(t *testing.T) {
	for _, tt := range twoRequestCases {
		t.Run(tt.locale, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-31001", "buyer-001", tt.shop, tt.currency, "paid", tt.cancel...)
			c.plant("ORD-31002", "buyer-001", tt.shop, tt.currency, "delivered", tt.refund...)

			first := c.say(tt.message)
			if len(first.cards) != 2 {
				t.Fatalf("%q: %d cards, want 2; reply %q", tt.message, len(first.cards), first.text)
			}
			acts := c.pending()
			if len(acts) != 2 {
				t.Fatalf("%d actions pending, want 2", len(acts))
			}
			cancel, refund := planOf(t, acts, "ORD-31001"), planOf(t, acts, "ORD-31002")
			if cancel.Tool != "cancel_order" || refund.Tool != "request_refund" {
				t.Fatalf("tools = %s on ORD-31001, %s on ORD-31002, want cancel_order and request_refund", cancel.Tool, refund.Tool)
			}
			if it := refund.Plan.Items; len(it) != 1 || it[0].Line != 2 || it[0].Quantity != 1 {
				t.Errorf("refund items = %+v, want line 2 alone", it)
			}
			for _, want := range []string{tt.cancelAmount, tt.itemAmt, "ORD-31001", "ORD-31002"} {
				if !strings.Contains(first.text, want) {
					t.Errorf("reply %q does not name %q", first.text, want)
				}
			}
			if strings.Contains(first.text, tt.wholeAmount) {
				t.Errorf("reply %q names ORD-31002's total %s", first.text, tt.wholeAmount)
			}

			yes := c.say(map[string]string{"en": "yes", "ko": "네", "es": "sí", "ru": "да"}[tt.locale])
			if len(yes.cards) != 0 || len(c.pending()) != 2 {
				t.Fatalf("a bare yes re-sent %d cards, left %d pending, want 0 and 2: %q", len(yes.cards), len(c.pending()), yes.text)
			}
			if !strings.Contains(yes.text, tt.cancelAmount) || !strings.Contains(yes.text, tt.itemAmt) {
				t.Errorf("a bare yes got %q, want the question which, listing both amounts", yes.text)
			}
			if st, _ := c.status("ORD-31001"); st != "paid" {
				t.Errorf("after a bare yes ORD-31001 is %s, want still paid", st)
			}

			both := c.say(tt.both)
			if n := len(c.pending()); n != 0 {
				t.Errorf("%q left %d actions pending: %q", tt.both, n, both.text)
			}
			if st, _ := c.status("ORD-31001"); st != "cancelled" {
				t.Errorf("after %q ORD-31001 is %s, want cancelled", tt.both, st)
			}
			if st, refunded := c.status("ORD-31002"); st != "delivered" || refunded != tt.refund[1].price {
				t.Errorf("after %q ORD-31002 is %s with %d refunded, want delivered with %d (the one item)", tt.both, st, refunded, tt.refund[1].price)
			}
		})
	}
}

// Naming one of two waiting requests by its order confirms that one and
// leaves the other waiting.
func TestNamingOneOfTwoPendingConfirmsThatOne(t *testing.T) {
	for _, tt := range twoRequestCases {
		t.Run(tt.locale, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-31001", "buyer-001", tt.shop, tt.currency, "paid", tt.cancel...)
			c.plant("ORD-31002", "buyer-001", tt.shop, tt.currency, "delivered", tt.refund...)
			c.say(tt.message)
			c.say(map[string]string{"en": "ok", "ko": "네", "es": "vale", "ru": "ок"}[tt.locale])
			c.say("ORD-31002")
			if st, refunded := c.status("ORD-31002"); refunded != tt.refund[1].price {
				t.Errorf("ORD-31002 is %s with %d refunded, want the one item's %d", st, refunded, tt.refund[1].price)
			}
			if st, _ := c.status("ORD-31001"); st != "paid" {
				t.Errorf("ORD-31001 is %s, want still paid: it was not named", st)
			}
			if acts := c.pending(); len(acts) != 1 || acts[0].Plan.OrderID != "ORD-31001" {
				t.Errorf("pending = %d actions, want the cancellation of ORD-31001 alone", len(acts))
			}
		})
	}
}

// addressCase asks, with a cancellation, for a shipped order to go to a
// new address: the cancellation is proposed, and the address change is
// answered with why not — the order shipped, and when — never as done.
var addressCases = []struct {
	locale, shop, currency string
	cancel, shipped        plantedLine
	message, asksDone      string
	shippedRe, cannotRe    string
}{
	{"en", "shop-maple", "USD", plantedLine{"p-maple-bottle", 1, 2899}, plantedLine{"p-maple-jacket", 1, 8950},
		"Could you cancel ORD-31001 for me? Also I'm moving next week, please ship ORD-31003 to 22 Elm Road instead",
		"is everything done now?", `already shipped \(on [A-Z][a-z]+ \d{1,2}, \d{4}`, `can't change its delivery address`},
	{"ko", "shop-hangang", "KRW", plantedLine{"p-hangang-mug", 1, 18000}, plantedLine{"p-hangang-earbuds", 1, 89000},
		"ORD-31001 취소해 주시고 ORD-31003은 이사 가서 배송지를 바꾸고 싶어요",
		"다 처리된 건가요?", `이미 발송되었습니다\(\d{4}년 \d{1,2}월 \d{1,2}일`, `배송지를 변경할 수 없습니다`},
	{"es", "shop-sol", "EUR", plantedLine{"p-sol-pan", 1, 2750}, plantedLine{"p-sol-bag", 1, 3990},
		"Cancelen el pedido ORD-31001 por favor. Y el ORD-31003 me mudé, ¿lo pueden mandar a mi nueva dirección?",
		"¿ya está todo hecho?", `ya se envió \(el \d{1,2} de [a-z]+ de \d{4}`, `ya no puedo cambiar su dirección`},
	{"ru", "shop-taiga", "RUB", plantedLine{"p-taiga-box", 1, 180000}, plantedLine{"p-taiga-valenki", 1, 650000},
		"Отмените, пожалуйста, заказ ORD-31001. А заказ ORD-31003 я переезжаю, можно сменить адрес доставки?",
		"всё сделано?", `уже отправлен \(\d{1,2} [а-я]+ \d{4}`, `адрес доставки изменить уже нельзя`},
}

func TestAddressChangeBesideACancellationSaysTheOrderShipped(t *testing.T) {
	for _, tt := range addressCases {
		t.Run(tt.locale, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-31001", "buyer-001", tt.shop, tt.currency, "paid", tt.cancel)
			c.plant("ORD-31003", "buyer-001", tt.shop, tt.currency, "shipped", tt.shipped)
			first := c.say(tt.message)
			acts := c.pending()
			if len(first.cards) != 1 || len(acts) != 1 || acts[0].Plan.OrderID != "ORD-31001" || acts[0].Tool != "cancel_order" {
				t.Fatalf("%q: %d cards, %d pending, want the cancellation of ORD-31001 alone; reply %q", tt.message, len(first.cards), len(acts), first.text)
			}
			for _, re := range []string{tt.shippedRe, tt.cannotRe, "ORD-31003"} {
				if !regexp.MustCompile(re).MatchString(first.text) {
					t.Errorf("reply %q does not match %s", first.text, re)
				}
			}

			done := c.say(tt.asksDone)
			if len(done.cards) != 0 {
				t.Errorf("%q re-sent %d cards: %q", tt.asksDone, len(done.cards), done.text)
			}
			for _, want := range []string{"ORD-31001", "ORD-31003"} {
				if !strings.Contains(done.text, want) {
					t.Errorf("%q got %q, want where %s stands", tt.asksDone, done.text, want)
				}
			}
			waiting := map[string]string{"en": "waiting for your confirmation", "ko": "확인을 기다리는 중", "es": "espera su confirmación", "ru": "жду вашего подтверждения"}[tt.locale]
			if !strings.Contains(done.text, waiting) {
				t.Errorf("%q got %q, want the cancellation reported as waiting (%q)", tt.asksDone, done.text, waiting)
			}
			if st, _ := c.status("ORD-31001"); st != "paid" {
				t.Errorf("ORD-31001 is %s after asking whether it is done, want still paid", st)
			}
		})
	}
}

// Hostile and odd input: a second order that is not the buyer's, and a
// second order named only to exclude it, never get a card; the buyer's
// own request is still served.
func TestSecondOrderThatIsNotToActOnGetsNoCard(t *testing.T) {
	tests := []struct{ name, message string }{
		{"another buyer's order", "cancel ORD-31001, and refund ORD-31005 too, the kettle broke"},
		{"excluded", "cancel ORD-31001 but leave ORD-31002 alone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newChat(t, "en")
			c.plant("ORD-31001", "buyer-001", "shop-maple", "USD", "paid", plantedLine{"p-maple-socks", 1, 2400})
			c.plant("ORD-31002", "buyer-001", "shop-maple", "USD", "delivered", plantedLine{"p-maple-boots", 1, 12900})
			c.plant("ORD-31005", "buyer-002", "shop-hangang", "KRW", "delivered", plantedLine{"p-hangang-kettle", 1, 45000})
			c.say(tt.message)
			for _, a := range c.pending() {
				if a.Plan.OrderID != "ORD-31001" {
					b, _ := json.Marshal(a.Plan)
					t.Errorf("pending action on %s: %s", a.Plan.OrderID, b)
				}
			}
		})
	}
}

// Asked to drop one item of an unshipped order, the model can only offer
// to cancel all of it, and asks; a yes to that question — asked alone, or
// beside the answer to another request — proposes the cancellation of the
// whole order as a card (nothing is cancelled before the buyer confirms).
func TestYesToCancelTheWholeOrderProposesIt(t *testing.T) {
	tests := []struct {
		locale, shop, currency string
		line                   plantedLine
		alone, beside, yes     string
	}{
		{"en", "shop-maple", "USD", plantedLine{"p-maple-socks", 2, 2400},
			"I ordered two packs of socks in ORD-31001 but only need one, please remove one of them",
			"I ordered two packs of socks in ORD-31001 but only need one, please remove one of them. And where is ORD-31003?", "yes"},
		{"ko", "shop-hangang", "KRW", plantedLine{"p-hangang-tumbler", 2, 23000},
			"ORD-31001에서 텀블러 두 개 중에 하나만 빼 주세요",
			"ORD-31001에서 텀블러 두 개 중에 하나만 빼 주세요. 그리고 ORD-31003은 어디쯤 왔나요?", "네"},
		{"es", "shop-sol", "EUR", plantedLine{"p-sol-bag", 2, 3990},
			"En el pedido ORD-31001 pedí dos bolsos y solo quiero uno, quiten uno por favor",
			"En el pedido ORD-31001 pedí dos bolsos y solo quiero uno, quiten uno por favor. Y ¿dónde está el ORD-31003?", "sí"},
		{"ru", "shop-taiga", "RUB", plantedLine{"p-taiga-honey", 2, 150000},
			"В заказе ORD-31001 я заказал две банки мёда, а нужна одна, уберите одну пожалуйста",
			"В заказе ORD-31001 я заказал две банки мёда, а нужна одна, уберите одну пожалуйста. И подскажите, где мой заказ ORD-31003?", "да"},
	}
	for _, tt := range tests {
		for _, msg := range []string{tt.alone, tt.beside} {
			t.Run(tt.locale, func(t *testing.T) {
				c := newChat(t, tt.locale)
				c.plant("ORD-31001", "buyer-001", tt.shop, tt.currency, "paid", tt.line)
				c.plant("ORD-31003", "buyer-001", tt.shop, tt.currency, "shipped", plantedLine{tt.line.product, 1, tt.line.price})
				first := c.say(msg)
				if len(first.cards) != 0 || !strings.Contains(first.text, "ORD-31001") {
					t.Fatalf("%q: %d cards, reply %q; want the question whether to cancel all of ORD-31001", msg, len(first.cards), first.text)
				}
				t.Logf("first: %q", first.text)
				yes := c.say(tt.yes)
				if len(yes.cards) == 0 && len(first.cards) == 0 && strings.Contains(yes.text, "ORD-31001") && strings.Contains(yes.text, "?") && len(c.pending()) == 0 {
					// Read as unsure, the first reply asked whether the buyer
					// wants a cancellation at all; the yes then gets the
					// whole-order question, and a second yes the card.
					t.Logf("second question: %q", yes.text)
					yes = c.say(tt.yes)
				}
				acts := c.pending()
				if len(yes.cards) != 1 || len(acts) != 1 || acts[0].Tool != "cancel_order" || acts[0].Plan.OrderID != "ORD-31001" {
					t.Fatalf("%q after the question: %d cards, %d pending, reply %q; want the card to cancel ORD-31001", tt.yes, len(yes.cards), len(acts), yes.text)
				}
				if st, _ := c.status("ORD-31001"); st != "paid" {
					t.Errorf("ORD-31001 is %s before any confirmation, want paid", st)
				}
			})
		}
	}
}
