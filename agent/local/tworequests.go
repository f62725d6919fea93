package local

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/l10n"
)

// Two requests in one message: "cancel 10019, and for 10020 refund just
// the bottle", "10046 취소하고 10047에서 텀블러만 환불요". Read whole, such a
// message is one intent about one order, and the other request is lost;
// worse, the second order can end up under the first one's action. So a
// message that names two orders, each with a request of its own, is split
// into its requests, and each is served as if it had come alone: its own
// lookups, its own item resolution (refunditems.go), its own confirmation
// card with its own order, items and amount, or its own answer of why not.
// The reply then speaks of each.
//
// The requests are served side by side within the turn. Each request's
// tool calls carry its number in their call id, so that the results of
// the turn are read back per request; a request whose next step is a call
// another request already made this turn is given that result.

// request is one of the requests of a buyer's message.
type request struct {
	text  string
	order string
	r     nlu.Result
}

// maxRequests is the most requests one message is split into; a message
// naming more orders than that is read whole.
const maxRequests = 3

// callPrefix starts the id of a call made for some of a message's
// requests: "call_r0.1_search_policy" serves requests 0 and 1.
const callPrefix = "call_r"

// clauseEnd splits a message where a sentence or a clause ends: at .!?;
// followed by a space, at a comma, and at a line break. A decimal point
// or an order id's hyphen is no end.
var clauseEnd = regexp.MustCompile(`[.!?;。]+(?:\s+|$)|,\s*|\n+`)

// joiners are words that join two requests in one sentence, by language,
// and the signs typed for them ("cancel lantern order + where r boots").
// A clause starting with one begins a new clause; a joiner inside a
// request's words is harmless, as clauses without an order of their own
// are read with the request before them.
//
// A numbered list's marker ("1) … 2) …", "1. … 2. …") opens a clause too:
// a buyer who numbers their requests says where each starts, with no
// sentence end between them ("… на чайнике 😢 2) шкатулка …").
var joiners = regexp.MustCompile(`(?i)(?:^|\s)(?:and|also|plus|then|y|además|también|и|а|также|ещё|еще|потом|그리고|또|또한|\+|&|[1-9][.)])\s`)

// koreanJoin ends a Korean clause that a request follows: "10046 취소하고
// 10047에서 …", "취소해 주시고".
var koreanJoin = regexp.MustCompile(`[가-힣](?:하고|시고|이고|고요?)[,\s]+`)

// clauseOrder finds the order a clause names: "ORD-10019", "ord 10019",
// the bare five digits (also glued to a Korean particle: "10047에서").
var clauseOrder = regexp.MustCompile(`(?i)(?:\bord[-\s]?)?(?:^|[^\d])(\d{5})(?:[^\d]|$)`)

// priceAtEnd reports whether the clause at span is a bare number that
// ends the message: "10466 환불 텀블러 28000" names what the goods cost,
// not a second order, which a buyer writes with words around it.
func priceAtEnd(text string, span [2]int) bool {
	c := strings.TrimRight(strings.TrimSpace(text[span[0]:span[1]]), ".!")
	if strings.TrimSpace(text[span[1]:]) != "" || c == "" {
		return false
	}
	for _, r := range c {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// splitRequests returns the requests of text when it holds two or more
// about different orders, each a request the model serves on its own;
// nil otherwise (the message is read whole, as before). Each request's
// text is the buyer's own words, from its first clause to its last.
func (m *Model) splitRequests(text, locale string) []request {
	if len(clauseOrder.FindAllString(text, 3)) < 2 {
		return nil // the common case, decided without parsing
	}
	// Russian typed in Latin letters is split, and its requests read, in
	// its own letters: "otmenite ORD-10190 i … iz ORD-10191 vernite
	// dengi" has its joiner ("и") and its verbs where the clauses and
	// the classifier look for them.
	text = nlu.Cyrillic(text)
	// Clauses are grouped into requests: a clause that names another
	// order, or that a joiner opens ("and", "also", "а", "그리고"), starts
	// a request; one that names no order belongs to the request it is in
	// ("I don't need it now"), and a request that got no order of its own
	// is part of the one before it, or for the first, of the one after.
	type group struct {
		span  [2]int
		order string
	}
	var groups []group
	for _, c := range splitAtOrders(text, clauses(text)) {
		order := ""
		if mm := clauseOrder.FindStringSubmatch(text[c.span[0]:c.span[1]]); mm != nil && !priceAtEnd(text, c.span) {
			order = "ORD-" + mm[1]
		}
		n := len(groups)
		switch {
		case n == 0 || c.joined || (order != "" && groups[n-1].order != "" && groups[n-1].order != order):
			groups = append(groups, group{span: c.span, order: order})
		default:
			groups[n-1].span[1] = c.span[1]
			if groups[n-1].order == "" {
				groups[n-1].order = order
			}
		}
	}
	var reqs []request
	var spans [][2]int
	for i, g := range groups {
		switch {
		case g.order != "" && len(reqs) > 0 && reqs[len(reqs)-1].order == g.order:
			spans[len(spans)-1][1] = g.span[1]
		case g.order != "":
			if i > 0 && groups[i-1].order == "" && len(reqs) == 0 {
				g.span[0] = groups[0].span[0]
			}
			reqs = append(reqs, request{order: g.order})
			spans = append(spans, g.span)
		case len(reqs) > 0:
			spans[len(spans)-1][1] = g.span[1]
		}
	}
	for i := range reqs {
		reqs[i].text = text[spans[i][0]:spans[i][1]]
	}
	if len(reqs) < 2 || len(reqs) > maxRequests {
		return nil
	}
	seen := map[string]bool{}
	for i := range reqs {
		rq := &reqs[i]
		rq.text = strings.TrimSpace(rq.text)
		if seen[rq.order] {
			// The same order twice, with another between: one request
			// about it said in two places is not two requests.
			return nil
		}
		seen[rq.order] = true
		rq.r = m.parse(rq.text, locale)
		if !servable(rq.r, rq.text) {
			return nil
		}
	}
	return reqs
}

// clause is a clause of a message: its byte span, and whether a joiner
// opens it.
type clause struct {
	span   [2]int
	joined bool
}

// clauses returns the clauses of text, in order, without empty ones.
func clauses(text string) []clause {
	var out []clause
	add := func(start, end int, joined bool) {
		for start < end && strings.ContainsRune(" \t\n,", rune(text[start])) {
			start++
		}
		if start < end {
			out = append(out, clause{span: [2]int{start, end}, joined: joined})
		}
	}
	cuts := map[int]bool{} // where a clause starts: true after a joiner
	for _, m := range clauseEnd.FindAllStringIndex(text, -1) {
		cuts[m[1]] = cuts[m[1]] || false
	}
	for _, m := range koreanJoin.FindAllStringIndex(text, -1) {
		cuts[m[1]] = true
	}
	for _, m := range joiners.FindAllStringIndex(text, -1) {
		// The clause starts at the joiner, not at the space before it.
		w := text[m[0]:m[1]]
		cuts[m[0]+len(w)-len(strings.TrimLeft(w, " \t\n"))] = true
	}
	at := make([]int, 0, len(cuts))
	for c := range cuts {
		at = append(at, c)
	}
	slices.Sort(at)
	start, joined := 0, cuts[0]
	for _, c := range at {
		if c > start {
			add(start, c, joined)
			start, joined = c, cuts[c]
		}
	}
	add(start, len(text), joined)
	return out
}

// servable reports whether r, read from one request's words, is a request
// the model serves for an order on its own: an action, a lookup, or an
// address change (which it answers with why not). A clause that only
// names an order ("and 10020 too") is not: what it asks is the other
// request's business, and guessing it could act on the wrong order.
func servable(r nlu.Result, text string) bool {
	if asksAddressChange(text) {
		return true
	}
	switch r.Intent {
	case nlu.RefundRequest, nlu.CancelOrder, nlu.OpenDispute:
		// As a message of its own naming its order: read unsure, it gets
		// the question whether the buyer wants it (clarifyAction), never
		// the action.
		return r.Confidence >= unsureRequestConfidence
	case nlu.OrderStatus, nlu.DeliveryProblem, nlu.RefundStatus, nlu.DisputeStatus:
		return r.Confidence >= minConfidence
	}
	return false
}

// unsureRequestConfidence is the least confidence at which words naming an
// order are taken for a request for an action on it, to be asked about:
// below it, the classifier's guess says nothing.
const unsureRequestConfidence = 0.3

// eachRequest answers a message that holds several requests (d.requests):
// the calls every request still needs, made together, or once each has its
// answer, one reply that gives each. ok is false for a message with one
// request, or a turn whose tool results are not the requests' own (the
// narration of a decision taken with a button), which is answered whole.
func (m *Model) eachRequest(d *dialogue) (agent.Message, bool) {
	if d.carried && len(m.kindRequests(d.text, d.locale)) < 2 {
		return agent.Message{}, false
	}
	for _, o := range d.results {
		if !strings.HasPrefix(o.id, callPrefix) {
			return agent.Message{}, false
		}
	}
	reqs := m.splitRequests(d.text, d.locale)
	if len(reqs) < 2 {
		// Orders named by their goods (goodsrequests.go).
		var look *agent.Message
		if reqs, look = m.goodsRequests(d); look != nil {
			return *look, true
		}
	}
	if len(reqs) < 2 {
		reqs = m.kindRequests(d.text, d.locale) // a refund and a dispute of one order (kindrequests.go)
	}
	if len(reqs) < 2 {
		return agent.Message{}, false
	}
	var calls []agent.ToolCall
	parts := make([]requestPart, len(reqs))
	for i, rq := range reqs {
		sub := d.forRequest(rq, i)
		msg := sub.respond()
		// A call another request made this turn is not made twice (the
		// agent stops a turn that repeats a call): its result serves.
		for tries := 0; len(msg.ToolCalls) == 1 && tries < 4; tries++ {
			o, ok := d.madeCall(msg.ToolCalls[0])
			if !ok {
				break
			}
			sub.results = append(sub.results, o)
			msg = sub.respond()
		}
		if len(msg.ToolCalls) > 0 {
			calls = addCalls(calls, msg.ToolCalls, i)
			continue
		}
		parts[i] = requestPart{text: msg.Content}
		if sub.said == "confirm_prompt" && len(sub.results) > 0 {
			last := sub.results[len(sub.results)-1]
			parts[i].prepared = summarize(d.locale, last.name, last.result.Data)
		}
	}
	if len(calls) > 0 {
		return agent.Message{ToolCalls: calls}, true
	}
	d.said = "two_requests"
	return agent.Message{Content: d.joinParts(parts)}, true
}

// requestPart is what the reply says about one request: its text, and
// for one prepared for confirmation, the summary of what was prepared.
type requestPart struct {
	text, prepared string
}

// joinParts writes the reply to several requests in the order the buyer
// asked them. Two or more prepared for confirmation are listed together
// with how to confirm each: a bare "yes" would not say which.
func (d *dialogue) joinParts(parts []requestPart) string {
	var prepared []string
	for _, p := range parts {
		if p.prepared != "" {
			prepared = append(prepared, p.prepared)
		}
	}
	var out []string
	listed := false
	for _, p := range parts {
		switch {
		case p.prepared != "" && len(prepared) > 1:
			if !listed {
				var b strings.Builder
				for _, s := range prepared {
					b.WriteString("\n- " + s)
				}
				out = append(out, requestLine(d.locale, "prepared_each", b.String()))
				listed = true
			}
		case p.text != "":
			out = append(out, p.text)
		}
	}
	return strings.Join(out, "\n\n")
}

// forRequest is the dialogue of request rq, the i-th of the message, as if
// it had come alone: its words, intent and order, and this turn's results
// of its own calls.
func (d *dialogue) forRequest(rq request, i int) *dialogue {
	sub := *d
	sub.text, sub.intent, sub.conf, sub.slots = rq.text, rq.r.Intent, rq.r.Confidence, rq.r.Slots
	sub.slots.OrderID = rq.order
	if rq.r.Intent == nlu.Translate && sub.slots.Language == "" {
		// A seller's message quoted beside another request, "what does
		// he want?": into the language the buyer is answered in.
		sub.slots.Language = d.locale
	}
	if asksRefund(rq.r, rq.text) || asksItemRefund(rq.r, rq.text) || asksGoodsBack(rq.r, rq.text) {
		sub.intent, sub.conf = nlu.RefundRequest, max(sub.conf, nlu.ActionThreshold)
	}
	if asksAddressChange(rq.text) {
		sub.intent, sub.conf = nlu.OutOfScope, max(sub.conf, minConfidence)
		if in, ok := movedButAsks(rq.r, rq.text); ok { // a move told as the reason (movestory.go)
			sub.intent, sub.conf = in, max(rq.r.Confidence, nlu.ActionThreshold)
		}
	}
	sub.lastOrder, sub.carried, sub.otherOrder, sub.offered = rq.order, false, false, false
	// The whole message's goods asked back with no order discussed
	// (refundowngoods.go) are this request's, which has its order.
	sub.goodsRefund = false
	sub.said = ""
	if isAction(rq.r.Intent) {
		// What the whole message was read to ask of an order (a problem's
		// options, a date) is no part of an action asked on its own.
		sub.fact = 0
	}
	sub.results = nil
	for _, o := range d.results {
		if slices.Contains(callRequests(o.id), i) {
			sub.results = append(sub.results, o)
		}
	}
	return &sub
}

// madeCall returns the result of a call this turn with c's tool and
// arguments, whichever request made it.
func (d *dialogue) madeCall(c agent.ToolCall) (toolOutcome, bool) {
	for _, o := range d.results {
		if o.name == c.Name && jsonEqual(o.args, c.Arguments) {
			return o, true
		}
	}
	return toolOutcome{}, false
}

func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return string(xb) == string(yb)
}

// addCalls adds request i's calls to those of the step, one call for the
// same tool and arguments however many requests need it.
func addCalls(calls, add []agent.ToolCall, i int) []agent.ToolCall {
	for _, c := range add {
		k := slices.IndexFunc(calls, func(o agent.ToolCall) bool { return o.Name == c.Name && jsonEqual(o.Arguments, c.Arguments) })
		if k >= 0 {
			calls[k].ID = callID(append(callRequests(calls[k].ID), i), c.Name)
			continue
		}
		c.ID = callID([]int{i}, c.Name)
		calls = append(calls, c)
	}
	return calls
}

func callID(reqs []int, name string) string {
	s := make([]string, len(reqs))
	for k, r := range reqs {
		s[k] = strconv.Itoa(r)
	}
	return callPrefix + strings.Join(s, ".") + "_" + name
}

// callRequests returns the requests a call id serves, nil for an id that
// is not one of eachRequest's.
func callRequests(id string) []int {
	rest, ok := strings.CutPrefix(id, callPrefix)
	if !ok {
		return nil
	}
	list, _, ok := strings.Cut(rest, "_")
	if !ok {
		return nil
	}
	var out []int
	for _, s := range strings.Split(list, ".") {
		n, err := strconv.Atoi(s)
		if err != nil {
			return nil
		}
		out = append(out, n)
	}
	return out
}

// Changing where an order goes is no tool's to do. What the buyer needs
// to hear is why, for their order: one that has shipped is with the
// carrier already, one that has not can be cancelled and ordered again.

// addressCues are words that ask to deliver somewhere else without saying
// "address": a move ("I moved", "me mudo", "переехал", "이사"), or "send
// it to" a street.
var addressCues = []string{
	"moved", "moving", "i move", "new apartment", "new flat", "new house", "ship it to", "send it to", "deliver to", "redirect",
	"cambio de casa", "me mudo", "me mudé", "me he mudado", "mudanza", "enviar a calle", "envíen a", "enviar a la calle", "nueva casa",
	"переехал", "переезжа", "переезд", "отправить на улиц", "новый адрес", "новую квартир",
	"이사", "새 집", "새집", "보내 주실 수", "보내주실 수",
}

// asksAddressChange reports whether text asks to change where an order
// is delivered.
func asksAddressChange(text string) bool {
	if nlu.PlatformTopic(text) == nlu.TopicAddress {
		return true
	}
	low := strings.ToLower(text)
	for _, c := range addressCues {
		if strings.Contains(low, c) {
			return true
		}
	}
	return false
}

// addressAsked reports whether the request being served is an address
// change for an order.
func (d *dialogue) addressAsked() bool {
	return d.intent == nlu.OutOfScope && d.slots.OrderID != "" && asksAddressChange(d.text)
}

// addressLookup looks up the order whose address the buyer wants changed,
// to say why it cannot be, for that order.
func (d *dialogue) addressLookup() (agent.Message, bool) {
	if !d.addressAsked() || !d.has("get_order") {
		return agent.Message{}, false
	}
	return call("get_order", map[string]string{"order_id": d.slots.OrderID}), true
}

// addressReply says why the address of order data cannot be changed
// here, and what can be done instead: for an order already shipped, when
// it shipped and with whom; for one not shipped yet, a cancellation.
func (d *dialogue) addressReply(data json.RawMessage) agent.Message {
	var o tools.Order
	if json.Unmarshal(data, &o) != nil || o.ID == "" {
		return d.say("tool_failed")
	}
	d.said = "address_change"
	switch {
	case o.Status == "shipped" && o.ShippedAt != nil:
		return agent.Message{Content: requestLine(d.locale, "address_shipped", o.ID, d.day(*o.ShippedAt), o.Carrier, o.TrackingNumber)}
	case o.Status == "delivered" && o.DeliveredAt != nil:
		return agent.Message{Content: requestLine(d.locale, "address_delivered", o.ID, d.day(*o.DeliveredAt))}
	case o.Status == "pending" || o.Status == "paid":
		return agent.Message{Content: requestLine(d.locale, "address_unshipped", o.ID)}
	}
	return d.say("oos_address")
}

// requestLines are the replies of this file, by key and language.
var requestLines = map[string]map[string]string{
	"prepared_each": {
		"en": "I've prepared each of your requests separately, each with its own confirmation card:%s\nNothing has been done yet. Confirm each one with the button on its card, or tell me which one to go ahead with (or \"both\").",
		"ko": "요청하신 내용을 각각 따로 준비했고, 요청마다 확인 카드가 있습니다:%s\n아직 처리된 것은 없습니다. 각 카드의 버튼으로 확인하시거나, 어느 것을 진행할지(또는 \"둘 다\") 알려 주세요.",
		"es": "He preparado cada una de sus solicitudes por separado, cada una con su propia tarjeta de confirmación:%s\nTodavía no se ha hecho nada. Confirme cada una con el botón de su tarjeta, o dígame con cuál sigo (o \"las dos\").",
		"ru": "Я подготовил каждый ваш запрос отдельно, у каждого своя карточка подтверждения:%s\nПока ничего не сделано. Подтвердите каждый кнопкой на его карточке или напишите, какой выполнить (или «оба»).",
	},
	"address_shipped": {
		"en": "Order %s has already shipped (on %s with %s, tracking number %s), so I can't change its delivery address any more. The carrier may be able to redirect the parcel if you contact them with the tracking number, or I can connect you with a member of our support team.",
		"ko": "주문 %s은(는) 이미 발송되었습니다(%s, %s, 운송장 번호 %s). 그래서 배송지를 변경할 수 없습니다. 운송장 번호로 택배사에 문의하시면 배송지 변경이 가능할 수도 있고, 원하시면 상담원을 연결해 드릴 수 있습니다.",
		"es": "El pedido %s ya se envió (el %s con %s, número de seguimiento %s), así que ya no puedo cambiar su dirección de entrega. Puede que la empresa de transporte pueda redirigir el paquete si la contacta con el número de seguimiento, o puedo ponerle en contacto con una persona de nuestro equipo de soporte.",
		"ru": "Заказ %s уже отправлен (%s, %s, трек-номер %s), поэтому адрес доставки изменить уже нельзя. Возможно, перевозчик сможет перенаправить посылку, если обратиться к нему с трек-номером, или я могу соединить вас с сотрудником службы поддержки.",
	},
	"address_delivered": {
		"en": "Order %s was already delivered on %s, so its delivery address can't be changed any more.",
		"ko": "주문 %s은(는) 이미 %s에 배송 완료되어 배송지를 변경할 수 없습니다.",
		"es": "El pedido %s ya se entregó el %s, así que ya no se puede cambiar su dirección de entrega.",
		"ru": "Заказ %s уже доставлен %s, поэтому адрес доставки изменить уже нельзя.",
	},
	"address_unshipped": {
		"en": "I can't change the delivery address of order %s from this chat. It hasn't shipped yet, so I can cancel it for you to order again with the new address, or connect you with a member of our support team.",
		"ko": "이 채팅에서는 주문 %s의 배송지를 변경할 수 없습니다. 아직 발송 전이므로 취소해 드리면 새 주소로 다시 주문하실 수 있고, 원하시면 상담원을 연결해 드릴 수 있습니다.",
		"es": "Desde este chat no puedo cambiar la dirección de entrega del pedido %s. Aún no se ha enviado, así que puedo cancelarlo para que lo vuelva a hacer con la nueva dirección, o ponerle en contacto con nuestro equipo de soporte.",
		"ru": "Из этого чата я не могу изменить адрес доставки заказа %s. Он ещё не отправлен, поэтому я могу отменить его, чтобы вы оформили заказ заново на новый адрес, или соединить вас со службой поддержки.",
	},
}

func requestLine(locale, key string, args ...any) string {
	t, ok := requestLines[key][locale]
	if !ok {
		t = requestLines[key]["en"]
	}
	out := fmt.Sprintf(t, args...)
	if locale == "ko" {
		out = l10n.Particles(out)
	}
	return out
}
