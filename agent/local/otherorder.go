package local

import (
	"encoding/json"
	"slices"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// The order under discussion moves when the buyer points at another one
// by when it was bought or by its goods, inside a longer message:
// "fine. what about the one from last week, the lantern refund?", "Ay qué
// bien. ¿Y lo que pedí la semana pasada?", "Ладно. А тот, что на прошлой
// неделе был?". The clause that points is read, so a thanks or an "ok"
// before it does not hide it; the order is another than the one
// discussed (afterList leaves that one out), and what the message asks of
// it is answered: its status, or, for money back asked after, its
// refunds. A refund asked after by its goods ("деньги за валенки
// вернули?") is looked up on the order holding them, and an approved
// refund's reply says when the money reaches the card, and that a person
// can help when it has not. A delivered order the buyer doubts ("I don't
// remember signing", "I want proof") gets the next step with its status:
// an item-not-received dispute, or a person.

// asksAfterEarlier reports whether text has a clause that places an order
// in time and continues the conversation ("and the one from last week?",
// "근데 저번주에 order한 거는요?"): an order besides the one discussed.
func asksAfterEarlier(text string) bool {
	clause := refClause(text, func(c string) bool { return containsAny(cues(c), whenCues) })
	return containsAny(cues(clause), whenCues) && (continues(clause) || otherRef(clause))
}

// refundOfGoods reads a refund asked after by the goods it was for, not
// by a number: "what about the lantern refund? I see nothing", "деньги
// за валенки вернули. Докажите: когда и сколько?". It wins over a policy
// reading of the message (the refund is the buyer's own, asked after
// with confidence) and serves it as a lookup of the buyer's orders
// (afterList picks the one holding the goods).
func (d *dialogue) refundOfGoods(cur nlu.Result) {
	s := cur.Slots
	if cur.Intent != nlu.RefundStatus || cur.Confidence < nlu.ActionThreshold || s.OrderID != "" || s.RefundID != "" || s.DisputeID != "" ||
		d.carried || len(d.cards) > 0 || d.pendingCancel != nil || !d.has("list_orders") || containsAny(cues(d.text), ifCues) {
		return
	}
	if len(nlu.ItemTerms(d.text)) == 0 || (d.lastOrder != "" && d.namesGoodsOf(d.lastOrder)) {
		return
	}
	d.intent, d.conf, d.carried = nlu.RefundStatus, 1, true
	d.otherOrder = d.lastOrder != "" && asksAfterEarlier(d.text)
	d.slots.OrderID = ""
	d.refundGoods = true
}

// refundOrderCall is the lookup of the buyer's orders that finds the order
// a refund asked after by its goods is for (refundOfGoods).
func (d *dialogue) refundOrderCall() (agent.Message, bool) {
	if !d.refundGoods || d.intent != nlu.RefundStatus {
		return agent.Message{}, false
	}
	return call("list_orders", map[string]any{"limit": 20}), true
}

// pickRefundOrder picks, from the buyer's orders, the one holding the
// goods a refund is asked after by, and looks its refunds up.
func (d *dialogue) pickRefundOrder(orders []tools.OrderRow) (agent.Message, bool) {
	if !d.refundGoods || d.intent != nlu.RefundStatus || !d.has("get_refund_status") {
		return agent.Message{}, false
	}
	if d.otherOrder {
		if rest := d.undiscussed(orders); len(rest) > 0 {
			orders = rest
		}
	}
	id, ok := pickOrder(d.text, orders)
	if !ok {
		return agent.Message{}, false
	}
	return call("get_refund_status", map[string]string{"order_id": id}), true
}

// refundTiming says, after the refunds of an order, when an approved one
// reaches the buyer's payment method (the tool's expected day, counted in
// the policy's business days), and that a person can help if it has not
// by then; "" when no refund of the list waits to arrive.
func (d *dialogue) refundTiming(refunds []tools.Refund) string {
	i := slices.IndexFunc(refunds, func(r tools.Refund) bool { return r.Status == "approved" && r.ExpectedBy != nil })
	if i < 0 {
		return ""
	}
	r := refunds[i]
	return orderLine(d.locale, "refund_timing", tools.RefundBusinessDays, money(d.locale, r.Amount), d.day(*r.ExpectedBy))
}

// refundTimingOf is refundTiming for a get_refund_status result: a list of
// an order's refunds, or one refund.
func (d *dialogue) refundTimingOf(data json.RawMessage) string {
	var list tools.RefundList
	if json.Unmarshal(data, &list) == nil && list.OrderID != "" {
		return d.refundTiming(list.Refunds)
	}
	var r tools.Refund
	if json.Unmarshal(data, &r) != nil || r.ID == "" {
		return ""
	}
	return d.refundTiming([]tools.Refund{r})
}

// doubtCues say the buyer doubts a delivery they are told of, folded as
// cueText writes a message.
var doubtCues = []string{
	" proof", " prove ", " really delivered", " actually delivered", " don t trust", " dont trust", " never got", " didn t get",
	" didnt get", " never received", " didn t receive", " didnt receive", " didn t sign", " didnt sign", " never signed",
	" de verdad", " realmente", " prueba", " no lo he recibido", " no la he recibido", " no me ha llegado", " no recibi", " no firme",
	" точно доставили", " точно доставлен", " точно пришел", " докаж", " доказательств", " не помню чтобы", " расписыва",
	" не получал", " не получила", " не получили",
	"진짜 배송", "정말 배송", "받은 적", "못 받았", "증거", "서명",
}

// deliveredReply is the status of delivered order o, with the next step
// when the buyer doubts it arrived: the neighbours or the building's
// reception, then a person.
func (d *dialogue) deliveredReply(o tools.Order) agent.Message {
	return d.doubted(d.say("order_delivered", o.ID, o.ShopName, d.day(*o.DeliveredAt)))
}

// doubted adds to msg, the reply that an order was delivered, the next
// step for a buyer who doubts it arrived ("I want proof", "не помню,
// чтобы расписывалась") or reports it missing (a delivery problem with no
// fault of the goods: "shows as delivered but nothing arrived"): the
// shipping policy's step, then a person.
func (d *dialogue) doubted(msg agent.Message) agent.Message {
	missing := d.intent == nlu.DeliveryProblem && (d.slots.Reason == "" || d.slots.Reason == nlu.ReasonNotReceived)
	if (missing || containsAny(cues(d.text), doubtCues)) && msg.Content != "" {
		msg.Content += " " + orderLine(d.locale, "delivered_doubt")
	}
	return msg
}

// withRefundTiming adds refundTiming to msg, the reply to a
// get_refund_status result data.
func (d *dialogue) withRefundTiming(msg agent.Message, data json.RawMessage) agent.Message {
	if t := d.refundTimingOf(data); t != "" && msg.Content != "" && len(msg.ToolCalls) == 0 {
		// On a line of its own: the reply before it ends with a list.
		msg.Content += "\n" + t
	}
	return msg
}
