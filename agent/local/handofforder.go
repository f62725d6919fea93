package local

import (
	"encoding/json"
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// A buyer who is handed to a person before any order was named ("the
// refund button for the blanket keeps failing", "my refund for the boots
// never came") still has one: the person taking over needs it on the
// card, and the handoff goes to that order's shop. Before handing over,
// the model looks the buyer's orders up once and reads the order their
// words name by its goods, or their only order; the handoff then follows
// with that order looked up, so the brief names it and where it stands.
// A conversation already about an order, or one whose order the buyer's
// words do not tell, is handed over as it is.

// handoffCallPrefix starts the ids of the lookups made before a handoff:
// "call_handoff.customer_request_list_orders". The reason the handoff was
// for travels in the id, so the step after a lookup can hand over for it.
const handoffCallPrefix = "call_handoff."

// handoffLookupCall is a lookup made before a handoff for reason.
func handoffLookupCall(reason, name string, args any) agent.Message {
	msg := call(name, args)
	msg.ToolCalls[0].ID = handoffCallPrefix + reason + "_" + name
	return msg
}

// handoffReasonOf returns the reason of a handoff lookup's call id, "" for
// any other id.
func handoffReasonOf(id string) string {
	rest, ok := strings.CutPrefix(id, handoffCallPrefix)
	if !ok {
		return ""
	}
	reason, _, _ := strings.Cut(rest, "_list_orders")
	reason, _, _ = strings.Cut(reason, "_get_order")
	return reason
}

// handoffLookup returns the lookup to make before handing over for
// reason, when the conversation has named no order yet: the buyer's
// orders first. ok is false when nothing is to be looked up.
func (d *dialogue) handoffLookup(reason string) (agent.Message, bool) {
	if d.slots.OrderID != "" || d.lastOrder != "" || len(d.discussed) > 0 || !d.has("list_orders") || !d.has("get_order") {
		return agent.Message{}, false
	}
	if !d.aboutAnOrder() {
		// "Delete my account": no order to find.
		return agent.Message{}, false
	}
	for _, r := range d.results {
		if handoffReasonOf(r.id) != "" || orderIDIn(r.args) != "" {
			// Looked up already, or this turn is about an order.
			return agent.Message{}, false
		}
	}
	return handoffLookupCall(reason, "list_orders", map[string]any{"limit": 20}), true
}

// aboutAnOrder reports whether the buyer's words are about an order of
// theirs though they name none: goods named, a problem with goods told,
// or a request about an order served.
func (d *dialogue) aboutAnOrder() bool {
	if len(d.reasons) > 0 || d.slots.Reason != "" || len(nlu.ItemTerms(d.buyerWords())) > 0 {
		return true
	}
	switch d.served {
	case nlu.OrderStatus, nlu.DeliveryProblem, nlu.RefundRequest, nlu.RefundStatus, nlu.CancelOrder, nlu.OpenDispute, nlu.DisputeStatus:
		return true
	}
	return false
}

// buyerWords is everything the buyer wrote, oldest first.
func (d *dialogue) buyerWords() string {
	return strings.Join(append(append([]string(nil), d.earlier...), d.text), "\n")
}

// afterHandoffLookup takes the next step after a lookup made before a
// handoff: the order the buyer's words name among their orders (or their
// only order) looked up, then the handoff. ok is false when this turn's
// last result is no such lookup.
func (d *dialogue) afterHandoffLookup() (agent.Message, bool) {
	last := d.results[len(d.results)-1]
	reason := handoffReasonOf(last.id)
	if reason == "" {
		return agent.Message{}, false
	}
	handOver := func(order string) agent.Message {
		d.slots.OrderID = order
		return call("handoff_to_human", map[string]string{"reason": reason, "summary": d.handoffSummary(reason)})
	}
	if last.name != "list_orders" {
		return handOver(orderIDIn(last.args)), true
	}
	var l tools.OrderList
	if !last.result.OK || json.Unmarshal(last.result.Data, &l) != nil || len(l.Orders) == 0 {
		return handOver(""), true
	}
	id, ok := pickOrder(d.buyerWords(), l.Orders)
	if !ok && len(l.Orders) == 1 {
		id, ok = l.Orders[0].ID, true
	}
	if !ok {
		return handOver(""), true
	}
	return handoffLookupCall(reason, "get_order", map[string]string{"order_id": id}), true
}
