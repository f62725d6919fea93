package local

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// "Who pays shipping when I return shoes that don't fit?" is asked by a
// buyer about to send something back: the return-shipping table answers
// the question, but the buyer also needs to know whether the return is
// still possible at all, and the answer that leaves out the window sends
// them back with a second question. So an answer to who pays for a
// return ends with the refund window in days, quoted from the policy's
// own section when the search found it, else stated from the number the
// tools enforce (tools.RefundWindow), and cited either way.

// windowHeadings are the policies' own headings of the refund window
// section, by locale.
var windowHeadings = map[string]string{
	"en": "Refund window", "ko": "환불 신청 기간", "es": "Plazo para solicitar un reembolso", "ru": "Срок запроса возврата средств",
}

// returnShippingHeadings are the policies' own headings of the return
// shipping costs section, by locale.
var returnShippingHeadings = map[string]string{
	"en": "Return shipping costs", "ko": "반품 배송비", "es": "Costo del envío de devolución", "ru": "Оплата обратной доставки",
}

// shippedHeadings are the policies' own headings of the section on
// shipped orders, by locale. That section sends the buyer to "the refund
// window" without its length ("you can request a refund within the
// refund window"): an answer quoting it names the days too, or "can a
// shipped order be cancelled?" leaves the buyer to ask how long they have.
var shippedHeadings = map[string]string{
	"en": "Shipped orders", "ko": "발송된 주문", "es": "Pedidos enviados", "ru": "Отправленные заказы",
}

// sendBackWords name sending an item back, besides returnWords.
var sendBackWords = []string{"devoluci", "devuelv", "regres", "верну", "вернё", "верне", "отправить обратно", "обратн", "돌려", "반송"}

// sendsBack reports whether text names sending an item back.
func sendsBack(text string) bool {
	t := strings.ToLower(nlu.Cyrillic(text))
	return containsAny(t, returnWords) || containsAny(t, sendBackWords)
}

// returnWindowTail returns answer, to a question asked in d.text, with
// the refund window added when the question asks who pays for a return
// (named, or answered from the return-shipping section) or the answer
// quotes the shipped-orders section (shippedHeadings), and the answer
// does not give the window already, and the citations
// with the window's. hits are all the passages the search returned.
func (d *dialogue) returnWindowTail(answer string, cites []string, hits []policyHit) (string, []string) {
	cited := func(headings map[string]string) bool {
		return slices.ContainsFunc(cites, func(c string) bool { return sameHeading(c, headings[d.locale]) })
	}
	whoPays := asksWhoPaysReturn(d.text) && (cited(returnShippingHeadings) || sendsBack(d.text))
	if !whoPays && !cited(shippedHeadings) {
		return answer, cites
	}
	heading := windowHeadings[d.locale]
	if heading == "" {
		heading = windowHeadings["en"]
	}
	days := int(tools.RefundWindow / (24 * time.Hour))
	for _, c := range cites {
		if sameHeading(c, heading) {
			return answer, cites
		}
	}
	if strings.Contains(d.prevReply, "§"+heading+"]") {
		// The reply before gave the window already.
		return answer, cites
	}
	if strings.Contains(answer, strconv.Itoa(days)) {
		return answer, cites
	}
	line, cite := render(d.locale, "rule_return_window", days), fmt.Sprintf("[refunds §%s]", heading)
	found := false
	for _, h := range hits {
		if h.DocID != "refunds" || !strings.EqualFold(strings.TrimSpace(innermost(h.HeadingPath)), heading) {
			continue
		}
		// The policy's own first sentence on the window, which names
		// the days ("You can request a refund up to 30 days after your
		// order was delivered.").
		for _, u := range parseSection(h.Text) {
			if s := sentences(u.text); len(s) > 0 && strings.Contains(s[0], strconv.Itoa(days)) {
				line = s[0]
				break
			}
		}
		if h.Citation != "" {
			cite = h.Citation
		}
		found = true
		break
	}
	if !whoPays && !found {
		// Only the policy's own words on the window, found by the
		// search: a stated line the passages found do not hold would not
		// pass the guardrails' support check.
		return answer, cites
	}
	sep := " "
	if strings.Contains(answer, "\n") {
		sep = "\n"
	}
	return strings.TrimRight(answer, "\n ") + sep + line, append(cites, cite)
}

// asksWhoPaysReturn reports whether question, or one of its asks, asks
// who pays to send an item back (askWhoPays: the policies' only who-pays
// rule is the return shipping's).
func asksWhoPaysReturn(question string) bool {
	if classifyAsk(question) == askWhoPays {
		return true
	}
	return slices.ContainsFunc(askClauses(question), func(c string) bool { return classifyAsk(c) == askWhoPays })
}

// windowTerms are the words added to the policy search of a question who
// pays for a return, or whether a shipped order can be cancelled, so that
// the window's section is found beside the return-shipping table or the
// shipped-orders rule and the window can be quoted (returnWindowTail):
// the policy's heading of the window, "" for any other question.
func (d *dialogue) windowTerms() string {
	shipped := cancelStateTerms(d.text, d.locale) == stateHeadings[stateShipped][d.locale]
	if !shipped && (!asksWhoPaysReturn(d.text) || !sendsBack(d.text)) {
		return ""
	}
	if h, ok := windowHeadings[d.locale]; ok {
		return " " + h
	}
	return ""
}
