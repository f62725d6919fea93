package local

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// The buyer's own words for what went wrong become the refund's reason, as
// the tools store it, in the four languages. A defect ("doesn't turn on")
// is stored as defective, apart from damage in transport.
func TestRefundReasonFromTheBuyersWords(t *testing.T) {
	m := newModel(t)
	tests := []struct{ locale, text, want string }{
		{"en", "ORD-10042 arrived smashed to pieces, refund please", "damaged"},
		{"en", "refund ORD-10042, the blender just doesn't turn on", "defective"},
		{"en", "ORD-10042 looks nothing like the photos on the listing, I want my money back", "not_as_described"},
		{"en", "you guys sent me the wrong item in ORD-10042, refund it", "wrong_item"},
		{"en", "ORD-10042 never showed up, refund me", "not_received"},
		{"en", "I changed my mind about ORD-10042, can I get a refund", "changed_mind"},
		{"ko", "ORD-10042 상품이 깨져서 왔어요 환불해 주세요", "damaged"},
		{"ko", "ORD-10042 전원이 안 켜져요. 환불 원해요", "defective"},
		{"ko", "ORD-10042 사진이랑 너무 달라요 환불해 주세요", "not_as_described"},
		{"ko", "ORD-10042 주문한 거랑 다른 물건이 왔어요 환불해주세요", "wrong_item"},
		{"ko", "ORD-10042 아직도 못 받았어요 환불해 주세요", "not_received"},
		{"ko", "단순 변심인데 ORD-10042 환불 가능할까요", "changed_mind"},
		{"es", "el pedido ORD-10042 llegó todo abollado, quiero un reembolso", "damaged"},
		{"es", "la batidora del ORD-10042 no enciende, devuélvanme el dinero", "defective"},
		{"es", "lo del pedido ORD-10042 no se parece nada a la foto, quiero reembolso", "not_as_described"},
		{"es", "me mandaron otro producto en el ORD-10042, quiero mi dinero", "wrong_item"},
		{"es", "el ORD-10042 nunca llegó, quiero un reembolso", "not_received"},
		{"es", "ya no lo quiero, reembolso del ORD-10042 por favor", "changed_mind"},
		{"ru", "заказ ORD-10042 пришёл разбитым, верните деньги", "damaged"},
		{"ru", "по заказу ORD-10042: не включается, хочу возврат денег", "defective"},
		{"ru", "ORD-10042 совсем не похож на фото, верните деньги", "not_as_described"},
		{"ru", "в ORD-10042 прислали другой товар, оформите возврат", "wrong_item"},
		{"ru", "заказ ORD-10042 так и не дошёл, верните деньги", "not_received"},
		{"ru", "я передумал, верните деньги за ORD-10042", "changed_mind"},
	}
	hits := map[string]int{}
	for _, tt := range tests {
		msg := gen(t, m, tt.locale, user(tt.text))
		var got string
		if len(msg.ToolCalls) == 1 && msg.ToolCalls[0].Name == "request_refund" {
			var a struct {
				Reason string `json:"reason"`
			}
			json.Unmarshal(msg.ToolCalls[0].Arguments, &a) //nolint:errcheck // a bad call fails below
			got = a.Reason
		}
		if got == tt.want {
			hits[tt.locale]++
			continue
		}
		t.Errorf("%s %q: %s, want request_refund with reason %s", tt.locale, tt.text, describe(msg), tt.want)
	}
	t.Logf("reasons mapped: en %d/6, ko %d/6, es %d/6, ru %d/6", hits["en"], hits["ko"], hits["es"], hits["ru"])
}

func describe(msg agent.Message) string {
	if len(msg.ToolCalls) > 0 {
		return msg.ToolCalls[0].Name + " " + string(msg.ToolCalls[0].Arguments)
	}
	return "reply " + msg.Content
}

// A complaint told as a story that ends by asking for the money back is a
// refund request with the story's reason, whatever the classifier makes
// of the story alone (a delivery problem, an order lookup, an unsure
// refund), in the four languages. An item the buyer says is fine makes
// the refund a change of mind.
func TestComplaintAskingForMoneyBackIsARefund(t *testing.T) {
	m := newModel(t)
	tests := []struct{ locale, text, want string }{
		{"en", "ORD-10042 — the courier marked it delivered on Friday but nothing ever reached me, nobody in the building has it. I want my money back.", "not_received"},
		{"en", "About ORD-10042: the headphones are fine, still sealed even, we just bought a pair elsewhere. Could I return them for a refund?", "changed_mind"},
		{"en", "ORD-10042 the blender worked twice and then stopped working completely. I'd like a refund please.", "defective"},
		{"ko", "ORD-10042 배송완료라고 뜨는데 아무것도 못 받았어요. 경비실에도 없어요. 환불해 주세요", "not_received"},
		{"ko", "ORD-10042 상품은 멀쩡한데 이제 쓸 일이 없어졌어요. 미개봉이에요. 환불 가능할까요?", "changed_mind"},
		{"es", "Pedido ORD-10042: el bolso no tiene nada que ver con las fotos de la tienda, parece de plástico. Quiero que me devolváis el dinero.", "not_as_described"},
		{"es", "Pedido ORD-10042: lo he pensado mejor y no lo voy a usar, sigue sin abrir. Quiero el reembolso.", "changed_mind"},
		{"ru", "Заказ ORD-10042: курьер отметил доставку, но посылку я так и не получила. Верните деньги, пожалуйста.", "not_received"},
		{"ru", "Заказ ORD-10042: чайник перестал работать через два дня. Прошу вернуть деньги.", "defective"},
	}
	for _, tt := range tests {
		msg := refundStep(t, m, tt.locale, tt.text)
		if len(msg.ToolCalls) != 1 || msg.ToolCalls[0].Name != "request_refund" {
			t.Errorf("%s %q: %s, want request_refund with reason %s", tt.locale, tt.text, describe(msg), tt.want)
			continue
		}
		var a struct {
			OrderID string `json:"order_id"`
			Reason  string `json:"reason"`
		}
		json.Unmarshal(msg.ToolCalls[0].Arguments, &a) //nolint:errcheck // checked below
		if a.OrderID != "ORD-10042" || a.Reason != tt.want {
			t.Errorf("%s %q: request_refund %s, want ORD-10042 with reason %s", tt.locale, tt.text, msg.ToolCalls[0].Arguments, tt.want)
		}
	}
}

// testOrder is ORD-10042 as get_order returns it: a wool scarf and an
// electric samovar.
func testOrder(t testing.TB) json.RawMessage {
	t.Helper()
	data, err := json.Marshal(tools.Order{ID: "ORD-10042", Status: "delivered", Items: []tools.Item{
		{Line: 1, Name: "Wool scarf", Quantity: 1, Refundable: true}, {Line: 2, Name: "Electric samovar", Quantity: 1, Refundable: true},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// refundStep answers text, and when the model first reads the order (as
// it does for a refund that names an item), answers again with the order
// (testOrder) read.
func refundStep(t *testing.T, m *Model, locale, text string) agent.Message {
	t.Helper()
	msg := gen(t, m, locale, user(text))
	if len(msg.ToolCalls) != 1 || msg.ToolCalls[0].Name != "get_order" {
		return msg
	}
	return gen(t, m, locale, append([]agent.Message{user(text)},
		toolMsgs("get_order", string(msg.ToolCalls[0].Arguments), agent.ToolResult{OK: true, Data: testOrder(t)})...)...)
}

// A general question about refunds that names a problem is no request:
// the model does not propose a refund for it.
func TestQuestionAboutBrokenItemsIsNoRefund(t *testing.T) {
	m := newModel(t)
	for _, tt := range []struct{ locale, text string }{
		{"en", "If an item arrives broken, how do refunds work?"},
		{"es", "¿Cómo funciona el reembolso si un producto llega roto?"},
		{"ru", "Если товар пришёл сломанным, как вернуть деньги?"},
	} {
		msg := gen(t, m, tt.locale, user(tt.text))
		for _, c := range msg.ToolCalls {
			if c.Name == "request_refund" {
				t.Errorf("%s %q: %s, want no refund proposed", tt.locale, tt.text, describe(msg))
			}
		}
	}
}

// An item named in the buyer's own words that matches none of the order's
// lines, without "only", says nothing about which line: the refund is the
// order's, not a question about which item. With "only" it is a question.
func TestUnmatchedItemRefundsTheOrder(t *testing.T) {
	m := newModel(t)
	tests := []struct {
		locale, text string
		wantRefund   bool
	}{
		{"en", "ORD-10042: the jewelry box came with a cracked lid, refund please", true},
		{"ru", "Заказ ORD-10042: шкатулка пришла треснутой, верните деньги", true},
		{"es", "Pedido ORD-10042: la tetera llegó rota, quiero el reembolso", true},
		{"en", "ORD-10042: refund only the jewelry box please, it came cracked", false},
	}
	for _, tt := range tests {
		msg := refundStep(t, m, tt.locale, tt.text)
		switch refund := len(msg.ToolCalls) == 1 && msg.ToolCalls[0].Name == "request_refund"; {
		case tt.wantRefund && !refund:
			t.Errorf("%s %q: %s, want request_refund for the whole order", tt.locale, tt.text, describe(msg))
		case tt.wantRefund && strings.Contains(string(msg.ToolCalls[0].Arguments), "items"):
			t.Errorf("%s %q: %s, want no items (the whole order)", tt.locale, tt.text, msg.ToolCalls[0].Arguments)
		case !tt.wantRefund && len(msg.ToolCalls) > 0:
			t.Errorf("%s %q: %s, want a question which item", tt.locale, tt.text, describe(msg))
		}
	}
}
