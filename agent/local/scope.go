package local

import (
	"encoding/json"
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// offerKeys are the replies that end by offering to connect the buyer with
// a person; a yes to any of them is a request for one.
var offerKeys = []string{
	"cannot_help", "offer_human", "no_policy_search", "policy_none", "limit_reached",
	"oos_account", "oos_invoice", "oos_payment_method", "oos_address", "oos_newsletter",
	"oos_review", "oos_rewards", "oos_selling", "not_helped",
}

// offersHuman reports whether msg is one of the model's replies that
// offered a person. The model's replies are its templates verbatim, so
// comparing with them in every language is exact.
func offersHuman(msg agent.Message) bool {
	if msg.Role != agent.RoleAssistant || msg.Content == "" {
		return false
	}
	for _, set := range templates {
		for _, k := range offerKeys {
			if msg.Content == set[k] {
				return true
			}
		}
		// A reply repeated with an offer of a person (unrepeated).
		if strings.HasSuffix(msg.Content, " "+set["repeat_offer"]) {
			return true
		}
	}
	return false
}

// outOfScope answers a request the tools cannot serve: for the common
// platform requests (account, invoices, payment methods, addresses,
// newsletters, reviews, points, selling) with what the buyer can do
// instead, for anything else with what the model can do.
func (d *dialogue) outOfScope() agent.Message {
	if msg, ok := d.addressLookup(); ok {
		// Why this order's address cannot change (tworequests.go).
		return msg
	}
	if t := nlu.PlatformTopic(d.text); t != "" {
		return d.say("oos_" + string(t))
	}
	return d.say("out_of_scope")
}

// clarifyAction asks the buyer whether they want the consequential action
// the model is unsure of, or are asking about the policy behind it. It
// never proposes the action itself.
func (d *dialogue) clarifyAction(order string) agent.Message {
	kind := map[nlu.Intent]string{nlu.RefundRequest: "refund", nlu.CancelOrder: "cancel", nlu.OpenDispute: "dispute"}[d.intent]
	if order != "" {
		return d.say("clarify_"+kind+"_order", order)
	}
	return d.say("clarify_" + kind)
}

// refundReasonFor is the reason of a refund of order: the one this
// message gives, or else the problem the buyer described before.
func (d *dialogue) refundReasonFor(order string) string {
	if d.slots.Reason != "" {
		return d.slots.Reason
	}
	return d.statedReason(order)
}

// itemLevel reports whether the buyer's request concerns part of an order
// rather than all of it: an item by position, a quantity, or an item named
// together with "only" or with the order's number ("remove the bottle
// from 10071").
func (d *dialogue) itemLevel() bool {
	s := d.slots
	if s.ItemPosition > 0 || s.ItemQuantity > 0 {
		return true
	}
	return len(nlu.ItemTerms(d.goodsWords())) > 0 && (s.Only || s.OrderID != "" || d.refundOfGoodsNamed()) || d.keepsGoods() || d.earlierPiece() ||
		d.piecesTold() // pieces.go
}

// itemRefund requests a refund of the one item of order data the buyer
// singled out, by position or by name, and of as many pieces as they said
// (all that are left, by default). The order came from get_order, which
// only returns the buyer's own orders, so another buyer's items are never
// matched. When no single item fits, it asks which one.
func (d *dialogue) itemRefund(data json.RawMessage) agent.Message {
	var o tools.Order
	if json.Unmarshal(data, &o) != nil || o.ID == "" || len(o.Items) == 0 {
		return d.say("tool_failed")
	}
	k := -1
	if p := d.slots.ItemPosition; p > 0 && p <= len(o.Items) {
		k = p - 1
	} else {
		lines, ok, conflict := d.refundLines(o)
		switch {
		case ok && len(lines) == 1:
			k = lines[0]
		case ok:
			// Everything but what the buyer keeps.
			d.slots.Reason = d.refundReasonFor(o.ID)
			return call("request_refund", map[string]any{
				"order_id": o.ID,
				"reason":   refundReason(d.slots.Reason),
				"items":    d.refundItemsArg(o, lines),
			})
		case conflict:
			// The buyer keeps part of the order, and which part is
			// unclear: ask which, never refund what they keep.
			d.slots.Only = true
		}
	}
	if k < 0 {
		k = d.pieceLine(o) // refunditems.go
	}
	if k < 0 && d.slots.ItemPosition == 0 {
		k = d.pieceLineInTalk(o) // pieces.go
	}
	if k < 0 && !d.slots.Only && d.slots.ItemPosition == 0 && d.slots.ItemQuantity == 0 {
		// The buyer named the item in their own words ("the box", "the
		// teapot") and none of the order's lines fits them, nor did they
		// restrict the refund to part of the order: words that point at
		// no line say no more than no words at all, and a complaint about
		// the order asks for the order's refund. The card lists its items
		// and amount for the buyer to confirm.
		return call("request_refund", map[string]any{"order_id": o.ID, "reason": refundReason(d.refundReasonFor(o.ID))})
	}
	if k < 0 {
		var b strings.Builder
		for i, it := range o.Items {
			b.WriteString("\n- " + render(d.locale, "item_line", i+1, it.Name, it.Quantity))
		}
		return d.say("pick_item", o.ID, b.String())
	}
	d.slots.Reason = d.refundReasonFor(o.ID)
	it := o.Items[k]
	qty := d.piecesMeant(o, k) // refunditems.go
	if qty <= 0 {
		return d.say("already_refunded")
	}
	return call("request_refund", map[string]any{
		"order_id": o.ID,
		"reason":   refundReason(d.slots.Reason),
		"items":    []map[string]int{{"line": it.Line, "quantity": qty}},
	})
}
