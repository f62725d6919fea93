package local

import (
	"strings"

	"github.com/csagent/csagent/agent/local/nlu"
)

// A refund the classifier reads, unsure, with no order number and none of
// the return words or goods names returnsOwnItem looks for ("can i get my
// 12 bucks back lol we're not going anymore", "quiero que me devolvais el
// dinero del aceite") was asked "a refund for one of your orders, or the
// policy?" before anyone looked at what the buyer bought. The buyer's
// orders settle most of it: the goods named, or the only order, is the
// order meant, and its goods decide (doubtfulRefund): goods the refund
// rules exclude get the rule and the dispute's next step from the tools'
// refusal, the others the question with the order named. With several
// orders and nothing to tell them apart, the question is asked as before.

// unsureOwnRefund reports whether r, the reading of text, is a refund the
// classifier leans to without the confidence to propose it, stated as the
// buyer's own (no supposed case, no rule asked: asksTheRule).
func unsureOwnRefund(r nlu.Result, text string) bool {
	return r.Intent == nlu.RefundRequest && r.Confidence >= minConfidence && r.Confidence < nlu.ActionThreshold &&
		r.Slots.RefundID == "" && r.Slots.DisputeID == "" && !asksTheRule(text) && !bareGoods(text)
}

// bareGoods reports whether text is no more than a name of goods ("el
// bolso", "the lantern"): an answer to which item or which order, which
// asks for no money whatever the classifier leans to.
func bareGoods(text string) bool {
	return len(strings.Fields(text)) <= 2 && len(nlu.ItemTerms(text)) > 0
}
