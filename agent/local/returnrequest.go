package local

import (
	"strings"

	"github.com/csagent/csagent/agent/local/nlu"
)

// A buyer who asked the rules first (how many days, who pays) then asks
// for the return in so many words: "ok then start a return for the boots,
// order 10032", "Тогда оформите, пожалуйста, возврат шарфа по заказу
// 10137", "주문 10067 운동화 반품을 신청하고자 합니다". The story around
// it (the days since delivery, the amount to check) leaves the classifier
// unsure between a refund and another question about the policy, and the
// buyer was asked "a refund, or a question about the rules?" again, or
// handed to a person. A return asked for as a request, of an order named
// or under discussion, is the refund request it says; the card still asks
// the buyer to confirm it.

// startCues ask for a return or refund to be done, beside the wants of
// wantCues: imperatives and formal requests.
var startCues = foldAll([]string{
	"start a return", "start the return", "start my return", "process the return", "process a return", "go ahead with the return",
	"make the return", "do the return", "file a return", "open a return", "set up a return", "initiate a return", "begin the return",
	"신청하고자", "신청할게요", "신청할께요", "신청합니다", "진행해 주세요", "진행해주세요", "처리해 주세요", "처리해주세요", "접수해 주세요", "접수해주세요",
	"hágale la devolución", "hagale la devolucion", "hazme la devolución", "hazme la devolucion", "haga la devolución", "haga la devolucion",
	"tramite la devolución", "tramite la devolucion", "tramítame", "tramitame", "tramíteme", "tramiteme", "gestione la devolución", "gestione la devolucion", "inicie la devolución", "inicie la devolucion",
	"empiece la devolución", "empiece la devolucion", "procese la devolución", "procese la devolucion",
	"оформи", "сделай возврат", "сделайте возврат", "запустите возврат", "начните возврат", "прошу вернуть", "прошу оформить",
})

// ruleNouns name the rule itself: "I want to know the return policy"
// asks about it. (A supposed case, "if it doesn't fit I want to return
// it", is no want stated: states reads the "if".)
var ruleNouns = []string{"rule", "policy", "regla", "politica", "política", "правила", "правило", "правил ", "политик", "규정", "정책", "규칙"}

// asksReturnStarted reports whether text, read as r, asks for a return
// or refund of the order it names to be done: a return word and a stated want or request, not
// a supposed case nor a question about the rule's facts, and no request
// of another kind read with confidence.
func asksReturnStarted(r nlu.Result, text string) bool {
	switch r.Intent {
	case nlu.RefundRequest, nlu.PolicyQuestion, nlu.DeliveryProblem, nlu.OrderStatus, nlu.OutOfScope:
	default:
		if r.Confidence >= minConfidence {
			return false
		}
	}
	if r.Slots.OrderID == "" || r.Slots.RefundID != "" || r.Slots.DisputeID != "" {
		// Goods named without an order are found among the buyer's
		// orders first (ownItemReturn), whose rules may settle it.
		return false
	}
	low := strings.ToLower(text)
	if !containsAny(low, returnWords) && !containsAny(low, []string{"devoluci"}) || containsAny(low, ruleNouns) {
		return false
	}
	q := " " + nlu.Fold(low) + " "
	if !states(q, startCues) && !states(q, foldedWantCues) {
		return false
	}
	switch classifyAsk(text) {
	case askWhoPays, askFee, askDuration, askHowTo, askList, askWhatIf:
		// "I want to return it: who pays the shipping?" asks first.
		return false
	}
	return true
}
