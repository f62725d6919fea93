package local

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/l10n"
)

// Every reply below states only what the tool result in front of it says:
// ids, amounts, dates and states are copied, never computed or promised.

// day writes a date of a tool result the way the buyer's language writes
// dates ("November 27, 2026", "2026년 11월 27일").
func (d *dialogue) day(t time.Time) string { return l10n.Date(d.locale, t) }

// money writes an amount of a tool result the way locale writes it, with
// the currency's own minor units ("₩286,000", "136,40 €").
func money(locale string, m tools.Money) string { return l10n.Money(locale, m.Minor, m.Currency) }

func (d *dialogue) orderReply(data json.RawMessage) agent.Message {
	var o tools.Order
	if json.Unmarshal(data, &o) != nil {
		return d.say("tool_failed")
	}
	switch {
	case o.Status == "pending":
		return d.say("order_pending", o.ID, o.ShopName, d.day(o.PlacedAt))
	case o.Status == "paid" && o.PaidAt != nil:
		return d.paidReply(o) // unshipped.go
	case o.Status == "shipped" && o.ShippedAt != nil:
		return d.say("order_shipped", o.ID, o.ShopName, d.day(*o.ShippedAt), o.Carrier, o.TrackingNumber)
	case o.Status == "delivered" && o.DeliveredAt != nil:
		return d.deliveredReply(o) // otherorder.go
	case o.Status == "cancelled" && o.CancelledAt != nil:
		msg := d.say("order_cancelled", o.ID, d.day(*o.CancelledAt))
		if o.Refunded.Minor > 0 {
			msg.Content += " " + render(d.locale, "order_refunded", money(d.locale, o.Refunded))
		}
		return msg
	}
	return d.say("tool_failed")
}

func (d *dialogue) shipmentReply(data json.RawMessage) agent.Message {
	var s tools.Shipment
	if json.Unmarshal(data, &s) != nil {
		return d.say("tool_failed")
	}
	if s.DeliveredAt != nil {
		return d.doubted(d.say("shipment_delivered", s.OrderID, s.Carrier, s.TrackingNumber, d.day(*s.DeliveredAt))) // otherorder.go
	}
	msg := d.say("shipment_in_transit", s.OrderID, d.day(s.ShippedAt), s.Carrier, s.TrackingNumber)
	if s.Status == "delayed" && s.NotReceivedUntil != nil {
		msg.Content += " " + render(d.locale, "shipment_delayed", d.day(*s.NotReceivedUntil))
	}
	return msg
}

func (d *dialogue) refundReply(data json.RawMessage) agent.Message {
	var r tools.Refund
	if json.Unmarshal(data, &r) != nil || r.ID == "" {
		return d.say("tool_failed")
	}
	msg := d.say("refund_done", r.ID, money(d.locale, r.Amount), r.OrderID, localStatus(d.locale, r.Status))
	if len(r.Items) > 1 {
		// A refund of several lines says what each came to, as its card
		// did, so the buyer can check every amount.
		msg.Content += " " + render(d.locale, "refund_done_items", itemsWithAmounts(d.locale, r.Items))
	}
	return msg
}

func (d *dialogue) refundStatusReply(data json.RawMessage) agent.Message {
	var list tools.RefundList
	if json.Unmarshal(data, &list) == nil && list.OrderID != "" {
		if len(list.Refunds) == 0 {
			return d.say("no_refunds", list.OrderID)
		}
		var b strings.Builder
		for _, r := range list.Refunds {
			b.WriteString("\n- " + render(d.locale, "refund_line", r.ID, money(d.locale, r.Amount), localStatus(d.locale, r.Status), d.day(r.CreatedAt)))
		}
		return d.say("refund_status", list.OrderID, b.String())
	}
	var r tools.Refund
	if json.Unmarshal(data, &r) != nil || r.ID == "" {
		return d.say("tool_failed")
	}
	return d.say("refund_status", r.OrderID, "\n- "+render(d.locale, "refund_line", r.ID, money(d.locale, r.Amount), localStatus(d.locale, r.Status), d.day(r.CreatedAt)))
}

func (d *dialogue) disputeReply(data json.RawMessage, opened bool) agent.Message {
	var list tools.DisputeList
	if json.Unmarshal(data, &list) == nil && list.OrderID != "" && list.Disputes != nil {
		if len(list.Disputes) == 0 {
			return d.say("no_disputes", list.OrderID)
		}
		data, _ = json.Marshal(list.Disputes[0])
	}
	var x tools.Dispute
	if json.Unmarshal(data, &x) != nil || x.ID == "" {
		return d.say("tool_failed")
	}
	if opened {
		return d.say("dispute_opened", x.ID, x.OrderID, d.day(x.SellerRespondBy), d.day(x.DecideBy))
	}
	return d.say("dispute_status", x.ID, x.OrderID, localStatus(d.locale, x.Status), d.day(x.DecideBy))
}

func (d *dialogue) cancelReply(data json.RawMessage) agent.Message {
	var c tools.Cancellation
	if json.Unmarshal(data, &c) != nil || c.OrderID == "" {
		return d.say("tool_failed")
	}
	msg := d.say("cancel_done", c.OrderID)
	if c.Refund != nil {
		msg.Content += " " + render(d.locale, "cancel_refunded", money(d.locale, c.Refund.Amount))
	}
	return msg
}

// summarize is the buyer-facing description of a pending action, from the
// tool's structured preview, in the buyer's language.
func summarize(locale, tool string, details json.RawMessage) string {
	var p tools.ActionPreview
	if json.Unmarshal(details, &p) != nil || p.OrderID == "" {
		return render(locale, "sum_generic", tool)
	}
	var s string
	switch p.Action {
	case "refund":
		amount := ""
		if p.Amount != nil {
			amount = money(locale, *p.Amount)
		}
		s = render(locale, "sum_refund", amount, p.OrderID)
	case "cancel":
		s = render(locale, "sum_cancel", p.OrderID)
		if p.Amount != nil && p.Amount.Minor > 0 {
			s += render(locale, "sum_cancel_refund", money(locale, *p.Amount))
		}
	case "dispute":
		s = render(locale, "sum_dispute", p.OrderID, localReason(locale, p.Reason))
	default:
		return render(locale, "sum_generic", tool)
	}
	if len(p.Items) > 0 {
		names := make([]string, len(p.Items))
		for i, it := range p.Items {
			names[i] = fmt.Sprintf("%s ×%d", it.Name, it.Quantity)
			if it.Amount != nil {
				// Each line with its money, so a partial refund shows
				// what the total is made of.
				names[i] += ": " + money(locale, *it.Amount)
			}
		}
		s += " (" + strings.Join(names, ", ") + ")"
	}
	if p.Less != nil && p.Less.Minor > 0 {
		// The lines come to more than the amount: say what was paid back
		// before, or the card's items and total would not add up.
		s += render(locale, "sum_less", money(locale, *p.Less))
	}
	if len(p.Kept) > 0 {
		kept := make([]string, len(p.Kept))
		for i, it := range p.Kept {
			kept[i] = it.Name
			if splitLine(p.Items, it.Line) {
				// The pieces of a line bought several times that stay
				// with the buyer, counted beside those refunded.
				kept[i] = fmt.Sprintf("%s ×%d", it.Name, it.Quantity)
			}
		}
		s += render(locale, "sum_not_included", strings.Join(kept, ", "))
	}
	return s
}

// Summaries describes pending actions in the buyer's language; the agent
// shows them in confirmation requests whichever brain proposed the action.
type Summaries struct{}

// Summary describes a pending action of tool in locale from its preview.
func (Summaries) Summary(locale, tool string, details json.RawMessage) string {
	return summarize(locale, tool, details)
}

// pickOrder returns the one order whose items the text describes ("the
// kettle order"), among the buyer's own orders as list_orders returned
// them; none or a tie is no pick.
func pickOrder(text string, orders []tools.OrderRow) (string, bool) {
	best, bestScore, tie := "", 0, false
	for _, o := range orders {
		score := nlu.ItemScore(text, o.Items)
		switch {
		case score > bestScore:
			best, bestScore, tie = o.ID, score, false
		case score == bestScore && score > 0:
			tie = true
		}
	}
	return best, bestScore > 0 && !tie
}
