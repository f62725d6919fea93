package local

import (
	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// A refund asked of an order already refunded in full ("환불" → the order
// number; "can I get a refund status on ORD-10149? just want to confirm
// it's been processed and the amount") is refused by the tool, and "this
// order has already been refunded in full" names neither the order nor
// the money: the buyer asking whether it went through learns nothing they
// can check. The refund made is looked up and shown instead, with its
// order, amount, state and day, after the line that says it was refunded.

// refundedAlready looks up the refunds of the order whose refund the tool
// just refused as already made. ok is false for any other result, or when
// they were looked up this turn already.
func (d *dialogue) refundedAlready() (agent.Message, bool) {
	last := d.results[len(d.results)-1]
	order := orderIDIn(last.args)
	if last.name != "request_refund" || last.result.OK || last.result.Error == nil || order == "" ||
		tools.Code(last.result.Error.Code) != tools.CodeAlreadyRefunded || !d.has("get_refund_status") || d.calledThisTurn("get_refund_status") {
		return agent.Message{}, false
	}
	return call("get_refund_status", map[string]string{"order_id": order}), true
}

// refundedAlreadyNote puts the line that the order was already refunded
// before msg, the reply to the refunds looked up after such a refusal.
func (d *dialogue) refundedAlreadyNote(msg agent.Message) agent.Message {
	if msg.Content == "" || len(d.results) < 2 || d.results[len(d.results)-1].name != "get_refund_status" {
		return msg
	}
	prev := d.results[len(d.results)-2]
	if prev.name != "request_refund" || prev.result.Error == nil || tools.Code(prev.result.Error.Code) != tools.CodeAlreadyRefunded {
		return msg
	}
	msg.Content = render(d.locale, "already_refunded") + " " + msg.Content
	return msg
}
