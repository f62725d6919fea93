package local

import (
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// A refund the rules refuse (food, a personalised item, past the refund
// window) is answered with the rule and, when the buyer has stated no
// problem yet, "tell me what is wrong with ORD-10152 and I'll prepare a
// dispute". The buyer's next message that tells the fault ("y si te digo
// q la botella llegó con la tapa rota??", "it came with a crack though")
// is that answer: the dispute is prepared on that order as a card, the
// step the refusal promised. Before, the model asked which order the
// problem was about, right after naming it.

// faultAfterRefusal serves a fault the buyer states, without another
// order, after the refund of the order under discussion was refused: the
// dispute on it, while the dispute window is open. ok is false for any
// other message, or when the conversation has no such refusal.
func (d *dialogue) faultAfterRefusal() (agent.Message, bool) {
	reason := disputeReason(d.slots.Reason)
	if d.carried || reason == "" || d.otherOrder || d.slots.RefundID != "" || d.slots.DisputeID != "" || !d.has("open_dispute") {
		return agent.Message{}, false
	}
	if id := d.slots.OrderID; id != "" && normOrder(id) != d.lastOrder {
		return agent.Message{}, false
	}
	o, ok := d.refusedRefund()
	if !ok {
		return agent.Message{}, false
	}
	switch {
	case d.intent == nlu.CancelOrder && d.conf >= nlu.ActionThreshold, d.intent == nlu.HumanAgent && d.conf >= minConfidence:
		// A request of another kind, said with the fault.
		return agent.Message{}, false
	}
	return d.orderCall("open_dispute", o.ID), true
}

// refusedRefund returns the order under discussion when the buyer asked
// for its money back, the rules refused the refund and a dispute can
// still be opened: a fault told next answers that refusal
// (faultAfterRefusal), whatever other reading it has.
func (d *dialogue) refusedRefund() (tools.Order, bool) {
	o, ok := d.looked[d.lastOrder]
	now := time.Now()
	if !ok || (d.served != nlu.RefundRequest && !d.moneyAsked) || !(refundRefused(o, now) || d.askedGoodsRefused(o)) || !disputeOpen(o, now) {
		return tools.Order{}, false
	}
	return o, true
}

// askedGoodsRefused reports whether the goods of order o the buyer asked
// money back for, in their newest earlier message that names goods of o,
// are a line the rules exclude from refunds: "хочу вернуть деньги за мёд"
// of an order of honey and a tea set is refused for the honey, though the
// tea set could be refunded, and a fault told next ("в банке щепки")
// answers that refusal.
func (d *dialogue) askedGoodsRefused(o tools.Order) bool {
	names := itemNames(o)
	for i := len(d.earlier) - 1; i >= 0; i-- {
		if k := nlu.MatchItem(d.earlier[i], names); k >= 0 {
			return !o.Items[k].Refundable
		}
	}
	return false
}

// disputeOpen reports whether a dispute can still be opened on delivered
// order o at now. The tools decide; this only picks what to ask them.
func disputeOpen(o tools.Order, now time.Time) bool {
	return o.DeliveredAt != nil && now.Before(o.DeliveredAt.Add(tools.DisputeWindow))
}
