package local

import (
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// Where a dispute or a refund stands is often asked of "the other one"
// right after another order's status: "ok and the one from last week? I
// escalated that one to a dispute, any movement?", "다른 건은요? 주전자 건
// 분쟁 진행 상황", "¿y lo del otro pedido? el de la paellera, que abrí una
// reclamación", "А по второму? самовар, там спор открыт". The buyer gives
// no number: the order meant is one the conversation has not been on, and
// the question is the status the message names (its dispute, its refund),
// not the request served last and not the order just answered about.
// Answering the first order's dispute ("ORD-10148 has no dispute") tells
// the buyer nothing; the other order's dispute or refund, found among
// their own orders (by its goods, or as the one other order it can be),
// does.

// escalatedTo says a dispute was opened in the words of someone who
// worked in support ("I escalated that one to a dispute", "переведён в
// спор", "분쟁으로 넘겼어요"), lower-cased: an action told as done, which
// asks nobody to escalate anything.
var escalatedTo = wordRE(`\bescalated( \S+){0,3} (to|into) (a |an |the )?(dispute|claim|case)\b|` +
	`\b(escal[eé]|pas[eé])( \S+){0,3} a (una |la )?(disputa|reclamaci[oó]n)\b|` +
	`\b(перев[её]л[аи]?|перевели|переведен|переведён|передал[аи]?)( \S+){0,3} в спор|` +
	`분쟁으로\s?(넘겼|넘어갔|전환했|전환됐|올렸|접수했)`)

// asksOtherStatus reads a message that points at another order than the
// one under discussion and asks where that order's dispute or refund
// stands: the classifier read that status, or the message tells the
// dispute or refund as done (toldActions, escalatedTo). It sets that
// status, to be served on the order the buyer means: the one it points
// at when the conversation named it (followUp), else one of the buyer's
// other orders (otherOrder: otherStatusLookup, otherStatusOrder). A
// consequential request carried from an earlier message is left be.
func (d *dialogue) asksOtherStatus(cur nlu.Result) {
	s := cur.Slots
	if d.lastOrder == "" || s.OrderID != "" || s.RefundID != "" || s.DisputeID != "" || (d.carried && nlu.Consequential(d.intent)) {
		return
	}
	named := d.slots.OrderID != "" && d.slots.OrderID != d.lastOrder // followUp's "the other one" the talk named
	// "The bottle one" names goods of another order (otherone.go).
	elsewhere := d.goodsElsewhere()
	pointed := d.otherOrder || named || asksAfterEarlier(d.text) || d.pointsAtOther(cur)
	if !pointed && !elsewhere {
		return
	}
	if !pointed && nlu.Consequential(d.intent) && d.conf >= minConfidence && !filedRelative.MatchString(strings.ToLower(d.text)) {
		// Goods alone, asked to be acted on ("then make the return of the
		// valenki"): the request stands; goods not found in the order
		// under discussion may be goods of it the talk has not read yet.
		// An action told as done ("the dispute I filed about the kettle")
		// asks its status.
		return
	}
	// The status named: by its subject's words, or by the action told
	// as done ("que abrí una reclamación" names a dispute in words the
	// policies do not use).
	low := strings.ToLower(d.text)
	escalated := escalatedTo.MatchString(low)
	subjects := subjectsOf(d.text)
	var status nlu.Intent
	for _, c := range []struct {
		status nlu.Intent
		named  bool
	}{
		{nlu.DisputeStatus, subjects&subjectDispute != 0 || escalated || toldAs(nlu.DisputeStatus, low)},
		{nlu.RefundStatus, subjects&subjectRefund != 0 || toldAs(nlu.RefundStatus, low)},
	} {
		if !c.named {
			continue
		}
		if status != "" {
			return // both named: the request read so far stands
		}
		status = c.status
	}
	if status == "" && elsewhere && (cur.Intent == nlu.DisputeStatus || cur.Intent == nlu.RefundStatus) {
		// "Any update from the seller on the case I opened?": the
		// classifier's reading names the status the words do not.
		status = cur.Intent
	}
	filed := elsewhere && filedRelative.MatchString(low) // "the claim I filed about the lantern"
	if status == "" || !(cur.Intent == status && cur.Confidence >= minConfidence) && !escalated && !toldAs(status, low) && !filed {
		return
	}
	// A person asked for besides ("… and get me your manager"): the status
	// first, then the handoff (escalation.go); "escalated to a dispute"
	// asks for none.
	d.escalateAfter = d.intent == nlu.HumanAgent && !escalated
	d.intent, d.conf, d.carried = status, 1, true
	if !named {
		d.slots.OrderID = ""
		d.otherOrder = true
	}
}

// pointsAtOther reports whether the buyer's message, read as cur, points
// at "the other one" in a clause that asks after it ("and the other one,
// was the refund for it approved?"), a little longer than asksAfterAnother
// allows since the status it asks is named in it; not at another item or
// unit of the order discussed, nor at its goods.
func (d *dialogue) pointsAtOther(cur nlu.Result) bool {
	s := cur.Slots
	if !otherRef(d.text) || keptOther(d.text) || s.Only || s.ItemQuantity != 0 || s.ItemPosition != 0 || d.namesGoodsOf(d.lastOrder) {
		return false
	}
	return len(strings.Fields(refClause(d.text, otherRef))) <= 12
}

// toldAs reports whether low, a lower-cased message, tells the action
// whose status is status as already done (toldActions, complaint.go).
func toldAs(status nlu.Intent, low string) bool {
	for _, a := range toldActions {
		if a.intent == status && a.told.MatchString(low) {
			return true
		}
	}
	return false
}

// otherStatusLookup is the lookup of the buyer's orders for a dispute's or
// a refund's status asked of another order than those discussed
// (asksOtherStatus): statusLookup's step for a conversation already on an
// order. ok is false for any other request.
func (d *dialogue) otherStatusLookup() (agent.Message, bool) {
	s := d.slots
	if !d.otherOrder || (d.intent != nlu.RefundStatus && d.intent != nlu.DisputeStatus) ||
		s.OrderID != "" || s.RefundID != "" || s.DisputeID != "" || !d.has("list_orders") || d.calledThisTurn("list_orders") {
		return agent.Message{}, false
	}
	return call("list_orders", map[string]any{"limit": 20}), true
}

// otherStatusOrder takes the step after otherStatusLookup's list: the
// status of the other order, among those the conversation has not
// discussed, picked as statusOrder picks (its goods, or the one order the
// status can be about). ok is false when the list was not for another
// order's status, or picks none (afterList then shows the others).
func (d *dialogue) otherStatusOrder(orders []tools.OrderRow) (agent.Message, bool) {
	if !d.otherOrder || (d.intent != nlu.RefundStatus && d.intent != nlu.DisputeStatus) {
		return agent.Message{}, false
	}
	if m, ok := d.otherOneState(orders); ok { // a bare "and the other?" (otherone.go)
		return m, true
	}
	if _, ok := pickOrder(d.text, orders); ok && len(nlu.ItemTerms(d.text)) > 0 {
		// The goods named pick the order, discussed or not.
		return d.statusOrder(orders)
	}
	rest := d.undiscussed(orders)
	if len(rest) == 0 {
		return d.say("no_other_order"), true
	}
	return d.statusOrder(rest)
}
