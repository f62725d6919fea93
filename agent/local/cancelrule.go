package local

import (
	"slices"
	"strings"
	"unicode"

	"github.com/csagent/csagent/agent/local/nlu"
)

// Whether an order can be cancelled depends on one thing, its state: an
// order not shipped yet can be (and cancelling gives the whole amount
// back), a shipped one cannot (it is returned once delivered). The refunds
// policy says so in one subsection per state, all three under one heading,
// so a question about cancelling is answered from the subsection of the
// state it asks about: the one the question names ("an order that hasn't
// shipped yet", "después de que se envía"), or, when the buyer's own order
// is known, that order's state. Without the state's words the search and
// the composer pick whichever subsection shares most words with the
// question, and "not shipped yet" shares "shipped" with the wrong one.

// orderState is the state of an order a cancellation rule depends on.
type orderState int

const (
	stateUnknown orderState = iota
	stateUnpaid
	stateUnshipped
	stateShipped
)

// unshippedCues and shippedCues name an order's state in a question,
// folded; the unshipped ones are tried first, since "not shipped yet"
// holds "shipped".
var (
	unshippedCues = foldAll([]string{
		"not shipped", "hasn't shipped", "has not shipped", "hasnt shipped", "not been shipped", "not yet shipped", "not been sent", "hasn't been sent", "not sent", "not dispatched", "hasn't sent", "haven't sent", "has not sent", "have not sent", "hasn't … sent", "haven't … sent", "hasnt sent", "havent sent", "hasnt … sent", "havent … sent",
		"before it ships", "before it's shipped", "before it is shipped", "before shipping", "before it ship", "before they ship", "before the seller ships", "before it goes out", "unshipped",
		"발송되지 않", "발송 전", "발송 안", "배송 시작 전", "배송 시작되기 전", "배송이 시작되기 전", "발송하기 전", "배송 전", "배송되기 전", "출고 전", "출고되지 않", "안 보낸", "보내기 전",
		"no se envi", "no se ha enviado", "no se han enviado", "no ha sido enviado", "no han enviado", "no lo han enviado", "no fue enviado", "sin enviar", "antes de que se env", "antes del envio", "antes de enviar", "antes de que lo env", "antes de que la env", "antes de que lo mand", "antes de que la mand", "antes de que se mand", "antes de mandar", "no lo ha mandado", "no la ha mandado", "no lo han mandado", "no la han mandado", "no ha mandado", "no han mandado", "no lo ha enviado", "no la ha enviado",
		"не отправлен", "не отправили", "не отправил", "до отправки", "не отгружен", "не отгрузили", "пока не отправ",
	})
	shippedCues = foldAll([]string{
		"after it ships", "after it's shipped", "after it has shipped", "once it ships", "once it's shipped", "once it has shipped", "after shipping", "already shipped", "has shipped", "been shipped", "is shipped", "it's shipped", "was shipped", "sent out", "already sent", "on its way", "in transit",
		"been dispatched", "once dispatched", "once it's dispatched", "once it is dispatched", "after dispatch", "already dispatched", "is dispatched", "was dispatched", "has dispatched",
		"once it's been sent", "once it has been sent", "once it is sent", "once sent", "after it's been sent", "after it has been sent", "after it is sent",
		"발송된", "발송 후", "발송이 된", "이미 발송", "출고된", "배송 중", "보낸 후", "발송되고 나", "발송되면", "발송이 되면", "출고 후", "출고되면", "배송이 시작", "배송 시작", "배송 출발", "배송이 출발",
		"ya fue enviado", "ya se envi", "ya enviado", "ya lo enviaron", "ya salio", "despues de que se env", "despues del envio", "una vez enviado", "ya esta en camino", "en camino", "una vez que se envi", "cuando ya se envi", "cuando ya lo enviaron", "ya despachado", "una vez despachado", "despues de despachar",
		"уже отправ", "после отправки", "отправили", "в пути", "после того как отправ", "после того, как отправ", "после отгрузки", "уже отгруж",
	})
)

// paidCues say an order is paid, folded.
var paidCues = foldAll([]string{"already paid", "paid for", "i paid", "i've paid", "ive paid", "have paid", "paid order", "이미 결제", "결제한 주문", "결제 완료", "결제했", "결제를 했", "ya pagué", "ya pague", "ya pagado", "ya lo pagué", "pedido pagado", "уже оплач", "оплаченный", "оплаченного", "я оплатил", "я оплатила", "уже заплатил"})

// askedState returns the state of an order question names, folded.
func askedState(question string) orderState {
	q := " " + nlu.Fold(strings.ToLower(nlu.Cyrillic(question))) + " "
	switch {
	case slices.ContainsFunc(unshippedCues, func(c string) bool { return hasCue(q, c) }):
		return stateUnshipped
	case slices.ContainsFunc(shippedCues, func(c string) bool { return hasCue(q, c) }):
		return stateShipped
	case slices.ContainsFunc(paidCues, func(c string) bool { return hasCue(q, c) }):
		// "Cancelling an order I already paid for": paid and, with no
		// word of its shipping, not shipped, the one state a buyer
		// cancels a paid order in.
		return stateUnshipped
	}
	return stateUnknown
}

// statusState is the state of an order with the tools' status.
func statusState(status string) orderState {
	switch status {
	case "pending":
		return stateUnpaid
	case "paid":
		return stateUnshipped
	case "shipped", "delivered":
		return stateShipped
	}
	return stateUnknown
}

// stateHeadings are the policies' own headings of the subsection that
// rules on cancelling an order in each state, by locale.
var stateHeadings = map[orderState]map[string]string{
	stateUnpaid:    {"en": "orders awaiting payment", "ko": "결제 대기 중인 주문", "es": "pedidos pendientes de pago", "ru": "заказы ожидающие оплаты"},
	stateUnshipped: {"en": "paid orders that have not shipped", "ko": "결제 완료 후 발송 전인 주문", "es": "pedidos pagados que aún no se han enviado", "ru": "оплаченные но ещё не отправленные заказы"},
	stateShipped:   {"en": "shipped orders", "ko": "발송된 주문", "es": "pedidos enviados", "ru": "отправленные заказы"},
}

// asksCancelling reports whether question is about cancelling an order.
func asksCancelling(question string) bool {
	return containsAny(strings.Join(topicTerms(nlu.Cyrillic(question)), "\x00"), cancelTopics)
}

// cancelStateTerms are the policies' words for the state a question about
// cancelling names, "" when it names none or is about something else.
func cancelStateTerms(question, locale string) string {
	if !asksCancelling(question) {
		return ""
	}
	return stateHeadings[askedState(question)][locale]
}

// ownOrder names the buyer's own order: "cancel my order before it
// ships" asks for it, not about the rule.
var foldedOwnOrder = foldAll([]string{"my order", "my last order", "this order", "내 주문", "제 주문", "mi pedido", "mi orden", "este pedido", "мой заказ", "моего заказа", "мою посылку", "этот заказ"})

// cancelLead is the yes or no that opens the answer to a question whether
// an order in a state can be cancelled, "" for any other question; cites
// are the answer's citations.
func (d *dialogue) cancelLead(cites []string) string {
	if classifyAsk(d.text) != askAllowed || !asksCancelling(d.text) {
		return ""
	}
	switch askedState(d.text) {
	case stateUnpaid:
		return render(d.locale, "rule_cancel_unpaid")
	case stateUnshipped:
		return render(d.locale, "rule_cancel_unshipped")
	case stateShipped:
		if slices.ContainsFunc(cites, func(c string) bool { return sameHeading(c, stateHeadings[stateShipped][d.locale]) }) {
			// The section says it in so many words: "Once an order
			// has shipped, it can no longer be cancelled."
			return render(d.locale, "rule_no")
		}
		return render(d.locale, "rule_cancel_shipped")
	}
	return ""
}

// sameHeading reports whether citation cites a section headed heading,
// punctuation and case aside.
func sameHeading(citation, heading string) bool {
	_, h, ok := strings.Cut(citation, "§")
	if !ok {
		return false
	}
	letters := func(s string) string {
		return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " ")
	}
	return letters(h) == letters(heading)
}
