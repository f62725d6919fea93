package local

import (
	"regexp"
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
)

// A card shown for an order the buyer did not name (the one order that
// could be cancelled, the order the goods were in) is often answered with
// that order's number: "ORD-10150", "주문번호 ORD-10141 이에요", "el
// número es 10150", "номер заказа 10150". The buyer confirms which order
// they meant, or gives what they think is still missing; they do not ask
// where the order is. Read on its own words such a message is a lookup,
// which answers with a delivery date and leaves the buyer unsure what the
// card is for. The card for that order is shown again instead: the same
// call, which the agent's store keeps as the one action waiting (Propose
// returns the stored one), so the buyer confirms once.

// orderRefs are order numbers as a buyer types them, with a word for
// "number" or "order" around them that adds nothing.
var orderRefs = regexp.MustCompile(`(?i)(?:#|№|\bord[-\s]?)?\b\d{5}\b`)

// orderOnlyWords is how many words besides the number a message may have
// and still only give it: "oh, the order number is 10150" has five.
const orderOnlyWords = 5

// givesOrderOnly reports whether text gives an order number and little
// else: no question, no more than a few words around the number.
func givesOrderOnly(r nlu.Result, text string) bool {
	if r.Slots.OrderID == "" || r.Slots.Amount != nil || strings.ContainsAny(text, "?？¿") || r.Act == nlu.ActQuestion {
		return false
	}
	return len(strings.Fields(orderRefs.ReplaceAllString(text, " "))) <= orderOnlyWords
}

// cardAgain shows again the card waiting for the order the buyer's message
// only gives the number of. ok is false when no card waits for that
// order, or the message says more than the number.
func (d *dialogue) cardAgain() (agent.Message, bool) {
	a := d.action
	if a == nil || a.decision != "" || len(a.args) == 0 || !givesOrderOnly(d.cur, d.text) || d.cur.Slots.OrderID != a.order {
		return agent.Message{}, false
	}
	if c, ok := d.waitingCard(); !ok || c.order() != a.order || c.tool != a.tool {
		return agent.Message{}, false
	}
	return call(a.tool, a.args), true
}

// cardAgainNote puts before msg, the reply to this turn's tool results,
// that the card it shows is the one for the order the buyer gave: shown
// again with the same words, it would read as the model repeating itself.
func (d *dialogue) cardAgainNote(msg agent.Message) agent.Message {
	if m, ok := d.problemDisputeLead(msg); ok { // ownproblem.go
		return m
	}
	if msg.Content == "" || len(d.results) != 1 || !d.results[0].result.PendingConfirmation {
		return msg
	}
	if m, ok := d.amountAgain(); ok { // "how much do I get?" (refundamount.go)
		return m
	}
	a := d.action
	if a == nil || a.decision != "" || d.results[0].name != a.tool || orderIDIn(d.results[0].args) != a.order || d.cur.Slots.OrderID != a.order {
		return msg
	}
	msg.Content = dlgLine(d.locale, "card_again", a.order) + " " + msg.Content
	return msg
}
