package local

import (
	"slices"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// A buyer who asks where a refund or a dispute stands names it by its
// goods, or not at all, more often than by its number: "my refund for
// the hiking boots never reached my card", "분쟁 열었는데 판매자가 답이
// 없어요". Asking for a number they may not have keeps them waiting; their
// orders say which one it is: the one whose goods they name, or the only
// one it can be. Without a match the model still asks.

// statusLookup is the lookup of the buyer's orders for a refund's or a
// dispute's status asked with no number, in a conversation about no order
// yet. ok is false for any other request.
func (d *dialogue) statusLookup() (agent.Message, bool) {
	s := d.slots
	tool := map[nlu.Intent]string{nlu.RefundStatus: "get_refund_status", nlu.DisputeStatus: "get_dispute"}[d.intent]
	if tool == "" || !d.has(tool) || s.OrderID != "" || s.RefundID != "" || s.DisputeID != "" ||
		d.lastOrder != "" || !d.has("list_orders") || d.calledThisTurn("list_orders") {
		return agent.Message{}, false
	}
	return call("list_orders", map[string]any{"limit": 20}), true
}

// statusOrder takes the step after statusLookup's list: the status of the
// order the buyer's words name by its goods, or of the one order the
// status can be about. ok is false when the list was not for a status or
// picks no order.
func (d *dialogue) statusOrder(orders []tools.OrderRow) (agent.Message, bool) {
	var tool, arg string
	var can []string
	switch d.intent {
	case nlu.RefundStatus:
		tool, arg, can = "get_refund_status", "order_id", []string{"delivered", "cancelled", "shipped"}
	case nlu.DisputeStatus:
		tool, arg, can = "get_dispute", "order_id", []string{"delivered", "shipped"}
	default:
		return agent.Message{}, false
	}
	if d.slots.LastOrder || !d.has(tool) {
		return agent.Message{}, false
	}
	if id, ok := pickOrder(d.text, orders); ok {
		return call(tool, map[string]string{arg: id}), true
	}
	if len(nlu.ItemTerms(d.text)) > 0 && len(orders) > 1 {
		// Goods named that no order holds alone: the buyer picks.
		return agent.Message{}, false
	}
	fit := slices.DeleteFunc(slices.Clone(orders), func(o tools.OrderRow) bool { return !slices.Contains(can, o.Status) })
	if id, ok := withStatusOf(d.intent, orders); ok && len(orders) > 1 {
		return call(tool, map[string]string{arg: id}), true // the one with a dispute or refund (statusof.go)
	}
	switch {
	case len(orders) == 1:
		return call(tool, map[string]string{arg: orders[0].ID}), true
	case len(fit) == 1:
		return call(tool, map[string]string{arg: fit[0].ID}), true
	}
	return agent.Message{}, false
}
