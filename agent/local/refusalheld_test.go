package local

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// followRefusal runs the turn of followUp after the refusal of o's refund
// (history), answering the model's calls as the tools would: the refund
// refused again, the order as it stands. It returns the reply.
func followRefusal(t *testing.T, m *Model, locale string, history []agent.Message, o tools.Order) agent.Message {
	t.Helper()
	first := gen(t, m, locale, history...)
	if name, args := callArgs(t, first); name != "request_refund" || args["order_id"] != o.ID {
		t.Fatalf("follow-up = %+v, want the refund of %s asked of the tools again", first, o.ID)
	}
	code, rule := tools.CodeNotEligible, tools.RuleNonRefundable
	if o.DeliveredAt.Add(tools.RefundWindow).Before(*daysAgo(0)) {
		code, rule = tools.CodeWindowExpired, tools.RuleRefundWindow
	}
	refused := agent.ToolResult{Error: &agent.ToolError{Code: string(code), Refusal: &tools.Refusal{Rule: rule, OrderID: o.ID}}}
	data, _ := json.Marshal(o)
	turn := append(history, toolMsgs("request_refund", `{"order_id":"`+o.ID+`"}`, refused)...)
	if next := gen(t, m, locale, turn...); len(next.ToolCalls) == 1 && next.ToolCalls[0].Name == "get_order" {
		turn = append(turn, toolMsgs("get_order", `{"order_id":"`+o.ID+`"}`, agent.ToolResult{OK: true, Data: data})...)
	}
	reply := gen(t, m, locale, turn...)
	if len(reply.ToolCalls) > 0 {
		t.Fatalf("reply = %+v, want text", reply)
	}
	return reply
}

// A buyer refused a refund argues once ("but I haven't used it at all",
// "안 뜯었는데요", "no lo quiero ya") or asks exactly how long the window
// was: the reply states the rule again — the kind of item the policy
// excludes, or the window's 30 days and the day it ended — before the
// next step. Before, a "no"-like argument got "Is there anything else?",
// and the rule's length in days was not said again. A second follow-up
// gets the step alone, so the reply does not repeat the one before.
func TestArguingWithARefusalRestatesTheRule(t *testing.T) {
	m := newModel(t)
	order := func(id, category, name string, delivered int, refundable bool) tools.Order {
		return tools.Order{ID: id, Status: "delivered", ShopName: "Casa Sol", DeliveredAt: daysAgo(delivered),
			Items: []tools.Item{{Line: 1, Name: name, Quantity: 1, Refundable: refundable, Category: category}}}
	}
	tests := []struct {
		name, locale, ask, argue, again string
		o                               tools.Order
		rule                            []string // the rule restated, with its facts
	}{
		{"gift card, en", "en", "ORD-10301 refund gift card 25", "but i have not used it at all", "ok so what now",
			order("ORD-10301", "gift card", "Gift card", 4, false), []string{"gift cards can't be refunded", "used or not"}},
		{"window, en", "en", "i want my 60 back for ORD-10302", "how many days did i have, and when did that end?", "so what can i do",
			order("ORD-10302", "apparel", "Rain jacket", 70, true), []string{"30 days after delivery", "ORD-10302", l10nDay("en", 40)}},
		{"personalised, ko", "ko", "ORD-10303 이름 각인 텀블러 환불해 주세요", "안 뜯었는데요", "그럼 어떡해요",
			order("ORD-10303", "personalised", "이름 각인 텀블러", 5, false), []string{"개인 맞춤 상품", "환불이나 반품이 되지 않습니다"}},
		{"digital, es", "es", "quiero el reembolso del ORD-10304, el ebook", "no lo quiero ya", "¿y qué hago?",
			order("ORD-10304", "digital", "Guía de viaje (PDF)", 8, false), []string{"descargas digitales no se pueden reembolsar"}},
		{"food, ru", "ru", "верните деньги за мёд, заказ ORD-10305", "но я им не пользовалась", "и что теперь?",
			order("ORD-10305", "food", "Гречишный мёд", 3, false), []string{"скоропортящиеся продукты не подлежат возврату"}},
		{"window, ru", "ru", "верните 3000 за заказ ORD-10306", "сколько было дней на возврат и когда срок кончился?", "и что теперь?",
			order("ORD-10306", "home", "Чайник", 45, true), []string{"30 дней после доставки", l10nDay("ru", 15)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			history := append([]agent.Message{user(tt.ask)}, pastCall("get_order", `{"order_id":"`+tt.o.ID+`"}`, tt.o)...)
			history = append(history, assistant("refused: "+tt.o.ID), user(tt.argue))
			reply := followRefusal(t, m, tt.locale, history, tt.o)
			for _, w := range tt.rule {
				if !strings.Contains(reply.Content, w) {
					t.Errorf("%q: reply lacks %q:\n%s", tt.argue, w, reply.Content)
				}
			}
			// The step is said; the rule is not said twice in a row.
			history = append(history, assistant(reply.Content), user(tt.again))
			again := followRefusal(t, m, tt.locale, history, tt.o)
			if again.Content == reply.Content || strings.Contains(again.Content, tt.rule[0]) {
				t.Errorf("%q after the rule: %q, want the next step alone", tt.again, again.Content)
			}
		})
	}

	// A bare no, or "no thanks, that's all", declines; it argues nothing.
	o := order("ORD-10307", "gift card", "Gift card", 4, false)
	history := append([]agent.Message{user("ORD-10307 refund gift card 25")}, pastCall("get_order", `{"order_id":"ORD-10307"}`, o)...)
	history = append(history, assistant("refused: ORD-10307"))
	for _, say := range []string{"no", "no thanks, that is all"} {
		got := gen(t, m, "en", append(history, user(say))...)
		if name, _ := callArgs(t, got); name == "request_refund" {
			t.Errorf("%q = %+v, want no refund asked again", say, got)
		}
	}
}

// l10nDay is the day n days ago as the buyer's locale writes it.
func l10nDay(locale string, n int) string {
	d := dialogue{locale: locale}
	return d.day(*daysAgo(n))
}

// "10122 возврат доска 2200": a terse message naming an order, goods and
// money asks for that money back, though "возврат" alone reads as a
// refund's status; asking where a refund is stays a status question.
func TestTerseGoodsAndMoneyAskARefund(t *testing.T) {
	m := newModel(t)
	for _, tt := range []struct {
		locale, text string
		refund       bool
	}{
		{"ru", "20455 возврат шарф 2400", true},
		{"en", "10231 refund mug 18", true},
		{"es", "10355 devolución toallas 39,90", true},
		{"ko", "10466 환불 텀블러 28000", true},
		{"ru", "где мой возврат 2400 за шарф по заказу 20455", false},
		{"en", "when do i get my refund of 18 for the mug, order 10231", false},
	} {
		t.Run(tt.text, func(t *testing.T) {
			got := gen(t, m, tt.locale, user(tt.text))
			name, _ := callArgs(t, got)
			asked := name == "request_refund" || name == "get_order"
			if asked != tt.refund || name == "get_refund_status" && tt.refund {
				t.Errorf("%q = %+v, want a refund asked: %v", tt.text, got, tt.refund)
			}
		})
	}
}

// A fault told after a refund refused past both windows ("it broke, I
// didn't break it, what now?") argues with the refusal: a dispute can no
// longer be opened either, so the next step (the seller, by name, or a
// person) answers it, not the refund-window rule read as a new question.
func TestFaultPastBothWindowsGetsTheNextStep(t *testing.T) {
	m := newModel(t)
	for _, tt := range []struct {
		name, locale, ask, argue string
	}{
		{"en", "en", "refund ORD-10311 please, the kettle stopped heating", "so what, it just broke by itself, i didn't break it. what am i supposed to do now"},
		{"ko", "ko", "ORD-10312 주전자 환불해 주세요 고장났어요", "제가 망가뜨린 것도 아닌데 그냥 고장난 거예요 이제 어떻게 해야 돼요"},
		{"es", "es", "quiero el reembolso del ORD-10313, la lámpara no enciende", "pero si se rompió sola, yo no hice nada, ¿y ahora qué hago?"},
		{"ru", "ru", "верните деньги за заказ ORD-10314, чайник не греет", "ну и что, он сам сломался, я его не ломала, что мне теперь делать"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			id := tt.ask[strings.Index(tt.ask, "ORD-") : strings.Index(tt.ask, "ORD-")+9]
			o := tools.Order{ID: id, Status: "delivered", ShopName: "Casa Sol", DeliveredAt: daysAgo(70),
				Items: []tools.Item{{Line: 1, Name: "Kettle", Quantity: 1, Refundable: true, Category: "home"}}}
			history := append([]agent.Message{user(tt.ask)}, pastCall("get_order", `{"order_id":"`+o.ID+`"}`, o)...)
			history = append(history, assistant("refused: "+o.ID), user(tt.argue))
			reply := followRefusal(t, m, tt.locale, history, o)
			if !strings.Contains(reply.Content, "Casa Sol") || !strings.Contains(reply.Content, o.ID) {
				t.Errorf("%q: reply names neither the seller nor %s:\n%s", tt.argue, o.ID, reply.Content)
			}
		})
	}
}
