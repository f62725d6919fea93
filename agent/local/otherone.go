package local

import (
	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// "The other one" asks after the other order as the buyer knows it, not
// always with the request served last:
//
//   - "a vtoroj zakaz gde?", "¿y el otro dónde está?" after a refund's
//     status ask where the other order is: its delivery, not its refunds
//     (followIntent);
//   - a dispute or refund asked after by goods the order discussed does
//     not hold ("and the case I opened last week, the bottle one?") is the
//     status of the order holding them (goodsElsewhere, otherStatusOrder);
//   - a bare "다른거는?", "and the other one?" in a conversation about money
//     back is answered with where the other order's money stands: its open
//     dispute, or its refunds (otherOneState), which is what the buyer
//     came about; its delivery date would answer nothing.

// filedRelative tells a dispute or a refund as one the buyer made, in a
// relative clause ("the claim I filed", "la reclamación que abrí", "спор,
// который я открыла", "분쟁 넣은 건"), lower-cased: a status asked after,
// not a new request.
var filedRelative = wordRE(`\b(dispute|claim|case|refund|return)s? (that |which )?(i|we) (opened|filed|raised|started|submitted|put in|requested|asked for)\b|` +
	`\b(disputa|reclamaci[oó]n|reembolso|devoluci[oó]n) que (abr[ií]|puse|present[eé]|ped[ií]|solicit[eé])\b|` +
	`\b(спор|претензи\S*|возврат)\S*,? (котор\S+ )?(я |мы )?(открыл\S*|подал\S*|оформил\S*|заявил\S*)|` +
	`(분쟁|환불|반품)\S*\s?(을 |를 )?(넣은|넣었|신청한|연 |제기한|요청한)`)

// followIntent is the request a follow-up that points at another order
// repeats: the one served last, unless the message asks where the order
// is, which is its status whatever was served, or the action served was
// called off.
func (d *dialogue) followIntent(cur nlu.Result) nlu.Intent {
	if nlu.Consequential(d.served) && d.action.dropped() {
		// "And the second order?" after the buyer called a refund off
		// asks after that order, not for the action they dropped.
		return nlu.OrderStatus
	}
	if containsAny(cues(d.text), whereCues) && subjectsOf(d.text)&(subjectRefund|subjectDispute) == 0 && !nlu.AsksMoneyBack(d.text) {
		return nlu.OrderStatus
	}
	return d.served
}

// goodsElsewhere reports whether the buyer's message names goods the order
// the conversation is on is not known to hold: goods of another order.
func (d *dialogue) goodsElsewhere() bool {
	return d.lastOrder != "" && len(nlu.ItemTerms(d.text)) > 0 && !d.namesGoodsOf(d.lastOrder)
}

// otherOneState serves a bare "and the other one?" asked in a conversation
// about money (money back asked, or a refund's or dispute's status
// served), once the buyer's orders are listed: where the one other order
// not discussed yet stands with its money, its open dispute or else its
// refunds. ok is false when the message names goods or a status of its
// own or asks where, the conversation is about no money, no single other
// order is left, or it has neither a dispute nor refunds.
func (d *dialogue) otherOneState(orders []tools.OrderRow) (agent.Message, bool) {
	if !d.otherOrder || len(nlu.ItemTerms(d.text)) > 0 || containsAny(cues(d.text), whereCues) ||
		subjectsOf(d.text)&(subjectRefund|subjectDispute) != 0 {
		return agent.Message{}, false
	}
	money := d.moneyAsked || d.served == nlu.RefundStatus || d.served == nlu.DisputeStatus || d.served == nlu.RefundRequest
	switch d.intent {
	case nlu.OrderStatus, nlu.RefundStatus, nlu.RefundRequest, nlu.DisputeStatus:
	default:
		return agent.Message{}, false
	}
	rest := d.undiscussed(orders)
	if !money || len(rest) != 1 {
		return agent.Message{}, false
	}
	o := rest[0]
	switch {
	case o.Dispute != "" && d.has("get_dispute"):
		return call("get_dispute", map[string]string{"order_id": o.ID}), true
	case o.Refunds > 0 && d.intent != nlu.RefundRequest && d.has("get_refund_status"):
		return call("get_refund_status", map[string]string{"order_id": o.ID}), true
	}
	return agent.Message{}, false
}

// callsOff reports whether a buyer's message, read as r, only called off
// what the conversation was on: a withdrawal, or a cancel word said to a
// refund or dispute card the agent then dropped ("no wait, cancel",
// "отмена"; d.action is the newest proposal before the message, recall).
// It requests nothing, so it is not the request a later "and the other
// one?" repeats. A cancel word with no card waiting ("cancel") is a
// request.
func (d *dialogue) callsOff(r nlu.Result, text string) bool {
	if r.Slots.OrderID != "" || r.Slots.Amount != nil {
		return false
	}
	return withdrawsText(text) || (dropsCard(text) && d.action.dropped() && d.action.tool != "cancel_order")
}

// bareRule reports whether cur reads a message as a policy question that
// names no rule: no subject of the policies and no fact asked ("and the
// second order?"), which asks after the order, not a rule.
func bareRule(cur nlu.Result) bool {
	return cur.Intent == nlu.PolicyQuestion && subjectsOf(cur.Text) == 0 && classifyAsk(cur.Text) == askOther
}
