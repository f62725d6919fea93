package local

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// pastCall is a call of an earlier turn as the agent's memory gives it
// back: the result is the tool's data alone, as the audit log keeps it.
func pastCall(name, args string, data any) []agent.Message {
	b, _ := json.Marshal(data)
	return []agent.Message{
		{Role: agent.RoleAssistant, ToolCalls: []agent.ToolCall{{ID: "p1", Name: name, Arguments: json.RawMessage(args)}}},
		{Role: agent.RoleTool, Name: name, ToolCallID: "p1", Content: string(b)},
	}
}

func daysAgo(n int) *time.Time {
	t := time.Now().Add(-time.Duration(n) * 24 * time.Hour)
	return &t
}

// After a refund the rules refused, the buyer's follow-up that asks
// nothing new gets the next step for the order and what it holds — the
// tools are asked again (their refusal carries the dates), then the reply
// names the step: the seller, a dispute for a fault, the gift card's
// balance — in the four languages; never the order's status or "I didn't
// understand". A follow-up naming another order, or a clear request for
// a person, is served as itself.
func TestRefusalFollowUpGetsTheNextStep(t *testing.T) {
	m := newModel(t)
	order := func(id, category, name string, delivered int, refundable bool) tools.Order {
		return tools.Order{ID: id, Status: "delivered", ShopName: "Casa Sol", DeliveredAt: daysAgo(delivered),
			Items: []tools.Item{{Line: 1, Name: name, Quantity: 1, Refundable: refundable, Category: category}}}
	}
	tests := []struct {
		name, locale, ask, refusal, followUp string
		o                                    tools.Order
		want                                 []string
	}{
		{"digital, en", "en", "i want a refund for ORD-10028", "I can't refund order ORD-10028.", "so what am i supposed to do",
			order("ORD-10028", "digital", "Trail map (download)", 6, false), []string{"doesn't open", "dispute", "seller, Casa Sol"}},
		{"gift card, en", "en", "refund ORD-10029 please", "I can't refund order ORD-10029.", "so what can i do then?",
			order("ORD-10029", "gift card", "Gift card", 6, false), []string{"spend its balance", "pass it on"}},
		{"windows over, en", "en", "the zipper broke, i want a refund. ORD-10035", "I can't refund order ORD-10035.", "it's only been a few months!",
			order("ORD-10035", "apparel", "Rain jacket", 150, true), []string{"seller, Casa Sol", "repair"}},
		{"opened food, ko", "ko", "김치 환불해주세요 ORD-10046", "주문 ORD-10046은 환불해 드릴 수 없습니다.", "한 번 먹어봤는데 입맛에 안 맞아요",
			order("ORD-10046", "food", "김치", 6, false), []string{"사진", "판매자(Casa Sol)"}},
		{"digital, es", "es", "quiero el reembolso del ORD-10081", "No puedo reembolsar el pedido ORD-10081.", "pero si ni lo he leido entero",
			order("ORD-10081", "digital", "Libro de recetas (digital)", 6, false), []string{"no se abre", "disputa", "vendedor, Casa Sol"}},
		{"personalised, ru", "ru", "хочу вернуть деньги за ORD-10116", "Я не могу вернуть деньги за заказ ORD-10116.", "и что мне теперь с ней делать?",
			order("ORD-10116", "personalised", "Доска с гравировкой", 6, false), []string{"продавцу — Casa Sol", "спор"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			history := append([]agent.Message{user(tt.ask)}, pastCall("get_order", `{"order_id":"`+tt.o.ID+`"}`, tt.o)...)
			history = append(history, assistant(tt.refusal), user(tt.followUp))
			first := gen(t, m, tt.locale, history...)
			if name, args := callArgs(t, first); name != "request_refund" || args["order_id"] != tt.o.ID {
				t.Fatalf("follow-up %q = %+v, want the refund of %s asked of the tools again", tt.followUp, first, tt.o.ID)
			}
			until := tt.o.DeliveredAt.Add(tools.DisputeWindow)
			refused := agent.ToolResult{Error: &agent.ToolError{Code: string(tools.CodeNotEligible), Refusal: &tools.Refusal{
				Rule: tools.RuleNonRefundable, OrderID: tt.o.ID, Alternative: &tools.Alternative{Tool: "open_dispute", Until: &until}}}}
			data, _ := json.Marshal(tt.o)
			turn := append(history, toolMsgs("request_refund", `{"order_id":"`+tt.o.ID+`"}`, refused)...)
			second := gen(t, m, tt.locale, turn...)
			if name, _ := callArgs(t, second); name != "get_order" {
				t.Fatalf("after the refusal: %+v, want the order read", second)
			}
			turn = append(turn, toolMsgs("get_order", `{"order_id":"`+tt.o.ID+`"}`, agent.ToolResult{OK: true, Data: data})...)
			reply := gen(t, m, tt.locale, turn...)
			if len(reply.ToolCalls) > 0 {
				t.Fatalf("reply = %+v, want text", reply)
			}
			for _, w := range tt.want {
				if !strings.Contains(reply.Content, w) {
					t.Errorf("reply lacks %q:\n%s", w, reply.Content)
				}
			}
		})
	}

	o := order("ORD-10028", "digital", "Trail map (download)", 6, false)
	history := append([]agent.Message{user("i want a refund for ORD-10028")}, pastCall("get_order", `{"order_id":"ORD-10028"}`, o)...)
	history = append(history, assistant("I can't refund order ORD-10028."))
	for _, tt := range []struct{ say, want string }{
		{"and what about ORD-10031?", ""},
		{"i want to talk to a person", "handoff_to_human"},
	} {
		got := gen(t, m, "en", append(history, user(tt.say))...)
		if name, args := callArgs(t, got); name == "request_refund" && args["order_id"] == "ORD-10028" || tt.want != "" && name != tt.want {
			t.Errorf("%q = %+v, want it served as itself (%s)", tt.say, got, tt.want)
		}
	}
}

// "각인 머그컵 반품하고 싶은데요" names an item, not an order: the
// buyer's orders tell which one holds it, and an order the refund rules
// refuse is asked of the tools (their refusal gives the rule), instead of
// "a refund, or a question about the policy?".
func TestOwnItemReturnFindsTheOrder(t *testing.T) {
	m := newModel(t)
	text := "각인 머그컵 반품하고 싶은데요"
	first := gen(t, m, "ko", user(text))
	if name, _ := callArgs(t, first); name != "list_orders" {
		t.Fatalf("%q = %+v, want the buyer's orders listed", text, first)
	}
	list := tools.OrderList{Orders: []tools.OrderRow{
		{ID: "ORD-10040", Status: "delivered", Items: "보온 텀블러 ×1"},
		{ID: "ORD-10047", Status: "delivered", Items: "이니셜 각인 머그컵 ×1"},
	}}
	data, _ := json.Marshal(list)
	msgs := append([]agent.Message{user(text)}, toolMsgs("list_orders", `{"limit":20}`, agent.ToolResult{OK: true, Data: data})...)
	second := gen(t, m, "ko", msgs...)
	if name, args := callArgs(t, second); name != "get_order" || args["order_id"] != "ORD-10047" {
		t.Fatalf("after the list: %+v, want ORD-10047 (the mug) read", second)
	}
	o := tools.Order{ID: "ORD-10047", Status: "delivered", DeliveredAt: daysAgo(5),
		Items: []tools.Item{{Line: 1, Name: "이니셜 각인 머그컵", Quantity: 1, Category: "personalised"}}}
	od, _ := json.Marshal(o)
	msgs = append(msgs, toolMsgs("get_order", `{"order_id":"ORD-10047"}`, agent.ToolResult{OK: true, Data: od})...)
	third := gen(t, m, "ko", msgs...)
	if name, args := callArgs(t, third); name != "request_refund" || args["order_id"] != "ORD-10047" {
		t.Fatalf("after the order: %+v, want its refund asked of the tools", third)
	}

	for _, c := range []struct {
		text, locale string
		want         bool
	}{
		{"el aceite no me convence de sabor, lo puedo devolver?", "es", true},
		{"хочу вернуть доску с гравировкой, передумала дарить", "ru", true},
		// A bare item after a status answer asks no return; a question
		// about a kind of item asks about the policy.
		{"el bolso", "es", false},
		{"can I return a personalised item?", "en", false},
	} {
		// A refund request read surely is served as one by the ordinary
		// path, which finds the order by its goods the same way.
		r := m.nlu.Parse(c.text, c.locale)
		sure := r.Intent == nlu.RefundRequest && r.Confidence >= nlu.ActionThreshold
		if got := returnsOwnItem(r, c.text) || sure; got != c.want {
			t.Errorf("returnsOwnItem(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

// "How long do I have to return the lantern from ORD-10032?" gets the
// policy's answer and the order's own last day, from get_order's
// refund_until.
func TestOwnReturnDeadline(t *testing.T) {
	m := newModel(t)
	text := "how long do i have to return the lantern from ORD-10032?"
	first := gen(t, m, "en", user(text))
	if name, args := callArgs(t, first); name != "get_order" || args["order_id"] != "ORD-10032" {
		t.Fatalf("%q = %+v, want the order read", text, first)
	}
	delivered := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	until := delivered.Add(tools.RefundWindow)
	o := tools.Order{ID: "ORD-10032", Status: "delivered", DeliveredAt: &delivered, RefundUntil: &until,
		Items: []tools.Item{{Line: 1, Name: "Rechargeable camp lantern", Quantity: 1, Refundable: true}}}
	od, _ := json.Marshal(o)
	msgs := append([]agent.Message{user(text)}, toolMsgs("get_order", `{"order_id":"ORD-10032"}`, agent.ToolResult{OK: true, Data: od})...)
	second := gen(t, m, "en", msgs...)
	if name, _ := callArgs(t, second); name != "search_policy" {
		t.Fatalf("after the order: %+v, want the policy searched", second)
	}
	hits, _ := json.Marshal(map[string]any{"hits": []policyHit{{DocID: "refunds", HeadingPath: "Refunds > Refund window",
		Text: "You can request a refund up to 30 days after your order was delivered.", Citation: "[refunds §Refund window]"}}})
	msgs = append(msgs, toolMsgs("search_policy", `{}`, agent.ToolResult{OK: true, Data: hits})...)
	reply := gen(t, m, "en", msgs...)
	for _, w := range []string{"30 days", "December 31, 2026", "ORD-10032"} {
		if !strings.Contains(reply.Content, w) {
			t.Errorf("reply lacks %q:\n%s", w, reply.Content)
		}
	}
}

// "hablo con una persona o con una maquina?" asks what answers, and gets
// the honest answer, not a person.
func TestBotQuestionPersonOrMachine(t *testing.T) {
	m := newModel(t)
	for _, q := range []struct{ text, locale string }{
		{"hablo con una persona o con una maquina?", "es"}, {"am i talking to a real person or AI", "en"},
		{"я с человеком переписываюсь или с ботом?", "ru"}, {"사람이세요 AI세요?", "ko"},
	} {
		got := gen(t, m, q.locale, user(q.text))
		if len(got.ToolCalls) > 0 || got.Content != botAnswers[q.locale] {
			t.Errorf("%q = %+v, want the honest answer", q.text, got)
		}
	}
}

// Handed over after something went wrong, the buyer is told sorry and
// what happens next; a buyer who asks for a person first thing is not.
func TestHandoffReplyApologises(t *testing.T) {
	m := newModel(t)
	handed := toolMsgs("handoff_to_human", `{"reason":"customer_request","summary":"x"}`, agent.ToolResult{OK: true, Data: json.RawMessage(`{}`)})
	first := gen(t, m, "en", append([]agent.Message{user("can i talk to a person")}, handed...)...)
	if first.Content != templates["en"]["handed_off"] {
		t.Errorf("first-thing handoff = %q, want the plain one", first.Content)
	}
	for _, c := range []struct{ locale, ask, then string }{
		{"en", "where is the refund for ORD-10051?", "get me a human, this is useless"},
		{"ko", "환불 언제 돼요 ORD-10051", "상담원 연결해 주세요 진짜 화나네"},
		{"es", "el reembolso del ORD-10051 todavia no me llega", "pasame con un humano, estoy harta"},
		{"ru", "где деньги за возврат ORD-10051?", "дайте живого оператора!!!"},
	} {
		history := append([]agent.Message{user(c.ask)},
			pastCall("get_refund_status", `{"order_id":"ORD-10051"}`, map[string]any{"refunds": []any{}})...)
		history = append(history, assistant("RF-E10051"), user(c.then))
		got := gen(t, m, c.locale, append(history, handed...)...)
		if got.Content != templates[c.locale]["handed_off_sorry"] {
			t.Errorf("%s: handoff after a failure = %q, want the apology", c.locale, got.Content)
		}
	}
}
