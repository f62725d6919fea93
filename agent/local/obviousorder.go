package local

import (
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// One obvious order. A buyer who told a problem with goods of theirs and
// then asks for the money back ("I would like my money back if that is
// possible", "돈을 돌려받을 수 있으면 좋겠어요", "прошу оформить возврат
// денежных средств") gives no number a second time: the order is the one
// the conversation found for those goods, or, when none was looked up
// yet, the one of the buyer's orders that holds them. Asking "which of
// these orders?" lists an order the buyer never spoke of; reading the
// wish as a question about the refund rules answers nobody. The card that
// follows names the order, the goods and the amount, and asks the buyer
// to confirm, so using the one order meant is safe.

// asksSomething reports whether the message, read as r, asks a question:
// a question mark, or the classifier's reading of a question.
func asksSomething(r nlu.Result, text string) bool {
	return strings.ContainsAny(text, "?？¿") || r.Act == nlu.ActQuestion
}

// moneyBackOfOrder reads a wish for the money back, said with no order
// number after a problem with the goods of the order the conversation is
// on, as the refund of that order (a reader, RefundRequest, at least the
// threshold): not a rule asked ("who pays the shipping back?", "how long
// does it take?" stay the policy's), not a case supposed ("if it breaks,
// can I get my money back?"), not goods of another order, and not while a
// card waits or a request is carried.
func (d *dialogue) moneyBackOfOrder(cur nlu.Result) bool {
	s := cur.Slots
	if d.carried || d.lastOrder == "" || d.otherOrder || s.OrderID != "" || s.RefundID != "" || s.DisputeID != "" || s.LastOrder ||
		len(d.cards) > 0 || d.pendingCancel != nil || !wantsMoneyBack(d.text) || nlu.Withdraws(d.text) {
		return false
	}
	if _, looked := d.looked[d.lastOrder]; !looked {
		return false
	}
	if len(nlu.ItemTerms(d.text)) > 0 && !d.namesGoodsOf(d.lastOrder) {
		return false
	}
	if containsAny(cues(d.text), ifCues) {
		return false
	}
	switch classifyAsk(d.text) {
	case askWhoPays, askFee, askDuration, askDeadline, askHowTo:
		return false
	}
	return problemReason(d.statedReason(d.lastOrder))
}

// goodsToldOrder picks, from the buyer's orders listed to serve a request
// that names no goods, the one order holding the goods the buyer's earlier
// messages named with a problem (newest first): the lantern told of
// before "I'd like my money back". ok is false when the request names
// goods of its own, no earlier message named goods, or they are in no
// single order.
func (d *dialogue) goodsToldOrder(orders []tools.OrderRow) (agent.Message, bool) {
	tool, picking := needsOrder[d.intent]
	if !picking || d.otherOrder || d.slots.LastOrder || len(nlu.ItemTerms(d.text)) > 0 || !problemReason(d.statedReason("")) {
		return agent.Message{}, false
	}
	for i := len(d.earlier) - 1; i >= 0; i-- {
		if len(nlu.ItemTerms(d.earlier[i])) == 0 {
			continue
		}
		id, ok := pickOrder(d.earlier[i], orders)
		if !ok {
			return agent.Message{}, false
		}
		return d.orderCall(tool, id), true
	}
	return agent.Message{}, false
}

// moreMoneyBackCues ask for the money back in words the classifier's
// money-back cues (nlu.AsksMoneyBack) do not know, folded as cueText
// writes a message: a wish in the subjunctive ("preferiría que me
// devolvieran el dinero"), the money "back to me as money" ("돈으로
// 돌려받고 싶어요"), the money returned to the buyer ("вернули деньги").
var moreMoneyBackCues = foldAll([]string{
	" get my money back", " have my money back", " refund me", " have it refunded", " get it refunded", " reimbursed",
	" devolvieran el dinero", " devolviesen el dinero", " devolvieran mi dinero", " devuelvan mi dinero", " me devuelvan el dinero",
	" recuperar el dinero", " recuperar mi dinero", " lo que pague",
	" вернули деньги", " вернуть мне деньги", " деньги обратно", " вернуть оплату", " вернули оплату", " компенс",
	"돈으로 돌려", "돌려받", "환급",
})

// wantsMoneyBack reports whether text asks for the money back, in the
// classifier's words or the ones above.
func wantsMoneyBack(text string) bool {
	return nlu.AsksMoneyBack(text) || containsAny(cueText(text), moreMoneyBackCues)
}

// refundOfGoodsNamed reports whether the buyer's message asks the money
// back for goods it names, not for an order it names by them: "a refund
// for the lamp" is the lamp's money, though the order holding it has
// towels too; "refund my lamp order" is the order's. The card lists the
// goods and what is kept, for the buyer to confirm. Goods that answer
// "which order?" (a carried request: "the shoes one") name the order.
func (d *dialogue) refundOfGoodsNamed() bool {
	return d.intent == nlu.RefundRequest && !d.carried && !orderWord.MatchString(cueText(d.goodsWords()))
}
