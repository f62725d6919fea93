package local

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
)

// "How long do I have to return the lantern from ORD-10032?" asks the
// policy's number and the buyer's own last day: the policy answer gives
// the 30 days, the order (get_order, whose refund_until the tools compute
// from the same policy numbers) gives the day they end. The order is the
// one the question names, or holds the item it names, or the buyer's
// only one.

// ownDeadline reports whether the buyer asks how long they have to return
// an item of an order of theirs the question points at.
func (d *dialogue) ownDeadline() bool {
	if d.intent != nlu.PolicyQuestion || !d.has("get_order") || !d.has("search_policy") {
		return false
	}
	switch classifyAsk(d.text) {
	case askDuration, askDeadline:
	case askAllowed:
		// "담요 받은지 일주일 됐는데 반품 되나요?": told when it came, it
		// asks whether the order is still in time (ownreturnask.go).
		if !toldWhenCame(d.text) {
			return false
		}
	case askWhoPays, askFee:
		// "ORD-10021, got them 3 days ago: who pays shipping back?"
		// sends the order back: its last day belongs with the rule
		// (ownruleask.go).
		return d.slots.OrderID != ""
	default:
		return false
	}
	if !containsAny(strings.ToLower(d.text), returnWords) {
		return false
	}
	// Goods named in a supposed case ("if the samovar breaks in two
	// months, can I still return it?") ask the rule, not about an order.
	return d.slots.OrderID != "" || (len(nlu.ItemTerms(d.text)) > 0 && d.has("list_orders") && !asksTheRule(d.text))
}

// ownDeadlineStep is the next call that answers ownDeadline: the order
// (found by its item in the buyer's list when the question gives no
// number), then the policy. It reports false once both are in, when the
// policy answer is written (policyReply adds the day).
func (d *dialogue) ownDeadlineStep() (agent.Message, bool) {
	if !d.ownDeadline() || d.calledThisTurn("search_policy") {
		return agent.Message{}, false
	}
	search := call("search_policy", map[string]any{"query": d.ownReturnQuery(), "k": policySearchK, "locale": d.locale})
	if d.calledThisTurn("get_order") {
		return search, true
	}
	if id := d.slots.OrderID; id != "" {
		return call("get_order", map[string]string{"order_id": normOrder(id)}), true
	}
	r, ok := d.resultOf("list_orders", -1)
	if !ok {
		return call("list_orders", map[string]any{"limit": 20}), true
	}
	var l struct {
		Orders []struct {
			ID    string `json:"order_id"`
			Items string `json:"items"`
		} `json:"orders"`
	}
	if !r.OK || json.Unmarshal(r.Data, &l) != nil {
		return search, true
	}
	best, bestScore, tie := "", 0, false
	for _, o := range l.Orders {
		switch score := nlu.ItemScore(d.text, o.Items); {
		case score > bestScore:
			best, bestScore, tie = o.ID, score, false
		case score == bestScore && score > 0:
			tie = true
		}
	}
	switch {
	case bestScore > 0 && !tie:
		return call("get_order", map[string]string{"order_id": best}), true
	case len(l.Orders) == 1:
		return call("get_order", map[string]string{"order_id": l.Orders[0].ID}), true
	}
	return search, true
}

// ownDeadlineLine is the buyer's own last day to ask for a refund of the
// order this turn looked up, for a policy answer to ownDeadline; "" when
// there is none to give (not delivered, not looked up).
func (d *dialogue) ownDeadlineLine() string {
	if !d.ownDeadline() {
		return ""
	}
	for _, r := range d.results {
		if r.name != "get_order" || !r.result.OK {
			continue
		}
		o, ok := d.turnOrder(orderIDIn(r.args))
		if !ok || o.DeliveredAt == nil || o.RefundUntil == nil {
			return ""
		}
		key := "own_refund_until"
		if time.Now().After(*o.RefundUntil) {
			key = "own_refund_closed"
		}
		return render(d.locale, key, o.ID, d.day(*o.DeliveredAt), d.day(*o.RefundUntil))
	}
	return ""
}

// withDeadline adds the buyer's own last day (ownDeadlineLine) to msg, a
// policy answer.
func (d *dialogue) withDeadline(msg agent.Message) agent.Message {
	if line := d.ownDeadlineLine(); line != "" && msg.Content != "" && len(msg.ToolCalls) == 0 {
		msg.Content = strings.TrimRight(msg.Content, "\n ") + "\n\n" + line
	}
	return msg
}
