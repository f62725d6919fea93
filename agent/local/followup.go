package local

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// The dialogue's memory of what was already said: the orders discussed,
// the orders the last reply listed, the last request served and the
// problem the buyer described. A follow-up ("and ORD-10055?", "the other
// one?", "the second") is read against it, so it acts on the order the
// buyer means and not again on the last one.

// orderIDs finds order ids in a reply the model wrote.
var orderIDs = regexp.MustCompile(`\bORD-\d{5}\b`)

// statedReason is a problem the buyer described, and the order the
// message named ("" for none).
type statedReason struct {
	reason, order string
}

// onlyLists reports whether msg's tool calls only list the buyer's orders,
// which the model does to find the order a request is about.
func onlyLists(msg agent.Message) bool {
	for _, c := range msg.ToolCalls {
		if c.Name != "list_orders" {
			return false
		}
	}
	return len(msg.ToolCalls) > 0
}

// recall reads the conversation before the buyer's message: the orders
// discussed, the orders the last reply listed, the last request served,
// the reply before this message, whether anything failed, and the
// problems the buyer described.
func (d *dialogue) recall(m *Model, msgs []agent.Message, locale string) {
	add := func(id string) {
		if id != "" && !slices.Contains(d.discussed, id) {
			d.discussed = append(d.discussed, id)
		}
	}
	calls := map[string]agent.ToolCall{}
	for _, msg := range msgs {
		switch msg.Role {
		case agent.RoleUser:
			r := m.parse(msg.Content, locale)
			add(r.Slots.OrderID)
			d.noteWithdrawal(r, msg.Content)
			reason := faultReason(r, msg.Content)
			if isTask(r.Intent) && r.Intent != nlu.ListOrders && r.Intent != nlu.PolicyQuestion &&
				(r.Confidence >= minConfidence || hasSlot(r.Slots)) && !d.callsOff(r, msg.Content) && !vagueProblem(r, reason) {
				d.served = r.Intent
				d.servedDelay = r.Intent == nlu.OrderStatus && nlu.TellsDelay(msg.Content)
			}
			if returnsOwnItem(r, msg.Content) {
				// "Can I return the oil? I don't like it" was served as
				// the refund of the buyer's own item it is.
				d.served = nlu.RefundRequest
			}
			if reason != "" {
				d.reasons = append(d.reasons, statedReason{reason, r.Slots.OrderID})
			}
			if r.Confidence < minConfidence && !hasSlot(r.Slots) {
				d.failed = true
			}
		case agent.RoleAssistant:
			for _, c := range msg.ToolCalls {
				add(orderIDIn(c.Arguments))
				calls[c.ID] = c
			}
			if msg.Content != "" && !msg.Staff {
				d.prevReply = msg.Content
			}
		case agent.RoleTool:
			if strings.Contains(msg.Content, `"ok":false`) {
				d.failed = true
			}
			if c, ok := calls[msg.ToolCallID]; ok {
				d.noteTried(c.Name, c.Arguments, msg.Content)
				d.noteAction(c.Name, c.Arguments, msg.Content)
				if c.Name == "get_order" {
					d.noteOrder(msg.Content)
				}
			}
		}
	}
	if ids := orderIDs.FindAllString(d.prevReply, -1); len(ids) >= 2 {
		d.listed = ids
	}
}

// followUp reads the buyer's message as a follow-up when it is one:
// "the other one" is the order discussed besides the last one, "the
// second" the second of the orders the last reply listed (or discussed),
// "and ORD-10055?" the same request for another order. A follow-up that
// asks for nothing new repeats the request served last.
func (d *dialogue) followUp(cur nlu.Result) {
	order := cur.Slots.OrderID
	short := len(strings.Fields(d.text)) <= 6
	switch {
	case order != "":
		if !short || !continues(d.text) || d.served == "" {
			return
		}
	case otherRef(d.text) && !keptOther(d.text):
		order = d.other()
		d.otherOrder = order == "" && d.asksAfterAnother(cur, 0)
	case short || len(strings.Fields(refClause(d.text, func(c string) bool { return nlu.Ordinal(c) > 0 }))) <= 6:
		// "the second one" right after a list of orders is the second
		// order listed, not the second item of an order; nor is it one
		// of the discussed order's items when that order has fewer.
		if p := nlu.Ordinal(d.text); p > 0 && (len(d.listed) > 0 || cur.Slots.ItemPosition == 0 || d.fewerLines(p) || orderWord.MatchString(cueText(d.text))) {
			if order = d.nth(p); order != "" {
				d.slots.ItemPosition = 0
			}
			// "And the second?" with one order discussed and none
			// listed is the other one.
			d.otherOrder = order == "" && p == 2 && len(d.listed) == 0 && len(d.discussed) == 1 && d.asksAfterAnother(cur, p)
		}
	}
	if d.otherOrder {
		// Another order than those discussed, which only the buyer's
		// list of orders can tell (serve looks it up; afterList leaves
		// the discussed ones out).
		d.slots.ItemPosition = 0
		if !d.carried && !(asksAnew(cur) && cur.Intent != nlu.ListOrders && !bareRule(cur)) && d.served != "" {
			// "y lo otro que pedí?" reads like a request for the list
			// of orders; it asks after the other one as the last.
			d.intent, d.conf, d.carried = d.followIntent(cur), 1, true // otherone.go
		}
		return
	}
	if order == "" {
		return
	}
	d.slots.OrderID = order
	if d.carried || asksAnew(cur) {
		// "refund the other one", "and cancel ORD-10055": the message's
		// own request, or the open one it completes, for the order it
		// points at. A bare reference to an order reads as a status
		// question, which is no request of its own.
		return
	}
	if d.served != "" {
		d.intent, d.conf, d.carried = d.followIntent(cur), 1, true
	}
}

// continues reports whether text reads as "and that one?": it starts with
// a connective or, in Korean, ends with the topic-shifting "-는요/-은요".
func continues(text string) bool {
	// An acknowledgement before the connective ("ok and the one …",
	// "ладно, а тот …", "vale, ¿y el otro?") still continues.
	t := strings.TrimLeft(withoutAck(strings.ToLower(strings.TrimSpace(strings.TrimLeft(text, "¿¡")))), "¿¡")
	for _, p := range []string{"and ", "what about", "how about", "also ", "а ", "а что", "и ", "ещё ", "еще ", "y ", "y el", "y la", "¿y ", "también ", "그리고 ", "그럼 ", "근데 "} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	t = strings.TrimRight(t, "?？!. ")
	return strings.HasSuffix(t, "는요") || strings.HasSuffix(t, "은요") || strings.HasSuffix(t, "도요") || strings.HasSuffix(t, "건요")
}

// acks are the acknowledgements a buyer puts before "and the other one?",
// lower-cased.
var acks = []string{"ok", "okay", "okey", "k", "alright", "all right", "right", "cool", "great", "thanks", "thank you", "got it",
	"vale", "bueno", "ok vale", "genial", "gracias", "perfecto", "de acuerdo",
	"ок", "окей", "ладно", "хорошо", "понятно", "ясно", "спасибо",
	"네", "넵", "아", "알겠습니다", "알겠어요", "감사합니다", "그렇군요"}

// other is the order discussed besides the one the conversation is on:
// the newest other order discussed, or the other of two orders listed.
func (d *dialogue) other() string {
	for i := len(d.discussed) - 1; i >= 0; i-- {
		if id := d.discussed[i]; id != d.lastOrder {
			return id
		}
	}
	if len(d.listed) == 2 {
		for _, id := range d.listed {
			if id != d.lastOrder {
				return id
			}
		}
	}
	return ""
}

// asksAfterAnother reports whether the buyer's message, which points at
// "the other" or "the second" of something (the p-th, 0 for "other"), is
// a follow-up asking after another order, and not about the items or the
// problem of the order discussed: "the rest are fine, just refund the
// kettle" and "I ordered the other colour" point at no other order. The
// clause that points is read, so "ah, the neighbour had it. And the other
// one? It's been ages" asks after another order however long the rest;
// goods named beside it say which, unless they are the discussed order's.
func (d *dialogue) asksAfterAnother(cur nlu.Result, p int) bool {
	s := cur.Slots
	clause := refClause(d.text, func(c string) bool { return otherRef(c) || nlu.Ordinal(c) > 0 })
	if i := strings.LastIndex(clause, ": "); i >= 0 && (otherRef(clause[i+2:]) || nlu.Ordinal(clause[i+2:]) > 0) {
		// "Second item: and the other one?": a label the buyer numbers
		// their points with is no item of the order.
		clause = clause[i+2:]
	}
	// "The second order" is no second item, whatever position was read.
	ofOrder := orderWord.MatchString(cueText(clause))
	if (s.Reason != "" && s.Reason != nlu.ReasonNotReceived) || s.Only || s.ItemQuantity != 0 || (s.ItemPosition != 0 && nlu.Ordinal(clause) > 0 && !d.fewerLines(p) && !ofOrder) {
		return false
	}
	if len(strings.Fields(clause)) > 8 || len(nlu.ItemTerms(clause)) > 0 {
		return false
	}
	return len(nlu.ItemTerms(d.text)) == 0 || (d.lastOrder != "" && !d.namesGoodsOf(d.lastOrder))
}

// extraOtherCues say "the other one" where nlu's cues do not ("y lo otro
// que pedí?"), folded as cueText writes a message.
//
// The order placed after the one discussed is the other one too: "and the
// one I ordered after that?", "그 다음에 시킨 거는요?", "¿y el que pedí
// después?", "а тот, что заказал потом?".
var extraOtherCues = []string{" lo otro", " las otras", " the others", " другое ", " другие ",
	" ordered after that", " the one after that", " the next one", " que pedi despues", " el de despues", " что заказал потом", " что заказала потом", " следующий заказ",
	"다음에 시킨", "다음에 주문한", "그 다음 주문", "뒤에 시킨", "나중에 시킨"}

// otherRef reports whether text refers to "the other one" of the things
// the conversation named.
func otherRef(text string) bool {
	return nlu.OtherRef(text) || containsAny(cueText(text), extraOtherCues)
}

// withoutAck returns t, a lower-cased message, without the
// acknowledgements it starts with ("ok cool and …" → "and …").
func withoutAck(t string) string {
	for range 3 {
		cut := false
		for _, ack := range acks {
			if rest, ok := strings.CutPrefix(t, ack); ok && (rest == "" || strings.ContainsRune(" ,.!", rune(rest[0]))) {
				t, cut = strings.TrimSpace(strings.TrimLeft(rest, ",.! ")), true
				break
			}
		}
		if !cut {
			break
		}
	}
	return t
}

// keptOther reports whether text says "the other one" only of goods the
// buyer keeps ("just the pack with the hole, the other one is fine", "el
// otro y el bolso están bien"): the order's other item, no other order.
// An acknowledgement before it ("ok cool and the other one?") keeps
// nothing.
func keptOther(text string) bool {
	asked, kept := nlu.SplitKept(withoutAck(strings.ToLower(strings.TrimSpace(text))))
	return kept != "" && otherRef(kept) && !otherRef(asked)
}

// refClause returns the sentence of text that refers (ref), or text when
// none does alone. A Korean sentence often ends in "-요" or "-다" with no
// stop after it ("아 경비실에 있었네요 근데 나머지 하나는요?").
func refClause(text string, ref func(string) bool) string {
	var parts []string
	var cur []string
	for _, w := range strings.Fields(text) {
		cur = append(cur, w)
		t := strings.TrimRight(w, ".?!。？！~")
		if t != w || strings.HasSuffix(w, "요") || strings.HasSuffix(w, "다") {
			parts, cur = append(parts, strings.Join(cur, " ")), nil
		}
	}
	parts = append(parts, strings.Join(cur, " "))
	for _, c := range parts {
		if ref(c) {
			return c
		}
	}
	return text
}

// fewerLines reports whether the order the conversation is on, as
// get_order showed it, has fewer than p lines: its p-th item cannot be
// meant, so "the second one" is another order.
func (d *dialogue) fewerLines(p int) bool {
	o, ok := d.looked[d.lastOrder]
	return ok && p > 0 && len(o.Items) < p
}

// undiscussed returns the orders of list the conversation has not
// discussed yet: the candidates for "the other one".
func (d *dialogue) undiscussed(list []tools.OrderRow) []tools.OrderRow {
	return slices.DeleteFunc(slices.Clone(list), func(o tools.OrderRow) bool { return slices.Contains(d.discussed, o.ID) })
}

// nth is the p-th order of the last reply's list, or of the orders
// discussed when the last reply listed none.
func (d *dialogue) nth(p int) string {
	switch {
	case len(d.listed) >= p:
		return d.listed[p-1]
	case len(d.listed) == 0 && len(d.discussed) >= 2 && len(d.discussed) >= p:
		return d.discussed[p-1]
	}
	return ""
}

// statedReason returns the problem the buyer described for order (or
// without naming one), newest first: "it doesn't turn on" two messages
// before "refund ORD-10005" is that refund's reason.
func (d *dialogue) statedReason(order string) string {
	for i := len(d.reasons) - 1; i >= 0; i-- {
		if r := d.reasons[i]; r.order == "" || r.order == order {
			return r.reason
		}
	}
	return ""
}

// noteOrder records an order a get_order call before this message
// returned: content is this turn's result, or an earlier turn's data
// alone as the audit log keeps it.
func (d *dialogue) noteOrder(content string) {
	var r agent.ToolResult
	data := json.RawMessage(content)
	if json.Unmarshal(data, &r) == nil && r.Data != nil {
		data = r.Data
	}
	var o tools.Order
	if json.Unmarshal(data, &o) != nil || o.ID == "" {
		return
	}
	if d.looked == nil {
		d.looked = map[string]tools.Order{}
	}
	d.looked[o.ID] = o
}

// asksAnew reports whether a follow-up naming another order ("and the
// other one?", "and ORD-10055?") asks for a request of its own rather
// than the one served last: a task read with confidence, other than an
// order's status asked without saying it has not come ("아직 배송 안
// 했어요?" asks anew), and for a delivery problem, a problem told ("y el
// otro?" read as one, with no problem in it, repeats the last request).
func asksAnew(cur nlu.Result) bool {
	if !isTask(cur.Intent) || cur.Confidence < minConfidence || cur.Intent == nlu.OrderStatus && cur.Slots.Reason == "" {
		return false
	}
	switch cur.Intent {
	case nlu.RefundStatus, nlu.DisputeStatus:
		// Where a refund or a dispute stands is asked of one: "what
		// happened to the other one?" names neither, whatever the
		// classifier leans to ("나머지 하나는 어떻게 됐어요?").
		return subjectsOf(cur.Text)&(subjectRefund|subjectDispute) != 0
	}
	return cur.Intent != nlu.DeliveryProblem || cur.Slots.Reason != ""
}

// vagueProblem reports whether r reads a message as a delivery problem
// that names no fault (fault is faultReason's reading) and no order, and
// not surely: "wait so I'm just stuck with them??" after a refused
// cancellation argues the refusal, and taken as a new request it would end
// the cancellation the next message still follows up.
func vagueProblem(r nlu.Result, fault string) bool {
	return r.Intent == nlu.DeliveryProblem && r.Confidence < nlu.ActionThreshold && !hasSlot(r.Slots) && fault == ""
}
