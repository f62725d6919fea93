package local

import (
	"encoding/json"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// hasAmount finds money in a message, not an order's id nor a count of
// days.
func TestHasAmount(t *testing.T) {
	for text, want := range map[string]bool{
		"can i get the 50 back":    true,
		"¿me devolvéis los 12,50?": true,
		"верните 3000":             true,
		"3만원 돌려주세요":                true,
		"it came 10 days ago":      false,
		"пришёл 3 дня назад":       false,
		"hace 2 semanas":           false,
		"ORD-10042 please":         false,
		"the second time i write":  false,
		"배송된 지 5일 됐어요":             false,
	} {
		if got := hasAmount(text); got != want {
			t.Errorf("hasAmount(%q) = %v, want %v", text, got, want)
		}
	}
}

// A buyer asks for the money of the order under discussion back without
// the word "refund" or an order number ("any chance of getting the 25
// back?", "¿me devolvéis los 12,50?", "можно получить 1500 обратно?"),
// after the order was only tracked: the order is read, and as the refund
// rules refuse what it holds, the tools are asked, so their refusal
// answers with the rule and the next step. Before, the ask got a how-to passage, "I didn't
// understand" or the per-order limit. An order the rules would refund
// brings no refund call (and so no card) by this reading.
func TestMoneyBackForTheOrderUnderDiscussion(t *testing.T) {
	m := newModel(t)
	order := func(id, category, name string, refundable bool) tools.Order {
		return tools.Order{ID: id, Status: "delivered", ShopName: "Casa Sol", DeliveredAt: daysAgo(5),
			Items: []tools.Item{{Line: 1, Name: name, Quantity: 1, Refundable: refundable, Category: category}}}
	}
	tests := []struct {
		name, locale, intro, ask string
		o                        tools.Order
		refund                   bool
	}{
		{"gift card, en", "en", "i bought a gift card last week, ORD-10140", "any chance of getting the 25 back? nobody has used it",
			order("ORD-10140", "gift card", "Gift card", false), true},
		{"digital, ko", "ko", "ORD-10141 전자책 샀는데요", "그냥 3만원 돌려받을 수 있을까요?",
			order("ORD-10141", "digital", "전자책", false), true},
		{"personalised, es", "es", "compré una taza con mi nombre, pedido ORD-10142", "¿me devolvéis los 12,50 y ya está?",
			order("ORD-10142", "personalised", "Taza con nombre", false), true},
		{"personalised, ru", "ru", "заказывала кружку с именем, заказ ORD-10143", "можно её сдать и получить 1500 обратно?",
			order("ORD-10143", "personalised", "Кружка с именем", false), true},
		// Not "¿me devolvéis los 12,50?": read as "¿me devuelven…?", that
		// asks for the refund itself, at the action threshold, and a
		// refundable order then gets the ordinary refund card.
		{"refundable, es", "es", "me llegó la lámpara, pedido ORD-10144", "¿hay forma de recuperar los 12,50?",
			order("ORD-10144", "home", "Lámpara", true), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shipment := map[string]any{"order_id": tt.o.ID, "status": "delivered", "delivered_at": tt.o.DeliveredAt}
			history := append([]agent.Message{user(tt.intro)}, pastCall("track_shipment", `{"order_id":"`+tt.o.ID+`"}`, shipment)...)
			history = append(history, assistant("delivered"), user(tt.ask))
			got := gen(t, m, tt.locale, history...)
			if name, args := callArgs(t, got); name == "get_order" && args["order_id"] == tt.o.ID {
				// Not looked up yet: the order is read first.
				data, _ := json.Marshal(tt.o)
				history = append(history, toolMsgs("get_order", `{"order_id":"`+tt.o.ID+`"}`, agent.ToolResult{OK: true, Data: data})...)
				got = gen(t, m, tt.locale, history...)
			}
			name, args := callArgs(t, got)
			switch {
			case tt.refund && (name != "request_refund" || args["order_id"] != tt.o.ID):
				t.Errorf("%q = %+v, want the refund of %s asked of the tools", tt.ask, got, tt.o.ID)
			case !tt.refund && (name == "request_refund" || name == "cancel_order"):
				t.Errorf("%q about a refundable order = %+v, want no action proposed by this reading", tt.ask, got)
			}
		})
	}
}

// After the rule and a next step, the buyer may still push ("they're
// boots, they shouldn't fall apart", then "so what are you going to do
// about it?"): the second follow-up is about the refusal too and gets
// the next step, though the first was read as a delivery problem. Before,
// it got the out-of-scope answer.
func TestSecondFollowUpToARefusal(t *testing.T) {
	m := newModel(t)
	o := tools.Order{ID: "ORD-10145", Status: "delivered", ShopName: "Casa Sol", DeliveredAt: daysAgo(80),
		Items: []tools.Item{{Line: 1, Name: "Boots", Quantity: 1, Refundable: true, Category: "apparel"}}}
	for _, tt := range []struct{ locale, ask, push, again string }{
		{"en", "i want my money back for ORD-10145", "they fell apart after two months, that's not normal", "so what exactly are you going to do about it"},
		{"es", "quiero que me devuelvan el dinero del ORD-10145", "me da igual el tiempo, unas botas no se rompen así", "¿y ustedes qué van a hacer al respecto?"},
		{"ru", "верните деньги за ORD-10145", "мне всё равно сколько прошло, сапоги не должны так разваливаться", "и что вы собираетесь с этим делать?"},
	} {
		t.Run(tt.locale, func(t *testing.T) {
			history := append([]agent.Message{user(tt.ask)}, pastCall("get_order", `{"order_id":"ORD-10145"}`, o)...)
			history = append(history, assistant("I can't refund order ORD-10145."), user(tt.push), assistant("The next step is the seller."), user(tt.again))
			got := gen(t, m, tt.locale, history...)
			if name, args := callArgs(t, got); name != "request_refund" || args["order_id"] != o.ID {
				t.Errorf("%q = %+v, want the refund of %s asked of the tools again for the next step", tt.again, got, o.ID)
			}
		})
	}
}

// "ORD-… the strap came loose after a week. 40 back, now" asks for the
// order's money back though it never says "refund" (and reads as a
// delivery problem): it is served as the refund
// request it is (the tools then refuse it with the window, or put it to
// the buyer as a card), not answered with the order's delivery date.
func TestNamedOrderMoneyBackIsARefund(t *testing.T) {
	m := newModel(t)
	for _, tt := range []struct{ locale, ask, id string }{
		{"en", "ORD-10150 the strap came loose after a week. 40 back, now", "ORD-10150"},
		{"ko", "ORD-10151 벌써 세 번째예요. 그냥 4만원 돌려주세요", "ORD-10151"},
		{"es", "pedido ORD-10152, ya es la tercera vez. devuélvanme los 40", "ORD-10152"},
		{"ru", "заказ ORD-10153, пишу третий раз. верните 4000", "ORD-10153"},
	} {
		t.Run(tt.locale, func(t *testing.T) {
			o := tools.Order{ID: tt.id, Status: "delivered", ShopName: "Casa Sol", DeliveredAt: daysAgo(80),
				Items: []tools.Item{{Line: 1, Name: "Kettle", Quantity: 1, Refundable: true, Category: "home"}}}
			history := []agent.Message{user(tt.ask)}
			got := gen(t, m, tt.locale, history...)
			if name, _ := callArgs(t, got); name == "get_order" {
				data, _ := json.Marshal(o)
				history = append(history, toolMsgs("get_order", `{"order_id":"`+tt.id+`"}`, agent.ToolResult{OK: true, Data: data})...)
				got = gen(t, m, tt.locale, history...)
			}
			if name, args := callArgs(t, got); name != "request_refund" || args["order_id"] != tt.id {
				t.Errorf("%q = %+v, want the refund of %s asked of the tools", tt.ask, got, tt.id)
			}
		})
	}
}
