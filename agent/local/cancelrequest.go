package local

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// A buyer who says "cancel it" wants the order cancelled, however the
// classifier weighs the rest of the message: "yeah cancel it" reads as a
// yes to nothing pending, "cancelen el de la lámpara, el 10082" as too
// unsure to act on, "прошу отменить заказ 10112 с чайным набором" as the
// cancellation of one item. The request is served as a cancellation of
// the order it names (or the one the conversation is on); the tool
// checks the order is the buyer's and can be cancelled, and the card asks
// the buyer to confirm, so nothing here moves money.

// cancelWants are the imperative and wishing forms of "cancel" that ask
// for it to be done, folded; states leaves out the negated, supposed and
// asked ones ("don't cancel it", "if I cancel it", "how do I cancel it").
var cancelWants = foldAll([]string{
	"cancel it", "cancel that", "cancel this", "cancel the order", "cancel order", "cancel my order", "cancel the one", "cancel the lantern", "please cancel", "pls cancel", "plz cancel",
	"want to cancel", "wanna cancel", "like to cancel", "need to cancel", "go ahead and cancel", "just cancel",
	"취소해 주", "취소해주", "취소해 줘", "취소해줘", "취소 부탁", "취소하고 싶", "취소해 주십시오", "취소 해주", "취소 해 주",
	"cancelen", "cancelenlo", "cancelenmelo", "cancelalo", "cancelamelo", "cancela el", "cancela mi", "cancele el", "cancele mi", "cancelelo", "quiero cancelar", "necesito cancelar", "quisiera cancelar", "por favor cancel",
	// The vosotros imperative of Spain: "cancelad el de la lámpara".
	"cancelad", "canceladlo", "canceladla", "canceladme", "anulad", "anuladlo", "anuladla",
	"отмените", "отмени ", "отмени,", "отмени.", "прошу отменить", "хочу отменить", "нужно отменить", "надо отменить", "отменяйте", "давайте отменим",
	// The formal, nominal forms: "I am writing to request the
	// cancellation of order …", "solicito la cancelación del pedido",
	// "취소 요청합니다", "прошу отмены заказа".
	"request the cancellation", "request cancellation", "requesting the cancellation", "requesting cancellation", "request a cancellation",
	"cancellation of order", "cancellation of my order", "cancel my purchase", "cancel the purchase",
	"solicito la cancelacion", "solicitar la cancelacion", "pido la cancelacion", "la cancelacion del pedido", "la cancelacion de mi pedido",
	"anular el pedido", "anular mi pedido", "anulen", "anulenlo", "cancelar el pedido", "cancelar mi pedido",
	"취소 요청합니다", "취소 요청 드립니다", "취소 요청드립니다", "취소요청합니다", "취소 신청", "취소할게요", "취소하겠습니다", "취소 원합니다", "취소요",
	"прошу отмены", "отмену заказа", "оформить отмену", "оформите отмену", "отменить мой заказ",
})

// asksCancel reports whether text, read as r, asks for an order to be
// cancelled in so many words.
func asksCancel(r nlu.Result, text string) bool {
	if r.Act == nlu.ActQuestion && r.Intent != nlu.CancelOrder {
		return false
	}
	q := " " + nlu.Fold(strings.ToLower(text)) + " "
	// A cancellation that quotes what was paid ("취소 요청합니다. 결제금액
	// 89,000원 맞는지도 확인") or gives a reason ("прошу отмены заказа,
	// оформленного по ошибке") often reads as money asked back; it is a
	// cancellation when it asks for no refund in words of its own.
	noRefund := !containsAny(q, refundWords)
	switch r.Intent {
	case nlu.CancelOrder, nlu.Affirm, nlu.OrderStatus, nlu.OutOfScope, nlu.PolicyQuestion:
	case nlu.RefundRequest:
		if !noRefund {
			return false
		}
	default:
		return false
	}
	if s := r.Slots; s.RefundID != "" || s.DisputeID != "" || (s.Amount != nil && !noRefund) {
		return false
	}
	return states(q, cancelWants)
}

// namesOtherGoods reports whether the goods the buyer's cancellation of
// order o names leave none of o out, though not all of them are o's: the
// goods kept or said to be fine are another order's ("cancel 10112 with
// the tea set; 10111 with the box arrived fine"), or o holds one line
// (whatever else is named is another order's). A restriction ("only",
// a position, a number of pieces, "keep the rest") is part of an order,
// which no cancellation is (cancelPart).
func (d *dialogue) namesOtherGoods(o tools.Order) bool {
	asked, kept := nlu.SplitKept(d.text)
	kept = notCancelling(kept)
	if s := d.slots; s.Only || s.ItemPosition > 0 || fewerPieces(s, o) || containsAny(nlu.Fold(strings.ToLower(kept)), restCues) {
		return false
	}
	return (kept == "" || !namesLineOf(kept, o)) && wholeOrderNamed(asked, o)
}

// notCancelling returns the clauses of text that do not ask for a
// cancellation: what a buyer keeps is never in the clause that cancels.
func notCancelling(text string) string {
	var out []string
	for _, c := range regexp.MustCompile(`[.,;!?]+`).Split(text, -1) {
		if c = strings.TrimSpace(c); c != "" && !states(" "+nlu.Fold(strings.ToLower(c))+" ", cancelWants) {
			out = append(out, c)
		}
	}
	return strings.Join(out, ". ")
}

// restCues name the rest of an order: what "keep the rest" keeps is
// part of the order the request is about.
var restCues = foldAll([]string{"rest", "others", "other items", "other stuff", "나머지", "다른 상품", "resto", "demás", "los otros", "las otras", "остальн", "другие товары"})

// namesLineOf reports whether text names a line of order o.
func namesLineOf(text string, o tools.Order) bool {
	for _, it := range o.Items {
		if nlu.ItemScore(text, it.Name) > 0 {
			return true
		}
	}
	return false
}

// wholeOrderNamed reports whether the goods text names leave none of
// order o out: it names every line, or o has one line and text names
// none of o's (so the goods it names are another order's).
func wholeOrderNamed(text string, o tools.Order) bool {
	named := 0
	for _, it := range o.Items {
		if nlu.ItemScore(text, it.Name) > 0 {
			named++
		}
	}
	return len(o.Items) > 0 && (named == len(o.Items) || len(o.Items) == 1)
}

// proposedCancel is a cancellation the buyer was asked to confirm and
// has not confirmed or declined yet.
type proposedCancel struct {
	order  string
	amount *tools.Money
}

// pendingHeader opens the agent's note of the actions waiting for the
// buyer's confirmation (agent.history).
const pendingHeader = "Actions waiting for the customer's confirmation"

// waitingCancel reads a cancellation in the agent's note of what waits:
// the tools' own summary of it, "Cancel order ORD-10042 (…) and refund
// the 28.99 USD paid to the original payment method".
var waitingCancel = regexp.MustCompile(`Cancel order (ORD-\d{5})(?:.*? and refund the (\d+(?:\.\d+)?) ([A-Z]{3}) paid)?`)

// readPendingCancel finds, in the conversation before the buyer's message,
// the cancellation still waiting for their yes, from the agent's note of
// the actions that wait.
func (d *dialogue) readPendingCancel(msgs []agent.Message) {
	d.pendingCancel = nil
	for _, m := range msgs {
		if m.Role != agent.RoleSystem || !strings.HasPrefix(m.Content, pendingHeader) {
			continue
		}
		for _, line := range strings.Split(m.Content, "\n") {
			sm := waitingCancel.FindStringSubmatch(line)
			if sm == nil {
				continue
			}
			p := &proposedCancel{order: sm[1]}
			if sm[2] != "" {
				if minor, ok := minorUnits(sm[2], sm[3]); ok {
					p.amount = &tools.Money{Minor: minor, Currency: sm[3]}
				}
			}
			d.pendingCancel = p
		}
	}
}

// minorUnits reads an amount written as tools.Money writes it ("28.99",
// "45000") in the currency's minor units.
func minorUnits(amount, currency string) (int64, bool) {
	whole, frac, _ := strings.Cut(amount, ".")
	dec := tools.Decimals(currency)
	if len(frac) > dec {
		return 0, false
	}
	frac += strings.Repeat("0", dec-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	return n, err == nil
}

// moneyCues ask about the money: how much, when it comes back.
var moneyCues = foldAll([]string{"money", "refund", "how much", "get it back", "paid back", "back on my card",
	"환불", "돈", "얼마", "입금",
	"dinero", "plata", "reembols", "cuanto", "devuelv", "vuelve",
	"деньги", "денег", "возврат", "сколько", "вернут", "вернётся", "вернется"})

// chargeCues ask whether the money is taken at all ("will I be charged or
// not?", "¿no me van a cobrar?", "не спишут?", "청구 안 되죠?"), folded:
// the same answer as the money back settles it, asked as whether
// something is allowed or not.
var chargeCues = foldAll([]string{"charged", "be billed", "charge me", "cobrar", "cobrad", "cobran", "cobrara",
	"спишут", "списан", "спишется", "청구", "결제되", "빠져나가", "출금"})

// refundWords ask for money back in so many words, folded.
var refundWords = foldAll([]string{"refund", "money back", "환불", "reembols", "devolu", "devuelv", "возврат", "верните", "вернуть"})

// asksCancelMoney reports whether the buyer's message asks about the
// money of the cancellation waiting for their yes ("how much will I get
// back?", "when does the money come?"), and names nothing else to look
// up: the refund the card would make, not one to look for.
func (d *dialogue) asksCancelMoney() bool {
	p := d.pendingCancel
	if p == nil || p.amount == nil || p.amount.Minor <= 0 {
		return false
	}
	s := d.slots
	if (s.OrderID != "" && normOrder(s.OrderID) != p.order) || s.RefundID != "" || s.DisputeID != "" || s.Amount != nil {
		return false
	}
	switch d.intent {
	case nlu.RefundStatus, nlu.PolicyQuestion, nlu.OrderStatus, nlu.RefundRequest, nlu.OutOfScope, nlu.CancelOrder:
	default:
		return false
	}
	q := " " + nlu.Fold(strings.ToLower(d.text)) + " "
	charge := containsAny(q, chargeCues)
	if !(containsAny(q, moneyCues) || charge) || states(q, cancelWants) {
		return false
	}
	switch classifyAsk(d.text) {
	case askDuration, askDeadline, askFee, askOther:
		return true
	case askAllowed:
		return charge
	}
	return d.intent == nlu.RefundStatus
}

// pendingCancelAnswer answers asksCancelMoney: the amount the card
// refunds and when, as the refunds policy says of cancelling; the card
// still waits.
func (d *dialogue) pendingCancelAnswer() (agent.Message, bool) {
	if !d.asksCancelMoney() {
		return agent.Message{}, false
	}
	p := d.pendingCancel
	o, ok := d.turnOrder(p.order)
	if !ok && d.has("get_order") && !d.calledThisTurn("get_order") {
		// The order's own amounts, which the reply states.
		return call("get_order", map[string]string{"order_id": p.order}), true
	}
	amount := *p.amount
	if ok && o.Total.Currency == amount.Currency {
		// What cancelling refunds now: all that is not refunded yet.
		amount.Minor = o.Total.Minor - o.Refunded.Minor
	}
	return d.say("pending_cancel_money", p.order, money(d.locale, amount)), true
}
