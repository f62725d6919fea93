package local

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// respond decides the model's next message: read this turn's tool results
// if there are any, otherwise serve the buyer's request.
func (d *dialogue) respond() agent.Message {
	if len(d.results) > 0 {
		return d.cardAgainNote(d.afterTools()) // cardagain.go
	}
	if (d.failed || d.unhelpful()) && angry(d.text) && d.intent != nlu.Affirm && d.intent != nlu.Thanks {
		// Angry after something already failed: another try of the
		// same will not do; a person will ("useless bot" is anger here,
		// not a question about bots).
		return d.handoff("complaint")
	}
	if d.botQuestionAlone() {
		return d.botAnswer()
	}
	if msg, ok := d.notHelped(); ok {
		// "Your reply does not address the problem" (escalation.go).
		return msg
	}
	if msg, ok := d.holdReply(); ok { // "wait" while a card waits (holdcard.go)
		return msg
	}
	if msg, ok := d.cardAgain(); ok { // the waiting card's order number (cardagain.go)
		return msg
	}
	if msg, ok := d.afterDropped(); ok {
		return msg
	}
	if msg, ok := d.amountFollowUp(); ok {
		return msg
	}
	if msg, ok := d.refusalFollowUp(); ok {
		return msg
	}
	if msg, ok := d.shippedNextStep(); ok { // cancelnext.go
		return msg
	}
	if msg, ok := d.faultAfterRefusal(); ok { // refusalfault.go
		return msg
	}
	if msg, ok := d.pendingCancelAnswer(); ok {
		return msg
	}
	if d.unclear >= 2 && d.conf < minConfidence {
		// Twice not understood: a person will do better than a third guess.
		return d.handoff("cannot_resolve")
	}
	if d.conf < minConfidence && !d.carried && !hasSlot(d.slots) {
		return d.say("clarify")
	}
	if r := d.slots.Reason; r != "" && r != nlu.ReasonNotReceived && !d.carried &&
		(!isTask(d.intent) || d.conf < minConfidence || d.intent == nlu.DeliveryProblem) {
		// A problem told without a request ("it doesn't turn on"): say
		// what can be done and ask what the buyer wants (and which
		// order); the request that follows takes this as its reason.
		if order := d.slots.OrderID; order != "" {
			return d.say("problem_noted_order", order)
		}
		return d.say("problem_noted")
	}
	return d.serve()
}

// needsOrder lists the tool each order-bound request is served by.
var needsOrder = map[nlu.Intent]string{
	nlu.OrderStatus:     "get_order",
	nlu.DeliveryProblem: "track_shipment",
	nlu.RefundRequest:   "request_refund",
	nlu.CancelOrder:     "cancel_order",
	nlu.OpenDispute:     "open_dispute",
}

// serve maps the request to a tool call or a reply.
func (d *dialogue) serve() agent.Message {
	s := d.slots
	if d.offered && d.intent == nlu.Affirm {
		// "Would you like me to connect you?" — "yes".
		return d.handoff("customer_request")
	}
	if d.ownItemReturn() {
		// "I want to return the engraved mug": the buyer's orders tell
		// which one holds it.
		return call("list_orders", map[string]any{"limit": 20})
	}
	if tool, ok := needsOrder[d.intent]; ok {
		if d.intent == nlu.OrderStatus && d.has("track_shipment") && (nlu.TellsDelay(d.text) || d.carried && d.servedDelay) {
			// A parcel told late, stuck or lost is asked after by where
			// it is (an order's status, nlu/arrival.go); its tracking
			// tells that better than the order.
			tool = "track_shipment"
		}
		if !d.has(tool) {
			return d.say("cannot_help")
		}
		order := s.OrderID
		if order == "" && d.refersToEarlierOrder() {
			order = d.lastOrder
		}
		if order == "" {
			order = d.itemOrderInTalk() // refunditems.go
		}
		if nlu.Consequential(d.intent) && d.conf < nlu.ActionThreshold {
			// Not sure enough to propose moving money or changing an
			// order: ask which the buyer means, unless the order
			// answers it (doubtfulRefund).
			if d.intent == nlu.RefundRequest && order != "" {
				return d.doubtfulRefund(order)
			}
			return d.clarifyAction(order)
		}
		if order == "" {
			// Look at the buyer's own orders: the newest for "my last
			// order", the one whose items the text names ("the shoes
			// one"), the one order the request can be about, or else a
			// list to pick from rather than a bare "which order?".
			if d.has("list_orders") {
				return call("list_orders", map[string]any{"limit": 20})
			}
			return d.say("ask_order_id")
		}
		return d.orderCall(tool, order)
	}
	if s.LastOrder && s.OrderID == "" && s.RefundID == "" && s.DisputeID == "" && d.has("list_orders") &&
		(d.intent == nlu.RefundStatus || d.intent == nlu.DisputeStatus) {
		return call("list_orders", map[string]any{"limit": 20})
	}
	if m, ok := d.statusLookup(); ok {
		return m // the refund or dispute by its goods (statuslookup.go)
	}
	if m, ok := d.otherStatusLookup(); ok {
		return m // another order's refund or dispute (otherstatus.go)
	}

	switch d.intent {
	case nlu.ListOrders:
		if !d.has("list_orders") {
			return d.say("cannot_help")
		}
		return call("list_orders", map[string]any{"limit": 10})
	case nlu.RefundStatus:
		if m, ok := d.refundOrderCall(); ok { // otherorder.go
			return m
		}
		switch {
		case s.RefundID != "":
			return call("get_refund_status", map[string]string{"refund_id": s.RefundID})
		case s.OrderID != "":
			return call("get_refund_status", map[string]string{"order_id": s.OrderID})
		case d.lastOrder != "":
			return call("get_refund_status", map[string]string{"order_id": d.lastOrder})
		}
		return d.say("ask_refund_id")
	case nlu.DisputeStatus:
		switch {
		case s.DisputeID != "":
			return call("get_dispute", map[string]string{"dispute_id": s.DisputeID})
		case s.OrderID != "":
			return call("get_dispute", map[string]string{"order_id": s.OrderID})
		case d.lastOrder != "":
			return call("get_dispute", map[string]string{"order_id": d.lastOrder})
		}
		return d.say("ask_dispute_id")
	case nlu.PolicyQuestion:
		if !d.has("search_policy") {
			return d.say("no_policy_search")
		}
		if m, ok := d.ownCancelStep(); ok {
			// "Can I cancel it?" of the buyer's own order (ownrule.go).
			return m
		}
		if m, ok := d.refundArrivalStep(); ok {
			return m // the order's refund and the policy (refundarrival.go)
		}
		if m, ok := d.ownDeadlineStep(); ok {
			// "How long do I have to return the lamp?": the order's
			// own last day too (deadline.go).
			return m
		}
		// The policies are searched in the language of the question, not
		// the profile's: an English question finds the English passages.
		// The tool adds the policies' words for the buyer's (PolicyQuery).
		return call("search_policy", map[string]any{"query": d.text + d.windowTerms(), "k": policySearchK, "locale": d.locale})
	case nlu.Translate:
		return d.translate()
	case nlu.HumanAgent:
		return d.handoff("customer_request")
	case nlu.Greeting:
		return d.say("greeting")
	case nlu.Thanks:
		return d.say("thanks")
	case nlu.Affirm, nlu.Deny:
		// A yes or no with nothing pending (the agent handles those).
		if m, ok := d.yesAfterDone(); ok && d.intent == nlu.Affirm { // alreadydone.go
			return m
		}
		return d.say("anything_else")
	case nlu.OutOfScope:
		return d.outOfScope()
	}
	return d.say("clarify")
}

// refersToEarlierOrder reports whether a request without an order id is
// about the order the conversation was on ("I want to return it").
func (d *dialogue) refersToEarlierOrder() bool {
	return d.lastOrder != "" && len(nlu.ItemTerms(d.text)) == 0 && !d.slots.LastOrder && !d.otherOrder
}

// orderCall builds the call that serves the request for one order.
func (d *dialogue) orderCall(tool, order string) agent.Message {
	if d.slots.Reason == "" {
		// The problem the buyer described before asking ("it doesn't
		// turn on" … "refund it") is the request's reason.
		d.slots.Reason = d.statedReason(order)
	}
	s := d.slots
	switch tool {
	case "request_refund":
		if d.itemLevel() && d.has("get_order") {
			// A refund of one item needs the order's lines: read the
			// order first (the tool only shows the buyer's own).
			return call("get_order", map[string]string{"order_id": order})
		}
		if s.Amount == nil && s.AmountUnread {
			// "$-5", "1e308 USD": money was named but none that can be
			// given back; the whole order is not what was asked.
			d.said = "ask_refund_amount"
			return agent.Message{Content: dlgLine(d.locale, "ask_refund_amount", order)}
		}
		args := map[string]any{"order_id": order, "reason": refundReason(s.Reason)}
		if s.Amount != nil {
			args["amount_minor"] = s.Amount.Minor
			args["currency"] = s.Amount.Currency
		}
		return call(tool, args)
	case "cancel_order":
		if d.itemLevel() {
			// cancel_order cancels whole orders only; cancelling all of it
			// when the buyer asked to drop one item would be wrong
			// (cancelpart.go).
			return d.cancelPart(order)
		}
	case "open_dispute":
		reason := toldDisputeReason(s.Reason, d.text)
		if reason == "" {
			return d.say("ask_dispute_reason", order)
		}
		return call(tool, map[string]any{"order_id": order, "reason": reason, "description": d.description()})
	}
	return call(tool, map[string]string{"order_id": order})
}

// description is the buyer's own words for a dispute: this message, which
// may be only "ORD-10042" when the reason came earlier, so the reason is
// named too.
func (d *dialogue) description() string {
	t := strings.TrimSpace(d.text)
	if len(t) < 20 {
		t = "Reported through the support chat: " + strings.ReplaceAll(disputeReason(d.slots.Reason), "_", " ") + ". " + t
	}
	if len(t) > 2000 {
		t = t[:2000]
	}
	return t
}

func refundReason(r string) string {
	switch r {
	case nlu.ReasonNotReceived, nlu.ReasonNotAsDescribed, nlu.ReasonDamaged, nlu.ReasonDefective,
		nlu.ReasonWrongItem, nlu.ReasonCounterfeit, nlu.ReasonChangedMind:
		return r
	}
	return "other"
}

// disputeReason is the dispute reason for the buyer's problem r, "" for
// none. The disputes policy has no reason of its own for a defect: an
// item that "cannot be used as intended" is its damaged one.
func disputeReason(r string) string {
	switch r {
	case nlu.ReasonDefective:
		return nlu.ReasonDamaged
	case nlu.ReasonNotReceived, nlu.ReasonNotAsDescribed, nlu.ReasonDamaged, nlu.ReasonWrongItem, nlu.ReasonCounterfeit:
		return r
	}
	return ""
}

// toldDisputeReason is the dispute reason of a buyer who asks for a
// dispute in text, read as reason r: r's own, or for goods told found
// wrong in words no reason of the tools' names ("the bottle has a big
// dent", "чашка со сколом"), not as described, the disputes policy's
// reason for goods that came otherwise than sold; asking what is wrong
// would ask what the buyer just said. "" when the buyer told nothing wrong.
func toldDisputeReason(r, text string) string {
	if reason := disputeReason(r); reason != "" {
		return reason
	}
	if nlu.TellsFlaw(text) {
		return nlu.ReasonNotAsDescribed
	}
	return ""
}

func (d *dialogue) translate() agent.Message {
	if !d.has("translate") {
		return d.say("translate_unavailable")
	}
	target := d.slots.Language
	if target == "" {
		return d.say("ask_translate_target")
	}
	text := textToTranslate(d.text)
	if text == "" {
		return d.say("ask_translate_text")
	}
	return call("translate", map[string]string{"text": text, "target": target})
}

// textToTranslate takes what follows a colon or sits in quotes: "translate
// to Korean: where is my parcel" → "where is my parcel".
func textToTranslate(s string) string {
	for _, q := range []string{"\"", "“", "«", "'"} {
		if i := strings.Index(s, q); i >= 0 {
			end := map[string]string{"\"": "\"", "“": "”", "«": "»", "'": "'"}[q]
			if j := strings.Index(s[i+len(q):], end); j > 0 {
				return strings.TrimSpace(s[i+len(q) : i+len(q)+j])
			}
		}
	}
	if i := strings.IndexAny(s, ":："); i >= 0 {
		return strings.TrimSpace(s[i+1:])
	}
	return ""
}

func (d *dialogue) handoff(reason string) agent.Message {
	if !d.has("handoff_to_human") {
		return d.say("offer_human")
	}
	if m, ok := d.handoffLookup(reason); ok {
		return m // the order the buyer's words name (handofforder.go)
	}
	return call("handoff_to_human", map[string]string{"reason": reason, "summary": d.handoffSummary(reason)})
}

// afterTools reads the newest tool result of the turn and either chains a
// next call (an order picked from the list) or answers from it.
func (d *dialogue) afterTools() agent.Message {
	if m, ok := d.billingReply(); ok { // a payment told twice (billing.go)
		return m
	}
	if m, ok := d.afterDisputeCheck(); ok { // the order's open dispute (disputeopen.go)
		return m
	}
	if m, ok := d.afterHandoffLookup(); ok {
		return m
	}
	if m, ok := d.escalateAfterStatus(); ok {
		return m
	}
	if m, ok := d.refundArrivalStep(); ok {
		return m
	}
	if m, ok := d.ownCancelStep(); ok {
		// "Can I cancel it?" of the buyer's own order (ownrule.go).
		return m
	}
	if m, ok := d.refundedAlready(); ok { // its refund shown (refundedalready.go)
		return m
	}
	if f, ok := d.refused(); ok {
		return d.afterRefusal(f)
	}
	if m, ok := d.shippedNextStep(); ok { // cancelnext.go
		return m
	}
	last := d.results[len(d.results)-1]
	r := last.result
	if r.PendingConfirmation {
		return d.say("confirm_prompt", summarize(d.locale, last.name, r.Data))
	}
	if order := orderIDIn(last.args); !r.OK && last.name == "track_shipment" && order != "" && r.Error != nil &&
		tools.Code(r.Error.Code) == tools.CodeNotEligible && d.has("get_order") && !d.calledThisTurn("get_order") {
		// Nothing to track yet (not shipped, or cancelled): the order's
		// own record says where it stands, and names it, which matters
		// when the buyer gave no number.
		return call("get_order", map[string]string{"order_id": order})
	}
	if !r.OK {
		if order := orderIDIn(last.args); order != "" && r.Error != nil && tools.Code(r.Error.Code) == tools.CodeNotFound {
			// Name the number looked for: with two numbers in one
			// message, "I couldn't find that" twice says neither.
			return d.say("not_found_order", order)
		}
		return d.explainError(last.name, r.Error)
	}
	if m, ok := d.ownDeadlineStep(); ok && (last.name == "get_order" || last.name == "list_orders") {
		return m
	}
	if m, ok := d.pendingCancelAnswer(); ok && last.name == "get_order" {
		return m
	}
	switch last.name {
	case "get_order":
		if d.addressAsked() {
			return d.addressReply(r.Data)
		}
		if d.intent == nlu.CancelOrder && d.itemLevel() {
			return d.cancelPart(orderIDIn(last.args))
		}
		if m, ok := d.moneyBackAfterOrder(); ok {
			return m
		}
		if (d.intent == nlu.RefundRequest && d.conf < nlu.ActionThreshold && !d.carried) || d.ownItemReturn() {
			return d.doubtfulRefund(orderIDIn(last.args))
		}
		if d.intent == nlu.RefundRequest && d.itemLevel() {
			return d.itemRefund(r.Data)
		}
		if d.fact != noFact {
			return d.arrivalReply(r.Data)
		}
		return d.orderReply(r.Data)
	case "list_orders":
		return d.afterList(r.Data)
	case "track_shipment":
		if d.fact == factDelay {
			return d.delayReply(r.Data) // orderfact.go
		}
		return d.shipmentReply(r.Data)
	case "request_refund":
		return d.refundReply(r.Data)
	case "get_refund_status":
		return d.refundedAlreadyNote(d.withRefundTiming(d.refundStatusReply(r.Data), r.Data)) // otherorder.go
	case "open_dispute":
		return d.disputeReply(r.Data, true)
	case "get_dispute":
		return d.disputeReply(r.Data, false)
	case "cancel_order":
		return d.cancelReply(r.Data)
	case "handoff_to_human":
		return d.handedOff(last.args)
	case "search_policy":
		return d.withRefunds(d.withWindowOffer(d.withDeadline(d.ownRulePolicyReply(r.Data)))) // ownreturnask.go
	case "translate":
		var t tools.Translation
		if json.Unmarshal(r.Data, &t) != nil || t.Text == "" {
			return d.say("tool_failed")
		}
		return d.say("translated", t.Text)
	}
	return d.say("anything_else")
}

// afterList either lists the orders, or picks the one the buyer described
// and serves the pending request for it.
func (d *dialogue) afterList(data json.RawMessage) agent.Message {
	var l tools.OrderList
	if json.Unmarshal(data, &l) != nil {
		return d.say("tool_failed")
	}
	if len(l.Orders) == 0 {
		if d.goodsRefund {
			// No order holds the goods: the question the policies answer.
			return d.unsureRefund("")
		}
		return d.say("no_orders")
	}
	if d.ownItemReturn() {
		return d.ownItemOrder(l.Orders)
	}
	if m, ok := d.problemOrder(l.Orders); ok { // ownproblem.go
		return m
	}
	if m, ok := d.pickRefundOrder(l.Orders); ok { // otherorder.go
		return m
	}
	if m, ok := d.otherStatusOrder(l.Orders); ok { // otherstatus.go
		return m
	}
	if m, ok := d.whenOrder(l.Orders); ok { // whenorder.go
		return m
	}
	if m, ok := d.statusOrder(l.Orders); ok { // statuslookup.go
		return m
	}
	if m, ok := d.goodsToldOrder(l.Orders); ok { // the goods told before (obviousorder.go)
		return m
	}
	tool, picking := needsOrder[d.intent]
	if d.slots.LastOrder {
		// Newest first: the buyer's last order is the list's first.
		switch id := l.Orders[0].ID; {
		case picking:
			return d.orderCall(tool, id)
		case d.intent == nlu.RefundStatus:
			return call("get_refund_status", map[string]string{"order_id": id})
		case d.intent == nlu.DisputeStatus:
			return call("get_dispute", map[string]string{"order_id": id})
		}
	}
	if d.otherOrder {
		// "The other one": one of the orders not discussed yet.
		if l.Orders = d.undiscussed(l.Orders); len(l.Orders) == 0 {
			return d.say("no_other_order")
		}
		if m, ok := d.otherOneState(l.Orders); ok { // where its money stands (otherone.go)
			return m
		}
	}
	if p := d.slots.ItemPosition; p > 0 && picking {
		// "The second item" of an order is in an order with two lines
		// or more.
		long := slices.DeleteFunc(slices.Clone(l.Orders), func(o tools.OrderRow) bool { return o.Lines > 0 && o.Lines < p })
		if len(long) > 0 {
			l.Orders = long
		}
	}
	shown := l.Orders
	if picking {
		if id, ok := pickOrder(d.text, l.Orders); ok {
			return d.orderCall(tool, id)
		}
		if id, ok := pickOrder(d.text, fitting(d.intent, l.Orders)); ok && len(nlu.ItemTerms(d.text)) > 0 {
			// The goods are in several orders, one of which the request
			// can be about: the kettle on its way, not the one delivered
			// last month, for "where is the kettle?".
			return d.orderCall(tool, id)
		}
		if len(nlu.ItemTerms(d.text)) == 0 {
			// No item named: the one order the request fits is the one
			// meant ("where is my order?" with one order on its way).
			switch fit := fitting(d.intent, l.Orders); {
			case len(l.Orders) == 1:
				return d.orderCall(tool, l.Orders[0].ID)
			case len(fit) == 1:
				return d.orderCall(tool, fit[0].ID)
			case len(fit) > 1:
				shown = fit
			}
		}
	}
	var b strings.Builder
	for i, o := range shown {
		if i == 5 {
			break
		}
		b.WriteString("\n- " + render(d.locale, "order_line", o.ID, o.Items, localStatus(d.locale, o.Status), d.day(o.PlacedAt)))
	}
	if picking {
		return d.say("pick_order", b.String())
	}
	return d.say("order_list", b.String())
}

// explainError tells the buyer, in their language, why a tool said no.
func (d *dialogue) explainError(tool string, e *agent.ToolError) agent.Message {
	if e == nil {
		return d.say("tool_failed")
	}
	switch tools.Code(e.Code) {
	case tools.CodeNotFound:
		return d.say("not_found")
	case tools.CodeWindowExpired:
		if tool == "request_refund" {
			return d.say("refund_window_expired")
		}
		return d.say("dispute_window_expired")
	case tools.CodeAlreadyRefunded:
		return d.say("already_refunded")
	case tools.CodeLimitReached:
		return d.say("limit_reached")
	case tools.CodeNotEligible:
		return d.say("not_eligible_" + eligibilityKey(tool))
	case tools.CodeConflict:
		if tool == "open_dispute" {
			return d.say("dispute_exists")
		}
		return d.say("already_done")
	case tools.CodeInvalidArgument:
		return d.say("invalid_request")
	case tools.CodeUnavailable:
		if tool == "translate" {
			return d.say("translate_unavailable")
		}
		return d.say("tool_failed")
	}
	return d.say("tool_failed")
}

func eligibilityKey(tool string) string {
	switch tool {
	case "request_refund":
		return "refund"
	case "cancel_order":
		return "cancel"
	case "open_dispute", "add_dispute_evidence":
		return "dispute"
	case "track_shipment":
		return "tracking"
	}
	return "other"
}

// fitting returns the orders of list a request of intent can be about, by
// their status: an order on its way for "where is it?", a delivered one
// for a refund, one not yet shipped for a cancellation.
func fitting(intent nlu.Intent, list []tools.OrderRow) []tools.OrderRow {
	var want []string
	switch intent {
	case nlu.OrderStatus:
		want = []string{"pending", "paid", "shipped"}
	case nlu.DeliveryProblem:
		want = []string{"shipped"}
	case nlu.RefundRequest:
		want = []string{"delivered"}
	case nlu.OpenDispute:
		want = []string{"shipped", "delivered"}
	case nlu.CancelOrder:
		want = []string{"pending", "paid"}
	}
	var out []tools.OrderRow
	for _, o := range list {
		if slices.Contains(want, o.Status) {
			out = append(out, o)
		}
	}
	return out
}

// goodsFollowUp reads a few words naming goods, right after the model
// looked an order up, as the same question about the order those goods
// are in: "where's my stuff?" → "ordered boots like a week ago", "담요
// 시킨 거요", "el bolso", "самовар". Alone such a message is no request
// the classifier can name; in the conversation it says which order the
// buyer means, and serve finds it among the buyer's own orders by its
// goods. A request of its own (a return, a cancellation, "the boots don't
// fit"), a problem with the goods or a reference to part of an order is
// read as what it says.
func (d *dialogue) goodsFollowUp(cur nlu.Result) {
	switch d.served {
	case nlu.OrderStatus, nlu.DeliveryProblem:
	default:
		return
	}
	s := cur.Slots
	if d.carried || hasSlot(s) || s.Only || s.ItemPosition > 0 || s.ItemQuantity > 0 || s.LastOrder {
		return
	}
	if len(strings.Fields(d.text)) > 6 || len(nlu.ItemTerms(d.text)) == 0 || nlu.AsksAboutGoods(d.text) {
		return
	}
	// "The boots I ordered" reads much like a request for the list of
	// orders; said right after a lookup it names which one.
	if isTask(cur.Intent) && cur.Intent != d.served && cur.Intent != nlu.ListOrders && cur.Confidence >= nlu.ActionThreshold {
		return
	}
	d.intent, d.conf, d.carried = d.served, 1, true
}
