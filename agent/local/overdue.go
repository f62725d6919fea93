package local

import (
	"encoding/json"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// A buyer who asks where a parcel is, or says it never came, when it
// shipped more than tools.NotReceivedAfter ago and was never delivered,
// is told it can now be reported as not received, with the rule (from 15
// days after shipping, until the dispute window closes), and is offered
// the item-not-received dispute as a card to confirm. Before, the reply
// gave the tracking number again (and in Korean not even the rule), and
// the buyer had to ask for the dispute in a second message.

// overdueShipment returns the order and shipping day of this turn's last
// lookup when it is of a parcel overdue: shipped, not delivered, past
// NotReceivedAfter and within the dispute window.
func (d *dialogue) overdueShipment(last toolOutcome, now time.Time) (order string, shipped time.Time, ok bool) {
	if !last.result.OK {
		return "", time.Time{}, false
	}
	switch last.name {
	case "track_shipment":
		var s tools.Shipment
		if json.Unmarshal(last.result.Data, &s) != nil || s.Status != "delayed" || s.DeliveredAt != nil {
			return "", time.Time{}, false
		}
		order, shipped = s.OrderID, s.ShippedAt
	case "get_order":
		var o tools.Order
		if json.Unmarshal(last.result.Data, &o) != nil || o.Status != "shipped" || o.ShippedAt == nil || o.DeliveredAt != nil {
			return "", time.Time{}, false
		}
		order, shipped = o.ID, *o.ShippedAt
	default:
		return "", time.Time{}, false
	}
	if order == "" || now.Before(shipped.Add(tools.NotReceivedAfter)) || now.After(shipped.Add(tools.DisputeWindow)) {
		return "", time.Time{}, false
	}
	return order, shipped, true
}

// overdueOffer prepares the item-not-received dispute after a status or
// tracking lookup found the parcel overdue, and then answers with the
// parcel, the rule and the card. Only for a buyer asking where the order
// is or telling it has not come, with no card waiting.
func (d *dialogue) overdueOffer() (agent.Message, bool) {
	if d.intent != nlu.OrderStatus && d.intent != nlu.DeliveryProblem || len(d.results) == 0 {
		return agent.Message{}, false
	}
	last := d.results[len(d.results)-1]
	if last.name == "open_dispute" {
		return d.overdueCard(last)
	}
	order, _, ok := d.overdueShipment(last, time.Now())
	if !ok || len(d.cards) > 0 || !d.has("open_dispute") || d.calledThisTurn("open_dispute") {
		return agent.Message{}, false
	}
	if last.name == "get_order" && d.has("track_shipment") && !d.calledThisTurn("track_shipment") {
		// The parcel's record carries the dispute's days the reply
		// states (a reply states only dates its tools gave).
		return call("track_shipment", map[string]string{"order_id": order}), true
	}
	return call("open_dispute", map[string]any{"order_id": order, "reason": nlu.ReasonNotReceived,
		"description": "Reported through the support chat: the parcel has not arrived. " + d.text}), true
}

// overdueCard answers the dispute overdueOffer prepared: the parcel as the
// lookup told it, the rule, and the card. A dispute the tool refused is
// answered with the lookup alone, as before.
func (d *dialogue) overdueCard(last toolOutcome) (agent.Message, bool) {
	order := orderIDIn(last.args)
	var lookup *toolOutcome
	for i := len(d.results) - 2; i >= 0; i-- {
		if r := d.results[i]; (r.name == "track_shipment" || r.name == "get_order") && orderIDIn(r.args) == order {
			lookup = &d.results[i]
			break
		}
	}
	if lookup == nil {
		return agent.Message{}, false
	}
	_, shipped, ok := d.overdueShipment(*lookup, time.Now())
	if !ok {
		return agent.Message{}, false
	}
	if !last.result.PendingConfirmation {
		if lookup.name == "track_shipment" {
			return d.shipmentReply(lookup.result.Data), true
		}
		return d.orderReply(lookup.result.Data), true
	}
	var fact string
	if lookup.name == "track_shipment" {
		var s tools.Shipment
		_ = json.Unmarshal(lookup.result.Data, &s)
		fact = render(d.locale, "shipment_in_transit", s.OrderID, d.day(s.ShippedAt), s.Carrier, s.TrackingNumber)
	} else {
		var o tools.Order
		_ = json.Unmarshal(lookup.result.Data, &o)
		fact = render(d.locale, "order_shipped", o.ID, o.ShopName, d.day(*o.ShippedAt), o.Carrier, o.TrackingNumber)
	}
	days := int(tools.NotReceivedAfter.Hours() / 24)
	rule := render(d.locale, "overdue_not_received", days, d.day(shipped.Add(tools.NotReceivedAfter)), d.day(shipped.Add(tools.DisputeWindow)))
	msg := d.say("confirm_prompt", summarize(d.locale, last.name, last.result.Data))
	d.lastOrder = order
	msg.Content = fact + " " + rule + " " + msg.Content
	return msg, true
}
