package local

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// "Can I cancel it and get my money back?" asked about the order the
// conversation is on is a question about the rule and about that order
// at once: the answer is the rule for the order's state (the policy's own
// words, cited), what it means for the order (not shipped yet, so it can
// be cancelled and the whole amount comes back; shipped, so it cannot),
// and, when the rule allows it, the cancellation prepared as a card for
// the buyer to confirm or ignore. The steps, each a call of the same
// turn: the order (get_order), the rule (search_policy), the card
// (cancel_order, which the tools check as for any cancellation).

// ownCancelOrder returns the buyer's own order a question whether it can
// be cancelled is about, "" when the question is not one or is about
// orders in general (it names a state: "an order that has shipped").
func (d *dialogue) ownCancelOrder() string {
	if d.intent != nlu.PolicyQuestion || !d.has("get_order") || !d.has("search_policy") {
		return ""
	}
	// "주전자 주문은 취소 되죠? 아직 발송 안 됐을 텐데": the buyer's own
	// order, named by its goods, which the buyer's orders tell.
	byGoods := d.slots.OrderID == "" && !d.otherOrder && !d.slots.LastOrder && len(nlu.ItemTerms(d.text)) > 0 &&
		(d.lastOrder == "" || !d.namesGoodsOf(d.lastOrder)) && d.has("list_orders")
	if !asksCancelling(d.text) || (askedState(d.text) != stateUnknown && d.slots.OrderID == "" && !byGoods) {
		// "Can an order be cancelled once shipped?" asks of a state; "10057
		// hasn't shipped yet, can I cancel?" tells the named order's.
		return ""
	}
	switch classifyAsk(d.text) {
	case askAllowed, askDeadline:
	case askOther:
		// "주전자 주문은 취소 되죠?", "I can still cancel it, right?":
		// whether it can be done, asked for a yes.
		if !containsAny(d.foldedText(), foldedTagAsks) {
			return ""
		}
	default:
		return ""
	}
	if id := d.slots.OrderID; id != "" {
		return normOrder(id)
	}
	if d.otherOrder || d.slots.LastOrder {
		return ""
	}
	if byGoods {
		return ordersByGoods
	}
	return d.lastOrder
}

// foldedTagAsks ask for a yes that something can be done, folded.
var foldedTagAsks = foldAll([]string{
	"right?", "correct?", "can't i?", "cant i?", "isn't it?", "yes?",
	"되죠", "되지요", "되는 거죠", "되는거죠", "되겠죠", "되는 거 맞죠", "가능하죠", "가능하지요", "수 있죠", "수 있지요", "맞죠",
	"¿verdad?", "verdad?", "¿no?", "¿cierto?", "cierto?",
	"ведь можно", "можно же", "же можно", "да?", "правда?", "верно?",
})

// ordersByGoods is ownCancelOrder's answer when the order is the buyer's
// own named by its goods: the buyer's orders are listed, and the one
// holding the goods is the order asked about.
const ordersByGoods = "by-goods"

// goodsOrder returns the order of this turn's list_orders result that
// holds the goods the buyer's message names: the list is called first,
// and "" is returned with ok false when no one order holds them.
func (d *dialogue) goodsOrder() (id string, list agent.Message, ok bool) {
	r, listed := d.resultOf("list_orders", -1)
	if !listed {
		return "", call("list_orders", map[string]any{"limit": 20}), true
	}
	var l tools.OrderList
	if !r.OK || json.Unmarshal(r.Data, &l) != nil {
		return "", agent.Message{}, false
	}
	if id, ok := pickOrder(d.text, l.Orders); ok {
		return id, agent.Message{}, true
	}
	return "", agent.Message{}, false
}

// ownCancelStep is the next step of a question ownCancelOrder finds, or
// false when there is none to take (no such question, the order not
// found): then the question is answered as any other.
func (d *dialogue) ownCancelStep() (agent.Message, bool) {
	id := d.ownCancelOrder()
	if id == ordersByGoods {
		found, list, ok := d.goodsOrder()
		switch {
		case !ok:
			return agent.Message{}, false
		case found == "":
			return list, true
		}
		id = found
	}
	if id == "" {
		return agent.Message{}, false
	}
	o, ok := d.turnOrder(id)
	if !ok {
		if d.calledThisTurn("get_order") {
			return agent.Message{}, false
		}
		return call("get_order", map[string]string{"order_id": id}), true
	}
	st := statusState(o.Status)
	if st == stateUnknown {
		return agent.Message{}, false
	}
	if !d.calledThisTurn("search_policy") {
		return call("search_policy", map[string]any{"query": d.text + " " + stateHeadings[st][d.locale], "k": policySearchK, "locale": d.locale}), true
	}
	if st != stateShipped && d.has("cancel_order") && !d.calledThisTurn("cancel_order") {
		return call("cancel_order", map[string]string{"order_id": o.ID}), true
	}
	return d.ownCancelReply(o, st), true
}

// ownCancelReply answers ownCancelOrder for order o in state st from this
// turn's results: what the rule means for o, the rule, and the card.
func (d *dialogue) ownCancelReply(o tools.Order, st orderState) agent.Message {
	var parts []string
	switch st {
	case stateUnpaid:
		parts = append(parts, render(d.locale, "rule_cancel_unpaid"))
	case stateUnshipped:
		amount := tools.Money{Minor: o.Total.Minor - o.Refunded.Minor, Currency: o.Total.Currency}
		parts = append(parts, render(d.locale, "own_cancel_open", o.ID, money(d.locale, amount)))
	case stateShipped:
		parts = append(parts, render(d.locale, "own_cancel_shipped", o.ID))
	}
	if r, ok := d.resultOf("search_policy", -1); ok && r.OK {
		var res struct {
			Hits []policyHit `json:"hits"`
		}
		if json.Unmarshal(r.Data, &res) == nil {
			// The order's state decides which rule applies: its own
			// subsection answers, when the search found it.
			hits := slices.DeleteFunc(slices.Clone(res.Hits), func(h policyHit) bool {
				return !sameHeading("§"+innermost(h.HeadingPath), stateHeadings[st][d.locale])
			})
			if len(hits) == 0 {
				hits = res.Hits
			}
			q := d.text + " " + stateHeadings[st][d.locale]
			text, cited, ok := answerPolicy(q, d.locale, hits)
			if !ok && len(hits) < len(res.Hits) {
				// "Could I still cancel it?" reads as asking a time
				// limit the state's rule does not set: the rule is
				// what answers whether it can be done.
				var used []int
				text, used = compose(grams(q), askAllowed, false, sections(hits)[0].units)
				for _, i := range used {
					cited = append(cited, hits[i])
				}
				ok = text != ""
			}
			if ok {
				parts = append(parts, render(d.locale, "refuse_rule", text, citations(cited)))
			}
		}
	}
	if r, ok := d.resultOf("cancel_order", -1); ok && r.PendingConfirmation {
		parts = append(parts, render(d.locale, "confirm_prompt", summarize(d.locale, "cancel_order", r.Data)))
	}
	return agent.Message{Content: strings.Join(parts, " ")}
}

// citations writes the citations of hits, once each.
func citations(hits []policyHit) string {
	return strings.Join(citationList(hits), " ")
}

// citationList lists the citations of hits, once each, in their order.
func citationList(hits []policyHit) []string {
	var cites []string
	for _, h := range hits {
		cite := h.Citation
		if cite == "" {
			cite = fmt.Sprintf("[%s §%s]", h.DocID, innermost(h.HeadingPath))
		}
		if !slices.Contains(cites, cite) {
			cites = append(cites, cite)
		}
	}
	return cites
}
