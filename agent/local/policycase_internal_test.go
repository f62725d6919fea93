package local

import (
	"strings"
	"testing"

	"github.com/csagent/csagent/agent/local/nlu"
)

// The kinds of fact this round's cues read, in the four languages:
// Russian typed in Latin letters without its soft signs, "demora" for how
// long, a time limit asked in so many words, a span of time spelled out,
// and a leading "when" that only sets the scene of a "how".
func TestClassifyAskCaseWords(t *testing.T) {
	tests := []struct {
		q    string
		want askKind
	}{
		{"refund odobren, cherez skolko dnei dengi budut na karte?", askDuration},
		{"skolko dnei idut dengi posle vozvrata?", askDuration},
		{"¿cuánto se demora el reembolso en la tarjeta?", askDuration},
		{"en cuanto tiempo demoran en devolver el dinero", askDuration},
		{"tovar prishel slomannym, v techenie kakogo vremeni mozhno pozhalovatsya?", askDeadline},
		{"Есть ли ограничение по времени на возврат?", askDeadline},
		{"¿hay un límite de tiempo para abrir una disputa?", askDeadline},
		{"the parcel came two months ago, can I open a dispute?", askDeadline},
		{"물건 받은 지 한 달 지났는데 분쟁 걸 수 있나요?", askDeadline},
		{"otmenyu zakaz, spishut komissiyu?", askFee},
		{"если отменю, что-то спишут?", askFee},
		{"a esli ne pridet, chto togda?", askWhatIf},
		{"otkryl spor, chto dalshe?", askWhatIf},
		{"who decides a dispute, the seller?", askWhatIf},
		{"the order is very late, am I entitled to anything?", askAllowed},
		{"посылка не пришла, мне что-то положено?", askAllowed},
		// "Как вернут?" typed in Cyrillic is no "как вернуть" (how to
		// return): the soft sign tells them apart there.
		{"платил бонусами и картой, как вернут? всё на карту?", askOther},
		// A leading "when" before "how" sets the scene.
		{"when an order gets refunded how does the money get split between cards?", askOther},
		{"when will my refund arrive?", askDuration},
	}
	for _, tt := range tests {
		if got := classifyAsk(tt.q); got != tt.want {
			t.Errorf("classifyAsk(%q) = %d, want %d", tt.q, got, tt.want)
		}
	}
}

// A rule question told as a case reaches the policies whatever lookup the
// classifier read; a request it is sure of, a question about the buyer's
// own order put as "check if", and a statement are left to their readers.
func TestAsksCaseRule(t *testing.T) {
	tests := []struct {
		name, text string
		intent     nlu.Intent
		conf       float64
		reason     string
		want       bool
	}{
		{"case supposed, en", "what happens if a parcel gets lost on the way? is the money returned", nlu.DeliveryProblem, 0.9, "", true},
		{"case supposed, ru", "Что делать, если заказ так и не доставили?", nlu.DeliveryProblem, 0.95, nlu.ReasonNotReceived, true},
		{"case supposed, es", "¿qué pasa si el paquete se pierde? ¿me devuelven el dinero?", nlu.RefundRequest, 0.5, "", true},
		{"case supposed, ko", "택배가 분실되면 어떻게 돼요?", nlu.DeliveryProblem, 0.6, "", true},
		{"options for a late parcel", "Three weeks and my parcel is still missing. What are my options?", nlu.DeliveryProblem, 0.6, "", true},
		{"options for a late parcel, es", "el paquete no llega, ¿qué opciones tengo?", nlu.OrderStatus, 0.6, "", true},
		{"what usually happens", "how long does a dispute usually take to be decided?", nlu.DisputeStatus, 0.8, "", true},
		{"sure request", "what happens if I cancel? cancel it now", nlu.CancelOrder, 0.95, "", false},
		{"whether, not if", "can you check if my parcel has shipped?", nlu.OrderStatus, 0.8, "", false},
		{"damaged goods' options are ownProblem's", "my mug arrived cracked, what can I do?", nlu.DeliveryProblem, 0.7, nlu.ReasonDamaged, false},
		{"no question", "my parcel never arrived", nlu.DeliveryProblem, 0.9, nlu.ReasonNotReceived, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := nlu.Result{Intent: tt.intent, Confidence: tt.conf, Slots: nlu.Slots{Reason: tt.reason}}
			asks := endsAsking(tt.text) || containsAny(tt.text, []string{"?", "？"})
			if got := asksCaseRule(tt.text, r, classifyAsk(tt.text), asks); got != tt.want {
				t.Errorf("asksCaseRule(%q) = %v, want %v (kind %d)", tt.text, got, tt.want, classifyAsk(tt.text))
			}
		})
	}
}

// A want negated across an object pronoun wants nothing ("ya no la
// quiero"); a Korean question needs no question mark.
func TestNegatedWantAndKoreanQuestions(t *testing.T) {
	for _, tt := range []struct {
		before string
		want   bool
	}{{"compré una taza y ya no la ", true}, {"i do not ", true}, {"pues la ", false}, {"", false}} {
		if got := negatedWant(tt.before); got != tt.want {
			t.Errorf("negatedWant(%q) = %v, want %v", tt.before, got, tt.want)
		}
	}
	for _, tt := range []struct {
		text string
		want bool
	}{{"이런 경우 제가 할 수 있는 게 있나요", true}, {"취소 가능할까요ㅠ", true}, {"환불해 주세요", false}} {
		if got := endsAsking(tt.text); got != tt.want {
			t.Errorf("endsAsking(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// The policies' words are added for the buyer's whole words, not for
// letters inside others: "передумала" names no food ("еду"), "не
// включается" no game key ("ключ"); a part of an order is asked against
// the whole in every language, and Latin-typed Russian finds its topic.
func TestTopicTermsWholeWordsAndPartialRefunds(t *testing.T) {
	tests := []struct {
		q        string
		want     string
		included bool
	}{
		{"я передумала, можно вернуть?", "скоропортящиеся продукты питания", false},
		{"лампа не включается, что делать?", "цифровые товары для скачивания", false},
		{"можно вернуть ключ от игры?", "цифровые товары для скачивания", true},
		{"do I have to send back the whole order for one bad mug?", "partial refunds by item", true},
		{"can I cancel the whole order?", "partial refunds by item", false},
		{"¿me devuelven parte del dinero por una taza rota?", "reembolsos parciales por artículo", true},
		{nlu.Cyrillic("mozhno vernut tolko odnu veshch?"), "частичный возврат средств по товарам", true},
		{"весь заказ возвращать или за один товар вернут?", "частичный возврат средств по товарам", true},
	}
	for _, tt := range tests {
		got := topicTerms(tt.q)
		if has := containsAny(strings.Join(got, "\x00")+"\x00", []string{tt.want + "\x00"}); has != tt.included {
			t.Errorf("topicTerms(%q) = %q, want %q included: %v", tt.q, got, tt.want, tt.included)
		}
	}
}

// A question that names one thing a list names, in the policies' words,
// is answered by that list.
func TestNamesItem(t *testing.T) {
	units := parseSection("The following items cannot be refunded:\n\n- Gift cards\n- Digital downloads\n- Perishable food\n")
	if len(units) != 1 {
		t.Fatalf("%d units, want the lead-in with its list", len(units))
	}
	if !namesItem(grams("is a gift certificate refundable? gift cards"), &units[0]) {
		t.Errorf("a question naming gift cards does not name the list's item")
	}
	if namesItem(grams("how long does a refund take?"), &units[0]) {
		t.Errorf("a question naming none of the items names one")
	}
}
