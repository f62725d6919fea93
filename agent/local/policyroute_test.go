package local_test

import (
	"strings"
	"testing"

	"github.com/csagent/csagent/agent/local"
)

// A question about a rule reaches search_policy and gets its fact through
// the whole turn, whatever the topic words made the classifier guess (a
// refund-status lookup, a cancellation, a tracking request), in every
// language; a request that names what to act on or states a want is
// still served as a request.
func TestPolicyQuestionsReachThePolicies(t *testing.T) {
	p := newPolicyAgent(t)
	questions := []struct {
		locale, text string
		// fact lists acceptable spellings of the fact the reply states.
		fact []string
	}{
		{"en", "how long does it usually take for refund money to land back on my card?", []string{"5 business days"}},
		{"en", "is there a charge if I cancel before the seller ships?", []string{"full amount", "nothing"}},
		{"en", "at what point am I allowed to complain that a parcel is late?", []string{"15 days"}},
		{"en", "what happens if my parcel never turns up?", []string{"15 days"}},
		{"ko", "환불되면 돈이 카드로 들어오는 데 며칠 걸려요?", []string{"5일"}},
		{"ko", "주문 취소하면 위약금 내야 돼요?", []string{"전액", "청구되지 않"}},
		{"ko", "배송이 늦으면 언제부터 문제 제기할 수 있나요?", []string{"15일"}},
		{"es", "cuanto tarda en llegar el dinero del reembolso a mi tarjeta?", []string{"5 días hábiles"}},
		{"es", "si cancelo antes del envio me cobran algo?", []string{"importe total", "ningún cargo", "no se cobra"}},
		{"es", "el paquete no llega, a partir de cuando puedo reclamar?", []string{"15 días"}},
		{"ru", "сколько обычно идут деньги на карту после возврата?", []string{"5 рабочих дней"}},
		{"ru", "skolko dnej est' na vozvrat tovara posle dostavki?", []string{"30 дней"}},
		{"ru", "если отменить заказ до отправки, возьмут ли какую-то плату?", []string{"вся оплаченная сумма", "вся сумма", "не списыва"}},
	}
	for _, q := range questions {
		t.Run(q.locale+"/"+q.text, func(t *testing.T) {
			reply, searched := p.ask(t, q.locale, q.text)
			if !searched {
				t.Errorf("%q did not reach search_policy; reply %q", q.text, reply)
			}
			if missing := missingFact(reply, [][]string{q.fact}); missing != "" {
				t.Errorf("reply to %q = %q, want it to state %q", q.text, reply, missing)
			}
			if strings.HasSuffix(strings.TrimSpace(reply), ":") {
				t.Errorf("reply to %q ends on a colon: %q", q.text, reply)
			}
		})
	}

	requests := []struct{ locale, text string }{
		{"en", "I want to cancel my order, is there a fee?"},
		{"en", "when will my order arrive?"},
		{"es", "quiero cancelar mi pedido, cuanto tarda el reembolso?"},
		{"ko", "ORD-10005 환불 언제 들어와요?"},
	}
	for _, r := range requests {
		t.Run("request/"+r.locale+"/"+r.text, func(t *testing.T) {
			if reply, searched := p.ask(t, r.locale, r.text); searched {
				t.Errorf("%q was answered from the policies, want it served as a request: %q", r.text, reply)
			}
		})
	}
}

// A message that asks two things of a policy — do I need photos, and
// until when — gets both answered, each from its own section, through the
// answer step and the whole turn.
func TestPolicyAnswersEveryAsk(t *testing.T) {
	p := newPolicyAgent(t)
	c, err := classifier()
	if err != nil {
		t.Fatal(err)
	}
	m := local.New(c)
	questions := []struct {
		locale, text string
		facts        [][]string
	}{
		{"en", "My kettle came with a cracked lid. Do I have to send pictures? And how many days do I have to report it?", [][]string{{"photo"}, {"30 days", "60 days"}}},
		{"ko", "컵이 깨져서 왔어요. 사진 보내야 하나요? 며칠 안에 알려야 해요?", [][]string{{"사진"}, {"30일", "60일"}}},
		{"es", "la taza llegó rota. tengo que mandar fotos? cuántos días tengo para avisar?", [][]string{{"foto"}, {"30 días", "60 días"}}},
		{"ru", "кружка пришла разбитой. нужно ли фото? сколько дней есть, чтобы сообщить?", [][]string{{"фото"}, {"30 дней", "60 дней"}}},
	}
	for _, q := range questions {
		t.Run(q.locale, func(t *testing.T) {
			if reply := p.answer(t, m, q.locale, q.text); missingFact(reply, q.facts) != "" {
				t.Errorf("answer to %q = %q, want it to state %q", q.text, reply, missingFact(reply, q.facts))
			}
			if reply, _ := p.ask(t, q.locale, q.text); missingFact(reply, q.facts) != "" {
				t.Errorf("reply to %q = %q, want it to state %q", q.text, reply, missingFact(reply, q.facts))
			}
		})
	}
}
