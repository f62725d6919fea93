package local

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// A return asked for as a request, whatever else the message tells: "I'd
// like to return the bag, it came a week ago", "ORD-10175 주문 건 중 전기
// 주전자에 대해 환불을 요청드리고자 합니다", "хочу вернуть шкатулку из
// заказа 10099, она какая-то мелкая", "Тогда оформите возврат на валенки",
// "oformlyat vozvrat, заказ 10121". The classifier is often unsure among
// the story's words (the days since delivery, why the goods do not suit),
// and the buyer used to be asked "a refund, or a question about the
// rules?", or told the order's last day and "tell me if you want the
// return", after asking for it in so many words. Such a request is read
// as an unsure refund, so the order (named, under discussion, or found by
// its goods among the buyer's own) is looked up and its rules settle it:
// a refund the rules refuse is asked of the tools, whose refusal gives the
// rule and the prepared alternative; any other gets its card, of the
// goods named (refundAskedOf). The card is what confirms it: reading a
// want never moves money by itself.

// requestCues are the wants and requests beside wantCues and startCues that
// ask for something to be done, folded: polite conditionals and formal
// requests.
var requestCues = foldAll([]string{
	"i'd like to return", "i would like to return", "i'd like a refund", "i would like a refund", "please return", "can you return", "could you return",
	"요청드", "요청 드", "요청합니다", "요청할게요", "요청해요", "신청드", "신청 드", "부탁드립니다", "부탁드려요", "부탁해요",
	"me gustaría devolver", "me gustaria devolver", "me gustaría un reembolso", "me gustaria un reembolso", "quisiera devolver", "deseo devolver", "quiero devolver", "querría devolver",
	"solicito la devolución", "solicito la devolucion", "solicito el reembolso", "solicitar la devolución", "solicitar la devolucion", "solicitar el reembolso",
	"хотела бы вернуть", "хотел бы вернуть", "хочу сдать", "оформля", "оформить возврат", "прошу возврат",
})

// infoCues ask to be told something, folded: a request for information,
// however politely it is put, asks no return.
var infoCues = foldAll([]string{
	"tell me", "let me know", "explain", "inform me", "information", "wondering", "want to know", "like to know", "need to know",
	"안내", "알려", "여쭙", "여쭤", "궁금", "설명", "알고 싶",
	"dígame", "digame", "infórme", "informe", "información", "informacion", "explíque", "explique", "saber si", "saber cu", "saber qu", "quiero saber", "quisiera saber",
	"подскажите", "расскажите", "объясните", "скажите", "узнать", "хочу знать", "хотела бы знать", "хотел бы знать",
})

// returnAskWords are returnWords and the Spanish noun, which returnWords
// leaves to the callers that read it.
var returnAskWords = append([]string{"devoluci"}, returnWords...)

// asksReturnDone reports whether text, read as r, asks for a return or a
// refund to be done: a return word and a want or request stated (not
// negated, asked about or supposed), no rule named, and no question of
// the rule's facts ("I want to return it: who pays the shipping?"); "она
// какая-то мелкая" says why, and asks nothing. A request of another kind
// read with confidence is that request.
func asksReturnDone(r nlu.Result, text string) bool {
	switch r.Intent {
	case nlu.RefundRequest, nlu.PolicyQuestion, nlu.DeliveryProblem, nlu.OrderStatus, nlu.OutOfScope, nlu.RefundStatus:
	default:
		if r.Confidence >= minConfidence {
			return false
		}
	}
	if r.Slots.RefundID != "" || r.Slots.DisputeID != "" {
		return false
	}
	// Russian typed in Latin letters ("oformlyat vozvrat") is read in its
	// own letters, as the classifier reads it.
	low := strings.ToLower(nlu.Cyrillic(text))
	if !containsAny(low, returnAskWords) || containsAny(low, ruleNouns) {
		return false
	}
	q := " " + nlu.Fold(low) + " "
	switch {
	case containsAny(q, infoCues):
		// "반품 배송비를 구매자가 부담하는지 안내 부탁드립니다" asks to be
		// told a rule, politely.
		return false
	case asksWhetherDone(text):
		// "환불 처리 완료됐는지 확인 부탁드립니다" asks after a refund
		// (askeddone.go).
		return false
	case states(q, startCues):
	case r.Intent == nlu.PolicyQuestion && r.Confidence >= nlu.ActionThreshold:
		// A confident question about the rules wants an answer, unless
		// it says "do it" in so many words.
		return false
	case !states(q, foldedWantCues) && !states(q, requestCues):
		return false
	}
	switch classifyAsk(indefinites.ReplaceAllString(nlu.Cyrillic(text), "")) {
	case askWhoPays, askFee, askDuration, askHowTo, askList, askWhatIf:
		return false
	}
	return true
}

// indefinites are Russian indefinite pronouns ("какая-то", "что-нибудь",
// "кто-либо"): they say "some", and ask nothing, though they begin with a
// question word.
var indefinites = regexp.MustCompile(`(?i)(как\p{L}*|что|кто|где|когда|куда|откуда|сколько|почему|зачем|чей|чья|чьё|чье|чьи)[- ](то|нибудь|либо)(\P{L}|$)`)

// readAskedReturn marks the buyer's message, read as cur, as a return
// asked for (asksReturnDone) and, unless it already reads as a sure
// refund request, as an unsure one: doubtfulRefund then settles it by the
// order. It must win over the order lookup and the "refund or rules?"
// question that the story's words bring, a lookup of the goods the buyer
// keeps included ("hágale la devolución. Lo de las toallas que siga
// igual"), and yields to an action carried from an earlier message.
func (d *dialogue) readAskedReturn(cur nlu.Result) {
	if (d.carried && nlu.Consequential(d.intent)) || !asksReturnDone(cur, d.text) {
		return
	}
	d.returnAsked, d.carried = true, false
	if asked, _ := splitKept(d.text); d.slots.OrderID == "" && d.lastOrder != "" && !d.otherOrder && len(nlu.ItemTerms(asked)) == 0 {
		// "Do the return" of the order under discussion, whatever goods
		// it says stay.
		d.slots.OrderID = d.lastOrder
	}
	if d.intent == nlu.RefundRequest && d.conf >= nlu.ActionThreshold {
		return
	}
	d.intent, d.conf = nlu.RefundRequest, max(min(d.conf, nlu.ActionThreshold-0.01), minConfidence)
}

// refundAskedOf serves a return asked for (readAskedReturn) of delivered
// order o, which the refund rules do not refuse outright: the refund of
// the goods the buyer named, or of the whole order when they named none
// of its lines, as itemRefund proposes it. The tools check it again and
// the card asks the buyer to confirm.
func (d *dialogue) refundAskedOf(o tools.Order) (agent.Message, bool) {
	if !d.returnAsked || o.Status != "delivered" || !d.has("request_refund") {
		return agent.Message{}, false
	}
	data, err := json.Marshal(o)
	if err != nil {
		return agent.Message{}, false
	}
	return d.itemRefund(data), true
}
