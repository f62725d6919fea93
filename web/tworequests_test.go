package web_test

import (
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/internal/fakellm"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/tools/l10n"
)

// Two requests in one message, with the LLM brain, over the chat
// websocket: the model asks for two consequential calls in one step, and
// each becomes its own card with its own order and amount. With both
// waiting, a typed yes asks which (the model is not asked: a guess here
// moves money), "both" confirms each, and "is everything done?" is
// answered from the record of the actions.
func TestLLMTwoCallsInOneStepGetACardEach(t *testing.T) {
	t.Parallel()
	fake, e := newLLMEnv(t, agent.Config{})
	buyer, delivered := buyerWith(t, "en", demo.DeliveredRecently)
	e.deliveredOrder(t, delivered, "shop-maple", "USD", []orderLine{{"p-maple-boots", 1, 12900}, {"p-maple-bottle", 1, 2899}})
	_, paid := buyerWith(t, "en", demo.Paid)
	if _, err := e.pool.Exec(t.Context(), `UPDATE orders SET buyer_id = $1 WHERE id = $2`, buyer, paid); err != nil {
		t.Fatal(err)
	}
	var paidTotal int64
	var paidCurrency string
	if err := e.pool.QueryRow(t.Context(), `SELECT total_minor, currency FROM orders WHERE id = $1`, paid).Scan(&paidTotal, &paidCurrency); err != nil {
		t.Fatal(err)
	}
	fake.Push(
		fakellm.Reply{ToolCalls: []fakellm.ToolCall{
			{Name: "cancel_order", Arguments: `{"order_id":"` + paid + `"}`},
			{Name: "request_refund", Arguments: `{"order_id":"` + delivered + `","reason":"damaged","items":[{"line":2,"quantity":1}]}`},
		}},
		fakellm.Text("I have prepared both for you to confirm."),
	)
	c := e.dial(t, buyer)
	c.hello("", 0)
	msg, cards := c.turn("1", "cancel "+paid+" and refund the bottle from "+delivered+", it arrived dented")
	if len(cards) != 2 {
		t.Fatalf("reply %q, cards %+v; want two cards", msg.Text, cards)
	}
	byOrder := map[string]frame{}
	for _, card := range cards {
		for _, id := range []string{paid, delivered} {
			if strings.Contains(card.Summary, id) {
				byOrder[id] = card
			}
		}
	}
	if s := byOrder[delivered].Summary; !strings.Contains(s, "$28.99") || strings.Contains(s, "$157.99") {
		t.Errorf("refund card %q: want the bottle's $28.99, never the order's $157.99", s)
	}
	if s := byOrder[paid].Summary; !strings.Contains(s, l10n.Money("en", paidTotal, paidCurrency)) {
		t.Errorf("cancel card %q: want the order's %s", s, l10n.Money("en", paidTotal, paidCurrency))
	}
	asked := len(fake.Requests())

	which, again := c.turn("2", "yes")
	if len(again) != 0 || !strings.Contains(which.Text, paid) || !strings.Contains(which.Text, delivered) {
		t.Errorf("a bare yes: reply %q with %d cards; want the question which, naming both orders, and no card", which.Text, len(again))
	}
	if n := e.count(t, `SELECT count(*) FROM pending_actions WHERE buyer_id = $1 AND status = 'pending'`, buyer); n != 2 {
		t.Errorf("after a bare yes %d actions pending, want 2", n)
	}
	if len(fake.Requests()) != asked {
		t.Errorf("the model was asked about a bare yes with two actions waiting")
	}

	fake.Push(fakellm.Text("The order is cancelled."), fakellm.Text("The refund is on its way."))
	c.turn("3", "both")
	var status string
	if err := e.pool.QueryRow(t.Context(), `SELECT status FROM orders WHERE id = $1`, paid).Scan(&status); err != nil || status != "cancelled" {
		t.Errorf("%s is %s after both, want cancelled (%v)", paid, status, err)
	}
	if n, got := e.refunds(t, delivered); n != 1 || got != 2899 {
		t.Errorf("%s: %d refunds of %d, want one of 2899 (the bottle)", delivered, n, got)
	}

	asked = len(fake.Requests())
	done, _ := c.turn("4", "is everything done?")
	if strings.Count(done.Text, "Done:") != 2 || len(fake.Requests()) != asked {
		t.Errorf("is everything done: %q (model asked %d times); want both reported done from the record", done.Text, len(fake.Requests())-asked)
	}
}
