package local

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// A follow-up repeats the request served last for the order it points at,
// unless it makes a request of its own: "and ORD-10058?" after a tracking
// question tracks ORD-10058; "and cancel ORD-10058" cancels it.
func TestFollowUpKeepsItsOwnRequest(t *testing.T) {
	m := newModel(t)
	history := append([]agent.Message{user("my parcel ORD-10001 never arrived, where is it?")},
		toolMsgs("track_shipment", `{"order_id":"ORD-10001"}`, agent.ToolResult{OK: true, Data: []byte(`{"order_id":"ORD-10001"}`)})...)
	history = append(history, agent.Message{Role: agent.RoleAssistant, Content: "Order ORD-10001 shipped."})
	tests := []struct{ text, tool string }{
		{"and ORD-10058?", "track_shipment"},
		{"and cancel ORD-10058 please", "cancel_order"},
	}
	for _, tt := range tests {
		msgs := append(append([]agent.Message{}, history...), user(tt.text))
		msg := gen(t, m, "en", msgs...)
		if len(msg.ToolCalls) != 1 || msg.ToolCalls[0].Name != tt.tool || orderIDIn(msg.ToolCalls[0].Arguments) != "ORD-10058" {
			t.Errorf("%q: %+v, want %s for ORD-10058", tt.text, msg.ToolCalls, tt.tool)
		}
	}
}

// "The other one" and "and the second?" with one order discussed look the
// buyer's orders up and take the one on its way that was not discussed,
// in the four languages; with no such order the reply says so rather than
// answering about the discussed one again.
func TestOtherOneLooksUpTheOrderNotDiscussed(t *testing.T) {
	m := newModel(t)
	list := func(orders ...tools.OrderRow) []byte {
		b, err := json.Marshal(tools.OrderList{Orders: orders})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	discussed := tools.OrderRow{ID: "ORD-10001", Status: "shipped", Items: "Tent ×1", Lines: 1}
	other := tools.OrderRow{ID: "ORD-10002", Status: "paid", Items: "Camp chair ×2", Lines: 1}
	old := tools.OrderRow{ID: "ORD-10003", Status: "delivered", Items: "Socks ×1", Lines: 1}
	tests := []struct{ locale, first, follow string }{
		{"en", "where's ORD-10001 at?", "right, and my other order?"},
		{"ko", "ORD-10001 어디쯤 왔어요?", "그럼 다른 주문은요?"},
		{"es", "¿por dónde va el ORD-10001?", "¿y el otro pedido?"},
		{"ru", "где сейчас ORD-10001?", "а второй?"},
	}
	for _, tt := range tests {
		history := append([]agent.Message{user(tt.first)},
			toolMsgs("get_order", `{"order_id":"ORD-10001"}`, agent.ToolResult{OK: true, Data: []byte(`{"order_id":"ORD-10001"}`)})...)
		history = append(history, agent.Message{Role: agent.RoleAssistant, Content: "Order ORD-10001 shipped on December 2."}, user(tt.follow))
		first := gen(t, m, tt.locale, history...)
		if len(first.ToolCalls) != 1 || first.ToolCalls[0].Name != "list_orders" {
			t.Errorf("%s %q: %s, want the buyer's orders looked up", tt.locale, tt.follow, describe(first))
			continue
		}
		looked := append(append([]agent.Message{}, history...), toolMsgs("list_orders", `{"limit":20}`, agent.ToolResult{OK: true, Data: list(discussed, other, old)})...)
		next := gen(t, m, tt.locale, looked...)
		if len(next.ToolCalls) != 1 || next.ToolCalls[0].Name != "get_order" || orderIDIn(next.ToolCalls[0].Arguments) != "ORD-10002" {
			t.Errorf("%s %q: %s, want get_order for ORD-10002 (the other one)", tt.locale, tt.follow, describe(next))
		}
		alone := append(append([]agent.Message{}, history...), toolMsgs("list_orders", `{"limit":20}`, agent.ToolResult{OK: true, Data: list(discussed)})...)
		if msg := gen(t, m, tt.locale, alone...); len(msg.ToolCalls) > 0 || strings.Contains(msg.Content, "ORD-10001") {
			t.Errorf("%s %q with one order: %s, want a reply that there is no other order", tt.locale, tt.follow, describe(msg))
		}
	}
}

// "The second item" of an order the buyer does not number is in one of
// their orders with two lines or more: an order of one line is no
// candidate, and the one order left is used without asking.
func TestSecondItemLeavesOutOrdersOfOneLine(t *testing.T) {
	m := newModel(t)
	b, err := json.Marshal(tools.OrderList{Orders: []tools.OrderRow{
		{ID: "ORD-10011", Status: "delivered", Items: "Olive oil 2L ×1", Lines: 1},
		{ID: "ORD-10012", Status: "delivered", Items: "Wool scarf ×1, Electric samovar ×1", Lines: 2},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ locale, text string }{
		{"en", "I'd like a refund for the second item in my order please"},
		{"ru", "хочу вернуть деньги за второй товар из заказа"},
	} {
		msgs := append([]agent.Message{user(tt.text)}, toolMsgs("list_orders", `{"limit":20}`, agent.ToolResult{OK: true, Data: b})...)
		msg := gen(t, m, tt.locale, msgs...)
		if len(msg.ToolCalls) != 1 || orderIDIn(msg.ToolCalls[0].Arguments) != "ORD-10012" {
			t.Errorf("%s %q: %s, want ORD-10012 (the order with a second item)", tt.locale, tt.text, describe(msg))
		}
	}
}

// "The rest" and "the other" said of an order's items or of the problem
// are no question about another order: the order discussed, whose item
// the buyer names, stays the one served.
func TestOtherSaidOfItemsIsNoOtherOrder(t *testing.T) {
	m := newModel(t)
	b, err := json.Marshal(tools.OrderList{Orders: []tools.OrderRow{
		{ID: "ORD-10002", Status: "delivered", Items: "Camp chair ×1", Lines: 1},
		{ID: "ORD-10001", Status: "delivered", Items: "Desk lamp ×1, USB cable ×2", Lines: 2},
	}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ locale, first, follow string }{
		{"en", "ORD-10001 the lamp doesn't switch on", "the rest is fine, just give me back what the lamp cost"},
		{"ko", "ORD-10001 램프가 안 켜져요", "나머지는 괜찮아요 램프 값만 환불해 주세요"},
		{"es", "ORD-10001 la lámpara no enciende", "lo demás está bien, el resto me lo quedo, solo devolvedme la lámpara"},
		{"ru", "ORD-10001 лампа не включается", "остальное в порядке, другой товар оставлю, верните деньги только за лампу"},
	}
	for _, tt := range tests {
		history := []agent.Message{user(tt.first), {Role: agent.RoleAssistant, Content: "Sorry about the problem with order ORD-10001."}, user(tt.follow)}
		msg := gen(t, m, tt.locale, history...)
		if len(msg.ToolCalls) == 1 && msg.ToolCalls[0].Name == "list_orders" {
			msg = gen(t, m, tt.locale, append(history, toolMsgs("list_orders", `{"limit":20}`, agent.ToolResult{OK: true, Data: b})...)...)
		}
		// The model may still ask whether a refund is meant, or read a
		// question about the policy (the classifier's doubt); it must not
		// go looking for another order.
		if msg.Content == render(tt.locale, "no_other_order") || strings.Contains(msg.Content, "ORD-10002") ||
			(len(msg.ToolCalls) > 0 && msg.ToolCalls[0].Name != "search_policy" && orderIDIn(msg.ToolCalls[0].Arguments) != "ORD-10001") {
			t.Errorf("%s %q: %s, want the lamp's order ORD-10001 served", tt.locale, tt.follow, describe(msg))
		}
	}
}

// Where a refund or a dispute stands is asked anew only in its own words:
// "what happened to the other one?" read as a refund status is a
// follow-up, "and the refund for it?" a new request; other requests are
// new whatever they say once the classifier is sure enough.
func TestAsksAnew(t *testing.T) {
	for _, tt := range []struct {
		intent nlu.Intent
		conf   float64
		text   string
		want   bool
	}{
		{nlu.RefundStatus, 0.48, "아 경비실에 있었네요 근데 나머지 하나는 어떻게 됐어요?", false},
		{nlu.RefundStatus, 0.8, "and the other one?", false},
		{nlu.RefundStatus, 0.8, "and the refund for the other one?", true},
		{nlu.DisputeStatus, 0.8, "а по второму спор как?", true},
		{nlu.DisputeStatus, 0.8, "а по второму как?", false},
		{nlu.DisputeStatus, 0.8, "y el otro, ¿cómo va la disputa?", true},
		{nlu.CancelOrder, 0.8, "cancel that one", true},
		{nlu.CancelOrder, 0.3, "cancel that one", false},
		{nlu.OrderStatus, 0.9, "where is the other one?", false},
	} {
		if got := asksAnew(nlu.Result{Intent: tt.intent, Confidence: tt.conf, Text: tt.text}); got != tt.want {
			t.Errorf("asksAnew(%s %.2f %q) = %v, want %v", tt.intent, tt.conf, tt.text, got, tt.want)
		}
	}
}
