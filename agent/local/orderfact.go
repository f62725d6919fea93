package local

import (
	"encoding/json"
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// A question about a fact of the order the conversation just looked up
// ("do you have a tracking number?", "ETA", "도착예정일", "fecha aprox",
// "успеет до субботы?", "it still hasn't come, I'm a bit worried") is
// about that order, whatever it would mean alone: read alone, such a
// message is a policy question about tracking numbers, no request the
// classifier can name, or a worry a person should hear. It is served as
// the lookup of that order again, and a question of when it arrives is
// answered with what the order's record shows (shipped when and with
// whom, the tracking number) and no promise of a day, which nobody here
// can give.

// orderFact is what a follow-up asks about the order under discussion.
type orderFact int

const (
	noFact orderFact = iota
	// factTracking asks for the parcel's tracking number.
	factTracking
	// factArrival asks when the order arrives, whether it arrives by a
	// day, whether it is moving, or worries that it has not come.
	factArrival
	// factShipping asks whether or when the order ships ("has it
	// shipped yet?", "cdo la mandan?", "언제 보내요?", "когда отправят?").
	factShipping
	// factDelay asks whether the time it takes is normal ("is it normal
	// for it to take this long?", "오래 걸려요?", "уже неделя").
	factDelay
	// factNoNumber is the buyer saying they have no order number: the
	// order the conversation found is theirs, and named (ownorder.go).
	factNoNumber
	// factNamed is the buyer naming the order found by what they bought
	// ("the boots, ordered Friday"), which is the same order (ownorder.go).
	factNamed
)

// trackingCues, arrivalCues, shippingCues and delayCues are folded, as
// cueText writes a message.
var (
	shippingCues = []string{
		" shipped yet", " ship yet", " sent yet", " dispatched yet", " not shipped", " hasn t shipped", " hasnt shipped",
		" not been shipped", " not sent", " not dispatched", " when will it ship", " when will they ship", " when does it ship",
		" when do they ship", " when will you ship", " when will it be shipped", " when will it be sent", " when will they send",
		" when do they send", " when will you send", " no shipping", " still no shipping", " sent it out", " sent out", " send it out",
		" gone out", " shipped it", " has it shipped", " did it ship", " been shipped", " ship it out", " gonna ship", " going to ship",
		" dispatched", " dispatch it", " be shipped", " will it ship", " not send", " not ship ", " no send",
		" mandan", " mandais", " envian", " enviais", " cuando sale", " cuando lo envia", " cuando la envia", " ya se envio",
		" no se ha enviado", " sin enviar", " sin shipping", " despach", " ya salio", " enviaron", " mandaron", " no lo han enviado", " no la han enviado",
		" отправят", " отправите", " отправили", " не отправ", " когда отправ", " отгруз",
		" otpravyat", " otpravite", " otpravili",
		"언제 보내", "언제보내", "보내준", "보내 준", "보냈", "안 보내", "안보내", "발송", "출발", "출고",
	}
	delayCues = []string{
		" take this long", " taking this long", " take so long", " taking so long", " takes so long", " takes this long",
		" is it normal", " is this normal", " is that normal", " normal for", " still waiting", " been a few days", " been a week",
		" been days", " been over a week", " been ages", " over a week", " a week now", " taking forever", " takes forever",
		" why is so long", " why so long", " is so long", " so long time",
		" tarde tanto", " tarda tanto", " tardando tanto", " es normal", " tanto tiempo", " sigo esperando", " ya van ", " ya va ", " mas de una semana", " lleva una semana",
		" una semana ya", " ya una semana", " demora tanto", " tardan tanto",
		" так долго", " это нормально", " нормально вообще", " уже неделя", " уже неделю", " до сих пор жду", " все еще жду",
		" неделю уже", " неделя уже", " так и должно", " так должно", " нормально ли", " это норм", " долго едет", " долго идет",
		"오래 걸", "오래걸", "이렇게 걸", "정상인가", "정상이에요", "원래 이렇게", "일째", "일주일 넘", "일주일째", "너무 오래",
	}
	trackingCues = []string{
		" tracking", " trackin", " track num", " track no", " track code", " tracker",
		" seguimiento", " seguimento", " rastreo", " localizador", " codigo de envio",
		" трек", " отслеж",
		"송장", "운송장", "배송조회", "배송 조회", "추적",
	}
	arrivalCues = []string{
		" eta ", " when will", " when does", " when do i get", " when is it", " when s it", " arrive", " get here", " be here",
		" delivery date", " by tomorrow", " by monday", " by tuesday", " by wednesday", " by thursday", " by friday",
		" by saturday", " by sat ", " by sunday", " by the weekend", " stuck", " moving", " not here yet", " hasn t come",
		" hasnt come", " hasn t arrived", " hasnt arrived", " not arrived", " still not here",
		" fecha", " cuando llega", " llegara", " llega ", " llegue", " atascad", " en camino", " no ha llegado", " no me ha llegado",
		" no me han llegado", " no han llegado", " no se mueve", " llegaran", " llegan ", " todavia nada", " aun nada",
		" still nothing", " nothing yet", " до сих пор нет", " все еще нет", " пока нет", "아직 안 와", "아직도 안",
		" когда будет", " когда придет", " когда приедет", " придет", " приедет", " успеет", " успеют", " прийти", " дойдет", " привезут", " придут", " когда прид", " доставят", " застрял", " едет",
		" не пришел", " не пришла", " не пришло", " еще не приш",
		"도착", "언제 와", "언제 오", "언제와", "언제오", "오나요", "올까요", "안 왔", "안왔", "못오", "못 오", "걱정",
		// Whether it comes by a time ("will it come this week?", "이번주
		// 안에 와요?", "¿lo tendré para el viernes?", "будет до субботы?").
		" come this week", " come by ", " come before ", " will it come", " will they come", " it come ", " make it by", " in time for",
		" estara para", " lo tendre", " la tendre", " los tendre", " las tendre",
		" будет до ", " будет к ", " будет на этой неделе", " получу до ", " получу к ", " получу ли",
		" 와요", " 오죠", " 오겠죠", " 올까", " 오려나", "까지 와", "안에 와", "전에 와", "내로 와", "안에 받", "까지 받", " 받을 수 있",
		// Needing it by a day: "그전에 받아야 돼요", "need it before friday".
		"전에 받아야", "전에는 받아야", "까지는 받아야", " need it before", " need it by", " necesito antes", " lo necesito para", " нужно до", " надо получить до",
	}
)

// notComingCues suppose the parcel does not come or move, folded as
// cueText writes a message; nextStepCues ask what to do then.
var (
	notComingCues = []string{
		" dont move", " don t move", " doesnt move", " doesn t move", " not move", " dont come", " don t come", " doesnt come",
		" doesn t come", " not come", " dont arrive", " don t arrive", " doesnt arrive", " doesn t arrive", " not arrive", " never comes",
		" no llega", " no llegan", " no se mueve", " no se mueven", " no ha llegado", " no aparece",
		" не придет", " не придут", " не приедет", " не приедут", " не дойдет", " не дойдут", " не сдвинется", " не привезут",
		"안 오면", "안오면", "안 와요 그럼", "못 받으면", "도착 안 하면", "도착하지 않으면", "안 움직이면",
	}
	nextStepCues = []string{
		" then what", " what then", " what do i do", " what should i do", " what can i do", " what happens",
		" que hago", " que puedo hacer", " que pasa", " y entonces", " entonces que",
		" то что", " что тогда", " что делать", " что мне делать", " тогда что", " а дальше",
		"어떻게 해", "어떡해", "어떻게 하", "어떻게 돼", "어떻게 되",
	}
)

// deliveryFact returns what text asks about the delivery of an order. The
// cues are looked for in the text as written and, for Russian typed in
// Latin letters ("kogda otpravyat"), in Cyrillic.
func deliveryFact(text string) orderFact {
	t := cueText(text)
	if c := nlu.Cyrillic(text); c != text {
		t += cueText(c)
	}
	switch {
	case (containsAny(t, ifCues) || strings.Contains(t, "면")) && containsAny(t, notComingCues) && containsAny(t, nextStepCues):
		// "if they dont move by friday what do i do then", "а если
		// через неделю не придут то что": what to do if the parcel
		// does not come is the delay's answer, with the day an
		// item-not-received dispute opens, not the shipping date again.
		return factDelay
	case containsAny(t, shippingCues):
		return factShipping
	case containsAny(t, trackingCues):
		return factTracking
	case containsAny(t, delayCues):
		return factDelay
	case containsAny(t, arrivalCues):
		return factArrival
	}
	return noFact
}

// orderFollowUp reads the buyer's message, right after the model looked an
// order up, as a question about that order's delivery when it is one (see
// above). It also keeps the message's own reading for afterDropped.
func (d *dialogue) orderFollowUp(cur nlu.Result) {
	d.cur = cur
	if d.carried || d.lastOrder == "" || d.otherOrder {
		return
	}
	_, looked := d.looked[d.lastOrder]
	if d.served != nlu.OrderStatus && d.served != nlu.DeliveryProblem && !looked {
		return
	}
	s := cur.Slots
	// A problem with the goods is no question about their delivery; but
	// goods the buyer has not received yet can have none, and a worry
	// read as one ("переживаю, что не успеет") is about the delivery.
	problem := s.Reason != "" && s.Reason != nlu.ReasonNotReceived
	if o, ok := d.looked[d.lastOrder]; ok && o.DeliveredAt == nil {
		problem = false
	}
	if (s.OrderID != "" && s.OrderID != d.lastOrder) || (d.slots.OrderID != "" && d.slots.OrderID != d.lastOrder) ||
		s.RefundID != "" || s.DisputeID != "" || s.Amount != nil || problem {
		return
	}
	// "If it doesn't come in time, can I cancel it and get my money
	// back?" names the delivery only as the condition: it asks about
	// cancelling (ownrule.go answers it for this order).
	if (nlu.Consequential(cur.Intent) && cur.Confidence >= nlu.ActionThreshold) || (cur.Intent == nlu.HumanAgent && cur.Confidence >= minConfidence) ||
		otherRef(d.text) || nlu.Withdraws(d.text) || asksCancelling(d.text) {
		return
	}
	d.fact = deliveryFact(d.text)
	if d.fact == noFact && cur.Confidence < minConfidence && hurries(d.text) {
		// "voy en el metro xfa rapido" right after the lookup: the buyer
		// wants the one fact that matters, when it comes (hurry.go).
		d.fact = factArrival
	}
	if len(nlu.ItemTerms(d.text)) > 0 && !d.namesGoodsOf(d.lastOrder) {
		// "And the one from last week? The jacket. I thought it would be
		// here by now": goods the order looked up does not hold are
		// another order's, found among the buyer's orders by its goods
		// (serve lists them; afterList picks it), and asked after the
		// same way. Goods of an order not looked up say nothing.
		if looked && (d.fact != noFact || d.served == nlu.OrderStatus || d.served == nlu.DeliveryProblem) {
			d.intent, d.conf, d.carried = nlu.OrderStatus, 1, true
			d.slots.OrderID = ""
			return
		}
		d.fact = noFact
		return
	}
	if d.fact == noFact {
		return
	}
	d.intent, d.conf, d.carried = nlu.OrderStatus, 1, true
	d.slots.OrderID = d.lastOrder
}

// delayReply answers whether the wait for a parcel on its way is normal
// from its tracking: where to follow it, and the day from which an
// item-not-received dispute is possible (or, once that day has passed,
// until when).
func (d *dialogue) delayReply(data json.RawMessage) agent.Message {
	var s tools.Shipment
	if json.Unmarshal(data, &s) != nil {
		return d.say("tool_failed")
	}
	if s.DeliveredAt != nil || s.NotReceivedFrom == nil || s.Status != "in_transit" {
		return d.shipmentReply(data)
	}
	return d.say("arrival_wait", s.OrderID, d.day(s.ShippedAt), s.Carrier, s.TrackingNumber, d.day(*s.NotReceivedFrom))
}

// namesGoodsOf reports whether the goods the buyer's message names are in
// order, as get_order showed it before this message.
func (d *dialogue) namesGoodsOf(order string) bool {
	o, ok := d.looked[order]
	if !ok {
		return false
	}
	names := make([]string, len(o.Items))
	for i, it := range o.Items {
		names[i] = it.Name
	}
	return nlu.ItemScore(d.text, strings.Join(names, ", ")) > 0
}

// arrivalReply answers what the buyer asked about the order from its
// record (d.fact): when it arrives (shipped when and with whom and its
// tracking number, or not shipped yet, and no promise of a day); whether
// it has shipped, its tracking number or whether the wait is normal, for
// an order not shipped yet (not yet, so no tracking number, and the next
// step: the seller, or cancelling while it has not shipped); whether the
// wait is normal for one on its way (its tracking number, and from when
// an item-not-received dispute is possible). A delivered order is simply
// said to be delivered.
func (d *dialogue) arrivalReply(data json.RawMessage) agent.Message {
	var o tools.Order
	if json.Unmarshal(data, &o) != nil {
		return d.say("tool_failed")
	}
	unshipped := (o.Status == "paid" || o.Status == "pending") && o.ShippedAt == nil
	switch {
	case d.fact == factProblem:
		return d.problemReply(data) // ownproblem.go
	case d.fact == factNoNumber || d.fact == factNamed:
		return d.foundReply(data)
	case unshipped && (d.fact == factShipping || d.fact == factTracking || d.fact == factDelay):
		return d.say("ship_not_yet", o.ID, itemList(o), d.day(o.PlacedAt), o.ShopName)
	case d.fact == factDelay && o.Status == "shipped" && d.has("track_shipment") && !d.calledThisTurn("track_shipment"):
		// Whether the wait is normal is told by the parcel's tracking:
		// from when it counts as not received (delayReply).
		return call("track_shipment", map[string]string{"order_id": o.ID})
	case d.fact != factArrival:
		return d.orderReply(data)
	case o.Status == "shipped" && o.ShippedAt != nil && o.TrackingNumber != "":
		return d.say("arrival_shipped", o.ID, d.day(*o.ShippedAt), o.Carrier, o.TrackingNumber)
	case (o.Status == "paid" || o.Status == "pending") && o.PaidAt != nil:
		return d.say("arrival_not_shipped", o.ID, d.day(*o.PaidAt))
	}
	return d.orderReply(data)
}

// itemList names an order's goods for a reply: "Trail hiking boots",
// "Wool scarf, Electric samovar".
func itemList(o tools.Order) string {
	names := make([]string, len(o.Items))
	for i, it := range o.Items {
		names[i] = it.Name
	}
	return strings.Join(names, ", ")
}
