package local_test

import (
	"strings"
	"testing"

	"github.com/csagent/csagent/agent/local"
)

// The composer answers from the section that carries the kind of fact
// asked, not from a merely similar one, in every language: a fee for
// cancelling is what a cancellation charges (not the return-shipping
// table, which "fee" used to pull in); what to do about a damaged item is
// the whole procedure, its photo line included; a refund of one item of
// several is the partial-refund rule; a late parcel is the 15-day rule;
// who decides a dispute names the marketplace. The questions are this
// test's own, not the held-out sets'.
func TestPolicyComposerAnswersTheQuestionType(t *testing.T) {
	tests := []struct {
		locale, question string
		// want are facts the answer states, each with its spellings.
		want [][]string
		// not must not be in the answer.
		not string
	}{
		{"en", "Would I lose any money by cancelling my order, is there a cancellation fee?", [][]string{{"full amount", "nothing"}}, "return shipping"},
		{"ko", "주문 취소하면 취소 수수료 내야 돼요?", [][]string{{"전액", "청구되지"}}, "반품 배송비"},
		{"es", "¿Me cobran alguna comisión por cancelar el pedido?", [][]string{{"importe total", "ningún cargo", "no se cobra"}}, "envío de devolución"},
		{"ru", "Есть ли комиссия за отмену заказа?", [][]string{{"вся оплаченная сумма", "вся сумма", "не списыва"}}, "обратн"},

		{"en", "what should I do when my order comes damaged?", [][]string{{"which order"}, {"photo"}}, ""},
		{"ko", "상품이 파손된 채로 오면 어떻게 해야 하나요?", [][]string{{"어느 주문"}, {"사진"}}, ""},
		{"es", "¿Qué hago si el producto me llega dañado?", [][]string{{"qué pedido"}, {"foto"}}, ""},
		{"ru", "Что делать, если посылка пришла повреждённой?", [][]string{{"каком заказе"}, {"фото"}}, ""},

		{"en", "Can I get money back for only one of the three things in my order?", [][]string{{"partial"}}, ""},
		{"ko", "주문한 것 중 하나만 환불받을 수 있나요?", [][]string{{"부분 환불", "일부"}}, ""},
		{"es", "¿Puedo pedir el reembolso solo de uno de los artículos del pedido?", [][]string{{"parcial"}}, ""},
		{"ru", "Можно вернуть деньги только за один товар из заказа?", [][]string{{"частичн"}}, ""},

		{"en", "My parcel is delayed by weeks, what are my options?", [][]string{{"15 days"}}, ""},
		{"ko", "배송이 몇 주째 지연되고 있어요. 어떻게 해야 하죠?", [][]string{{"15일"}}, ""},
		{"es", "Mi pedido lleva semanas de retraso, ¿qué puedo hacer?", [][]string{{"15 días"}}, ""},
		{"ru", "Посылка задерживается уже несколько недель, что делать?", [][]string{{"15 дней"}}, ""},

		{"en", "Who decides a dispute in the end, and how long does it take?", [][]string{{"Maru Market"}, {"10 days"}}, ""},
		{"es", "¿Quién decide la disputa y cuánto tarda?", [][]string{{"Maru Market"}, {"10 días"}}, ""},
		{"ru", "Кто решает спор и сколько это занимает?", [][]string{{"Maru Market"}, {"10 дней"}}, ""},
	}
	p := newPolicyAgent(t)
	c, err := classifier()
	if err != nil {
		t.Fatal(err)
	}
	m := local.New(c)
	for _, tt := range tests {
		reply := p.answer(t, m, tt.locale, tt.question)
		if missing := missingFact(reply, tt.want); missing != "" {
			t.Errorf("[%s] answer to %q = %q, lacks %q", tt.locale, tt.question, reply, missing)
		}
		if tt.not != "" && strings.Contains(strings.ToLower(reply), tt.not) {
			t.Errorf("[%s] answer to %q = %q, answers from the %q section", tt.locale, tt.question, reply, tt.not)
		}
		if body, _, _ := strings.Cut(reply, " ["); strings.HasSuffix(strings.TrimSpace(body), ":") {
			t.Errorf("[%s] answer to %q = %q, ends on a colon", tt.locale, tt.question, reply)
		}
	}
}
