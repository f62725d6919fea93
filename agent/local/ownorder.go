package local

import (
	"encoding/json"
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
)

// Which of the buyer's own orders a message is about when it gives no
// number. Buyers rarely know their order number; they say what they
// bought ("the warm things for the feet", "이불 같은 거", "валеночки"),
// when ("ordered Friday", "la semana pasada"), or that they have no
// number at all. None of these is a request the classifier can name, yet
// in the conversation each says which order is meant:
//
//   - "I don't have the number" after the model found the order is about
//     that order: it is named again, with no number asked for; before any
//     order was found, the buyer's own orders are looked up, and the one
//     the request fits is used (afterList).
//   - "I ordered the boots" is about the order holding them, found among
//     the buyer's orders by its goods, or the one order that fits a status
//     question; said of the order just looked up, it confirms that order.
//   - "And what about the oil one? I ordered it last week" names goods the
//     order discussed does not hold: it asks after another order, found by
//     those goods.
//   - "never mind, the neighbour had it" ends the question about the
//     parcel: it is thanked for, not looked up again.
//
// A question about that order's delivery ("has it shipped yet?", "is it
// normal that it takes this long?") asked while the model completes a
// status request is answered from the order's record (orderfact.go).

// noNumberWords and noNumberNegations together say "I don't have / know
// the number"; trackingWords keep "I have no tracking number" out, which
// asks after the parcel, not the order. All folded, as cueText writes a
// message.
var (
	noNumberWords     = []string{" number", " order no", " order reference", " order ref", " order id", " numero", " num ", " номер", " nomer", "번호"}
	noNumberNegations = []string{
		" don t", " dont", " do not", " no idea", " not sure", " lost", " can t find", " cant find", " haven t", " without", " no number", " no order", " have no ", " got no ",
		" no lo se", " no se ", " no tengo", " no lo tengo", " ni idea", " no me acuerdo", " no recuerdo", " sin ", " perdi",
		" не знаю", " не помню", " нет ", " без ", " понятия не", " потерял", " не могу найти", " ne znayu", " ne pomnyu",
		"몰라", "모르", "모름", "없", "기억이 안", "기억 안", "기억안",
	}
	trackingWords = []string{" tracking", " track", " seguimiento", " rastreo", " трек", " отслеж", "송장", "추적"}

	// purchaseCues say the buyer ordered or bought something.
	purchaseCues = []string{
		" i ordered", " we ordered", " he ordered", " she ordered", " ordered ", " i bought", " bought ", " purchased",
		" made a purchase", " placed an order", " made an order", " i buy ", " i order ",
		" compre ", " compramos", " pedi ", " he pedido", " habia pedido", " encargue", " he comprado", " hice un pedido",
		" hice una compra", " realice un pedido", " realice una compra",
		" заказывал", " заказал", " купил", " покупал", " оформил", " брал ", " брала ", " сделал заказ", " сделала заказ",
		" zakazal", " zakazyval", " kupil",
		" приобрел", " приобрела", " приобрет", " в вашем магазине", " у вас в магазине", " adquiri", " he adquirido", " en su tienda",
		" en vuestra tienda", " from your shop", " from your store", " got from you", "구입했", "구입한", "에서 산",
		"제가 산", "내가 산", "제가 주문한", "제가 구매한", "저번에 산", "지난번에 산",
		"샀", "시켰", "시킨", "주문했", "주문한 거", "주문한거", "구매했", "구매한", "주문 넣었", "주문넣었",
	}
	// moneyBackWords (space-led, unlike cancelrequest.go's folded refundWords) name money back, which a question about shipping does not.
	moneyBackWords = []string{" refund", " money back", " reembolso", " devolucion", " dinero", " возврат", " вернут", " деньги", "환불", "돈"}
	// whenCues place an order in time ("the one from last week").
	whenCues = []string{
		" last week", " yesterday", " the one from", " la semana pasada", " ayer", " el de la semana", " на прошлой неделе", " вчера",
		" vchera", "지난주", "저번 주", "저번주", "어제",
	}
	// foundCues say the parcel turned up after all.
	foundCues = []string{
		" found it", " neighbour had it", " neighbor had it", " neighbours had it", " neighbors had it", " turned up", " showed up",
		" lo encontr", " la encontr", " lo tenia", " la tenia", " ya lo tengo", " ya la tengo", " ya aparecio",
		" нашел", " нашла", " нашлась", " нашлось", " у соседей", " у соседа",
		"찾았", "찾음",
	}
)

// cues is text as cueText writes it, and its Cyrillic reading for Russian
// typed in Latin letters.
func cues(text string) string {
	t := cueText(text)
	if c := nlu.Cyrillic(text); c != text {
		t += cueText(c)
	}
	return t
}

// saysNoNumber reports whether text says the buyer has no order number.
func saysNoNumber(text string) bool {
	t := cues(text)
	return containsAny(t, noNumberWords) && containsAny(t, noNumberNegations) && !containsAny(t, trackingWords)
}

// saysFound reports whether text, read as r, says the parcel turned up
// and asks nothing more.
func saysFound(text string, r nlu.Result) bool {
	s := r.Slots
	return containsAny(cues(text), foundCues) && !strings.ContainsAny(text, "?？") && len(nlu.ItemTerms(text)) == 0 &&
		(s.Reason == "" || s.Reason == nlu.ReasonNotReceived) && !otherRef(text)
}

// ownOrder reads a message that gives no order number as about the order
// it describes (see above).
func (d *dialogue) ownOrder(cur nlu.Result) {
	if d.otherOrder {
		// "And the other one? Is it normal it takes so long?": what is
		// asked of the other order (followUp found it).
		if d.fact == noFact && cur.Slots.OrderID == "" {
			d.fact = deliveryFact(d.text)
		}
		return
	}
	if d.fact != noFact {
		// Already read as a question about the order just looked up.
		return
	}
	if d.lastOrder != "" && d.pendingCancel == nil && d.action == nil && len(d.cards) == 0 && cur.Slots.OrderID == "" &&
		(d.served == nlu.OrderStatus || d.served == nlu.DeliveryProblem) && saysFound(d.text, cur) {
		// "oh never mind, found it on the porch": nothing more to look
		// up, and nothing pending that "never mind" could call off.
		d.intent, d.conf, d.carried = nlu.Thanks, 1, true
		return
	}
	s := cur.Slots
	if s.ItemPosition > 0 && d.lastOrder == "" && len(d.listed) == 0 && !s.LastOrder && containsAny(cues(d.text), purchaseCues) &&
		len(nlu.ItemTerms(d.text)) > 0 {
		// "I ordered the camp lantern yesterday (first one since the
		// kids were born)": the goods are named by what they are, and
		// with no order discussed or listed a position points at none.
		s.ItemPosition, d.slots.ItemPosition = 0, 0
	}
	if s.RefundID != "" || s.DisputeID != "" || s.Amount != nil || s.Only || s.ItemPosition > 0 || s.ItemQuantity > 0 ||
		(s.Reason != "" && s.Reason != nlu.ReasonNotReceived) {
		// A refund, a dispute, an amount, part of an order or a problem
		// with the goods: read as it says.
		return
	}
	if (nlu.Consequential(cur.Intent) && cur.Confidence >= nlu.ActionThreshold) || (cur.Intent == nlu.HumanAgent && cur.Confidence >= minConfidence) ||
		nlu.Withdraws(d.text) || asksCancelling(d.text) || isBotQuestion(d.text) || d.pendingCancel != nil {
		return
	}
	status := d.intent == nlu.OrderStatus || d.intent == nlu.DeliveryProblem
	if d.carried && !status {
		// The message completes another request (a refund waiting for
		// its order): that request decides.
		return
	}
	if d.carried {
		d.completingStatus()
		return
	}
	noNumber := saysNoNumber(d.text)
	if s.OrderID != "" || d.lastOrder == "" {
		// "Has ORD-10042 shipped yet?", "my order is taking forever, is
		// that normal?": what is asked of the order named, or of the one
		// the buyer's orders show, is answered, not only its status;
		// "it's been a week, after how many days can I open a dispute?"
		// asks the rule (policyroute.go).
		if f := deliveryFact(d.text); status && cur.Confidence >= minConfidence && (f == factShipping || f == factDelay) &&
			!asksPolicy(d.text, cur, d.lastOrder) {
			d.lookUp(s.OrderID, f)
			return
		}
		if s.OrderID != "" {
			return
		}
	}
	t := cues(d.text)
	goods := len(nlu.ItemTerms(d.text)) > 0
	ofLast := d.lastOrder != "" && (!goods || d.namesGoodsOf(d.lastOrder))
	// A message that reads as nothing else: no confident request other
	// than asking after an order. Having no number asks for none: "I have
	// no idea what my order number is" reads much like asking for the list
	// of orders, yet the order found is the answer. Nor does a purchase
	// asked after as not shipped or slow to come ("머그컵 주문했는데 아직
	// 안 보내졌나요?"), which the classifier may take for a refund's status,
	// when it names no money back.
	f := deliveryFact(d.text)
	shipped := containsAny(t, purchaseCues) && (f == factShipping || f == factDelay) && !containsAny(t, moneyBackWords)
	if isTask(cur.Intent) && !status && cur.Confidence >= minConfidence && !noNumber && !shipped {
		return
	}
	switch {
	case noNumber:
		if goods && !ofLast {
			d.lookUp("", factNoNumber)
			return
		}
		d.lookUp(d.lastOrder, factNoNumber)
	case d.lastOrder != "" && !goods && asksAfterEarlier(d.text):
		// "And the one I ordered last week?", "¿y el de la semana
		// pasada?": an order besides the one discussed (afterList
		// leaves that one out).
		d.lookUp("", deliveryFact(d.text))
		d.otherOrder = true
	case containsAny(t, purchaseCues) && (status || f != noFact || goods || (ofLast && (d.served == nlu.OrderStatus || d.served == nlu.DeliveryProblem))):
		// Told of a purchase asked after, described by its goods or
		// naming the order just found; not "then issue a tax invoice for
		// what I bought", which asks for something else.
		if ofLast {
			d.lookUp(d.lastOrder, factNamed)
			return
		}
		d.lookUp("", deliveryFact(d.text))
	case goods && d.lastOrder != "" && !ofLast && (continues(d.text) || containsAny(t, whenCues)):
		// "And the oil one?", "the one from last week? the jacket".
		d.lookUp("", deliveryFact(d.text))
	case goods && !ofLast && !status && cur.Intent == nlu.OutOfScope && containsAny(t, whereCues):
		// "at a stop got 2 min. the jacket. wheres it at": the aside
		// makes the whole read as nothing of ours, yet the buyer asks
		// where goods of theirs are (serve finds the order by them).
		d.lookUp("", deliveryFact(d.text))
	}
}

// completingStatus reads a message that completes an open status request
// for the order just looked up: a question about that order's delivery
// ("kogda otpravyat?") is answered from its record, not by the same
// status again.
func (d *dialogue) completingStatus() {
	if d.lastOrder == "" || (d.slots.OrderID != "" && d.slots.OrderID != d.lastOrder) {
		return
	}
	goods := len(nlu.ItemTerms(d.text)) > 0
	if goods && !d.namesGoodsOf(d.lastOrder) {
		// Goods of another order: found by them (serve), and asked the
		// same ("the jacket? still no tracking").
		d.fact = deliveryFact(d.text)
		return
	}
	switch f := deliveryFact(d.text); {
	case f != noFact:
		d.lookUp(d.lastOrder, f)
	case goods:
		// "The kettle, I bought it a few days ago" names the goods of
		// the order just found: it is that order, said so rather than
		// its status again.
		d.lookUp(d.lastOrder, factNamed)
	}
}

// lookUp serves the message as a status question about order, or, for "",
// about the order of the buyer's own the message describes (serve lists
// them; afterList picks it), answering fact.
func (d *dialogue) lookUp(order string, fact orderFact) {
	d.intent, d.conf, d.carried = nlu.OrderStatus, 1, true
	d.slots.OrderID = order
	d.fact = fact
}

// foundReply names the order the buyer described without its number:
// that no number is needed, or that it is the order found, and its
// status.
func (d *dialogue) foundReply(data json.RawMessage) agent.Message {
	key := "own_order_found"
	if d.fact == factNamed {
		key = "own_order_named"
	}
	msg := d.orderReply(data)
	if len(msg.ToolCalls) > 0 || d.said == "tool_failed" {
		return msg
	}
	said := d.said
	msg.Content = render(d.locale, key) + " " + msg.Content
	d.said = said
	return msg
}
