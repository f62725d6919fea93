package local

import (
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
)

// A yes to the model's own question about an order: "cancel all of order
// X?" (asked when only part of it was to go), "do you want me to request a
// refund for order X, or are you asking about the policy?". The question
// was asked after the order was looked up, and often beside the answer to
// another request of the same message, so the yes is no longer read as
// completing the request it answers; without this it gets "anything
// else?" and nothing is proposed. The request it settles is served again,
// now sure, and its card asks the buyer to confirm as always.

// questionIntents are the questions a yes settles, by template key, and
// the request each yes makes.
var questionIntents = []struct {
	key    string
	intent nlu.Intent
	// whole: the yes is for the whole order, whatever part of it the
	// buyer's words named (the question offered all of it).
	whole bool
}{
	{"cancel_whole_only", nlu.CancelOrder, true},
	{"clarify_cancel_order", nlu.CancelOrder, false},
	{"clarify_refund_order", nlu.RefundRequest, false},
	// The refund offered after a window answer (windowoffer.go) is of
	// the order's refundable lines, all of them.
	{"window_refund_ask", nlu.RefundRequest, true},
}

// questionAnswer reads a clear yes to one such question in the model's
// last reply as the request it offered. Two questions in the reply, or
// none, leave the yes as it was read.
func (d *dialogue) questionAnswer(m *Model, before []agent.Message, cur nlu.Result) {
	if d.carried || cur.Intent != nlu.Affirm || cur.Confidence < minDecisionConfidence || d.prevReply == "" {
		return
	}
	type asked struct {
		order  string
		intent nlu.Intent
		whole  bool
	}
	var found []asked
	for _, id := range d.discussed {
		for _, q := range questionIntents {
			if strings.Contains(d.prevReply, render(d.locale, q.key, id)) {
				found = append(found, asked{id, q.intent, q.whole})
			}
		}
	}
	if len(found) != 1 {
		return
	}
	a := found[0]
	d.intent, d.conf, d.carried = a.intent, 1, true
	d.slots = nlu.Slots{OrderID: a.order}
	if a.whole {
		return
	}
	// The request's own words (which item, which reason), from the
	// buyer's message that asked it, or its part about this order.
	if text, r, ok := m.requestFor(before, a.order, d.locale); ok {
		d.text, d.slots = text, r.Slots
		d.slots.OrderID = a.order
	}
}

// requestFor finds the buyer's newest message in msgs that asked about
// order, and returns its words about that order: the whole message, or of
// a message with several requests, that order's.
func (m *Model) requestFor(msgs []agent.Message, order, locale string) (string, nlu.Result, bool) {
	for i := len(msgs) - 1; i >= 0; i-- {
		msg := msgs[i]
		if msg.Role != agent.RoleUser {
			continue
		}
		for _, rq := range m.splitRequests(msg.Content, locale) {
			if rq.order == order {
				return rq.text, rq.r, true
			}
		}
		if r := m.parse(msg.Content, locale); r.Slots.OrderID == order {
			return msg.Content, r, true
		}
	}
	return "", nlu.Result{}, false
}
