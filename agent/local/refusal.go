package local

import (
	"encoding/json"
	"regexp"
	"strings"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// A refund or cancellation the policy does not allow is answered with the
// next step, not a bare no: why (the rule, in the policy's own words and
// cited, and the order's own date), and the alternative the policy allows,
// prepared as a confirmation card when there is one: a cancellation for
// an order not yet shipped, a dispute for a damaged or wrong item the
// refund rules exclude, or a late problem. The model does not decide
// whether the alternative is allowed: it asks the tool to prepare it, and
// the tool's check (the same one a real call runs) says no when it is not.
//
// The steps, each a tool call of the same turn: the refused call; the
// order (get_order) for its dates; the rule (search_policy); the
// alternative (a consequential call, so a card). Then the reply.

// refusal is a refused request of this turn and what came of the steps
// after it.
type refusal struct {
	tool   string
	code   tools.Code
	order  string
	reason string
	// at is the refused call's index in the turn's results.
	at int
}

// refused returns this turn's refund or cancellation the tools refused
// for a reason the policy explains (not allowed in the order's state, or
// too late).
func (d *dialogue) refused() (refusal, bool) {
	for i, o := range d.results {
		if o.result.OK || o.result.Error == nil {
			continue
		}
		if o.name != "request_refund" && o.name != "cancel_order" {
			continue
		}
		code := tools.Code(o.result.Error.Code)
		if code != tools.CodeNotEligible && code != tools.CodeWindowExpired {
			continue
		}
		var a struct {
			OrderID string `json:"order_id"`
			Reason  string `json:"reason"`
		}
		if json.Unmarshal(o.args, &a) != nil || a.OrderID == "" {
			continue
		}
		return refusal{tool: o.name, code: code, order: normOrder(a.OrderID), reason: a.Reason, at: i}, true
	}
	return refusal{}, false
}

// normOrder writes an order id as the tools do, "ORD-" and five digits.
func normOrder(id string) string {
	if !strings.HasPrefix(id, "ORD-") {
		return "ORD-" + id
	}
	return id
}

// afterRefusal takes the next step after refusal f, or answers.
func (d *dialogue) afterRefusal(f refusal) agent.Message {
	o, ok := d.turnOrder(f.order)
	if !ok {
		if d.has("get_order") && !d.called("get_order", f.at) {
			return call("get_order", map[string]string{"order_id": f.order})
		}
		return d.explainError(f.tool, d.results[f.at].result.Error)
	}
	if prev, ok := d.followsRefusal(); ok && prev.ID == o.ID && f.tool == "request_refund" && o.DeliveredAt != nil {
		// The rule was given the turn before: now the next step.
		return d.nextStep(o, d.results[f.at].result)
	}
	rule := refusalRule(f, o)
	if rule == "" {
		return d.explainError(f.tool, d.results[f.at].result.Error)
	}
	if rule == "cancel_instead" && !tools.RefundCoversOrder(o, d.results[f.at].args) {
		// Money back for one of two bags of an order not shipped: only
		// a cancellation of everything is possible, which the buyer did
		// not ask for, so they are asked (cancelpart.go), never handed a
		// card for the whole order.
		return d.say("cancel_whole_only", o.ID)
	}
	if d.has("search_policy") && !d.called("search_policy", f.at) {
		q := refusalQuestions[rule][d.locale]
		if q == "" {
			q = refusalQuestions[rule]["en"]
		}
		return call("search_policy", map[string]any{"query": q, "k": policySearchK, "locale": d.locale})
	}
	// The agent prepares the alternative the tools' refusal names; the
	// model prepares one only when the tools named none ready.
	if prep := d.results[f.at].result.Alternative; prep != nil {
		return d.refusalReply(f, o, rule, prep.Tool)
	}
	alt, args := d.alternative(f, o)
	if alt != "" && d.has(alt) && !d.called(alt, f.at) {
		return call(alt, args)
	}
	return d.refusalReply(f, o, rule, alt)
}

// refusalRule names the rule that refused f on order o, the key of its
// explanation and of the policy question behind it; "" when none fits
// (the tool's error is then explained as it stands).
func refusalRule(f refusal, o tools.Order) string {
	switch {
	case f.tool == "cancel_order":
		if o.ShippedAt != nil {
			return "shipped_no_cancel"
		}
	case o.Status == "pending" || o.Status == "paid":
		return "cancel_instead"
	case o.Status == "shipped" && o.ShippedAt != nil:
		return "in_transit"
	case o.Status == "delivered" && o.DeliveredAt != nil && f.code == tools.CodeWindowExpired:
		return "refund_window"
	case o.Status == "delivered" && len(nonRefundable(o)) > 0:
		return "non_refundable"
	}
	return ""
}

// nonRefundable names the items of o the refund rules exclude and that
// are still unrefunded.
func nonRefundable(o tools.Order) []string {
	var names []string
	for _, it := range o.Items {
		if !it.Refundable && it.Quantity > it.RefundedQuantity {
			names = append(names, it.Name)
		}
	}
	return names
}

// alternative is the call that prepares what the policy offers instead of
// f on order o: a cancellation for an order not yet shipped; a dispute
// with the buyer's reason when the item has a problem a dispute covers
// (for a parcel still on its way, only "not received"). "" when there is
// nothing to prepare.
func (d *dialogue) alternative(f refusal, o tools.Order) (string, map[string]any) {
	if f.tool != "request_refund" {
		return "", nil
	}
	if o.Status == "pending" || o.Status == "paid" {
		return "cancel_order", map[string]any{"order_id": o.ID}
	}
	reason := disputeReason(f.reason)
	if reason == "" || (o.Status == "shipped" && reason != "not_received") {
		return "", nil
	}
	return "open_dispute", map[string]any{"order_id": o.ID, "reason": reason, "description": d.description()}
}

// turnOrder returns order id as a get_order call of this turn returned it.
func (d *dialogue) turnOrder(id string) (tools.Order, bool) {
	for _, r := range d.results {
		if r.name != "get_order" || !r.result.OK {
			continue
		}
		var o tools.Order
		if json.Unmarshal(r.result.Data, &o) == nil && o.ID == id {
			return o, true
		}
	}
	return tools.Order{}, false
}

// called reports whether tool was called this turn after the result at
// index from.
func (d *dialogue) called(tool string, from int) bool {
	for _, r := range d.results[from+1:] {
		if r.name == tool {
			return true
		}
	}
	return false
}

// resultOf returns the newest result of tool this turn after index from.
func (d *dialogue) resultOf(tool string, from int) (agent.ToolResult, bool) {
	for i := len(d.results) - 1; i > from; i-- {
		if d.results[i].name == tool {
			return d.results[i].result, true
		}
	}
	return agent.ToolResult{}, false
}

// refusalReply says why f was refused on order o under rule, with the
// policy's words and citation when the search found them, and the
// alternative: prepared (a card waits), refused too, or only described.
func (d *dialogue) refusalReply(f refusal, o tools.Order, rule, alt string) agent.Message {
	var parts []string
	switch rule {
	case "refund_window":
		parts = append(parts, render(d.locale, "refuse_refund_window", o.ID, d.day(*o.DeliveredAt), int(tools.RefundWindow/(24*time.Hour)), d.day(o.DeliveredAt.Add(tools.RefundWindow))))
	case "non_refundable":
		parts = append(parts, render(d.locale, "refuse_non_refundable", o.ID, strings.Join(nonRefundable(o), ", ")))
	case "cancel_instead":
		parts = append(parts, render(d.locale, "refuse_cancel_instead", o.ID, localStatus(d.locale, o.Status)))
	case "in_transit":
		parts = append(parts, render(d.locale, "refuse_in_transit", o.ID, d.day(*o.ShippedAt), d.day(o.ShippedAt.Add(tools.NotReceivedAfter))))
	case "shipped_no_cancel":
		parts = append(parts, render(d.locale, "refuse_shipped_no_cancel", o.ID, d.day(*o.ShippedAt)))
	}
	if r, ok := d.resultOf("search_policy", f.at); ok && r.OK {
		if text, cite, ok := d.ruleText(rule, r.Data); ok {
			parts = append(parts, render(d.locale, "refuse_rule", text, cite))
		}
	}
	r, prepared := d.resultOf(alt, f.at)
	if prep := d.results[f.at].result.Alternative; prep != nil {
		r, prepared = agent.ToolResult{OK: prep.Error == nil, PendingConfirmation: prep.PendingConfirmation, Data: prep.Data, Error: prep.Error}, true
	}
	switch {
	case prepared && r.PendingConfirmation:
		if until := disputeUntil(d.results[f.at].result); alt == "open_dispute" && until != nil {
			parts = append(parts, render(d.locale, "refuse_dispute_until", d.day(*until)))
		}
		parts = append(parts, render(d.locale, "refuse_alt_card", summarize(d.locale, alt, r.Data)))
	case prepared && r.Error != nil && tools.Code(r.Error.Code) == tools.CodeConflict && alt == "open_dispute":
		// The dispute the policy allows is already open.
		parts = append(parts, render(d.locale, "dispute_exists"))
	case rule == "refund_window" || rule == "non_refundable":
		if disputeReason(f.reason) == "" {
			// The dispute route depends on what is wrong with the item:
			// ask, so the next message can prepare it.
			if until := disputeUntil(d.results[f.at].result); until != nil {
				parts = append(parts, render(d.locale, "refuse_dispute_until", d.day(*until)))
			}
			parts = append(parts, render(d.locale, "refuse_ask_problem", o.ID))
		} else {
			parts = append(parts, render(d.locale, "refuse_no_alt"))
		}
	case rule == "shipped_no_cancel" && o.DeliveredAt != nil:
		parts = append(parts, render(d.locale, "refuse_refund_after_delivery", d.day(o.DeliveredAt.Add(tools.RefundWindow))))
	}
	return agent.Message{Content: strings.Join(parts, " ")}
}

// ruleText is the policy's own statement of rule from a search result,
// with its citation.
func (d *dialogue) ruleText(rule string, data json.RawMessage) (string, string, bool) {
	var res struct {
		Hits []policyHit `json:"hits"`
	}
	if json.Unmarshal(data, &res) != nil || len(res.Hits) == 0 {
		return "", "", false
	}
	q := refusalQuestions[rule][d.locale]
	if q == "" {
		q = refusalQuestions[rule]["en"]
	}
	text, hits, ok := answerPolicy(q, d.locale, res.Hits)
	if !ok || len(hits) == 0 {
		return "", "", false
	}
	cite := hits[0].Citation
	if cite == "" {
		cite = "[" + hits[0].DocID + " §" + innermost(hits[0].HeadingPath) + "]"
	}
	return strings.TrimSpace(text), cite, true
}

// refusalQuestions are, by rule and language, the question whose policy
// answer states the rule: the model searches the policies with it and
// quotes the answer, so the rule is the policy's, never a copy.
var refusalQuestions = map[string]map[string]string{
	"refund_window": {
		"en": "How many days after delivery can I request a refund?",
		"ko": "배송 완료 후 며칠 이내에 환불을 신청할 수 있나요?",
		"es": "¿Cuántos días después de la entrega puedo solicitar un reembolso?",
		"ru": "Сколько дней после доставки можно запросить возврат средств?",
	},
	"non_refundable": {
		"en": "Which items cannot be refunded?",
		"ko": "환불이 불가능한 상품은 무엇인가요?",
		"es": "¿Qué artículos no se pueden reembolsar?",
		"ru": "Какие товары не подлежат возврату средств?",
	},
	"cancel_instead": {
		"en": "I paid but the order has not shipped yet: is it cancelled or refunded?",
		"ko": "결제했지만 아직 발송되지 않은 주문은 취소인가요 환불인가요?",
		"es": "Pagué pero el pedido aún no se ha enviado: ¿se cancela o se reembolsa?",
		"ru": "Заказ оплачен, но ещё не отправлен: его отменяют или возвращают деньги?",
	},
	"in_transit": {
		"en": "Can I get a refund for an order that has shipped but not arrived?",
		"ko": "발송되었지만 도착하지 않은 주문을 환불받을 수 있나요?",
		"es": "¿Puedo obtener un reembolso de un pedido enviado que no ha llegado?",
		"ru": "Можно ли вернуть деньги за заказ, который отправлен, но не доставлен?",
	},
	"shipped_no_cancel": {
		"en": "Can I cancel an order after it has shipped?",
		"ko": "발송된 주문을 취소할 수 있나요?",
		"es": "¿Puedo cancelar un pedido después de que se haya enviado?",
		"ru": "Можно ли отменить заказ после отправки?",
	},
}

// disputeUntil is the last day of the dispute a refused call's refusal
// offers instead, nil when it offers none.
func disputeUntil(r agent.ToolResult) *time.Time {
	if r.Error == nil || r.Error.Refusal == nil {
		return nil
	}
	if alt := r.Error.Refusal.Alternative; alt != nil && alt.Tool == "open_dispute" {
		return alt.Until
	}
	return nil
}

// returnWords ask to return or refund something, lower-cased.
var returnWords = []string{"return", "refund", "send back", "send it back", "반품", "환불", "돌려보내",
	"devolver", "devuelvo", "devolverl", "reembols", "вернуть", "возврат", "сдать"}

// returnsOwnItem reports whether r, the reading of text, asks to return an
// item of the buyer's own that text names without an order number: an
// unsure refund request ("각인 머그컵 반품하고 싶은데요"), or a question
// whether it can be returned that says what is wrong with it ("el aceite
// no me convence de sabor, ¿lo puedo devolver?"), which is about the
// buyer's order, not the policy in general. Which of the buyer's orders
// holds the item tells; for one the refund rules refuse, the tools'
// refusal answers with the rule (doubtfulRefund).
func returnsOwnItem(r nlu.Result, text string) bool {
	if r.Slots.OrderID == "" && unsureOwnRefund(r, text) {
		return true
	}
	if r.Slots.OrderID != "" || len(nlu.ItemTerms(text)) == 0 || !containsAny(strings.ToLower(text), returnWords) {
		return false
	}
	switch r.Intent {
	case nlu.RefundRequest:
		return r.Confidence < nlu.ActionThreshold
	case nlu.PolicyQuestion:
		return r.Slots.Reason != "" && !asksTheRule(text)
	}
	return false
}

// ruleCues make a question naming goods one about the rule, not about the
// buyer's own item: a supposed case ("can i get a refund for the bottle if
// i just changed my mind", "если самовар сломается… можно вернуть?") or
// the rule named ("¿Cuál es la regla?").
var ruleCues = append([]string{"rule", "policy", "regla", "politica", "política", "правил", "политик",
	"규정", "정책", "규칙", "으면", "다면", "라면"}, conditionals...)

// asksTheRule reports whether text, a question naming goods, asks about
// the rule in general (ruleCues) rather than about the buyer's own item,
// or about goods the buyer is yet to buy (aboutToBuy).
func asksTheRule(text string) bool {
	return containsAny(" "+strings.ToLower(text)+" ", ruleCues) || aboutToBuy(strings.ToLower(text))
}

// ownItemReturn reports whether the buyer's message asks to return an
// item of theirs named without an order number (returnsOwnItem), and the
// model can look the buyer's orders up.
func (d *dialogue) ownItemReturn() bool {
	return !d.carried && d.has("list_orders") && d.has("get_order") &&
		(returnsOwnItem(nlu.Result{Intent: d.intent, Confidence: d.conf, Slots: d.slots}, d.text) || d.returnCase && d.slots.OrderID == "" || d.goodsRefund)
}

// ownItemOrder serves ownItemReturn from the buyer's orders: the order
// holding the item named (or the buyer's only order) is asked about as
// an unsure refund; with none, a question gets the policy's answer and a
// request is asked about.
func (d *dialogue) ownItemOrder(orders []tools.OrderRow) agent.Message {
	if d.goodsRefund {
		// Only the order holding the goods named (refundowngoods.go).
		if id, ok := d.goodsRefundOrder(orders); ok {
			return d.doubtfulRefund(id)
		}
		return d.unsureRefund("")
	}
	if id, ok := pickOrder(d.text, orders); ok {
		return d.doubtfulRefund(id)
	}
	if id, ok := pickOrder(d.caseQuestion(), orders); ok && d.returnCase {
		// The goods were named in the question before ("А мёд можно
		// вернуть?"), the case told now (returncase.go).
		return d.doubtfulRefund(id)
	}
	if len(orders) == 1 {
		return d.doubtfulRefund(orders[0].ID)
	}
	return d.unsureRefund("")
}

// unsureRefund answers a refund the model is unsure of and the rules do
// not settle: a question is answered from the policies, a request asked
// about (refund, or a question about the policy?).
func (d *dialogue) unsureRefund(order string) agent.Message {
	if d.intent == nlu.PolicyQuestion && d.has("search_policy") {
		return call("search_policy", map[string]any{"query": d.text, "k": policySearchK, "locale": d.locale})
	}
	return d.clarifyAction(order)
}

// doubtfulRefund answers a refund request the model is unsure of ("can I
// still return it for a refund?": a refund, or a question about the
// policy?) that names an order: the order settles it. A delivered order
// the refund rules certainly refuse (past the window, nothing left that
// can be refunded) is asked of the tools: their refusal answers the
// question with the rule and its dates, and the only card it can bring
// is the dispute the policy allows for a problem the buyer stated. For
// any other order the buyer is asked which they mean, as before, so an
// unsure request never brings a refund or a cancellation card.
func (d *dialogue) doubtfulRefund(order string) agent.Message {
	o, ok := d.turnOrder(normOrder(order))
	if !ok {
		if d.has("get_order") && !d.called("get_order", -1) {
			return call("get_order", map[string]string{"order_id": order})
		}
		return d.unsureRefund(order)
	}
	if d.has("request_refund") && refundRefused(o, time.Now()) {
		return call("request_refund", map[string]string{"order_id": o.ID, "reason": refundReason(d.slots.Reason)})
	}
	if m, ok := d.refundAskedOf(o); ok {
		return m
	}
	if m, ok := d.caseWithinWindow(o); ok {
		return m
	}
	return d.unsureRefund(order)
}

// refundRefused reports whether the refund rules refuse any refund of
// delivered order o at now, with no alternative to prepare but a dispute.
// The tools decide; this only picks the question to ask them.
func refundRefused(o tools.Order, now time.Time) bool {
	if o.Status != "delivered" || o.DeliveredAt == nil {
		return false
	}
	if now.After(o.DeliveredAt.Add(tools.RefundWindow)) {
		return true
	}
	for _, it := range o.Items {
		if it.Refundable && it.Quantity > it.RefundedQuantity {
			return false
		}
	}
	return true
}

// After a refusal the conversation has an open thread: the buyer's next
// message that asks nothing new ("so what am I supposed to do", "it's
// only been a few months!", "банку уже открыла") is about the refusal,
// and gets the next step that applies to the order and what it holds —
// never the order's status again, nor a how-to passage. The steps are the
// policy's: a dispute while the dispute window is open for a fault, the
// seller (a repair, the warranty, an exchange) once the windows are over
// or for what no rule covers, the balance of a gift card, a person on
// request.

// followsRefusal returns the delivered order whose refund the rules
// refused before the buyer's message, when the message is a follow-up to
// that refusal: it names no other order, states no fault a dispute
// covers, and asks for nothing else.
func (d *dialogue) followsRefusal() (tools.Order, bool) {
	o, ok := d.looked[d.lastOrder]
	if !ok || (d.served != nlu.RefundRequest && !d.moneyAsked) || !refundRefused(o, time.Now()) {
		return tools.Order{}, false
	}
	s := d.slots
	if (s.OrderID != "" && normOrder(s.OrderID) != o.ID) || s.RefundID != "" || s.DisputeID != "" || s.Amount != nil ||
		(disputeReason(s.Reason) != "" && !d.carried && (o.DeliveredAt == nil || disputeOpen(o, time.Now()))) || d.otherOrder {
		// Another order, or a fault a dispute covers: a request of its
		// own, served as one. A fault carried from an earlier message
		// ("they fell apart" → "so what will you do about it?") was
		// told already, and the next step answers it. A fault told once
		// the dispute window has closed too ("it broke, I didn't break
		// it, what do I do now?") argues with the refusal: the next step
		// (the seller, a person) answers it, not the rule again.
		return tools.Order{}, false
	}
	switch d.intent {
	case nlu.RefundRequest, nlu.PolicyQuestion, nlu.OrderStatus, nlu.DeliveryProblem, nlu.OutOfScope, nlu.DisputeStatus:
		// What a follow-up reads as: the refund asked again, a question
		// about what can be done, the order's state. "и что мне теперь
		// делать?" reads as a dispute's status, but no dispute was
		// named (a dispute number returned above) and the refusal is
		// the thread open.
	case nlu.Deny:
		if !arguesRefusal(d.text) {
			// A bare "no" to the offer, or "no, that's all".
			return tools.Order{}, false
		}
	default:
		if d.conf >= minConfidence {
			// A clear request of another kind (a person, a cancellation,
			// thanks) is served as itself.
			return tools.Order{}, false
		}
	}
	return o, true
}

// refusalFollowUp serves a follow-up to a refusal: the tools are asked
// again, so the reply rests on the order's state now and the refusal's
// own dates, and afterRefusal answers with the next step.
func (d *dialogue) refusalFollowUp() (agent.Message, bool) {
	o, ok := d.followsRefusal()
	if !ok {
		return d.refusedMoneyBack()
	}
	if !d.has("request_refund") {
		return d.nextStep(o, agent.ToolResult{}), true
	}
	return call("request_refund", map[string]string{"order_id": o.ID, "reason": refundReason(d.statedReason(o.ID))}), true
}

// stepAfter is what the buyer can do about delivered order o, whose refund
// the rules refuse (refused, this turn's refusal, says when), by the
// window that closed or by what the order holds (nextStep adds the rule
// when the buyer has not had the step yet).
func (d *dialogue) stepAfter(o tools.Order, refused agent.ToolResult) agent.Message {
	now := time.Now()
	delivered := *o.DeliveredAt
	refundEnd := delivered.Add(tools.RefundWindow)
	until := delivered.Add(tools.DisputeWindow)
	if u := disputeUntil(refused); u != nil {
		until = *u
	}
	item, kind := "", ""
	for _, it := range o.Items {
		if !it.Refundable && it.Quantity > it.RefundedQuantity {
			item, kind = it.Name, it.Category
			break
		}
	}
	switch {
	case now.After(until):
		return d.say("next_windows_over", o.ID, d.day(delivered), d.day(refundEnd), o.ShopName)
	case kind == "gift card":
		return d.say("next_gift_card", item, d.day(until))
	case now.After(refundEnd) || item == "":
		return d.say("next_window_dispute", o.ID, d.day(until), o.ShopName)
	case kind == "digital":
		return d.say("next_digital", item, d.day(until), o.ShopName)
	case kind == "food":
		return d.say("next_food", item, d.day(until), o.ShopName)
	}
	return d.say("next_personalised", item, o.ShopName, d.day(until))
}

// A buyer asks for their money back in many more ways than the word
// "refund": "can I just get the 50 back?", "¿me podéis devolver los
// 9,90?", "можно её вернуть и получить деньги обратно?", "верните 5000".
// About an order whose refund the rules refuse, any of them is answered
// with the rule and the next step, as a refund request is: never a how-to
// passage, an order's status or "I didn't understand".

// giveBackWords give something back; moneyWords name the money.
var (
	giveBackWords = []string{"back", "return", "refund", "devolv", "devuelv", "devuélv", "reembols", "верн", "возвра", "обратно", "돌려", "환불", "반품"}
	moneyWords    = []string{"money", "dinero", "деньг", "денеж", "돈", "$", "€", "₽", "₩", "usd", "eur", "руб", "dollar", "euro"}
)

// amountPattern finds the numbers of a message with what stands before
// and after them.
var amountPattern = regexp.MustCompile(`(?i)(ord-?\s*|[$€₽₩])?(\d+(?:[.,]\d+)?)\s*([$€₽₩]|\p{L}*)`)

// currencyWords name money after an amount ("50 dollars", "4만원").
var currencyWords = []string{"dollar", "buck", "usd", "eur", "euro", "rub", "руб", "р", "₽", "krw", "won", "원", "만원", "천원"}

// hasAmount reports whether text holds a number that is money: with a
// currency, with cents, or standing alone or before "back" ("the 50
// back", "верните 5000"); not an order's id, nor a count of days or of
// goods ("10 days ago", "20 чайных наборов").
func hasAmount(text string) bool {
	for _, m := range amountPattern.FindAllStringSubmatch(text, -1) {
		before, num, after := strings.ToLower(m[1]), m[2], strings.ToLower(m[3])
		switch {
		case strings.HasPrefix(before, "ord"):
		case before != "" || strings.ContainsAny(num, ".,"):
			return true
		case after == "" || after == "back" || after == "обратно":
			return true
		default:
			for _, c := range currencyWords {
				if strings.HasPrefix(after, c) {
					return true
				}
			}
		}
	}
	return false
}

// asksMoneyBack reports whether text asks for money back in so many
// words: a giving-back word with the money or an amount ("get the 50
// back", "верните 5000", "¿me devolvéis los 9,90?"). "Are gift cards
// refundable?" names no money, and is a question about the rule.
func asksMoneyBack(text string) bool {
	t := strings.ToLower(text)
	return containsAny(t, giveBackWords) && (containsAny(t, moneyWords) || hasAmount(t))
}

// asksOrderMoneyBack reports whether r, the reading of text, asks for the
// money back of the order it names, as a request ("Заказ 10101, подошва
// отклеилась. Верните 5000"), though the classifier took it for something
// else about that order: it is served as the refund request it is, which
// the tools refuse or put to the buyer as a card.
func asksOrderMoneyBack(r nlu.Result, text string) bool {
	if r.Slots.OrderID == "" || r.Act != nlu.ActRequest || !(nlu.AsksMoneyBack(text) || asksMoneyBack(text)) {
		return false
	}
	switch r.Intent {
	case nlu.OrderStatus, nlu.DeliveryProblem, nlu.OutOfScope:
		// A refund request the classifier is unsure of ("ORD-10042
		// refundable?") is asked about, as before (doubtfulRefund).
		return true
	case nlu.RefundStatus:
		// "10122 возврат доска 2200": terse, so "возврат" reads as a
		// refund's status, yet the goods and the money named ask for
		// them back (refusalheld.go).
		return namesGoodsAndMoney(text)
	}
	return false
}

// askedMoneyBack reports whether any of the buyer's messages in msgs (the
// conversation before this message) asked for money back, so that what
// the buyer says after a refusal is read as its follow-up whatever the
// classifier made of the ask.
func askedMoneyBack(m *Model, msgs []agent.Message, locale string) bool {
	for _, msg := range msgs {
		if msg.Role != agent.RoleUser {
			continue
		}
		if r := m.parse(msg.Content, locale); r.Intent == nlu.RefundRequest && r.Confidence >= minConfidence ||
			nlu.AsksMoneyBack(msg.Content) || asksMoneyBack(msg.Content) {
			return true
		}
	}
	return false
}

// moneyBackOrder returns the order under discussion when the buyer's
// message asks for its money back without naming an order ("can I just
// get the 50 back?"), and is no clear request of another kind.
func (d *dialogue) moneyBackOrder() (string, bool) {
	if d.lastOrder == "" || d.slots.OrderID != "" || d.otherOrder || d.carried || !asksMoneyBack(d.text) || asksTheRule(d.text) {
		return "", false
	}
	if isTask(d.intent) && d.intent != nlu.PolicyQuestion && d.intent != nlu.OrderStatus && d.conf >= nlu.ActionThreshold {
		// A clear request: a refund (with its items) is served as read;
		// one of another kind (a cancellation, a dispute) is its own.
		return "", false
	}
	return d.lastOrder, true
}

// refusedMoneyBack serves moneyBackOrder's ask before any tool ran: an
// order the refund rules certainly refuse (refundRefused) is asked of the
// tools, whose refusal answers with the rule, its dates and the next
// step; an order not looked up yet is looked up first (its result goes to
// moneyBackAfterOrder). Any other order is left to the request as read,
// so this never brings a refund card.
func (d *dialogue) refusedMoneyBack() (agent.Message, bool) {
	id, ok := d.moneyBackOrder()
	if !ok || !d.has("request_refund") {
		return agent.Message{}, false
	}
	o, looked := d.looked[id]
	switch {
	case looked && refundRefused(o, time.Now()):
		return call("request_refund", map[string]string{"order_id": o.ID, "reason": refundReason(d.statedReason(o.ID))}), true
	case !looked && d.has("get_order"):
		return call("get_order", map[string]string{"order_id": id}), true
	}
	return agent.Message{}, false
}

// moneyBackAfterOrder serves moneyBackOrder's ask once get_order has
// returned the order: doubtfulRefund asks the tools for a refund only
// the rules refuse, and asks the buyer what they mean otherwise.
func (d *dialogue) moneyBackAfterOrder() (agent.Message, bool) {
	id, ok := d.moneyBackOrder()
	if !ok {
		return agent.Message{}, false
	}
	if _, ok := d.turnOrder(normOrder(id)); !ok {
		return agent.Message{}, false
	}
	return d.doubtfulRefund(id), true
}
