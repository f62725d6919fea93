package local

import (
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
)

// A buyer who tells what was already done about their order — cancelled,
// refunded, a dispute opened — and that it is still not right is asking
// where it stands, not asking for it again: a second cancellation is
// refused with "that has already been done", a second dispute with "there
// is already one". Before, "Cancelé el pedido … y me siguen cobrando"
// got "Eso ya se ha hecho" and "Спор по ORD-… открыт уже 8 дней" the
// question whether to open one. A request in the imperative ("cancele",
// "отмените", "취소해 주세요") is still the request.
func TestToldDoneIsAStatusQuestion(t *testing.T) {
	m := newModel(t)
	tests := []struct {
		locale, text string
		want         nlu.Intent
	}{
		{"en", "I already cancelled ORD-30001 last week and the charge is still on my statement", nlu.OrderStatus},
		{"en", "the dispute for ORD-30002 has been open for ten days and nobody from the shop answers", nlu.DisputeStatus},
		{"ko", "ORD-30003 주문 취소했는데 아직도 결제가 안 풀렸어요", nlu.OrderStatus},
		{"ko", "ORD-30004 분쟁 신청했는데 일주일째 판매자가 아무 말이 없어요", nlu.DisputeStatus},
		{"es", "Anulé el pedido ORD-30005 el lunes y todavía veo el cargo", nlu.OrderStatus},
		{"es", "abrí una disputa por el ORD-30006 y la tienda no dice nada", nlu.DisputeStatus},
		{"ru", "я отменила заказ ORD-30007 три дня назад, а деньги так и списаны", nlu.OrderStatus},
		{"ru", "я открыл спор по ORD-30008 неделю назад, продавец не реагирует", nlu.DisputeStatus},
		{"ko", "ORD-30014 분쟁 신청한 거 어떻게 되고 있나요", nlu.DisputeStatus},
		{"ko", "ORD-30015 분쟁 제기한 건 아직 답이 없네요", nlu.DisputeStatus},
		// Requests, not accounts of what was done.
		{"es", "Cancele el pedido ORD-30009, por favor", nlu.CancelOrder},
		{"ru", "отмените заказ ORD-30010, пожалуйста", nlu.CancelOrder},
		{"ko", "ORD-30011 주문 취소해 주세요", nlu.CancelOrder},
		{"en", "please cancel ORD-30012", nlu.CancelOrder},
		// Questions whether it can be done are the rule's.
		{"ru", "Прошло пять недель с доставки ORD-30013. Спор ещё можно открыть?", nlu.PolicyQuestion},
	}
	for _, tt := range tests {
		t.Run(tt.locale+" "+tt.text, func(t *testing.T) {
			d := m.read(agent.Request{Messages: []agent.Message{user(tt.text)}, Tools: allTools, Locale: tt.locale})
			if d.intent != tt.want {
				t.Errorf("reading of %q = %s, want %s", tt.text, d.intent, tt.want)
			}
		})
	}
}

// An angry message about a named order is about that order, whatever
// else it says ("I need them for Saturday's opening"): it is looked up,
// never answered that only orders can be helped with.
func TestAngryMessageAboutAnOrderLooksItUp(t *testing.T) {
	m := newModel(t)
	for locale, text := range map[string]string{
		"en": "Writing for the third time about ORD-30020!! My sister's wedding is on Sunday and I still have nothing",
		"ko": "ORD-30021 벌써 세 번째 문의예요 이번 주말 행사에 써야 된다고요 진짜 최악",
		"es": "Es la tercera vez que escribo por el ORD-30022, lo necesito para la boda del sábado, qué vergüenza",
		"ru": "Третий раз пишу про ORD-30023, подарок нужен к субботе, это издевательство",
	} {
		reply := gen(t, m, locale, user(text))
		if name, args := callArgs(t, reply); name == "" || !strings.HasPrefix(args["order_id"].(string), "ORD-3002") {
			t.Errorf("%q = %s, want the order looked up", text, describe(reply))
		}
	}
}
