package local

import (
	"encoding/json"
	"testing"

	"github.com/csagent/csagent/agent"
)

// The buyer's own words for what went wrong become the refund's reason, as
// the tools store it, in the four languages. A defect ("doesn't turn on")
// is stored as damaged: the tools' reasons have no separate defective.
func TestRefundReasonFromTheBuyersWords(t *testing.T) {
	m := newModel(t)
	tests := []struct{ locale, text, want string }{
		{"en", "ORD-10042 arrived smashed to pieces, refund please", "damaged"},
		{"en", "refund ORD-10042, the blender just doesn't turn on", "damaged"},
		{"en", "ORD-10042 looks nothing like the photos on the listing, I want my money back", "not_as_described"},
		{"en", "you guys sent me the wrong item in ORD-10042, refund it", "wrong_item"},
		{"en", "ORD-10042 never showed up, refund me", "not_received"},
		{"en", "I changed my mind about ORD-10042, can I get a refund", "changed_mind"},
		{"ko", "ORD-10042 상품이 깨져서 왔어요 환불해 주세요", "damaged"},
		{"ko", "ORD-10042 전원이 안 켜져요. 환불 원해요", "damaged"},
		{"ko", "ORD-10042 사진이랑 너무 달라요 환불해 주세요", "not_as_described"},
		{"ko", "ORD-10042 주문한 거랑 다른 물건이 왔어요 환불해주세요", "wrong_item"},
		{"ko", "ORD-10042 아직도 못 받았어요 환불해 주세요", "not_received"},
		{"ko", "단순 변심인데 ORD-10042 환불 가능할까요", "changed_mind"},
		{"es", "el pedido ORD-10042 llegó todo abollado, quiero un reembolso", "damaged"},
		{"es", "la batidora del ORD-10042 no enciende, devuélvanme el dinero", "damaged"},
		{"es", "lo del pedido ORD-10042 no se parece nada a la foto, quiero reembolso", "not_as_described"},
		{"es", "me mandaron otro producto en el ORD-10042, quiero mi dinero", "wrong_item"},
		{"es", "el ORD-10042 nunca llegó, quiero un reembolso", "not_received"},
		{"es", "ya no lo quiero, reembolso del ORD-10042 por favor", "changed_mind"},
		{"ru", "заказ ORD-10042 пришёл разбитым, верните деньги", "damaged"},
		{"ru", "по заказу ORD-10042: не включается, хочу возврат денег", "damaged"},
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
