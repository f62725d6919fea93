package local

import "github.com/csagent/csagent/agent/local/nlu"

// "What would you suggest then?", "¿Qué me recomienda usted?", "а вы что
// посоветуете?", after the buyer told what went wrong with goods and the
// order holding them was found: the buyer asks for the options, in words
// the classifier has no intent for (it reads "out of scope", or nothing it
// is sure of), and the reply was "I can only help with your orders". The
// conversation says what the question is about: the order found, and the
// goods' story told before. The reading is the dialogue's, not the
// words': a question the classifier cannot place, right after such a
// story, gets that order's options (ownproblem.go's problemReply: a refund
// of what the goods cost until the refund window closes, a dispute until
// the dispute window does; nothing proposed until the buyer chooses).

// asksAdvice reads the buyer's message as a request for the options of
// the order the conversation is on: a question the classifier read as out
// of scope, or as nothing with confidence, with the order looked up and an
// earlier message of the buyer's naming goods. Not a supposed case, not a
// rule asked (who pays, how long, by when, a fee), not of another order,
// and not while a card waits or over a confident request read before (a
// refund of part of the order, money back wished); the question the model
// asked about the problem ("a refund or a dispute?") answered with one is
// read so. It sets the lookup itself.
func (d *dialogue) asksAdvice(cur nlu.Result) {
	if nlu.Consequential(d.intent) && d.conf >= nlu.ActionThreshold || d.intent == nlu.HumanAgent || d.lastOrder == "" || len(d.cards) > 0 || d.pendingCancel != nil || d.otherOrder || d.fact != noFact {
		return
	}
	// An unsure rule question that names no rule's subject (refund,
	// cancellation, dispute, delivery) after the story is advice asked
	// too: "그럼 어떻게 하는 게 좋을까요?" reads as a how-to.
	unsureRule := cur.Intent == nlu.PolicyQuestion && cur.Confidence < nlu.ActionThreshold && subjectsOf(d.text) == 0
	if cur.Intent != nlu.OutOfScope && cur.Confidence >= minConfidence && !unsureRule {
		return
	}
	s := cur.Slots
	if s.OrderID != "" || s.RefundID != "" || s.DisputeID != "" || s.Amount != nil || !asksSomething(cur, d.text) ||
		nlu.PlatformTopic(d.text) != "" || isBotQuestion(d.text) || nlu.Withdraws(d.text) || containsAny(cues(d.text), ifCues) {
		return
	}
	switch classifyAsk(d.text) {
	case askWhoPays, askFee, askDuration, askDeadline:
		// The fact asked is the policy's to give; "what would you
		// suggest?" reads as a list asked, "어떻게 하는 게 좋을까요?" as a
		// how-to, which they are not.
		return
	}
	if o, looked := d.looked[d.lastOrder]; looked && o.Status != "delivered" || d.served == nlu.CancelOrder {
		// Goods not delivered have no options of their own yet; after a
		// refused cancellation, "why?" asks about the refusal
		// (cancelnext.go).
		return
	}
	if len(d.earlier) == 0 || asksAfterEarlier(d.text) || len(nlu.ItemTerms(d.text)) > 0 && !d.namesGoodsOf(d.lastOrder) {
		// Another order asked after ("¿y el de la semana pasada? el
		// del bolso"): not this one's options.
		return
	}
	told := false
	for _, e := range d.earlier {
		told = told || len(nlu.ItemTerms(e)) > 0
	}
	if !told {
		return
	}
	d.intent, d.conf, d.carried = nlu.OrderStatus, 1, true
	d.slots.OrderID = d.lastOrder
	d.fact = factProblem
}
