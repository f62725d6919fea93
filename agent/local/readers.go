package local

import (
	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
)

// How the buyer's message is read. The classifier gives the message alone
// a reading (intent, confidence, slots); readMessages gathers what the
// conversation says around it (the order it was about, the request still
// open, the cards waiting); then the readers below read the message in
// that light, in the order of the table. A reader that claims the message
// sets its intent and confidence, so of two readers that both claim a
// message the LATER one decides: the order of the table is the precedence
// of the readings, and a misread has one place to look at.
//
// Each reader says which intent it sets and how it sets the confidence:
// at least the action threshold (a consequential request is proposed, and
// the card asks the buyer to confirm), at least minConfidence (answered,
// not asked to rephrase), or capped under the threshold (asked about,
// never proposed). Most readers leave a carried request (a message that
// completes the one the model asked about) as it is; those that read one
// say so. d.readBy names the readers that claimed a message.
//
// A new reading goes in a file named after what it reads, as a function
// with a doc comment saying what it reads and what it must win over; its
// entry goes where that puts it in the table, with a doc line (what it
// reads, its intent and confidence, whether it reads a carried request,
// why there), and its name in TestReadersOrder.

// input is what the readers read the buyer's message with, besides the
// dialogue gathered so far.
type input struct {
	m *Model
	// cur is the classifier's reading of the message alone.
	cur nlu.Result
	// before are the conversation's messages before the buyer's last.
	before []agent.Message
	// open is the request the model asked a question about and has not
	// acted on yet, with the details given since, and openText the words
	// that asked it (readMessages); nil when there is none.
	open     *nlu.Result
	openText string
}

// confidence says how a reader that claims a message sets its confidence.
type confidence int

const (
	// setsItself: the reader sets the intent, the confidence and carried
	// itself (to the request it reads, with confidence 1).
	setsItself confidence = iota
	// atLeastAction: at least nlu.ActionThreshold, so the request is
	// served (a consequential one proposed as a card).
	atLeastAction
	// atLeastMin: at least minConfidence, so the message is answered
	// rather than asked to be rephrased.
	atLeastMin
	// unsure: at least minConfidence and under the threshold, so the
	// request is asked about and never proposed.
	unsure
	// underAction: capped under the threshold, the intent kept.
	underAction
	// keeps: the confidence read so far, unchanged.
	keeps
)

// apply returns the confidence c makes of conf.
func (c confidence) apply(conf float64) float64 {
	switch c {
	case atLeastAction:
		return max(conf, nlu.ActionThreshold)
	case atLeastMin:
		return max(conf, minConfidence)
	case unsure:
		return min(max(conf, minConfidence), nlu.ActionThreshold-0.01)
	case underAction:
		return min(conf, nlu.ActionThreshold-0.01)
	}
	return conf
}

// reader is one reading of the buyer's message.
type reader struct {
	// name names the reader in tests and when tracing a misread: the
	// function it runs, as a rule.
	name string
	// read reports whether the reader claims the message. It may note
	// what it read on the dialogue (the text searched, the goods meant).
	read func(d *dialogue, in *input) bool
	// intent is the intent a claimed message gets; "" keeps the intent
	// read so far (or the reader set it itself).
	intent nlu.Intent
	conf   confidence
	// readsCarried is set when the reader also reads a message that
	// completes an earlier request (d.carried); otherwise it does not run
	// on one.
	readsCarried bool
}

// readers are the readings of the buyer's message, in the order they are
// applied: a later one that claims the message overrides an earlier one.
// TestReadersOrder pins the order, so moving a reader is a reviewed
// change; a new reader says where it goes and what it must win over.
var readers = []reader{
	{
		// A message that answers the model's question about an open
		// request is that request: a yes or no to a consequential request
		// read with too little confidence ("do you want me to cancel it,
		// or are you asking about the policy?"), or a message that is no
		// clear new request and completes the open one (an order id, a
		// reason, "the shoes one"). Sets the open request's intent and
		// confidence (a yes: 1; a no: the policy question asked), carried.
		// First: it decides whether the message is a request of its own
		// at all, and the readers of a new request leave a carried one
		// be. Not after the offer of a person, whose yes or no answers the
		// offer (dialogue.go).
		name: "openRequest", read: carryOpen, conf: setsItself,
	},
	{
		// A fault of its own kind of goods that the problem words miss (a
		// download that will not open, a misspelt engraving,
		// goodsfault.go): notes the goods not as described as the
		// message's problem. Keeps the intent and the confidence; not on a
		// carried request. Early: the readers after it read the message
		// with its problem, and a refusal's dispute follows (refusalfault.go).
		name: "goodsFault", conf: keeps,
		read: func(d *dialogue, in *input) bool { return d.goodsFault() },
	},
	{
		// A complaint that asks for the money back: a problem named and
		// the want ("it never came, I'd like my money back") however the
		// classifier read the story (complaint.go). RefundRequest, at
		// least the threshold; not on a carried request. Early: the
		// plainest reading of a refund, which the more particular readers
		// below may take for something else.
		name: "asksRefund", intent: nlu.RefundRequest, conf: atLeastAction,
		read: func(d *dialogue, in *input) bool { return asksRefund(in.cur, d.text) },
	},
	{
		// Money back for part of an order, saying what the buyer keeps
		// ("можно вернуть только за набор? самовар оставлю", complaint.go).
		// RefundRequest, at least the threshold; not on a carried request.
		// Beside asksRefund: another wording of the same request.
		name: "asksItemRefund", intent: nlu.RefundRequest, conf: atLeastAction,
		read: func(d *dialogue, in *input) bool { return asksItemRefund(in.cur, d.text) },
	},
	{
		// Money back asked of the order the message names, though the
		// classifier read a lookup ("ORD-10042 отклеилась. Верните 5000",
		// refusal.go). RefundRequest, at least the threshold; not on a
		// carried request. Beside asksRefund: another wording of it.
		name: "asksOrderMoneyBack", intent: nlu.RefundRequest, conf: atLeastAction,
		read: func(d *dialogue, in *input) bool { return asksOrderMoneyBack(in.cur, d.text) },
	},
	{
		// A return of the order named asked to be started ("Тогда
		// оформите возврат шарфа по заказу 10137", returnrequest.go).
		// RefundRequest, at least the threshold; not on a carried request.
		// Beside the refund words: another wording of the same request.
		name: "asksReturnStarted", intent: nlu.RefundRequest, conf: atLeastAction,
		read: func(d *dialogue, in *input) bool { return asksReturnStarted(in.cur, d.text) },
	},
	{
		// A cancellation asked for in so many words ("yeah cancel it",
		// "cancelen el 10082", cancelrequest.go). CancelOrder, at least
		// the threshold; on a carried request only when that is a
		// cancellation. After the refund words: it declines a refund
		// reading that asks for money back in words of its own, so where
		// both claim a message the cancellation asked for in so many
		// words is the request (its money comes back with it).
		name: "asksCancel", intent: nlu.CancelOrder, conf: atLeastAction, readsCarried: true,
		read: func(d *dialogue, in *input) bool {
			return asksCancel(in.cur, d.text) && (!d.carried || d.intent == nlu.CancelOrder)
		},
	},
	{
		// A follow-up: "the other one", "the second", "and ORD-10055?"
		// (followup.go). Sets the request served last, confidence 1,
		// carried; notes the order meant, or that it is another one the
		// conversation has not named. Runs on a carried request too (the
		// order meant still counts). After the request words: it steps
		// aside itself for a message that asks for something new
		// (asksAnew), which they read.
		name: "followUp", conf: setsItself, readsCarried: true,
		read: selfSet(func(d *dialogue, in *input) { d.followUp(in.cur) }),
	},
	{
		// A few words naming goods right after an order was looked up
		// ("ordered boots like a week ago", "el bolso", dialogue.go): the
		// same question about the order those goods are in. Sets the
		// request served last, confidence 1, carried; not on a carried
		// request. After followUp, whose carried reading it leaves be.
		name: "goodsFollowUp", conf: setsItself,
		read: selfSet(func(d *dialogue, in *input) { d.goodsFollowUp(in.cur) }),
	},
	{
		// A clear yes to the model's own question about an order ("cancel
		// all of order X?", "a refund for order X, or the policy?",
		// questionanswer.go). Sets the request the question offered,
		// confidence 1, carried; not on a carried request. After the
		// follow-ups, whose carried reading it leaves be.
		name: "questionAnswer", conf: setsItself,
		read: selfSet(func(d *dialogue, in *input) { d.questionAnswer(in.m, in.before, in.cur) }),
	},
	{
		// An answer that goes ahead with an action the last reply offered
		// in words ("ok do that then" after "tell me what's wrong and I'll
		// prepare a dispute", offeraccept.go), read by the follow-up
		// reader: that request, about the order the conversation is on.
		// Sets it itself, confidence 1, carried; not on a carried request.
		// Beside questionAnswer: the same yes, to an offer, not a question.
		name: "acceptsOffer", conf: setsItself,
		read: selfSet(func(d *dialogue, in *input) { d.acceptsOffer(in.cur) }),
	},
	{
		// A question about the delivery of the order just looked up
		// ("is it normal it takes so long?", orderfact.go). OrderStatus,
		// confidence 1, carried, with the fact asked. Always runs (it
		// keeps the message's own reading for dropped.go) and leaves a
		// carried request be. After the follow-ups, which may name
		// another order it must not take for the one looked up.
		name: "orderFollowUp", conf: setsItself, readsCarried: true,
		read: selfSet(func(d *dialogue, in *input) { d.orderFollowUp(in.cur) }),
	},
	{
		// A message that gives no order number, about the order it
		// describes ("the warm things for the feet", "I don't have the
		// number", ownorder.go). OrderStatus, confidence 1, carried, with
		// the fact asked; "found it on the porch" is thanks. Runs on a
		// carried status question to read its fact. After orderFollowUp,
		// whose fact it keeps.
		name: "ownOrder", conf: setsItself, readsCarried: true,
		read: selfSet(func(d *dialogue, in *input) { d.ownOrder(in.cur) }),
	},
	{
		// A question about a rule, whatever the topic words made the
		// classifier guess (policyroute.go). PolicyQuestion, at least
		// minConfidence; not on a carried request. After the request
		// words, which it overrides: a rule asked about ("¿todavía puedo
		// cancelar mi pedido?") is no request, whatever words of one it
		// has. The order readers' carried readings stand.
		name: "asksPolicy", intent: nlu.PolicyQuestion, conf: atLeastMin,
		read: func(d *dialogue, in *input) bool {
			r := in.cur
			r.Slots = d.slots
			return asksPolicy(d.text, r, d.lastOrder)
		},
	},
	{
		// How long the buyer has waited for goods ("20 DÍAS esperando una
		// paellera!!!", "жду самовар уже месяц", waitgoods.go): where the
		// order is. OrderStatus, at least minConfidence; not on a carried
		// request. After asksPolicy, which reads the length of time as a
		// question about a period, and the request words, which it
		// leaves be when said with confidence.
		name: "waitsForGoods", intent: nlu.OrderStatus, conf: atLeastMin,
		read: func(d *dialogue, in *input) bool { return d.waitsForGoods(in.cur) },
	},
	{
		// A rule asked of an order the message describes without a number
		// ("the blender I got is the wrong model, will I have to cover
		// the cost of mailing it back?", policyowncase.go), which ownOrder
		// read as a status lookup. PolicyQuestion, at least minConfidence;
		// reads only ownOrder's carried lookup, which it drops. After
		// ownOrder and asksPolicy, which leaves a carried reading be.
		name: "asksDescribedOrderRule", intent: nlu.PolicyQuestion, conf: atLeastMin, readsCarried: true,
		read: func(d *dialogue, in *input) bool { return d.asksDescribedOrderRule(in) },
	},
	{
		// A return asked to be done in plain words ("I'd like to return
		// the jacket", "хочу вернуть", "oformlyat vozvrat",
		// askedreturn.go), not information asked: an unsure refund the
		// order settles (doubtfulRefund), a sure one kept sure. Sets
		// RefundRequest itself; reads a carried request unless it is a
		// consequential one, which it leaves be. After asksPolicy and
		// the goods lookups, which the story's words bring and it must
		// win over.
		name: "readAskedReturn", conf: setsItself, readsCarried: true,
		read: selfSet(func(d *dialogue, in *input) { d.readAskedReturn(in.cur) }),
	},
	{
		// The buyer's own case told after asking whether something can be
		// returned ("Банку я открывала, попробовала" after "мёд можно
		// вернуть?", returncase.go): a refund the order settles.
		// RefundRequest, unsure (asked about, never a card); not on a
		// carried request. After asksPolicy: the case is no rule asked.
		name: "readReturnCase", intent: nlu.RefundRequest, conf: unsure,
		read: func(d *dialogue, in *input) bool {
			d.returnCase = d.readReturnCase(in.m, in.cur)
			return d.returnCase
		},
	},
	{
		// Another fact asked on the topic of the rule asked just before
		// ("ok y cuantos dias tengo?" after "who pays return shipping?",
		// policyfollow.go); the earlier topic is added to the text
		// searched. PolicyQuestion, at least minConfidence; not on a
		// carried request. After asksPolicy, which reads a question with
		// a topic of its own.
		name: "policyFollowUp", intent: nlu.PolicyQuestion, conf: atLeastMin,
		read: func(d *dialogue, in *input) bool { return d.policyFollowUp(in.m, in.cur) },
	},
	{
		// A rule asked of an order of the buyer's ("order 10021, got them
		// 3 days ago. who pays shipping back?", ownruleask.go).
		// PolicyQuestion, at least minConfidence; not on a carried
		// request. After the refund words, which it overrides: the order
		// named and "shipping back" read as money asked back.
		name: "asksOwnOrderRule", intent: nlu.PolicyQuestion, conf: atLeastMin,
		read: func(d *dialogue, in *input) bool { return asksOwnOrderRule(d.text, in.cur) },
	},
	{
		// What the cancellation waiting for the buyer's yes gives back
		// ("how much will I get back?", cancelrequest.go). RefundStatus,
		// at least minConfidence; runs on a carried request too. After
		// the policy readers: not a search of the policies, nor of
		// refunds made.
		name: "asksCancelMoney", intent: nlu.RefundStatus, conf: atLeastMin, readsCarried: true,
		read: func(d *dialogue, in *input) bool { return d.asksCancelMoney() },
	},
	{
		// Money back for part of the order the conversation is on,
		// however it is phrased ("주전자 값만 환불받을 수 있겠습니까?",
		// refunditems.go). RefundRequest, at least the threshold; not on
		// a carried request. After the policy readers, which it
		// overrides: phrased as a question, it still asks for the buyer's
		// own refund.
		name: "refundsOwnItem", intent: nlu.RefundRequest, conf: atLeastAction,
		read: func(d *dialogue, in *input) bool { return d.refundsOwnItem(in.cur) },
	},
	{
		// Money back wished for, with no number, after a problem with the
		// goods of the order the conversation found ("I would like my
		// money back if that is possible", obviousorder.go).
		// RefundRequest, at least the threshold; not on a carried
		// request. After the policy readers, which it overrides: the
		// wish, even phrased as "could I get my money back?", is the
		// buyer's own refund, not a rule.
		name: "moneyBackOfOrder", intent: nlu.RefundRequest, conf: atLeastAction,
		read: func(d *dialogue, in *input) bool { return d.moneyBackOfOrder(in.cur) },
	},
	{
		// Money back asked, or asked about, for goods named before any
		// order is discussed ("이니셜 머그컵 … 환불돼요?",
		// refundowngoods.go): the buyer's order holding them looked up,
		// and its goods decide (the excluded goods' rule, the dispute).
		// Keeps a policy question, else RefundRequest unsure; reads a
		// carried request only to undo ownOrder's lookup. After ownOrder
		// and the policy readers, which read a purchase to look up or the
		// general rule.
		name: "asksGoodsMoneyBack", conf: keeps, readsCarried: true,
		read: func(d *dialogue, in *input) bool { return d.asksGoodsMoneyBack(in.cur, in.open != nil) },
	},
	{
		// "How much do I get back?" of goods singled out, before any
		// card, or the refund chosen when asked refund or dispute, refund
		// or the policy (refundAmountAsk, refundChosen, refundgoods.go):
		// that refund's card says. RefundRequest, at least the threshold;
		// runs on a carried request too (not one waiting for a
		// cancellation or a dispute). After the policy readers, which it
		// overrides ("so just the lantern money back. how much is that
		// gonna be?" asks the buyer's own refund, not a rule), and after
		// the carried readings it completes.
		name: "refundAmountAsk", intent: nlu.RefundRequest, conf: atLeastAction, readsCarried: true,
		read: func(d *dialogue, in *input) bool { return d.refundAmountAsk(in.cur) || d.refundChosen(in.cur) },
	},
	{
		// What arrived, told with no problem and no word of money back
		// ("По заказу 10107 получил чайный набор и два шарфа",
		// toldonly.go), is no refund asked, however the classifier leans.
		// Keeps the intent, confidence capped under the threshold; not on
		// a carried request. Last: it caps a refund the classifier read,
		// once no reader before found a problem, money back or a return
		// in the message (whose words it would have).
		name: "toldOnly", conf: underAction,
		read: func(d *dialogue, in *input) bool { return d.toldOnly(in.cur) },
	},
	{
		// A refund asked after by the goods it was for, not by a number
		// ("what about the lantern refund?", otherorder.go): a lookup of
		// the buyer's orders that picks the one holding the goods. Sets
		// RefundStatus, confidence 1, carried; not on a carried request
		// (it checks itself). After the policy readers, which a refund of
		// the buyer's own asked with confidence wins over.
		name: "refundOfGoods", conf: setsItself,
		read: selfSet(func(d *dialogue, in *input) { d.refundOfGoods(in.cur) }),
	},
	{
		// A problem with the buyer's own goods told without a number
		// ("the sole came off my boots, what can I do?", ownproblem.go):
		// the order holding them looked up and answered with the options.
		// Sets the lookup itself; reads a carried status question. Last:
		// it wins over a policy reading and ownOrder's status lookups, and
		// steps aside itself for any request for an action, a person or
		// part of an order, which the readers before read.
		name: "ownProblem", conf: setsItself, readsCarried: true,
		read: selfSet(func(d *dialogue, in *input) { d.ownProblem(in.cur) }),
	},
	{
		// Advice asked after the goods' story, the order found ("What
		// would you suggest then?", "¿Qué me recomienda usted?",
		// advice.go): that order's options. Sets the lookup itself,
		// confidence 1, carried; reads a carried request that is not a
		// confident action. After ownProblem, which reads the story
		// itself; only a question the classifier could not place.
		name: "asksAdvice", conf: setsItself, readsCarried: true,
		read: selfSet(func(d *dialogue, in *input) { d.asksAdvice(in.cur) }),
	},
	{
		// A payment told taken twice ("my bank shows 57.98 two times",
		// billing.go): the order it was for looked up, named with its one
		// payment, and a person offered. OrderStatus, at least
		// minConfidence; not on a carried request. After the readings of
		// the buyer's problem, which took it for a refund of the whole
		// order; before asksEscalation, which a person asked with it wins.
		name: "chargedTwice", intent: nlu.OrderStatus, conf: atLeastMin,
		read: func(d *dialogue, in *input) bool { return d.chargedTwice(in.cur) },
	},
	{
		// Money told taken with no confirmation of the order ("charged
		// but no confirmation came", chargedunconfirmed.go): the order's
		// state and payment. OrderStatus, at least minConfidence; not on a
		// carried request. After the readings of the buyer's problem and
		// the policy's, which took it for a refund or a delivery date.
		name: "chargedUnconfirmed", intent: nlu.OrderStatus, conf: atLeastMin,
		read: func(d *dialogue, in *input) bool { return d.chargedUnconfirmed() },
	},
	{
		// A matter taken above the assistant ("escalate this to your
		// supervisor", "позовите руководителя", escalation.go): a request
		// for a person, whatever complaint around it the classifier read.
		// Sets HumanAgent itself; not on a carried request (it checks
		// itself), nor over a confident refund or cancellation, whose card
		// asks first. After the readings of the buyer's problem, which
		// it overrides when the buyer asks to go higher.
		name: "asksEscalation", conf: setsItself,
		read: selfSet(func(d *dialogue, in *input) { d.asksEscalation() }),
	},
	{
		// An action told as already done ("I cancelled it and I'm still
		// charged", "спор открыт уже 8 дней", complaint.go): where it
		// stands, not the action again. Sets the status lookup itself;
		// not on a carried request (it checks itself). Last: the action's
		// words made the readers before it read a new request, which
		// this corrects; an escalation asked with it is kept
		// (escalateAfter: the status first, then the person).
		name: "toldDone", conf: setsItself,
		read: selfSet(func(d *dialogue, in *input) { d.toldDone(in.cur) }),
	},
	{
		// Where the dispute or refund of another order stands ("and the
		// one from last week? I escalated that one to a dispute",
		// "다른 건은요? 주전자 건 분쟁", otherstatus.go): that status, of
		// the order pointed at or one of the buyer's others. Sets it
		// itself, confidence 1, carried; reads a request carried by
		// followUp (not a consequential one). After toldDone and
		// asksEscalation: "escalated to a dispute" and the dispute told
		// as opened are the status asked of the other order, not of the
		// one discussed, nor a person.
		name: "asksOtherStatus", conf: setsItself, readsCarried: true,
		read: selfSet(func(d *dialogue, in *input) { d.asksOtherStatus(in.cur) }),
	},
	{
		// An unsure out-of-scope reading of a message that names an
		// order of the buyer's (unsureorder.go): that order looked up.
		// OrderStatus, confidence kept (a lookup, never an action); not
		// on a carried request. Last: it only corrects what every reader
		// before left as an unplaced message.
		name: "unsureOrder", intent: nlu.OrderStatus, conf: keeps,
		read: func(d *dialogue, in *input) bool { return d.unsureOrder() },
	},
}

// selfSet adapts a reader that sets the intent, the confidence and carried
// itself: it claims the message when it changed what the message was read
// as.
func selfSet(read func(d *dialogue, in *input)) func(d *dialogue, in *input) bool {
	return func(d *dialogue, in *input) bool {
		intent, conf, carried, fact := d.intent, d.conf, d.carried, d.fact
		read(d, in)
		return d.intent != intent || d.conf != conf || d.carried != carried || d.fact != fact
	}
}

// carryOpen reads the message as the open request it answers or completes
// (the readers' first entry).
func carryOpen(d *dialogue, in *input) bool {
	open, cur := in.open, in.cur
	switch {
	case d.offered && decides(cur):
		// A yes or no right after the offer of a person answers the
		// offer (dialogue.go), not a request the buyer made before it.
		return false
	case open != nil && doubtful(*open) && decides(cur):
		// A clear yes confirms the consequential request the model was
		// unsure of; a no means the buyer was asking about the policy,
		// which the earlier message is the question for.
		r := settle(*open, cur)
		d.intent, d.conf, d.carried = r.Intent, r.Confidence, true
		d.slots = merge(open.Slots, cur.Slots)
		if r.Intent == nlu.PolicyQuestion && in.openText != "" {
			d.text = in.openText
		}
		return true
	case open != nil && completes(*open, cur, d.text, d.lastOrder):
		// A message that is not a clear new request completes the open
		// one: an order id, a reason, "the shoes one".
		d.intent, d.conf, d.carried = open.Intent, open.Confidence, true
		d.slots = merge(open.Slots, cur.Slots)
		return true
	}
	return false
}

// runReaders reads the buyer's message with rs (readMessages: readers),
// in order, and notes in d.readBy which claimed it, by their index in rs.
func (d *dialogue) runReaders(rs []reader, in *input) {
	for i, r := range rs {
		if d.carried && !r.readsCarried {
			continue
		}
		if !r.read(d, in) {
			continue
		}
		d.readBy |= 1 << i
		if r.intent != "" {
			d.intent = r.intent
		}
		d.conf = r.conf.apply(d.conf)
	}
}

// readerNames returns the names of the readers in set, a dialogue's readBy,
// in the table's order.
func readerNames(set uint64) []string {
	var names []string
	for i, r := range readers {
		if set&(1<<i) != 0 {
			names = append(names, r.name)
		}
	}
	return names
}
