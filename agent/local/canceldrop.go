package local

import (
	"regexp"
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
)

// "Actually hold on, cancel that, I'll try breaking them in first": said
// while a refund card waits, the cancellation asked for is the card's,
// not the order's. Read on its own words it is a cancellation of the
// order (refused, the order shipped long ago) and the refund card keeps
// waiting for a yes the buyer will never give. The agent knows what waits
// and asks DropsAction (agent.DropReader); while a cancellation waits the
// same words may confirm it, so they are not read there.

var _ agent.DropReader = Confirmations{}

// cancelsThat finds a cancellation pointed at what was just proposed, over
// cueText: "cancel that", "cancel it", "cancélalo", "anula eso",
// "отмените это", "그거 취소".
var cancelsThat = regexp.MustCompile(` (?:cancel|call off|scrap) (?:that|this|it|the request|the whole thing)(?: |$)` +
	`| (?:cancelalo|cancelala|cancelelo|cancelela|cancelenlo|anulalo|anulala|anulelo|anulela)(?: |$)` +
	`| (?:cancela|cancele|cancelen|anula|anule|anulen) (?:eso|esto|la solicitud|el tramite)(?: |$)` +
	`| (?:отмени|отмените|отменяй|отменяйте|отменить) (?:это|его|ее|заявку|запрос)(?: |$)` +
	`| (?:otmeni|otmenite) (?:eto|ego)(?: |$)` +
	`|(?:그거|그건|이거|이건|방금 ?거|그 요청|요청)(?:은|는|을|를|도)? ?취소`)

// cancelWord finds any word of cancelling, and orderWord a word naming an
// order, over cueText: a hold ("wait, cancel") calls the card off unless
// the cancellation is of an order the buyer names.
var (
	cancelWord = regexp.MustCompile(` (?:cancel|cancela|cancele|anula|anule|отмен|otmen)|취소`)
	orderWord  = regexp.MustCompile(` (?:order|pedido|заказ|zakaz)|주문`)
	// keepsCancelling is a cancellation said negated ("don't cancel it",
	// "no lo anules", "не отменяйте", "취소하지 마세요"): the buyer keeps
	// what waits, the opposite of calling it off.
	keepsCancelling = regexp.MustCompile(` (?:don t|dont|do not|not|no need to|never) (?:cancel|call)` +
		`| no (?:lo |la |me |le )?(?:cancel|anul)| не (?:отмен|otmen)| ne otmen|취소(?:하지|는 하지|는 안|안|하진)`)
)

// secondThoughts say the buyer thought again ("actually", "on second
// thought", "mejor", "передумал", "생각해 보니"), folded as cueText writes
// a message: said with a cancel word, like a hold, they call the card off.
var secondThoughts = foldAll([]string{
	" actually", " on second thought", " second thoughts", " changed my mind", " change of plans", " nah ", " hmm",
	" mejor ", " pensandolo bien", " pensándolo bien", " cambie de opinion", " cambié de opinión", " al final",
	" передумал", " передумала", " лучше ", " хотя нет", " нет, ", " всё-таки", " все-таки",
	"생각해 보니", "생각해보니", "마음이 바뀌", "마음 바뀌", "아니다",
})

// bareCancelWords is how many words a cancellation said alone ("cancel",
// "отмена", "취소할게요", "no, cancela") may have and still point at the
// one card waiting rather than ask for anything of its own.
const bareCancelWords = 3

// DropsAction reports whether text calls off the one action waiting, a
// call of tool, with words of a cancellation that point at it ("hold on,
// cancel that"): only while a refund or a dispute waits, and never when
// the message names an order or an amount (a new request of its own).
func (c Confirmations) DropsAction(text, locale, tool string) bool {
	if tool == "cancel_order" {
		return false
	}
	r := c.nlu.Parse(text, locale)
	if r.Slots.OrderID != "" || r.Slots.Amount != nil {
		return false
	}
	return dropsCard(text)
}

// dropsCard reports whether text cancels the card just proposed: "cancel
// that", or a hold said with a cancellation of no order ("wait, cancel").
func dropsCard(text string) bool {
	t := cueText(unglued(text))
	// The negation is read with the punctuation kept: "no, cancela" is a
	// no to the card and a cancel word, not "no la canceles".
	neg := " " + strings.NewReplacer("'", " ", "’", " ").Replace(nlu.Fold(unglued(text))) + " "
	if keepsCancelling.MatchString(neg) {
		return false
	}
	if cancelsThat.MatchString(t) {
		return true
	}
	if !cancelWord.MatchString(t) || orderWord.MatchString(t) || nlu.AsksMoneyBack(text) {
		return false
	}
	return containsAny(t, holdCues) || containsAny(t, secondThoughts) || len(strings.Fields(t)) <= bareCancelWords
}
