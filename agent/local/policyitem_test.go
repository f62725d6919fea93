package local

import (
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
)

// A policy question that names goods ("is the lantern covered if the
// battery dies?") names an item, and the model reports it whatever the
// intent; the question still only ever reaches the policies. Asked alone,
// while a refund waits for its order, or after the model asked whether
// the buyer wants an action or the policy, it is answered from the
// policies and never becomes a refund, cancellation, dispute or an order
// look-up. The questions are the spent held-out sets' policy questions
// labelled with an item that the model reads as questions, in four
// languages.
func TestPolicyQuestionNamingAnItemNeverBecomesAnAction(t *testing.T) {
	m := newModel(t)
	c, _ := classifier()
	var qs []nlu.Case
	for _, dir := range []string{"nlu/data/test3", "nlu/data/test4", "nlu/data/test5", "nlu/data/test6"} {
		cases, err := nlu.LoadCases(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, cs := range cases {
			if r := c.Parse(cs.Text, cs.Locale); cs.Intent == nlu.PolicyQuestion && cs.Item != "" && r.Intent == nlu.PolicyQuestion && r.Act == nlu.ActQuestion {
				qs = append(qs, cs)
			}
		}
	}
	if len(qs) < 30 {
		t.Fatalf("%d policy questions naming an item read as policy questions, want at least 30", len(qs))
	}
	openers := map[string][]string{
		"en": {"I want a refund", "cancel my order please"},
		"ko": {"환불해 주세요", "주문 취소해 주세요"},
		"es": {"quiero un reembolso", "cancelen mi pedido por favor"},
		"ru": {"хочу вернуть деньги", "отмените мой заказ пожалуйста"},
	}
	for _, q := range qs {
		convs := [][]agent.Message{{user(q.Text)}}
		for _, o := range openers[q.Locale] {
			// The request waits for its order: an answer naming goods
			// ("the boots one") would pick the order by its items.
			convs = append(convs, []agent.Message{user(o), assistant(render(q.Locale, "ask_order_id")), user(q.Text)})
		}
		// The model asked whether the buyer wants the action or the policy.
		convs = append(convs, []agent.Message{user("ORD-10042 refundable?"), assistant(render(q.Locale, "clarify_refund_order", "ORD-10042")), user(q.Text)})
		for _, msgs := range convs {
			msg := gen(t, m, q.Locale, msgs...)
			// An unsure reading may ask the buyer what they mean; it
			// never calls a tool but the policy search.
			if name, _ := callArgs(t, msg); len(msg.ToolCalls) > 0 && name != "search_policy" {
				t.Errorf("%s %q after %d messages (item %s) = %s call, want search_policy or a question", q.Locale, q.Text, len(msgs)-1, q.Item, msg.ToolCalls[0].Name)
			}
		}
	}
}
