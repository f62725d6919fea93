package local

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// A buyer who takes their request back in formal or roundabout words
// ("kindly ignore my last request", "retiro la solicitud", "отзываю
// заявку", "환불 요청은 철회할게요") says no to what waits, in the four
// languages; a message that asks for something new about another order,
// or says yes, is not read as one.
func TestConfirmationReadsRoundaboutWithdrawals(t *testing.T) {
	c := NewConfirmations(newModel(t).nlu)
	tests := []struct {
		locale, text string
		no           bool
	}{
		{"en", "Kindly ignore my last request, we found the charger after all.", true},
		{"en", "hmm actually cancel the refund, the shop is sending a new cable", true},
		{"en", "On reflection I'd rather keep my order as it is.", true},
		{"en", "I withdraw the request, sorry for the trouble", true},
		{"ko", "죄송해요 환불 요청은 철회할게요", true},
		{"ko", "아 그냥 쓸게요 반품 안 할래요", true},
		{"es", "Por favor, no tengan en cuenta mi mensaje anterior; retiro la solicitud.", true},
		{"es", "oye no me hagas la devolucion, al final me sirve", true},
		{"es", "Deseo conservar el pedido tal como está.", true},
		{"ru", "Отзываю заявку, вопрос решился сам.", true},
		{"ru", "слушай, отмени возврат, брат заберёт себе", true},
		{"ru", "Прошу не отменять заказ, планы изменились обратно.", true},
		{"en", "scrap that, leave the order alone", true},
		{"es", "olvida la devolución, ya no hace falta", true},
		{"ru", "погоди, не делайте ничего, возврат больше не нужен", true},
		{"ko", "아 없던 일로 해주세요 그냥 가지고 있을게요", true},
		// Not withdrawals: a yes, a new request naming its order, and
		// no longer needing the goods, which is the refund's reason.
		{"en", "yes please go ahead", false},
		{"es", "cancela el reembolso del ORD-10042 y haz el del ORD-10043", false},
		{"en", "I no longer need the jacket, can I get a refund", false},
		{"es", "ya no necesito el bolso, quiero devolverlo", false},
		{"ru", "шарф больше не нужен, хочу вернуть", false},
		{"ko", "담요가 필요 없어졌어요 환불해 주세요", false},
	}
	for _, tt := range tests {
		_, no := c.Confirmation(tt.text, tt.locale)
		if no != tt.no {
			t.Errorf("%s %q: no = %v, want %v", tt.locale, tt.text, no, tt.no)
		}
	}
}

// A cancellation asked for in the formal, nominal way ("I would like to
// request the cancellation of…", "solicito la cancelación…", "취소 요청
// 드립니다", "прошу отмены заказа") is proposed as a cancellation of the
// order named, not read as a status question; one that quotes what was
// paid is still a cancellation.
func TestFormalCancellationIsProposed(t *testing.T) {
	m := newModel(t)
	tests := []struct{ locale, text string }{
		{"en", "Dear team, I would like to request the cancellation of ORD-10042, as my plans have changed."},
		{"en", "Requesting cancellation of order 10042 please, it was a duplicate purchase."},
		{"ko", "10042 주문 취소 요청 드립니다. 결제한 금액 45,000원 확인도 부탁드립니다."},
		{"es", "Buenas tardes, solicito la cancelación del pedido 10042, realizado esta mañana por error."},
		{"ru", "Здравствуйте. Прошу отмены заказа 10042, оформленного по ошибке."},
	}
	for _, tt := range tests {
		msg := gen(t, m, tt.locale, user(tt.text))
		if len(msg.ToolCalls) != 1 || msg.ToolCalls[0].Name != "cancel_order" || orderIDIn(msg.ToolCalls[0].Arguments) != "ORD-10042" {
			t.Errorf("%s %q: %s, want cancel_order for ORD-10042", tt.locale, tt.text, describe(msg))
		}
	}
}

// After a cancellation is called off, a buyer who checks that the order
// still ships is told nothing was cancelled and, for a paid order, that it
// has not shipped and is being prepared, not just its status word.
func TestCalledOffCancellationSaysTheOrderStillShips(t *testing.T) {
	m := newModel(t)
	order := tools.Order{ID: "ORD-10042", Status: "paid", Total: tools.Money{Minor: 4500, Currency: "USD"}}
	declined := agent.ToolResult{OK: true, PendingConfirmation: true, Decision: "declined", Data: []byte(`{"order_id":"ORD-10042"}`)}
	tests := []struct{ locale, check string }{
		{"en", "just to be sure, it has not been cancelled and will ship as planned?"},
		{"ko", "그럼 주문은 취소되지 않은 거 맞죠?"},
		{"es", "¿me confirma que sigue vigente y que no se canceló?"},
		{"ru", "то есть заказ остаётся в силе, верно?"},
	}
	for _, tt := range tests {
		history := append([]agent.Message{user("cancel ORD-10042")}, toolMsgs("get_order", `{"order_id":"ORD-10042"}`, orderResult(t, order))...)
		history = append(history, toolMsgs("cancel_order", `{"order_id":"ORD-10042"}`, declined)...)
		history = append(history, agent.Message{Role: agent.RoleAssistant, Content: "Called off."}, user(tt.check))
		msg := gen(t, m, tt.locale, history...)
		if len(msg.ToolCalls) > 0 || !strings.Contains(msg.Content, "ORD-10042") || !strings.Contains(msg.Content, droppedLine(tt.locale, "dropped_unshipped")) {
			t.Errorf("%s %q: %s, want nothing cancelled for ORD-10042 and that it has not shipped", tt.locale, tt.check, describe(msg))
		}
	}
}

// orderResult is get_order's successful result for o.
func orderResult(t *testing.T, o tools.Order) agent.ToolResult {
	t.Helper()
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	return agent.ToolResult{OK: true, Data: b}
}

// A buyer who calls off a refund or a cancellation by name when the model
// never read the request (nothing was proposed or served) is told that
// nothing was started, not handed to a person nor sent a card; the reply
// names no order no tool has found.
func TestWithdrawalOfAnUnreadRequest(t *testing.T) {
	m := newModel(t)
	tests := []struct{ locale, first, back, check string }{
		{"en", "yo so basically ORD-10042 those gloves r 2 small lol", "nah forget the refund, my cousin wants them", "so nothing got filed right?"},
		{"es", "pedido ORD-10042 lo de las botas, uf", "olvida la devolución, se las regalo a mi hermano", "¿entonces no se hizo nada?"},
		{"ru", "vernut dengi ORD-10042 perchatki malenkie", "стоп, возврат больше не нужен, отдам брату", "точно ничего не оформлено?"},
		{"ko", "ORD-10042 장갑 작아요ㅠ", "아 환불 요청 취소할게요 동생 줄게요", "그럼 아무것도 접수 안 된 거죠?"},
	}
	for _, tt := range tests {
		history := []agent.Message{user(tt.first), {Role: agent.RoleAssistant, Content: render(tt.locale, "clarify")}, user(tt.back)}
		msg := gen(t, m, tt.locale, history...)
		if len(msg.ToolCalls) > 0 || msg.Content != render(tt.locale, "withdrawn") {
			t.Errorf("%s %q: %s, want that nothing was started", tt.locale, tt.back, describe(msg))
		}
		// The check that follows is told nothing was started either.
		history = append(history, msg, user(tt.check))
		msg = gen(t, m, tt.locale, history...)
		if len(msg.ToolCalls) > 0 || msg.Content != droppedLine(tt.locale, "nothing_started") {
			t.Errorf("%s %q: %s, want that nothing was started", tt.locale, tt.check, describe(msg))
		}
	}
}

// Taking back, or checking on, an action already carried out is answered
// honestly: it was done (the order cancelled, the refund approved), never
// "nothing was requested", in the four languages.
func TestWithdrawalAfterTheActionWasDone(t *testing.T) {
	m := newModel(t)
	done := agent.ToolResult{OK: true, PendingConfirmation: true, Decision: "executed", Data: []byte(`{"order_id":"ORD-10042"}`)}
	tests := []struct{ locale, tool, ask, back, key string }{
		{"en", "cancel_order", "cancel ORD-10042", "oh no wait, never mind, I want to keep it", "already_cancelled"},
		{"ko", "request_refund", "ORD-10042 환불해 주세요", "아 잠깐만요 그냥 가지고 있을게요", "already_refunded"},
		{"es", "cancel_order", "cancela el pedido ORD-10042", "¿entonces no se canceló nada, verdad?", "already_cancelled"},
		{"ru", "request_refund", "верните деньги за заказ ORD-10042", "стоп, возврат больше не нужен", "already_refunded"},
	}
	for _, tt := range tests {
		history := append([]agent.Message{user(tt.ask)}, toolMsgs(tt.tool, `{"order_id":"ORD-10042"}`, done)...)
		history = append(history, agent.Message{Role: agent.RoleAssistant, Content: "Done."}, user(tt.back))
		msg := gen(t, m, tt.locale, history...)
		if len(msg.ToolCalls) > 0 || msg.Content != droppedLine(tt.locale, tt.key, "ORD-10042") {
			t.Errorf("%s %q: %s, want that ORD-10042's %s was already done", tt.locale, tt.back, describe(msg), tt.tool)
		}
	}
}
