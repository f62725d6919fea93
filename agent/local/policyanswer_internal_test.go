package local

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestClassifyAsk(t *testing.T) {
	tests := []struct {
		q    string
		want askKind
	}{
		{"How many days do I have to return an item?", askDeadline},
		{"how long does a refund take to come back to my card?", askDuration},
		{"who pays return shipping if I changed my mind?", askWhoPays},
		{"is there a fee for returning something?", askFee},
		{"how do I return an item?", askHowTo},
		{"what can't be returned?", askList},
		{"what happens if the seller doesn't answer?", askWhatIf},
		{"can I get my money back for a custom mug?", askAllowed},
		{"환불하면 카드로 돈 들어오는 데 얼마나 걸려요?", askDuration},
		{"단순 변심이면 반품 배송비는 누가 내나요?", askWhoPays},
		{"¿Cuánto tarda en llegar el reembolso?", askDuration},
		{"¿Hasta cuándo puedo abrir una disputa?", askDeadline},
		{"Кто платит за обратную доставку?", askWhoPays},
		{"Как оформить возврат?", askHowTo},
		{"hello there", askOther},
		{"I received a broken lamp, can I still get a refund after 40 days?", askDeadline},
		{"파손된 상품 40일 지났는데 어떻게 해요?", askDeadline},
		// Accents dropped, as buyers type; "como" alone is "like".
		{"cuanto tarda el reembolso en llegar", askDuration},
		{"el reembolso vuelve a la tarjeta o como funciona", askOther},
		// Money coming back is a duration; a limit on the buyer a deadline.
		{"how many days till I see the money?", askDuration},
		{"what's the deadline to ask for my money back after delivery?", askDeadline},
		{"возврат одобрили 5 дней назад, а денег нет", askDuration},
		// Russian typed in Latin letters.
		{"skolko dnej est' chtoby vernut' tovar?", askDeadline},
		// "보내야" (must send) is no "내야" (must pay).
		{"사진 보내야 하나요?", askAllowed},
		// "which" and "when" in a sentence that tells, not asks, ask
		// nothing; "still" asks whether a time limit has passed.
		{"I bought it for her birthday, which is next month. Will it still be returnable then?", askDeadline},
		{"¿todavía puedo devolverlo?", askDeadline},
		// Cues with words between their parts.
		{"could you explain roughly how long the whole thing takes?", askDuration},
		{"Сколько вообще идёт возврат денег?", askDuration},
		{"환불 원래 이렇게 오래 걸리나요?", askDuration},
		// A claim to check; how a process goes.
		{"My friend says you can only cancel in the first hour. Is that true?", askAllowed},
		{"how does a dispute work?", askWhatIf},
		// "when" inside a clause asks no time; a time after which the
		// buyer "can" act is a time limit.
		{"is a partial refund available when only one item is broken?", askOther},
		{"сколько времени после получения можно вернуть товар?", askDeadline},
		// "ещё" (still) is a word, not the middle of "вещей".
		{"можно ли вернуть часть заказа? например из трёх вещей одну", askAllowed},
	}
	for _, tt := range tests {
		if got := classifyAsk(tt.q); got != tt.want {
			t.Errorf("classifyAsk(%q) = %d, want %d", tt.q, got, tt.want)
		}
	}
}

// A table answers with its rows, the one the question is about first; a
// lead-in whose list the chunk lost is never the answer's last words.
func TestComposeKeepsTablesAndNeverEndsOnALeadIn(t *testing.T) {
	table := policyHit{DocID: "refunds", HeadingPath: "Refunds > Return shipping costs", Citation: "[refunds §Return shipping costs]",
		Text: "When an item is sent back, who pays for return shipping depends on the reason for the return:\n\n" +
			"| Reason | Who pays |\n|---|---|\n| Item arrived damaged | Seller |\n| Change of mind (you no longer want the item) | Buyer |\n"}
	text, cites, ok := answerPolicy("who pays return shipping if I just changed my mind?", "en", []policyHit{table})
	if !ok || !strings.Contains(text, "Change of mind (you no longer want the item): Buyer") || !strings.Contains(text, "Item arrived damaged: Seller") {
		t.Fatalf("answer = %q, %v, want both rows", text, ok)
	}
	if strings.Index(text, "Buyer") > strings.Index(text, "Seller") {
		t.Errorf("answer = %q, want the change-of-mind row first", text)
	}
	if len(cites) != 1 || cites[0].Citation != table.Citation {
		t.Errorf("cites = %+v, want the table's section", cites)
	}

	cut := policyHit{DocID: "refunds", HeadingPath: "Refunds > Non-refundable items",
		Text: "Some items are special. The following items cannot be refunded:"}
	text, _, ok = answerPolicy("which items can't be refunded?", "en", []policyHit{cut})
	if ok && strings.HasSuffix(strings.TrimSpace(text), ":") {
		t.Errorf("answer = %q, ends on a lead-in", text)
	}
}

// A question for a number of days that no passage gives is answered
// "I couldn't find", with a person offered, not with a nearby sentence.
func TestPolicyReplyWithoutTheAskedFactOffersAPerson(t *testing.T) {
	hits := []policyHit{{DocID: "refunds", HeadingPath: "Refunds > Partial refunds", Citation: "[refunds §Partial refunds]",
		Text: "A refund does not have to cover the whole order. Items that have not been refunded stay eligible."}}
	data, _ := json.Marshal(map[string]any{"hits": hits})
	d := &dialogue{locale: "en", text: "How many days do I have to return an item for a refund?"}
	if got, want := d.policyReply(data).Content, render("en", "policy_none"); got != want {
		t.Errorf("policyReply = %q, want %q", got, want)
	}
}

func TestSentencesKeepParenthesesAndAbbreviations(t *testing.T) {
	got := sentences("If it has not arrived, open a dispute (см. правила «Споры»). Then wait, e.g. 3 days. Done.")
	want := []string{"If it has not arrived, open a dispute (см. правила «Споры»).", "Then wait, e.g. 3 days.", "Done."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sentences = %q, want %q", got, want)
	}
}

// A list that reads as one sentence ("which order;", "which items; and",
// "the reason") keeps its order, whatever the question is most about; a
// table's rows put the asked-about row first.
func TestComposeKeepsARunOnListInOrder(t *testing.T) {
	hit := policyHit{DocID: "refunds", HeadingPath: "Reembolsos > Cómo solicitar un reembolso", Citation: "[refunds §Cómo solicitar un reembolso]",
		Text: "Pida el reembolso al agente e indíquele:\n\n- a qué pedido se refiere la solicitud;\n- qué artículos, o qué importe, desea que se le reembolse; y\n- el motivo.\n"}
	text, _, ok := answerPolicy("¿qué artículos puedo pedir que se reembolsen?", "es", []policyHit{hit})
	if !ok {
		t.Fatalf("answerPolicy: no answer")
	}
	if i, j := strings.Index(text, "a qué pedido"), strings.Index(text, "qué artículos"); i < 0 || j < 0 || i > j {
		t.Errorf("answer = %q, want the list in its own order", text)
	}
}

// Whose time: "how long do I have" is answered by what the buyer may do
// within a time, "how long does it take" by the time something takes,
// and the seller's response time only when the question asks about the
// seller responding, whichever the search ranked first.
func TestTimeQuestionsPickWhoseTime(t *testing.T) {
	hit := func(doc, heading, text string) policyHit {
		return policyHit{DocID: doc, HeadingPath: heading, Text: text, Citation: "[" + doc + " §" + innermost(heading) + "]"}
	}
	seller := hit("disputes", "Disputes > Seller response time", "The seller must respond to a dispute within 3 days of it being opened. If the seller does not respond within 3 days, Maru Market decides the dispute based on the evidence already provided.")
	decision := hit("disputes", "Disputes > Decision time", "Maru Market decides every dispute within 10 days of the dispute being opened. Both the buyer and the seller are told the outcome.")
	limit := hit("disputes", "Disputes > Time limits for opening a dispute > All other reasons", "A dispute for any other reason (not as described, damaged, wrong item or counterfeit) can be opened up to 60 days after the order was delivered.")
	koTiming := hit("refunds", "환불 및 반품 > 환불 처리 기간", "승인된 환불은 영업일 기준 5일 이내에 원래 결제 수단으로 환불됩니다. 영업일에는 주말과 공휴일이 포함되지 않습니다.")
	koWindow := hit("refunds", "환불 및 반품 > 환불 신청 기간", "환불은 주문이 배송 완료된 후 30일 이내에 신청할 수 있습니다. 30일은 주문이 배송 완료로 표시된 날부터 계산합니다.")
	ruWindow := hit("refunds", "Возврат средств и товаров > Срок запроса возврата средств", "Запросить возврат средств можно в течение 30 дней после доставки заказа. Эти 30 дней отсчитываются с даты, когда заказ был отмечен как доставленный.")
	ruTiming := hit("refunds", "Возврат средств и товаров > Сроки поступления средств", "Одобренный возврат средств поступает на исходный способ оплаты в течение 5 рабочих дней. Выходные и праздничные дни не считаются рабочими.")
	enWindow := hit("refunds", "Refunds and returns > Refund window", "You can request a refund up to 30 days after your order was delivered. The 30 days are counted from the date the order was marked as delivered.")
	enTiming := hit("refunds", "Refunds and returns > Refund timing", "Approved refunds are sent back to the original payment method within 5 business days. Business days do not include weekends or public holidays.")
	tests := []struct {
		locale, q string
		hits      []policyHit
		want      string
	}{
		{"en", "the refund was approved last week. how long does it usually take?", []policyHit{enWindow, enTiming}, "5 business days"},
		{"en", "What is the latest a buyer may open a dispute against a seller, counted from delivery?", []policyHit{seller, decision, limit}, "60 days"},
		{"en", "my cousin says the seller always wins and it drags on for months. what's the timeline?", []policyHit{seller, decision, limit}, "10 days"},
		{"en", "how long does the seller have to respond to my dispute?", []policyHit{decision, seller, limit}, "3 days"},
		{"ko", "선물로 산 건데 3주 뒤에도 반품 가능할까요?", []policyHit{koTiming, koWindow}, "30일"},
		{"ru", "через сколько дней приходят деньги, когда возврат одобрен?", []policyHit{ruWindow, ruTiming}, "5 рабочих дней"},
	}
	for _, tt := range tests {
		text, _, ok := answerPolicy(tt.q, tt.locale, tt.hits)
		if !ok || !strings.Contains(text, tt.want) {
			t.Errorf("answerPolicy(%q) = %q, %v, want it to state %q", tt.q, text, ok, tt.want)
		}
	}
}
