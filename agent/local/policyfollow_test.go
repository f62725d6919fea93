package local

import (
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
)

// "who pays return shipping?" → "and how many days do I get?": the second
// question has no topic of its own and takes the first one's, in its own
// language, so the policies are searched for the refund window; before,
// it read as an order lookup or was not understood. A confident request
// of its own is served as itself.
func TestPolicyFollowUpTakesTheTopic(t *testing.T) {
	m := newModel(t)
	for _, tt := range []struct {
		name, locale, first, then, topic string
	}{
		{"en", "en", "who pays the postage when I send something back?", "and how many days do i get?", "refund"},
		{"es after en", "es", "who pays return shipping if it doesn't fit?", "vale, y cuántos días tengo?", "reembolso"},
		{"ko", "ko", "반품하면 택배비는 누가 내요?", "그럼 며칠 안에 해야 돼요?", "환불"},
		{"ru", "ru", "кто оплачивает пересылку, если вещь не подошла?", "а сколько дней на это даётся?", "доставку"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			msgs := append([]agent.Message{user(tt.first)}, pastCall("search_policy", `{"query":"q"}`, map[string]any{"hits": []any{}})...)
			msgs = append(msgs, assistant("(who pays)"), user(tt.then))
			got := gen(t, m, tt.locale, msgs...)
			name, args := callArgs(t, got)
			if q, _ := args["query"].(string); name != "search_policy" || !strings.Contains(q, tt.topic) {
				t.Errorf("%q after %q = %+v, want the policies searched on %q", tt.then, tt.first, got, tt.topic)
			}
		})
	}
	msgs := append([]agent.Message{user("who pays return shipping?")}, pastCall("search_policy", `{"query":"q"}`, map[string]any{"hits": []any{}})...)
	msgs = append(msgs, assistant("(who pays)"), user("where is my order ORD-10042?"))
	if name, _ := callArgs(t, gen(t, m, "en", msgs...)); name == "search_policy" {
		t.Errorf("an order lookup after a policy question was searched in the policies")
	}
}

// "how long do you have to return something, and does he have to pay for
// sending it back?" asks two facts, the time limit and who pays, each
// answered from its own section.
func TestTwoAsksForSomeoneElse(t *testing.T) {
	for _, q := range []string{
		"quick one for my mum: how long do you have to return stuff, and does she have to pay to send it back?",
		"how long do we have to return a gift, and who pays the postage?",
	} {
		var kinds []askKind
		for _, a := range asksOf(q, "en") {
			kinds = append(kinds, a.kind)
		}
		if len(kinds) != 2 || kinds[0] != askDeadline || kinds[1] != askWhoPays {
			t.Errorf("asksOf(%q) kinds = %v, want [deadline who-pays]", q, kinds)
		}
	}
}
