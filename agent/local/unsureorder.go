package local

import "github.com/csagent/csagent/agent/local/nlu"

// unsureOrder reads a message the classifier could not place, leaning to
// out of scope with too little confidence to say so, that names one of
// the buyer's orders ("Внучка помогла мне заказать валенки, заказ
// ORD-10146 … ничего больше не придёт?") as a question about that order:
// looking it up answers more than "I can only help with your orders",
// which the buyer has just named. A confident out-of-scope reading ("I
// need an invoice for ORD-10042") stays out of scope, and nothing is
// proposed: the lookup is no action.
func (d *dialogue) unsureOrder() bool {
	return d.intent == nlu.OutOfScope && d.conf < minConfidence && d.slots.OrderID != "" && d.has("get_order")
}
