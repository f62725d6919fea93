package local

import (
	"strings"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// A buyer asks first whether something can be returned ("А мёд можно
// вернуть?", "xq no me deja devolver el aceite??", "cuánto tiempo tengo
// pa devolver unas sandalias") and then tells their own case: "Банку я
// открывала, попробовала", "es el 10090, lo abrí y no me gusta el
// sabor", "son del pedido 10092, me llegaron hace 3 días". Alone, the
// second message asks nothing the classifier can name; after the
// question it is the buyer's case for it, and the order settles it: an
// order the refund rules refuse (opened food, past the window) is asked
// of the tools, whose refusal gives the rule and the next step; an order
// still within the window gets its own last day and the offer to start
// the return. It is never a refund card by itself: the buyer asks for
// that in so many words.

// readReturnCase reports whether the buyer's message, read as cur, tells
// their case after their previous message asked whether something can be
// returned: a statement (no question, no want) that is no clear request
// of another kind.
func (d *dialogue) readReturnCase(m *Model, cur nlu.Result) bool {
	if d.carried || len(d.earlier) == 0 || strings.ContainsAny(d.text, "?？") {
		return false
	}
	s := cur.Slots
	if s.RefundID != "" || s.DisputeID != "" || s.Amount != nil || s.LastOrder || d.otherOrder {
		return false
	}
	switch classifyAsk(d.text) {
	case askWhoPays, askFee, askDuration, askHowTo, askList, askWhatIf:
		// "아울러 반품 배송비를 구매자가 부담하는 것인지도 안내
		// 부탁드립니다" asks the next rule, without a question mark.
		return false
	}
	switch cur.Intent {
	case nlu.OrderStatus, nlu.DeliveryProblem, nlu.OutOfScope:
	case nlu.RefundRequest:
		if cur.Confidence >= nlu.ActionThreshold {
			return false
		}
	default:
		if cur.Confidence >= minConfidence {
			return false
		}
	}
	q := " " + nlu.Fold(strings.ToLower(d.text)) + " "
	if states(q, foldedWantCues) || states(q, startCues) {
		return false
	}
	prev := d.caseQuestion()
	pr := m.parse(prev, d.locale)
	if pr.Slots.OrderID != "" || !(pr.Intent == nlu.PolicyQuestion || asksPolicy(pr.Text, pr, "")) {
		return false
	}
	low := strings.ToLower(prev)
	return containsAny(low, returnWords) || strings.Contains(low, "devoluci")
}

// caseQuestion is the buyer's message before this one, the question a
// return case answers.
func (d *dialogue) caseQuestion() string {
	if len(d.earlier) == 0 {
		return ""
	}
	return d.earlier[len(d.earlier)-1]
}

// caseWithinWindow answers a return case about delivered order o that the
// refund rules still allow: its own last day, and the offer to start the
// return, which the buyer asks for in words (returnrequest.go).
func (d *dialogue) caseWithinWindow(o tools.Order) (agent.Message, bool) {
	if !d.returnCase || o.Status != "delivered" || o.DeliveredAt == nil || o.RefundUntil == nil || time.Now().After(*o.RefundUntil) {
		return agent.Message{}, false
	}
	// The window's length is the policy's to state (with its evidence):
	// the order's own days come from the tools.
	return d.say("case_refund_until", o.ID, d.day(*o.DeliveredAt), d.day(*o.RefundUntil)), true
}
