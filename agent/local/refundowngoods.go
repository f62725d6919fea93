package local

import (
	"slices"
	"strings"

	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// Money back asked of goods the buyer names, before any order is
// discussed ("친구 생일선물로 이니셜 머그컵 샀는데 … 환불돼요?", "can I get
// my money back for the kimchi?", "¿me devolvéis el dinero del libro?"):
// the classifier leans to a purchase to look up, a question about the
// rules, or nothing, and the buyer got the order's delivery date or the
// excluded goods' list with no word of their own order. The goods decide:
// the buyer's order holding them is looked up (ownItemReturn), and its
// goods' own data (refundable or not, delivered when) settle the answer
// (doubtfulRefund): goods the rules exclude get the rule from the tools'
// refusal with the dispute's next step; others the question with the
// order named. When no order of the buyer's holds the goods named, a
// question is answered from the policies, as before (ownItemOrder).

// asksGoodsMoneyBack reports whether the buyer's message asks money back
// (or whether it can be had) for goods it names with no order number, no
// supposed case and no rule asked (asksTheRule), while the classifier read
// no confident request of another kind. It notes the reading on d
// (goodsRefund) and keeps a question a question: the intent stays a policy
// question when the classifier read one, else an unsure refund request.
// answers is set when the message answers the model's open question.
func (d *dialogue) asksGoodsMoneyBack(cur nlu.Result, answers bool) bool {
	s := cur.Slots
	// ownOrder carries a purchase told with its goods, no order
	// discussed and no open question answered, to a lookup of where it
	// is; money asked back of them overrides that reading.
	ownLookup := d.carried && !answers && d.intent == nlu.OrderStatus && d.slots.OrderID == ""
	if d.carried && !ownLookup || d.lastOrder != "" || len(d.cards) > 0 || d.pendingCancel != nil || s.OrderID != "" || s.RefundID != "" || s.DisputeID != "" {
		return false
	}
	// What the readers before made of it, and the classifier alone: a
	// confident request of either is served as asked (a refund of part
	// of an order, two requests, where the goods are).
	for _, r := range []nlu.Result{{Intent: d.intent, Confidence: d.conf}, cur} {
		if r.Intent == d.intent && ownLookup {
			continue
		}
		switch r.Intent {
		case nlu.RefundRequest, nlu.OutOfScope, nlu.OrderStatus:
			if r.Confidence >= nlu.ActionThreshold {
				return false
			}
		case nlu.PolicyQuestion:
		default:
			return false
		}
	}
	if d.intent != nlu.RefundRequest && !containsAny(cues(d.text), purchaseCues) && !containsAny(cues(d.text), ownCues) {
		// A question naming goods no word makes the buyer's ("are gift
		// cards refundable at all?") asks the rule, which the policies
		// answer; "이니셜 머그컵 샀는데 … 환불돼요?" asks of goods bought.
		return false
	}
	folded := " " + nlu.Fold(strings.ToLower(nlu.Cyrillic(d.text)))
	if len(nlu.ItemTerms(d.text)) == 0 || asksTheRule(d.text) || nlu.Withdraws(d.text) || !containsAny(folded, moneyBackCues) {
		return false
	}
	if cur.Intent != nlu.RefundRequest && cur.Intent != nlu.PolicyQuestion && !containsAny(folded, moneyBackVerbs) {
		// The classifier leans to where the order stands (or to nothing
		// the tools serve), and only a word for money says otherwise:
		// "деньги списались, а письма нет" tells the money was taken,
		// not asked back. Money is asked back with a word for giving
		// or sending it back.
		return false
	}
	switch classifyAsk(d.text) {
	case askDuration, askDeadline, askWhoPays, askFee, askHowTo:
		return false // how long, by when, who pays: the rule's answer (policyanswer.go)
	}
	if !d.has("list_orders") || !d.has("get_order") {
		return false
	}
	d.goodsRefund = true
	if ownLookup {
		d.carried, d.fact, d.slots.OrderID = false, noFact, ""
		d.conf = cur.Confidence
	}
	if cur.Intent == nlu.PolicyQuestion {
		d.intent, d.conf = nlu.PolicyQuestion, max(d.conf, minConfidence)
	} else {
		d.intent, d.conf = nlu.RefundRequest, min(max(d.conf, minConfidence), nlu.ActionThreshold-0.01)
	}
	return true
}

// goodsRefundOrder picks, for asksGoodsMoneyBack, the order of orders that
// holds the goods named; ok is false when none does, and then the message
// is answered as the question or the unsure request it is.
func (d *dialogue) goodsRefundOrder(orders []tools.OrderRow) (string, bool) {
	if !d.goodsRefund {
		return "", false
	}
	return pickOrder(d.text, orders)
}

// moneyNouns are the moneyBackCues that name money without saying it
// goes back: with them alone a message may tell of a charge.
var moneyNouns = []string{" money", " dinero", " plata", " деньг", "돈"}

// moneyBackVerbs are the moneyBackCues that say money or goods go back.
var moneyBackVerbs = slices.DeleteFunc(slices.Clone(moneyBackCues), func(c string) bool { return slices.Contains(moneyNouns, c) })
