package local

import (
	"fmt"
	"slices"
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/l10n"
)

// After a cancellation refused because the order has shipped, the buyer's
// next message that asks nothing new ("И что мне теперь делать?", "why",
// "return?", "jacket") is about that refusal, and its next step is the
// return once the order is delivered: the refund window in days and who
// pays the return shipping, from the policy, after what stands in the way
// (shipped on that day, on its way). Before, "И что мне теперь делать?"
// read as a dispute's status ("no disputes for ORD-10183"), "return?" got
// the partial-refunds passage, and one-word follow-ups were not
// understood, then handed off. Nothing is proposed: the order cannot be
// refunded before it arrives.

// whatNowCues ask what can be done, or why, with nothing else to say
// what about: after a refusal, about that refusal.
var whatNowCues = []string{
	"what now", "now what", "then what", "what next", "what do i do", "what should i do", "what can i do", "my options", " why",
	"어떻게 해야", "어떻게 하면", "어떻게 하죠", "이제 뭐", "그럼 뭐", "방법", "왜",
	"qué hago", "que hago", "qué puedo hacer", "que puedo hacer", "opciones", "y ahora", "entonces qué", "entonces que", "por qué", "por que",
	"что мне делать", "что делать", "что теперь", "варианты", "и что", "почему", "зачем",
	// What comes once the parcel is there: "so what happens when it shows
	// up?", "¿y qué pasa cuando llegue?", "и что будет, когда придёт?".
	"what happens", "what am i supposed to do", "what do i have to do", "어떻게 되", "뭘 해야", "뭐 해야",
	"qué pasa", "que pasa", "qué debo hacer", "que debo hacer", "qué tengo que hacer", "que tengo que hacer",
	"что будет", "что с ним делать", "как быть",
	// A doubt that argues the refusal ("so I'm stuck with them?", "¿y me
	// lo tengo que quedar?", "и что, теперь оставить?"): the next step,
	// however sure the classifier reads the parcel in it.
	"stuck with", "nothing i can do", "have to keep", "어쩔 수 없", "방법이 없", "그냥 받아야",
	"me lo tengo que quedar", "me la tengo que quedar", "no puedo hacer nada", "nada que hacer",
	"ничего нельзя", "ничего не сделать", "придётся оставить", "теперь оставить",
}

// shippedNextQuestions ask the policy for the return after delivery, one
// sentence per fact, by language.
var shippedNextQuestions = map[string]string{
	"en": "How many days after delivery can I request a refund? Who pays the return shipping?",
	"ko": "배송 완료 후 며칠 안에 환불을 신청할 수 있나요? 반품 배송비는 누가 내나요?",
	"es": "¿Cuántos días después de la entrega tengo para pedir un reembolso? ¿Quién paga el envío de devolución?",
	"ru": "Сколько дней после доставки можно запросить возврат средств? Кто оплачивает обратную доставку?",
}

// shippedNextLead is what stands in the way, before the policy's answer.
var shippedNextLead = map[string]string{
	"en": "Order %s shipped on %s and is on its way, so it can no longer be cancelled. Once it is delivered, you can return it:",
	"ko": "주문 %s은(는) %s에 발송되어 배송 중이므로 더 이상 취소할 수 없습니다. 배송이 완료된 후에는 반품하실 수 있습니다.",
	"es": "El pedido %s se envió el %s y está en camino, así que ya no se puede cancelar. Cuando se entregue, podrá devolverlo:",
	"ru": "Заказ %s отправлен %s и уже в пути, поэтому отменить его нельзя. Когда его доставят, его можно будет вернуть:",
}

// shippedNextAgain is the lead once the buyer has had it: the same facts,
// said as a reminder, so the follow-up after the follow-up ("why" …
// "return?") is answered again rather than handed off as a repeat.
var shippedNextAgain = map[string]string{
	"en": "As I mentioned, order %s is already on its way (it shipped on %s), so it can't be cancelled. After delivery:",
	"ko": "말씀드린 대로 주문 %s은(는) %s에 발송되어 이미 배송 중이므로 취소할 수 없습니다. 배송 완료 후에는 다음과 같습니다.",
	"es": "Como le decía, el pedido %s ya está en camino (se envió el %s), así que no se puede cancelar. Tras la entrega:",
	"ru": "Как я уже писал, заказ %s уже в пути (отправлен %s), поэтому отменить его нельзя. После доставки:",
}

// shippedNextLeadAmount and shippedNextAgainAmount are the leads with the
// money a return after delivery brings back (returnAmount): "what do I do
// then?" is answered with what the buyer gets, not only with the rule.
// The amount has a sentence of its own: beside "once it is delivered" the
// guardrails read the order as said to be delivered, and drop it.
var shippedNextLeadAmount = map[string]string{
	"en": "Order %s shipped on %s and is on its way, so it can no longer be cancelled. A return gets you %s back. Once it is delivered, you can return it:",
	"ko": "주문 %s은(는) %s에 발송되어 배송 중이므로 더 이상 취소할 수 없습니다. 반품하시면 %s을(를) 돌려받으실 수 있습니다. 배송이 완료된 후에는 반품하실 수 있습니다.",
	"es": "El pedido %s se envió el %s y está en camino, así que ya no se puede cancelar. Con la devolución recibirá %s. Cuando se entregue, podrá devolverlo:",
	"ru": "Заказ %s отправлен %s и уже в пути, поэтому отменить его нельзя. При возврате вы получите обратно %s. Когда его доставят, его можно будет вернуть:",
}

// shippedNextAgainAmount is shippedNextAgain with that money.
var shippedNextAgainAmount = map[string]string{
	"en": "As I mentioned, order %s is already on its way (it shipped on %s), so it can't be cancelled. A return gets you %s back. After delivery:",
	"ko": "말씀드린 대로 주문 %s은(는) %s에 발송되어 이미 배송 중이므로 취소할 수 없습니다. 반품하시면 %s을(를) 돌려받으실 수 있습니다. 배송 완료 후에는 다음과 같습니다.",
	"es": "Como le decía, el pedido %s ya está en camino (se envió el %s), así que no se puede cancelar. Con la devolución recibirá %s. Tras la entrega:",
	"ru": "Как я уже писал, заказ %s уже в пути (отправлен %s), поэтому отменить его нельзя. При возврате вы получите обратно %s. После доставки:",
}

// returnAmount is what a return of all of order o's refundable goods not
// yet refunded brings back; zero when none can be.
func returnAmount(o tools.Order) tools.Money {
	m := tools.Money{Currency: o.Total.Currency}
	for _, it := range o.Items {
		if it.Refundable && it.Quantity > it.RefundedQuantity {
			m.Minor += it.UnitPrice.Minor * int64(it.Quantity-it.RefundedQuantity)
		}
	}
	return m
}

// shippedOrder returns the order whose cancellation the conversation was
// refused because it has shipped, when the buyer's message follows that
// refusal up: the last request served was the cancellation, the order as
// looked up is on its way, and the message names no other order, id or
// amount and asks nothing of another kind with confidence.
func (d *dialogue) shippedOrder() (tools.Order, bool) {
	if d.served != nlu.CancelOrder || d.carried && !d.arrivalAfterRefusal() || d.otherOrder {
		return tools.Order{}, false
	}
	o, ok := d.looked[d.lastOrder]
	if !ok || o.Status != "shipped" || o.ShippedAt == nil {
		return tools.Order{}, false
	}
	s := d.slots
	if (s.OrderID != "" && normOrder(s.OrderID) != o.ID) || s.RefundID != "" || s.DisputeID != "" || s.Amount != nil {
		return tools.Order{}, false
	}
	if disputeReason(s.Reason) != "" && s.Reason != nlu.ReasonNotReceived {
		// A fault with the goods ("it arrived broken") is a request of
		// its own.
		return tools.Order{}, false
	}
	switch d.intent {
	case nlu.OrderStatus, nlu.DeliveryProblem, nlu.OutOfScope, nlu.DisputeStatus, nlu.RefundStatus:
		// What a follow-up reads as, unsure: "what now?" as a dispute's
		// status, "jacket" as out of scope.
		if d.conf >= nlu.ActionThreshold && d.intent != nlu.OutOfScope && d.intent != nlu.DisputeStatus && !d.arrivalAfterRefusal() {
			return tools.Order{}, false
		}
	case nlu.PolicyQuestion, nlu.RefundRequest:
		// "return?", "so can I return it then?": the return after
		// delivery; another topic is a question of its own.
		// Read unsure ("so I'm stuck with it? how do I know you're not
		// just saying that"), it argues the refusal just given.
		low := " " + strings.ToLower(nlu.Cyrillic(d.text)) + " "
		if d.conf >= minConfidence && !containsAny(low, returnAskWords) && !containsAny(low, whatNowCues) && len(strings.Fields(d.text)) > 4 {
			return tools.Order{}, false
		}
	default:
		if d.conf >= minConfidence {
			return tools.Order{}, false
		}
	}
	return o, true
}

// arrivalAfterRefusal reports whether the message, read as a question
// about the order's delivery because it speaks of the parcel ("what do I
// do when it arrives?", "so I'm stuck with it?", orderfact.go), follows
// the refusal up instead: it asks what to do, or, read so by
// orderFollowUp, alone it was not understood. Where the parcel is ("when
// will it get here?") stays the delivery's question.
func (d *dialogue) arrivalAfterRefusal() bool {
	if d.intent != nlu.OrderStatus {
		return false
	}
	low := " " + strings.ToLower(nlu.Cyrillic(d.text)) + " "
	if containsAny(low, whatToDoCues) {
		return true
	}
	return slices.Contains(readerNames(d.readBy), "orderFollowUp") && (containsAny(low, whatNowCues) || d.cur.Confidence < minConfidence)
}

// whatToDoCues ask what to do, or what comes next, however sure the
// reading of a question about the order's delivery: "so what happens when
// it shows up?" asks the next step; "why is it taking so long?" (a why,
// among whatNowCues) asks where the parcel is.
var whatToDoCues = []string{
	"what now", "now what", "then what", "what next", "what do i do", "what should i do", "what can i do", "what happens",
	"what am i supposed to do", "what do i have to do",
	"어떻게 해야", "어떻게 하면", "어떻게 하죠", "뭘 해야", "뭐 해야", "어떻게 되",
	"qué hago", "que hago", "qué puedo hacer", "que puedo hacer", "qué pasa", "que pasa", "qué debo hacer", "que debo hacer",
	"qué tengo que hacer", "que tengo que hacer",
	"что мне делать", "что делать", "что теперь", "что будет", "что с ним делать", "как быть",
}

// shippedNextStep serves a follow-up to a refused cancellation of a
// shipped order (shippedOrder): the order looked up again (its state now
// is the evidence), the policy asked for the return after delivery, then
// the reply. ok is false for any other message.
func (d *dialogue) shippedNextStep() (agent.Message, bool) {
	o, ok := d.shippedOrder()
	if !ok || !d.has("get_order") || !d.has("search_policy") {
		return agent.Message{}, false
	}
	now, looked := d.turnOrder(o.ID)
	switch {
	case !looked && len(d.results) == 0:
		return call("get_order", map[string]string{"order_id": o.ID}), true
	case !looked || now.Status != "shipped" || now.ShippedAt == nil:
		// Delivered or cancelled meanwhile: answered as the order is.
		return agent.Message{}, false
	}
	q := shippedNextQuestion(d.locale, now) // the goods decide (shippedexcluded.go)
	last := d.results[len(d.results)-1]
	switch {
	case last.name == "get_order":
		return call("search_policy", map[string]any{"query": q, "k": policySearchK, "locale": d.locale}), true
	case last.name == "search_policy" && last.result.OK:
		// The answer is composed for the questions asked of the policy,
		// not for "what now?": the facts it must carry are theirs.
		text := d.text
		d.text = q
		policy := d.policyReply(last.result.Data)
		d.text = text
		first, again, args := shippedNextLead, shippedNextAgain, []any{now.ID, d.day(*now.ShippedAt)}
		if back := returnAmount(now); back.Minor > 0 {
			first, again, args = shippedNextLeadAmount, shippedNextAgainAmount, append(args, money(d.locale, back))
		}
		lead := shippedLead(first, d.locale, args...)
		if strings.Contains(d.prevReply, lead) {
			lead = shippedLead(again, d.locale, args...)
		}
		if nothingRefundable(now) {
			args := []any{now.ID, d.day(*now.ShippedAt), goodsNames(now)}
			if lead = shippedLead(shippedExcludedLead, d.locale, args...); strings.Contains(d.prevReply, lead) {
				lead = shippedLead(shippedExcludedAgain, d.locale, args...)
			}
		}
		policy.Content = lead + " " + policy.Content
		return policy, true
	}
	return agent.Message{}, false
}

// shippedLead renders the lead of table in locale with args: the order,
// the day it shipped and, for the tables with an amount, the money back.
func shippedLead(table map[string]string, locale string, args ...any) string {
	t, ok := table[locale]
	if !ok {
		t = table["en"]
	}
	out := fmt.Sprintf(t, args...)
	if locale == "ko" {
		out = l10n.Particles(out)
	}
	return out
}
