package local

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// A question about a rule that names the buyer's order as its case (who
// pays to send it back, a fee, until when, can it still be cancelled) is
// a policy question about that order, not a request on it; a want stated
// beside it, or a supposed case, is not.
func TestAsksOwnOrderRule(t *testing.T) {
	m := newModel(t)
	for _, tt := range []struct {
		locale, text string
		want         bool
	}{
		{"en", "ORD-20561 came on monday. if i send it back who covers the postage?", true},
		{"en", "order 20562 arrived yesterday, is there a fee to return it?", true},
		{"ko", "주문 20563 어제 받았어요. 반품하면 택배비는 누가 내나요?", true},
		{"ko", "20564 아직 발송 전이죠? 취소 되나요?", true},
		{"ko", "그럼 주문 20570 취소되나요 아직 안 보냈죠", true}, // asked without a question mark
		{"es", "el pedido 20565 me llegó ayer, ¿y la devolución quién la paga?", true},
		{"ru", "заказ 20566 получила вчера. а кто тогда платит за пересылку обратно?", true},
		{"en", "I want to return ORD-20567, who pays shipping?", false},
		{"ru", "верните деньги за заказ 20568", false},
		{"es", "¿dónde está el pedido 20569?", false},
	} {
		t.Run(tt.text, func(t *testing.T) {
			r := m.parse(tt.text, tt.locale)
			if got := asksOwnOrderRule(r.Text, r); got != tt.want {
				t.Errorf("asksOwnOrderRule(%q) = %v, want %v (read %s %.2f)", tt.text, got, tt.want, r.Intent, r.Confidence)
			}
		})
	}
}

// "order 10021, got em 3 days ago. who pays shipping back?": the order is
// read, the rule searched, and the reply names the order with its own
// last day to ask for a refund; no refund card, no tracking answer.
func TestWhoPaysForAnOwnOrderNamesItsDay(t *testing.T) {
	m := newModel(t)
	for _, tt := range []struct{ locale, text, id string }{
		{"en", "order 20571, got it 2 days ago. who pays shipping back?", "ORD-20571"},
		{"ko", "주문 20572 이틀 전에 받았는데 반품 배송비는 누가 내나요?", "ORD-20572"},
		{"es", "Es el pedido 20573, llegó hace 2 días. ¿El envío de vuelta quién lo paga?", "ORD-20573"},
		{"ru", "заказ 20574 пришёл 2 дня назад. кто в этом случае оплачивает обратную доставку?", "ORD-20574"},
	} {
		t.Run(tt.locale, func(t *testing.T) {
			msgs := []agent.Message{user(tt.text)}
			first := gen(t, m, tt.locale, msgs...)
			if name, args := callArgs(t, first); name != "get_order" || args["order_id"] != tt.id {
				t.Fatalf("%q = %+v, want %s read", tt.text, first, tt.id)
			}
			until := daysAgo(-28)
			o := tools.Order{ID: tt.id, Status: "delivered", DeliveredAt: daysAgo(2), RefundUntil: until,
				Items: []tools.Item{{Line: 1, Name: "Boots", Quantity: 1, Refundable: true}}}
			data, _ := json.Marshal(o)
			msgs = append(msgs, toolMsgs("get_order", `{"order_id":"`+tt.id+`"}`, agent.ToolResult{OK: true, Data: data})...)
			second := gen(t, m, tt.locale, msgs...)
			if name, _ := callArgs(t, second); name != "search_policy" {
				t.Fatalf("after the order: %+v, want the policy searched", second)
			}
			msgs = append(msgs, toolMsgs("search_policy", `{}`, agent.ToolResult{OK: true, Data: json.RawMessage(`{"hits":[]}`)})...)
			reply := gen(t, m, tt.locale, msgs...)
			day := (&dialogue{locale: tt.locale}).day(*until)
			if len(reply.ToolCalls) > 0 || !strings.Contains(reply.Content, tt.id) || !strings.Contains(reply.Content, day) {
				t.Errorf("reply = %+v, want %s and its last day %s", reply, tt.id, day)
			}
		})
	}
}

// "20564 hasn't shipped yet, can I cancel?" tells the named order's state
// and asks whether the rule lets it be cancelled: the order, the rule,
// and the cancellation prepared as a card.
func TestCancelAskedOfAnUnshippedOwnOrder(t *testing.T) {
	m := newModel(t)
	for _, tt := range []struct{ locale, text, id string }{
		{"ko", "제 주문 20581 아직 발송 전인데 취소 되나?", "ORD-20581"},
		{"ru", "заказ 20582 ещё не отправлен, его можно отменить?", "ORD-20582"},
	} {
		t.Run(tt.locale, func(t *testing.T) {
			msgs := []agent.Message{user(tt.text)}
			o := tools.Order{ID: tt.id, Status: "paid", Total: tools.Money{Minor: 1800000, Currency: "KRW"},
				Items: []tools.Item{{Line: 1, Name: "Mug", Quantity: 1}}}
			data, _ := json.Marshal(o)
			want := []string{"get_order", "search_policy", "cancel_order"}
			results := []agent.ToolResult{{OK: true, Data: data}, {OK: true, Data: json.RawMessage(`{"hits":[]}`)}}
			for i, w := range want {
				got := gen(t, m, tt.locale, msgs...)
				name, args := callArgs(t, got)
				if name != w || (w != "search_policy" && args["order_id"] != tt.id) {
					t.Fatalf("step %d of %q = %+v, want %s", i, tt.text, got, w)
				}
				if i < len(results) {
					msgs = append(msgs, toolMsgs(name, string(got.ToolCalls[0].Arguments), results[i])...)
				}
			}
		})
	}
}
