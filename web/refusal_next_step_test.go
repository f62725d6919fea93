package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/internal/fakellm"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/tools/l10n"
)

// A refusal with the LLM answering: the tools' refusal, not the model,
// decides the next step. The scripted model asks for a refund the policy
// refuses and then answers without a date or a citation; the buyer still
// gets the rule, its date and the prepared alternative's card, and the
// model was shown the refusal's facts.

// scriptedLLMEnv is an env whose brain is the scripted fake LLM, with the local
// model behind it.
func scriptedLLMEnv(t *testing.T) (*env, *fakellm.Server) {
	t.Helper()
	fake, e := newLLMEnv(t, agent.Config{})
	return e, fake
}

// orderDate reads one of an order's dates.
func (e *env) orderDate(t *testing.T, column, order string) time.Time {
	t.Helper()
	var at time.Time
	if err := e.pool.QueryRow(t.Context(), `SELECT `+column+` FROM orders WHERE id = $1`, order).Scan(&at); err != nil {
		t.Fatal(err)
	}
	return at
}

// toolMessages returns the tool results of the fake's requests.
func toolMessages(fake *fakellm.Server) []string {
	var out []string
	for _, r := range fake.Requests() {
		for _, m := range r.Messages {
			if m.Role == "tool" {
				out = append(out, m.Content)
			}
		}
	}
	return out
}

func TestRefusalWithTheLLMStatesTheRuleAndPreparesTheAlternative(t *testing.T) {
	t.Parallel()
	for _, locale := range []string{"en", "ko", "es", "ru"} {
		t.Run(locale, func(t *testing.T) {
			e, fake := scriptedLLMEnv(t)
			buyer, order := buyerWith(t, locale, demo.NonRefundable)
			until := e.orderDate(t, "delivered_at", order).Add(tools.DisputeWindow)
			fake.Push(
				fakellm.Call("request_refund", map[string]any{"order_id": order, "reason": "damaged"}),
				// The model says no and nothing else: no rule, no date.
				fakellm.Text("Sorry."),
			)
			c := e.dial(t, buyer)
			c.hello("", 0)
			msg, cards := c.turn("1", "refund "+order+", it arrived broken")
			for _, want := range []string{l10n.Date(locale, until), "[refunds §Non-refundable items]"} {
				if !strings.Contains(msg.Text, want) {
					t.Errorf("reply %q lacks %q", msg.Text, want)
				}
			}
			if len(cards) != 1 || cards[0].Tool != "open_dispute" || !strings.Contains(cards[0].Summary, order) {
				t.Fatalf("cards %+v, want one dispute card for %s", cards, order)
			}
			results := strings.Join(toolMessages(fake), "\n")
			for _, want := range []string{`"rule":"non_refundable"`, `"action_id":"` + cards[0].ActionID + `"`, `"until":"`} {
				if !strings.Contains(results, want) {
					t.Errorf("the model was not shown %s; it read %s", want, results)
				}
			}
			c.sendJSON(map[string]any{"type": "confirm", "action_id": cards[0].ActionID, "approved": true})
			c.reply()
			if n := e.count(t, `SELECT count(*) FROM disputes WHERE order_id = $1 AND reason = 'damaged'`, order); n != 1 {
				t.Errorf("%d damaged disputes for %s after confirming, want 1", n, order)
			}
			if n, _ := e.refunds(t, order); n != 0 {
				t.Errorf("%d refunds of non-refundable %s", n, order)
			}
		})
	}
}

// A refund past the window for a changed mind has no alternative to
// prepare: the reply still carries the delivery date and the day the
// window closed, and no card is shown.
func TestRefusalWithTheLLMPastTheWindow(t *testing.T) {
	t.Parallel()
	e, fake := scriptedLLMEnv(t)
	buyer, order := buyerWith(t, "es", demo.DeliveredLongAgo)
	delivered := e.orderDate(t, "delivered_at", order)
	fake.Push(
		fakellm.Call("request_refund", map[string]any{"order_id": order, "reason": "changed_mind"}),
		fakellm.Text("Lo siento, no es posible."),
	)
	c := e.dial(t, buyer)
	c.hello("", 0)
	msg, cards := c.turn("1", "quiero devolver el pedido "+order+", ya no lo quiero")
	for _, want := range []string{l10n.Date("es", delivered), l10n.Date("es", delivered.Add(tools.RefundWindow)), "30", "[refunds §Refund window]"} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("reply %q lacks %q", msg.Text, want)
		}
	}
	if len(cards) != 0 {
		t.Errorf("cards %+v for a refusal with nothing to prepare", cards)
	}
}

// A model that already states the rule and its dates gets nothing added.
func TestRefusalWithTheLLMIsNotRepeated(t *testing.T) {
	t.Parallel()
	e, fake := scriptedLLMEnv(t)
	buyer, order := buyerWith(t, "en", demo.InTransit)
	shipped := e.orderDate(t, "shipped_at", order)
	from := shipped.Add(tools.NotReceivedAfter)
	said := "Order " + order + " shipped on " + l10n.Date("en", shipped) + " and is still on its way; if it has not arrived by " +
		l10n.Date("en", from) + ", you can open a dispute."
	fake.Push(
		fakellm.Call("cancel_order", map[string]any{"order_id": order}),
		fakellm.Text(said),
	)
	c := e.dial(t, buyer)
	c.hello("", 0)
	msg, cards := c.turn("1", "cancel "+order)
	if msg.Text != said {
		t.Errorf("reply %q, want the model's own %q", msg.Text, said)
	}
	if len(cards) != 0 {
		t.Errorf("cards %+v: a not-received dispute is not possible yet", cards)
	}
}

// Another buyer's order is not found, whatever the model asks: no
// refusal, no date, no card.
func TestRefusalWithTheLLMForAnotherBuyersOrder(t *testing.T) {
	t.Parallel()
	e, fake := scriptedLLMEnv(t)
	owner, order := buyerWith(t, "en", demo.NonRefundable)
	var other string
	for i := range demo.Buyers {
		if b := demo.BuyerID(i); b != owner && demo.BuyerLocale(i) == "en" {
			other = b
			break
		}
	}
	delivered := e.orderDate(t, "delivered_at", order)
	fake.Push(
		fakellm.Call("request_refund", map[string]any{"order_id": order, "reason": "damaged"}),
		fakellm.Text("I couldn't find that order."),
	)
	c := e.dial(t, other)
	c.hello("", 0)
	msg, cards := c.turn("1", "refund "+order+", it arrived broken")
	if len(cards) != 0 {
		t.Errorf("cards %+v for another buyer's order", cards)
	}
	for _, leak := range []string{l10n.Date("en", delivered), l10n.Date("en", delivered.Add(tools.DisputeWindow)), "refusal"} {
		if strings.Contains(msg.Text, leak) || strings.Contains(strings.Join(toolMessages(fake), "\n"), leak) {
			t.Errorf("another buyer's order leaks %q: reply %q", leak, msg.Text)
		}
	}
}

// The escalation card says what was tried, the refusal included (a
// refused call leaves no audit row), whichever brain answered; the local
// model's own summary for support is built from the conversation's state,
// not "Customer wrote: …". Another shop's seller sees none of it.
func TestEscalationAfterARefusal(t *testing.T) {
	t.Parallel()
	o, seller := shopOrder(t, "shop-maple", "en", demo.DeliveredLongAgo)
	brief := func(t *testing.T, e *env, conv, tok string) (conversationBody, int) {
		t.Helper()
		r := e.call(t, http.MethodGet, "/v1/seller/conversations/"+conv, tok, nil)
		var out conversationBody
		if r.status == http.StatusOK {
			r.json(t, &out)
		}
		return out, r.status
	}
	wantTried := []string{"refund: refused (refund_window)", "dispute: waiting for the buyer's confirmation"}

	t.Run("local", func(t *testing.T) {
		e := newEnv(t)
		conv := e.startChat(t, o.BuyerID, "refund "+o.ID+", it arrived broken", "this is ridiculous, I want to talk to a person")
		out, status := brief(t, e, conv, e.sellerToken(t, seller))
		if status != http.StatusOK || out.Conversation.HandoffReason == "" {
			t.Fatalf("conversation = %d, want an escalated one", status)
		}
		b := strings.Join(out.Conversation.HandoffBrief, "\n")
		for _, w := range wantTried {
			if !strings.Contains(b, w) {
				t.Errorf("brief lacks %q:\n%s", w, b)
			}
		}
		support, _ := brief(t, e, conv, e.token(t, tools.RoleSupport, demo.SupportID))
		s := support.Conversation.HandoffSummary
		for _, w := range []string{"The customer wants a refund.", "Order: " + o.ID, "Tried: get_order " + o.ID + ": done", "Problem: damaged.", "Last message:"} {
			if !strings.Contains(s, w) {
				t.Errorf("support's summary lacks %q: %s", w, s)
			}
		}
		if strings.HasPrefix(s, "Customer wrote:") {
			t.Errorf("summary %q is the buyer's words, not the state", s)
		}
		other, status := brief(t, e, conv, e.sellerToken(t, "seller-taiga"))
		if status == http.StatusOK && strings.Contains(strings.Join(other.Conversation.HandoffBrief, "\n")+other.Conversation.HandoffSummary, o.ID) {
			t.Errorf("another shop reads the brief: %+v", other.Conversation)
		}
	})

	t.Run("llm", func(t *testing.T) {
		e, fake := scriptedLLMEnv(t)
		fake.Push(
			fakellm.Call("request_refund", map[string]any{"order_id": o.ID, "reason": "damaged"}),
			fakellm.Text("I can't refund it."),
			fakellm.Call("handoff_to_human", map[string]any{"reason": "complaint", "summary": "upset about the refused refund of " + o.ID}),
			fakellm.Text("A person will take over."),
		)
		conv := e.startChat(t, o.BuyerID, "refund "+o.ID+", it arrived broken", "this is ridiculous, I want to talk to a person")
		out, status := brief(t, e, conv, e.sellerToken(t, seller))
		if status != http.StatusOK || out.Conversation.HandoffReason == "" {
			t.Fatalf("conversation = %d, want an escalated one", status)
		}
		b := strings.Join(out.Conversation.HandoffBrief, "\n")
		for _, w := range append(wantTried, "Order "+o.ID, "The buyer wants: a refund.") {
			if !strings.Contains(b, w) {
				t.Errorf("brief lacks %q:\n%s", w, b)
			}
		}
	})
}
