package local

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// A buyer who tells a problem with something they bought rarely gives the
// order number: "the lantern I bought does not turn on", "compré una
// paellera y llegó con el mango roto. Qué puedo hacer?", or one word at a
// time ("шкатулка", "сломана", "чтоделать"). Read alone, such a message is
// a question about the return rules or nothing the classifier can name;
// in the conversation it is about the buyer's own order holding those
// goods. That order is found among the buyer's orders by the goods (named
// in this message or an earlier one) or is the order under discussion,
// and the reply gives what can be done about it, in plain words, with the
// amount and the days: a refund of what the goods cost until the refund
// window closes, or a dispute with the seller until the dispute window
// does. Nothing is proposed: the buyer says which, and that request's
// card asks for the confirmation.
//
// "What can I do?" or "I don't know the order number" after such a
// problem gets the same options for the same order. A request for money
// back or a dispute in so many words is read as what it says, and a
// question about the rules in general ("can a broken lamp be returned?")
// stays a policy question: the problem must be the buyer's own (bought,
// "my", named before, or the order discussed).

// factProblem is a follow-up fact (orderfact.go): the buyer told a problem
// with the goods of the order looked up, and gets the options for it.
const factProblem orderFact = 100

// optionsCues ask what the buyer can do, folded as cueText writes a
// message.
var optionsCues = []string{
	" what can i do", " what do i do", " what should i do", " what now", " what are my options", " what are the options",
	" what can be done", " what can you do", " how do i fix", " can you help me with it",
	" what are the next steps", " what s the procedure", " whats the procedure", " how should i proceed", " how do i proceed",
	" como procedo", " como debo proceder", " que pasos", " что предпринять", " как поступить", " порядок действий", " как действовать",
	"어떻게 처리", "어떻게 진행",
	" que puedo hacer", " que hago", " que debo hacer", " que se puede hacer", " que opciones", " que me recomienda",
	" что делать", " что мне делать", " чтоделать", " что теперь делать", " что можно сделать", " как быть", " как мне быть",
	" chto delat", " chtodelat",
	"어떻게 해야", "어떡해", "어떻게 하죠", "어떻게 하나요", "어떻게 하면", "어떻게 해요", "방법이 있",
}

// ifCues suppose a case rather than tell one.
var ifCues = []string{" if ", " in case ", " suppose ", " si ", " en caso ", " если ", " в случае ", " esli "}

// ownCues say the goods are the buyer's own.
var ownCues = []string{" my ", " mine ", " mi ", " mis ", " мой ", " моя ", " моё ", " мое ", " мои ", " у меня ", " 제 ", " 내 "}

// problemReason reports whether r is a problem with the goods themselves,
// which a refund or a dispute can answer.
func problemReason(r string) bool {
	switch r {
	case nlu.ReasonDamaged, nlu.ReasonDefective, nlu.ReasonNotAsDescribed, nlu.ReasonWrongItem:
		return true
	}
	return false
}

// asksOptions reports whether text asks what the buyer can do.
func asksOptions(text string) bool { return containsAny(cues(text), optionsCues) }

// ownProblem reads the buyer's message as a problem with their own goods
// (see above), served as a lookup of the order holding them that answers
// with the options. It must win over a policy reading of the message
// (asksPolicy) and over the status lookups of ownOrder, and give way to
// any request for an action, a person or part of an order.
func (d *dialogue) ownProblem(cur nlu.Result) {
	if d.goodsOnly(cur) {
		return
	}
	s := cur.Slots
	if s.OrderID != "" || s.RefundID != "" || s.DisputeID != "" || s.Amount != nil || s.Only || s.ItemPosition > 0 || s.ItemQuantity > 0 {
		return
	}
	if (nlu.Consequential(d.intent) && d.conf >= nlu.ActionThreshold) || (nlu.Consequential(cur.Intent) && cur.Confidence >= nlu.ActionThreshold) ||
		(cur.Intent == nlu.HumanAgent && cur.Confidence >= minConfidence) || d.pendingCancel != nil || len(d.cards) > 0 ||
		d.otherOrder || nlu.Withdraws(d.text) || isBotQuestion(d.text) || asksCancelling(d.text) {
		return
	}
	if d.carried && d.intent != nlu.OrderStatus && d.intent != nlu.DeliveryProblem {
		return // completes another request
	}
	if _, refused := d.refusedRefund(); refused && disputeReason(cur.Slots.Reason) != "" {
		// The fault told after a refused refund answers the refusal: the
		// dispute it offered (refusalfault.go), not the options again.
		return
	}
	if containsAny(cues(d.text), ifCues) {
		// "If a few are defective, is the return per pack?": a case
		// supposed, which the rule answers.
		return
	}
	switch k := classifyAsk(d.text); {
	case !asksSomething(cur, d.text):
		// A story with no question in it ("the lantern doesn't switch on,
		// even after I charged it all night") asks no rule, whatever
		// its words ("charged") look like.
	case k == askWhoPays || k == askFee || k == askDuration || k == askDeadline,
		(k == askList || k == askWhatIf) && !asksOptions(d.text):
		// "My kettle came cracked. How many days do I have to report
		// it?": the fact asked is the policy's to give (policyroute.go);
		// "what are my options?" asks what this buyer can do.
		return
	}
	goods := len(nlu.ItemTerms(d.text)) > 0
	order := ""
	if d.lastOrder != "" && (!goods || d.namesGoodsOf(d.lastOrder)) {
		order = d.lastOrder
	}
	reason := faultReason(cur, d.text) // faultcues.go
	if !problemReason(reason) {
		// "What can I do?", "no sé el número" after the problem was told.
		if !asksOptions(d.text) && !saysNoNumber(d.text) {
			return
		}
		if reason = d.statedReason(order); !problemReason(reason) {
			return
		}
	}
	t := cues(d.text)
	own := containsAny(t, purchaseCues) || containsAny(t, ownCues) || asksOptions(d.text) || order != "" || (!goods && d.problemGoods() != "")
	if !own || (order == "" && d.problemGoods() == "") {
		return
	}
	d.intent, d.conf, d.carried = nlu.OrderStatus, 1, true
	d.slots.OrderID, d.slots.Reason = order, reason
	d.fact = factProblem
}

// problemGoods returns the buyer's words that name the goods with the
// problem: this message's, or the newest earlier message's that named
// goods ("шкатулка" before "сломана"); "" for none.
func (d *dialogue) problemGoods() string {
	if len(nlu.ItemTerms(d.text)) > 0 {
		return d.text
	}
	for i := len(d.earlier) - 1; i >= 0; i-- {
		if len(nlu.ItemTerms(d.earlier[i])) > 0 {
			return d.earlier[i]
		}
	}
	return ""
}

// problemOrder picks, from the buyer's orders, the one holding the goods
// the problem is about; ok is false when the message is no such problem
// or no single order holds them (the list is shown to pick from).
func (d *dialogue) problemOrder(orders []tools.OrderRow) (agent.Message, bool) {
	if d.fact != factProblem || !d.has("get_order") {
		return agent.Message{}, false
	}
	id, ok := pickOrder(d.problemGoods(), orders)
	if !ok {
		if len(orders) != 1 {
			return agent.Message{}, false
		}
		id = orders[0].ID
	}
	return call("get_order", map[string]string{"order_id": id}), true
}

// problemReply gives the options for the problem with order o's goods: a
// refund of what they cost while the refund window is open and the goods
// are refundable, and a dispute while the dispute window is open. An order
// not delivered yet has no such problem to solve: its status is given.
func (d *dialogue) problemReply(data json.RawMessage) agent.Message {
	var o tools.Order
	if json.Unmarshal(data, &o) != nil {
		return d.say("tool_failed")
	}
	now := time.Now()
	if o.Status != "delivered" || o.DeliveredAt == nil || o.DisputeUntil == nil || now.After(*o.DisputeUntil) {
		return d.orderReply(data)
	}
	names, amount, refundable := d.problemLines(o)
	d.said = "problem_options"
	var msg agent.Message
	if refundable && o.RefundUntil != nil && !now.After(*o.RefundUntil) && !refundRefused(o, now) {
		msg.Content = orderLine(d.locale, "problem_options", names, o.ID, d.day(*o.DeliveredAt), money(d.locale, amount), d.day(*o.RefundUntil), d.day(*o.DisputeUntil))
		if d.prevReply != "" && strings.Contains(d.prevReply, msg.Content) {
			// Asked again ("чтоделать" after the options): the choice
			// in short, not the same reply twice.
			return agent.Message{Content: orderLine(d.locale, "problem_choose", o.ID, money(d.locale, amount))}
		}
	} else {
		reason := d.slots.Reason
		if reason == "" {
			reason = d.statedReason(o.ID)
		}
		if disputeReason(reason) != "" && d.has("open_dispute") && !d.calledThisTurn("open_dispute") {
			// Only a dispute can help, and the problem names its
			// reason: the dispute itself, as a card to confirm, not
			// an offer the buyer must take up before it is prepared
			// (problemDisputeLead words the reply).
			return d.orderCall("open_dispute", o.ID)
		}
		msg.Content = orderLine(d.locale, "problem_dispute", names, o.ID, d.day(*o.DeliveredAt), d.day(*o.DisputeUntil))
	}
	if d.fact == factProblem && saysNoNumber(d.text) {
		msg.Content = render(d.locale, "own_order_found") + " " + msg.Content
	}
	return msg
}

// problemLines returns the names of o's lines the buyer's words name (all
// of them when the words name none), what is left to refund of them, and
// whether all of them can be refunded.
func (d *dialogue) problemLines(o tools.Order) (string, tools.Money, bool) {
	text := d.problemGoods()
	var named []tools.Item
	for _, it := range o.Items {
		if text != "" && nlu.ItemScore(text, it.Name) > 0 {
			named = append(named, it)
		}
	}
	if len(named) == 0 {
		named = o.Items
	}
	amount := tools.Money{Currency: o.Total.Currency}
	names := make([]string, len(named))
	refundable := len(named) > 0
	for i, it := range named {
		names[i] = it.Name
		left := it.Quantity - it.RefundedQuantity
		amount.Minor += it.UnitPrice.Minor * int64(left)
		if !it.Refundable || left <= 0 {
			refundable = false
		}
	}
	return strings.Join(names, ", "), amount, refundable
}

// whereCues ask where something is, folded as cueText writes a message.
var whereCues = []string{" where ", " wheres ", " where s ", " donde ", " где ", "어디"}

// goodsOnly reads a first message that is nothing but goods ("шкатулка",
// "the lantern", "텀블러요"), or a few words asking where they are
// ("dónde están mis sandalias", which the classifier may not read), as
// asking after the buyer's order holding them: looked up among the
// buyer's orders (afterList picks it by the goods), so the next message
// ("сломана", "where is it?") is about it.
func (d *dialogue) goodsOnly(cur nlu.Result) bool {
	n := len(strings.Fields(d.text))
	if d.carried || d.lastOrder != "" || cur.Confidence >= minConfidence || hasSlot(cur.Slots) || n > 5 ||
		(n > 3 && !containsAny(cues(d.text), whereCues)) || len(nlu.ItemTerms(d.text)) == 0 || nlu.AsksAboutGoods(d.text) ||
		!d.has("list_orders") {
		return false
	}
	d.intent, d.conf, d.carried = nlu.OrderStatus, 1, true
	d.slots.OrderID = ""
	return true
}

// problemDisputeLead puts before msg, the prompt of the dispute card
// problemReply prepared, why a dispute: the goods, the order, its
// delivery, that no refund is possible and until when the dispute is.
// ok is false for any other turn.
func (d *dialogue) problemDisputeLead(msg agent.Message) (agent.Message, bool) {
	n := len(d.results)
	if d.fact != factProblem || n < 2 || msg.Content == "" {
		return msg, false
	}
	last := d.results[n-1]
	if last.name != "open_dispute" || !last.result.PendingConfirmation {
		return msg, false
	}
	o, ok := d.looked[orderIDIn(last.args)]
	if !ok || o.DeliveredAt == nil || o.DisputeUntil == nil {
		return msg, false
	}
	names, _, _ := d.problemLines(o)
	msg.Content = orderLine(d.locale, "problem_dispute_lead", names, o.ID, d.day(*o.DeliveredAt), d.day(*o.DisputeUntil)) + " " + msg.Content
	return msg, true
}
