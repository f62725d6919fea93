package local

import "github.com/csagent/csagent/agent/local/nlu"

// asksRefund reports whether r, read from text, is a complaint about an
// order that asks for the money back: a problem named ("it never came",
// "nothing like the photo", "nothing wrong with it, I just don't need
// it") and the want ("I'd like my money back"). The classifier may read
// the story as a delivery problem or an order lookup, or be unsure of the
// refund among the story's words; the buyer asked for a refund, and the
// refund's card still asks them to confirm it. A general question ("if
// it arrives broken, do I get a refund?") is no such request.
func asksRefund(r nlu.Result, text string) bool {
	if r.Slots.Reason == "" || r.Confidence < minConfidence || r.Act == nlu.ActQuestion {
		return false
	}
	switch r.Intent {
	case nlu.RefundRequest, nlu.DeliveryProblem, nlu.OrderStatus:
		return nlu.AsksMoneyBack(text)
	}
	return false
}

// asksItemRefund reports whether r, read from text, asks for the money
// back for part of an order, saying what the buyer keeps: "можно вернуть
// только за набор? самовар и шкатулку оставлю" is phrased as a question,
// yet a buyer who says which of their goods they keep is talking about
// their own order, not asking about the policy. The card still asks them
// to confirm.
func asksItemRefund(r nlu.Result, text string) bool {
	if r.Intent != nlu.RefundRequest || r.Confidence < minConfidence {
		return false
	}
	asked, kept := splitKept(text)
	return kept != "" && len(nlu.ItemTerms(kept)) > 0 && asked != ""
}
