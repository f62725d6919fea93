package local

import (
	"strings"

	"github.com/csagent/csagent/agent/local/nlu"
)

// A second question about the rules often leaves its topic to the first:
// "who pays return shipping if something doesn't fit?" → "ok y cuántos
// días tengo? like from delivery?", "¿quién paga el envío de vuelta?" →
// "а сколько дней?". Alone it names nothing the policies cover, so it
// read as an order lookup or was not understood. Asked right after a
// question about a rule, it asks for another fact on the same topic: the
// policies are searched with the earlier question's topic joined to it.

// policyFollowUp reports whether the buyer's message, read as cur, asks
// for a policy fact (a time limit, a duration, who pays, a fee) on no
// topic of its own, right after a question about a rule that had one;
// the earlier question's topic is then added to the text searched.
func (d *dialogue) policyFollowUp(m *Model, cur nlu.Result) bool {
	if d.carried || len(d.earlier) == 0 || hasSlot(cur.Slots) || cur.Slots.LastOrder {
		return false
	}
	if cur.Intent != nlu.PolicyQuestion && cur.Confidence >= minConfidence && containsAny(" "+nlu.Fold(strings.ToLower(d.text))+" ", orderNouns) {
		// "When will my order arrive?" read with confidence asks about
		// the order; "¿y cuántos días tengo, contando desde que llega?"
		// names none, and the classifier's guess does not make it one.
		return false
	}
	if !strings.ContainsAny(d.text, "?？") && cur.Act != nlu.ActQuestion {
		return false
	}
	switch classifyAsk(d.text) {
	case askDeadline, askDuration, askWhoPays, askFee:
	default:
		return false
	}
	if len(topicTerms(nlu.Cyrillic(d.text))) > 0 || containsAny(" "+strings.ToLower(d.text)+" ", policyNouns) {
		return false // a topic of its own: asksPolicy reads it
	}
	prev := d.earlier[len(d.earlier)-1]
	pr := m.parse(prev, d.locale)
	if pr.Slots.OrderID != "" || !(pr.Intent == nlu.PolicyQuestion || asksPolicy(pr.Text, pr, "")) {
		return false
	}
	topics := topicTerms(nlu.Cyrillic(pr.Text))
	if len(topics) == 0 {
		return false
	}
	for i, t := range topics {
		if words, ok := sameTopic[t]; ok && words[d.locale] != "" {
			// The buyer switched language ("who pays…?" → "¿y cuántos
			// días tengo?"): the policies are searched in this one's.
			topics[i] = words[d.locale]
		}
	}
	d.text = strings.TrimSpace(d.text) + " (" + strings.Join(topics, ", ") + ")"
	return true
}

// sameTopic gives the main topics of the policies in each language, for a
// follow-up asked in another language than the question it follows.
var sameTopic = func() map[string]map[string]string {
	rows := []map[string]string{
		{"en": "refund", "ko": "환불", "es": "reembolso", "ru": "возврат средств"},
		{"en": "cancelling an order", "ko": "주문 취소", "es": "cancelar un pedido", "ru": "отмена заказа"},
		{"en": "open a dispute", "ko": "분쟁을 제기", "es": "abrir una disputa", "ru": "открыть спор"},
		{"en": "return shipping pays", "ko": "반품 배송비 부담", "es": "envío de devolución paga", "ru": "оплачивает обратную доставку"},
	}
	out := map[string]map[string]string{}
	for _, r := range rows {
		for _, t := range r {
			out[t] = r
		}
	}
	return out
}()

// orderNouns name an order, a parcel or a purchase, folded: a question
// that names one asks about it rather than following up on a rule.
var orderNouns = []string{" order", " package", " parcel", " delivery", " pedido", " paquete", " envio", " compra",
	" заказ", " посылк", " доставк", "주문", "택배", "배송"}
