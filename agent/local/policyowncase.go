package local

import (
	"strings"

	"github.com/csagent/csagent/agent/local/nlu"
)

// A buyer who describes an order of theirs without its number and asks a
// rule of it ("The blender I got is the wrong model. Will I have to cover
// the cost of mailing it back?", "Compré la lámpara hace dos semanas,
// ¿hasta cuándo tengo para devolverla?") asks what the policies say: who
// pays, a fee, the time limit of a return or a dispute, how long a refund
// takes. ownOrder reads such a message as a status question about the
// order it describes (a purchase told, its goods named) and lists the
// buyer's orders to pick from, which answers nothing asked; the rule
// does, and the buyer who then wants it done says so. asksOwnOrderRule
// reads the same questions of an order named by its number.

// asksDescribedOrderRule reports whether the message, which ownOrder
// read as a status question about an order it describes, asks a rule of
// it instead: a question for who pays, a fee, a time limit on the buyer
// for a return or a dispute (not whether it is "still" possible, which
// the request serves), or how long a refund or a dispute takes, with no
// want stated, no number, and no order, question or card already under
// discussion (then the order's own facts answer).
func (d *dialogue) asksDescribedOrderRule(in *input) bool {
	if !d.carried || d.intent != nlu.OrderStatus || in.open != nil || d.lastOrder != "" || len(d.cards) > 0 || d.pendingCancel != nil {
		return false
	}
	s := in.cur.Slots
	if s.OrderID != "" || s.RefundID != "" || s.DisputeID != "" || s.Amount != nil {
		return false
	}
	text := d.text
	if deliveryFact(text) != noFact {
		// "Where is my little lamp?": what ownOrder looks up.
		return false
	}
	if !strings.ContainsAny(text, "?？") && in.cur.Act != nlu.ActQuestion && !containsAny(text, koreanQuestionEnds) {
		return false
	}
	q := " " + nlu.Fold(strings.ToLower(nlu.Cyrillic(text))) + " "
	if states(q, foldedWantCues) || asksCancelling(text) {
		// A return or a cancellation wanted, or whether this order can
		// be cancelled (cancelrule.go): the request's readers decide.
		return false
	}
	if len(topicTerms(nlu.Cyrillic(text))) == 0 && !containsAny(q, policyNouns) {
		return false
	}
	process := askedSubjects(text) & (subjectRefund | subjectDispute)
	switch classifyAsk(text) {
	case askWhoPays, askFee:
	case askDeadline:
		if stillAsks(text) || !asksBuyerLimit(text) || process == 0 {
			return false
		}
	case askDuration:
		if process == 0 {
			return false // "when will it arrive?" asks about the order
		}
	default:
		return false
	}
	// The lookup ownOrder prepared is not made.
	d.carried, d.fact, d.slots.OrderID = false, noFact, ""
	return true
}
