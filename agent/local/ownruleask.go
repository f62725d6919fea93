package local

import (
	"strings"

	"github.com/csagent/csagent/agent/local/nlu"
)

// A question about a rule often names the buyer's own order as its case:
// "order 10021, got em 3 days ago. who pays shipping back?", "Es el
// pedido 10103, le llegó hace 10 días. ¿Y el envío de vuelta quién lo
// paga?", "10057 아직 배송 전인데 cancel은 되나?". The order number made
// these requests on the order (a refund card, a tracking answer), though
// they ask who pays, how long, a fee, or whether the order can still be
// cancelled, and want nothing done yet. They are policy questions about
// that order: the rule is answered, with what it means for the order (its
// own last day, or the cancellation the rule allows prepared as a card),
// and the buyer who then wants it done says so.

// koreanQuestionEnds ask in Korean without a question mark: "주문 10043
// 취소되나요 아직 안 보냈죠".
var koreanQuestionEnds = []string{"나요", "까요", "되나", "인가요", "는지", "냐", "죠"}

// asksOwnOrderRule reports whether text, read as r, asks a rule of an
// order it names: a question (a question mark, or asked) for who pays, a
// fee, a time limit or a duration on a topic the policies cover, or
// whether the order can be cancelled, with no want stated.
func asksOwnOrderRule(text string, r nlu.Result) bool {
	s := r.Slots
	if s.OrderID == "" || s.RefundID != "" || s.DisputeID != "" || s.Amount != nil {
		return false
	}
	if !strings.ContainsAny(text, "?？") && r.Act != nlu.ActQuestion && !containsAny(text, koreanQuestionEnds) {
		return false
	}
	q := " " + nlu.Fold(strings.ToLower(text)) + " "
	if states(q, foldedWantCues) {
		// "I want to return ORD-10021, who pays shipping?" wants it done.
		return false
	}
	kind := classifyAsk(text)
	if asksCancelling(text) {
		// "10057 hasn't shipped yet, can I still cancel?" asks whether
		// the rule lets this order be cancelled (ownrule.go).
		return kind == askAllowed || kind == askDeadline
	}
	switch kind {
	case askWhoPays, askFee, askDuration:
	case askDeadline:
		if stillAsks(text) {
			// "Can I still return ORD-10021?" asks for the buyer's own
			// case, which the request serves (doubtfulRefund).
			return false
		}
	default:
		return false
	}
	return len(topicTerms(nlu.Cyrillic(text))) > 0 || containsAny(q, policyNouns)
}
