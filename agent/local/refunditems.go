package local

import (
	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// Which lines of an order a refund by item covers. A buyer names what
// they want back and often what they keep ("money back for the socks,
// keeping the boots"; "jacket and bottle are fine, refund that one
// thing"): the kept goods are never refunded, and when the buyer names
// only what they keep, the refund is the rest of the order.

// keepsGoods reports whether the buyer's message says which goods they
// keep, or that the rest is fine, next to goods named: the request is then
// about part of an order.
func (d *dialogue) keepsGoods() bool {
	asked, kept := nlu.SplitKept(d.text)
	return kept != "" && (len(nlu.ItemTerms(kept)) > 0 || len(nlu.ItemTerms(asked)) > 0)
}

// refundLines returns the indexes in o.Items of the lines the buyer wants
// refunded, judged from the message without position or quantity: the one
// line the asking part names (never a kept one), or, when it names none,
// every line still refundable that the buyer does not keep. ok is false
// when the message does not single out lines that way; conflict is set
// when the line named is also one the buyer keeps, which only a question
// settles.
func (d *dialogue) refundLines(o tools.Order) (lines []int, ok, conflict bool) {
	asked, kept := nlu.SplitKept(d.text)
	names := make([]string, len(o.Items))
	for i, it := range o.Items {
		names[i] = it.Name
	}
	keep := make([]bool, len(o.Items))
	keeps := false
	if kept != "" {
		for i, n := range names {
			keep[i] = nlu.ItemScore(kept, n) > 0
			keeps = keeps || keep[i]
		}
	}
	if k := nlu.MatchItem(asked, names); k >= 0 {
		if keep[k] {
			return nil, false, true
		}
		return []int{k}, true, false
	}
	if !keeps {
		return nil, false, false
	}
	for i, it := range o.Items {
		if !keep[i] && it.Refundable && it.Quantity > it.RefundedQuantity {
			lines = append(lines, i)
		}
	}
	return lines, len(lines) > 0, false
}

// refundItemsArg is the request_refund items argument for lines of o:
// every piece of each line that is left to refund.
func refundItemsArg(o tools.Order, lines []int) []map[string]int {
	out := make([]map[string]int, 0, len(lines))
	for _, i := range lines {
		it := o.Items[i]
		out = append(out, map[string]int{"line": it.Line, "quantity": it.Quantity - it.RefundedQuantity})
	}
	return out
}

// buyerMessages returns the buyer's messages of msgs, oldest first.
func buyerMessages(msgs []agent.Message) []string {
	var out []string
	for _, m := range msgs {
		if m.Role == agent.RoleUser {
			out = append(out, m.Content)
		}
	}
	return out
}
