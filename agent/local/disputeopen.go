package local

import (
	"encoding/json"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// A buyer who asks for a refund of an order, or to open a dispute on it,
// while a dispute on that order is already open (waiting for the seller,
// or under the platform's review) is told so: the dispute, its state, the
// seller's deadline and the decision's day, and that the money follows the
// decision. Before, the reply proposed a new refund card (which the open
// dispute makes moot) or asked what was wrong to open a second one. The
// order's disputes are looked up (get_dispute) before the card is
// prepared; an order with none goes on to its card as before.

// disputeCheck returns the lookup of order's disputes, made once a turn
// before a refund's or a dispute's card is prepared; ok is false when it
// was made this turn (or the tool is not there).
func (d *dialogue) disputeCheck(tool, order string) (agent.Message, bool) {
	if tool != "request_refund" && tool != "open_dispute" || !d.has("get_dispute") || order == "" {
		return agent.Message{}, false
	}
	for _, r := range d.results {
		if r.name == "get_dispute" && orderIDIn(r.args) == order {
			return agent.Message{}, false
		}
	}
	return call("get_dispute", map[string]string{"order_id": order}), true
}

// afterDisputeCheck answers the lookup disputeCheck made: the open dispute
// when there is one (with the seller's deadline while it is ahead, else
// the decision's day), else the refund's or dispute's card as asked.
func (d *dialogue) afterDisputeCheck() (agent.Message, bool) {
	if d.intent != nlu.RefundRequest && d.intent != nlu.OpenDispute || len(d.results) == 0 {
		return agent.Message{}, false
	}
	last := d.results[len(d.results)-1]
	order := orderIDIn(last.args)
	if last.name != "get_dispute" || order == "" {
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
	return d.orderCall(needsOrder[d.intent], order), true
}
