package local

import (
	"encoding/json"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// A buyer who asks for a refund of an order, or to open a dispute on it,
// while a dispute on that order is already open (waiting for the seller,
// or under the platform's review) is told so: the dispute, its state, the
// seller's deadline and the decision's day, and that the money follows the
// decision. Before, the reply proposed a new refund card (which the open
// dispute makes moot) or answered "there is already an open dispute for
// this order" with nothing of it. The
// tools refuse both with a conflict (request_refund and open_dispute);
// the conflict is followed by the order's disputes (get_dispute). A
// dispute asked without its reason is still asked its reason first (a
// lookup before the question would leave the question unanswered by the
// next message's reading), and the conflict comes with the reason.

// afterDisputeCheck follows a refund or a dispute refused for a conflict
// with the order's disputes, and answers that lookup: the open dispute
// when there is one (with the seller's deadline while it is ahead, else
// the decision's day), else the conflict as the tool told it.
func (d *dialogue) afterDisputeCheck() (agent.Message, bool) {
	if len(d.results) == 0 {
		return agent.Message{}, false
	}
	last := d.results[len(d.results)-1]
	order := orderIDIn(last.args)
	if order == "" {
		return agent.Message{}, false
	}
	switch last.name {
	case "request_refund", "open_dispute":
		if e := last.result.Error; !last.result.OK && e != nil && tools.Code(e.Code) == tools.CodeConflict && d.has("get_dispute") {
			return call("get_dispute", map[string]string{"order_id": order}), true
		}
		return agent.Message{}, false
	case "get_dispute":
		if !d.conflictBefore(order) {
			return agent.Message{}, false
		}
	default:
		return agent.Message{}, false
	}
	if !last.result.OK {
		return d.explainError(last.name, last.result.Error), true
	}
	var list tools.DisputeList
	if json.Unmarshal(last.result.Data, &list) != nil {
		return d.say("tool_failed"), true
	}
	for _, x := range list.Disputes {
		if x.Status != "open" && x.Status != "under_review" {
			continue
		}
		d.lastOrder = order
		if x.Status == "open" && time.Now().Before(x.SellerRespondBy) {
			return d.say("dispute_already_open", x.OrderID, x.ID, localStatus(d.locale, x.Status), d.day(x.SellerRespondBy), d.day(x.DecideBy)), true
		}
		return d.say("dispute_already_review", x.OrderID, x.ID, localStatus(d.locale, x.Status), d.day(x.DecideBy)), true
	}
	for _, r := range d.results[:len(d.results)-1] {
		if (r.name == "request_refund" || r.name == "open_dispute") && orderIDIn(r.args) == order && !r.result.OK {
			return d.explainError(r.name, r.result.Error), true // the conflict, as before
		}
	}
	return d.say("tool_failed"), true
}

// conflictBefore reports whether this turn's lookup of order's disputes
// followed a refund or a dispute refused for a conflict.
func (d *dialogue) conflictBefore(order string) bool {
	for _, r := range d.results[:len(d.results)-1] {
		if (r.name == "request_refund" || r.name == "open_dispute") && orderIDIn(r.args) == order &&
			!r.result.OK && r.result.Error != nil && tools.Code(r.result.Error.Code) == tools.CodeConflict {
			return true
		}
	}
	return false
}
