package local

import (
	"slices"

	"github.com/csagent/csagent/agent/local/nlu"
)

// "Can earphones be returned once the box is opened?", "¿se puede
// devolver si no pega con el salón?", "самовар можно вернуть, если
// коробку открыли?": whether an item can be returned at all, for a case
// no rule singles out (opened, not to one's taste), is answered by the
// rule that allows it, the refund window: "You can request a refund up to
// 30 days after delivery". Read as a plain yes-or-no question it found
// the how-to or the cancel-instead passage, which never say whether, nor
// the 30 days.

// generalTopics are the policies' words for returns and refunds in
// general, as topicTerms returns them.
var generalTopics = []string{"refund", "환불", "reembolso", "возврат средств", "change of mind", "단순 변심", "cambio de opinión", "передумали"}

// returnAllowedKind is the kind of fact question asks: a yes-or-no
// question whether something can be returned, on no topic but returns
// and a change of mind (no excluded kind of item, part of an order,
// cancelling, a dispute), asks the time limit; any other question its own
// kind (classifyAsk).
func returnAllowedKind(question string) askKind {
	kind := classifyAsk(question)
	if kind != askAllowed {
		return kind
	}
	topics := topicTerms(nlu.Cyrillic(question))
	if len(topics) == 0 || namedFood(nlu.Cyrillic(question), "") != "" {
		// A food named is a kind of item the policies single out.
		return kind
	}
	for _, t := range topics {
		if !slices.Contains(generalTopics, t) {
			return kind
		}
	}
	return askDeadline
}
