package local

import (
	"regexp"

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
	if keepsCancelling.MatchString(t) {
		return false
	}
	if cancelsThat.MatchString(t) {
		return true
	}
	return containsAny(t, holdCues) && cancelWord.MatchString(t) && !orderWord.MatchString(t) && !nlu.AsksMoneyBack(text)
}
