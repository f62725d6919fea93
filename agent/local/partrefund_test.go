package local

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// Russian typed in Latin letters is read in Cyrillic with the soft signs
// a Latin typist drops put back, and its order numbers as typed; other
// messages are left alone.
func TestTypedRussian(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"mozhno vernut dengi za shapku iz ORD-20401?", "можно вернуть деньги за шапку из ORD-20401?"},
		{"hochu otmenit zakaz ORD-20402", "хочу отменить заказ ORD-20402"},
		{"tolko odnu verni", "только одну верни"},
		{"можно вернуть деньги?", "можно вернуть деньги?"},
		{"can I get my money back for ORD-20403?", "can I get my money back for ORD-20403?"},
	} {
		if got := typedRussian(tt.text); got != tt.want {
			t.Errorf("typedRussian(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// partOrder is a delivered order of a line bought once and a line bought
// twice, both refundable: money back for one piece of the second is
// unit (minor units of cur).
func partOrder(id, once, twice string, onceMinor, unit int64, cur string) tools.Order {
	return tools.Order{ID: id, Status: "delivered", Total: tools.Money{Minor: onceMinor + 2*unit, Currency: cur}, Items: []tools.Item{
		{Line: 1, Name: once, Quantity: 1, UnitPrice: tools.Money{Minor: onceMinor, Currency: cur}, Refundable: true},
		{Line: 2, Name: twice, Quantity: 2, UnitPrice: tools.Money{Minor: unit, Currency: cur}, Refundable: true}}}
}

// Money back for one piece of a line bought twice, asked after the
// problem was told and the order looked up, with the goods named only
// in the story or the kept part ("that one pack, the boots and the other
// socks are fine"), or in Latin-typed Russian, is a refund of that one
// piece: request_refund of line 2, quantity 1.
func TestRefundOfOnePieceToldBefore(t *testing.T) {
	m := newModel(t)
	tests := []struct {
		name, locale, story, ask string
		o                        tools.Order
	}{
		{"en that one", "en", "order ORD-20410, one of the sock packs came with a hole", "can i just get money back for that one? the boots and the other socks are fine",
			partOrder("ORD-20410", "Trail hiking boots", "Merino wool socks (3 pack)", 12900, 2400, "USD")},
		{"es ese", "es", "en el pedido ORD-20411 uno de los juegos de toallas vino roto", "¿me devuelven el dinero solo de ese? el otro juego y el bolso están bien",
			partOrder("ORD-20411", "Bolso de esparto", "Juego de toallas de algodón", 3990, 3200, "EUR")},
		{"ru latin", "ru", "v zakaze ORD-20412 odna shkatulka tresnula", "mozhno vernut dengi tolko za odnu? nabor i vtoraya shkatulka v poryadke",
			partOrder("ORD-20412", "Чайный набор", "Шкатулка из бересты", 320000, 180000, "RUB")},
		{"ko 하나만", "ko", "ORD-20413 주문한 텀블러 중에 하나가 찌그러져서 왔어요", "찌그러진 거 하나만 환불받을 수 있을까요? 나머지 텀블러랑 담요는 괜찮아요",
			partOrder("ORD-20413", "극세사 담요", "보온 텀블러", 39000, 23000, "KRW")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			order, items, raw := refundAfterStory(t, m, tt.locale, tt.story, tt.ask, tt.o)
			if order != tt.o.ID || len(items) != 1 || items[0].Line != 2 || items[0].Quantity != 1 {
				t.Errorf("%q: request_refund %s, want %s line 2 quantity 1", tt.ask, raw, tt.o.ID)
			}
		})
	}
}

// refundLine is one line of a request_refund call's items.
type refundLine struct{ Line, Quantity int }

// refundAfterStory runs the turn of ask after story told a problem with
// delivered order o and the order was looked up, answering a second
// get_order as the tool would, and returns the request_refund call's
// order, items and raw arguments; anything but that call fails the test.
func refundAfterStory(t *testing.T, m *Model, locale, story, ask string, o tools.Order) (string, []refundLine, string) {
	t.Helper()
	data, _ := json.Marshal(o)
	looked := toolMsgs("get_order", `{"order_id":"`+o.ID+`"}`, agent.ToolResult{OK: true, Data: data})
	history := append([]agent.Message{user(story)}, looked...)
	history = append(history, agent.Message{Role: agent.RoleAssistant, Content: "Order " + o.ID + " was delivered."}, user(ask))
	msg := gen(t, m, locale, history...)
	if len(msg.ToolCalls) == 1 && msg.ToolCalls[0].Name == "get_order" {
		// The order is read again this turn, for its lines.
		history = append(history, toolMsgs("get_order", string(msg.ToolCalls[0].Arguments), agent.ToolResult{OK: true, Data: data})...)
		msg = gen(t, m, locale, history...)
	}
	if len(msg.ToolCalls) != 1 || msg.ToolCalls[0].Name != "request_refund" {
		t.Fatalf("%q: %s, want request_refund", ask, describe(msg))
	}
	var args struct {
		Order string       `json:"order_id"`
		Items []refundLine `json:"items"`
	}
	if err := json.Unmarshal(msg.ToolCalls[0].Arguments, &args); err != nil {
		t.Fatal(err)
	}
	return args.Order, args.Items, string(msg.ToolCalls[0].Arguments)
}

// Asked "refund or dispute?", an answer that says which part of the order
// ("just that one, the rest is fine") chooses the refund of that part; a
// question, or an answer that names nothing of the kind, does not.
func TestScopesGoods(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"solo ese juego eh, el otro y el bolso estan bien", true},
		{"just that one, the rest is fine", true},
		{"только одну, вторая и набор нормальные", true},
		{"그거 하나만요, 나머지는 괜찮아요", true},
		{"what's the difference between the two?", false},
		{"i'm not sure", false},
	} {
		if got := scopesGoods(newModel(t).nlu.Parse(tt.text, ""), tt.text); got != tt.want {
			t.Errorf("scopesGoods(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// A yes typed after the refund or cancellation ran, with nothing waiting,
// is told what was done: its id, amount and order.
func TestYesAfterDone(t *testing.T) {
	for _, tt := range []struct {
		locale string
		c      card
		want   []string
	}{
		{"en", card{tool: "request_refund", refund: &tools.Refund{ID: "RF-AB12CD34", OrderID: "ORD-20420", Amount: tools.Money{Minor: 2400, Currency: "USD"}}}, []string{"RF-AB12CD34", "$24.00", "ORD-20420"}},
		{"ru", card{tool: "request_refund", refund: &tools.Refund{ID: "RF-EF56GH78", OrderID: "ORD-20421", Amount: tools.Money{Minor: 180000, Currency: "RUB"}}}, []string{"RF-EF56GH78", "1 800", "ORD-20421"}},
		{"es", card{tool: "cancel_order", cancel: &tools.Cancellation{OrderID: "ORD-20422", Refund: &tools.Refund{Amount: tools.Money{Minor: 4800, Currency: "EUR"}}}}, []string{"ORD-20422", "48,00"}},
		{"ko", card{tool: "cancel_order", cancel: &tools.Cancellation{OrderID: "ORD-20423"}}, []string{"ORD-20423", "취소"}},
	} {
		d := &dialogue{locale: tt.locale, cards: []card{tt.c}}
		msg, ok := d.yesAfterDone()
		for _, w := range tt.want {
			if !ok || !strings.Contains(msg.Content, w) {
				t.Errorf("%s yesAfterDone = %q (%v), want %q in it", tt.locale, msg.Content, ok, w)
			}
		}
	}
	waiting := &dialogue{locale: "en", cards: []card{{tool: "request_refund", preview: tools.ActionPreview{Action: "refund", OrderID: "ORD-20424"}}}}
	if _, ok := waiting.yesAfterDone(); ok {
		t.Errorf("yesAfterDone with a card waiting = true, want false (the agent takes that yes)")
	}
}

// Of one line bought twice, "the second one is fine, I keep it; money back
// only for the broken one" is a refund of one piece even when the kept
// clause names the goods by a generic noun ("set", "набор", "juego",
// "세트") that is no catalogue item of its own: keptLines matches it
// against the order's own line.
func TestKeptSecondPieceByGenericNoun(t *testing.T) {
	m := newModel(t)
	one := func(id, name string, unit int64, cur string) tools.Order {
		return tools.Order{ID: id, Status: "delivered", Total: tools.Money{Minor: 2 * unit, Currency: cur}, Items: []tools.Item{
			{Line: 1, Name: name, Quantity: 2, UnitPrice: tools.Money{Minor: unit, Currency: cur}, Refundable: true}}}
	}
	for _, tt := range []struct {
		name, locale, story, ask string
		o                        tools.Order
	}{
		{"ru набор", "ru", "Заказ ORD-20420, два чайных набора. В одном треснул чайник.", "Второй набор в порядке, его оставляю. Верните деньги только за треснувший.",
			one("ORD-20420", "Чайный набор", 320000, "RUB")},
		{"en pair", "en", "ORD-20421 - I got two pairs of the hiking boots, one pair has a torn sole.", "The second pair is fine, I'm keeping it. Refund just the torn one please.",
			one("ORD-20421", "Trail hiking boots", 12900, "USD")},
		{"es juego", "es", "Pedido ORD-20422: compré dos juegos de toallas y uno llegó manchado.", "El segundo juego está bien, me lo quedo. Devuélvanme solo el manchado.",
			one("ORD-20422", "Juego de toallas de algodón", 3200, "EUR")},
		{"ko 다른 하나", "ko", "ORD-20423 주문에서 보온 텀블러 두 개 왔는데 하나가 찌그러져 있어요.", "다른 하나는 괜찮아서 그냥 쓸게요. 찌그러진 것만 환불해 주세요.",
			one("ORD-20423", "보온 텀블러", 23000, "KRW")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			order, items, raw := refundAfterStory(t, m, tt.locale, tt.story, tt.ask, tt.o)
			if order != tt.o.ID || len(items) != 1 || items[0].Line != 1 || items[0].Quantity != 1 {
				t.Errorf("%q: request_refund %s, want %s line 1 quantity 1 (one piece of two)", tt.ask, raw, tt.o.ID)
			}
		})
	}
}
