package local

import (
	"strconv"
	"strings"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// "How many days do I have to return it? the jacket is kinda big" from a
// buyer whose order is still inside its window asks the rule, and behind
// it what they can do with their own order: the answer gives the days and
// the order's last day (deadline.go), then what that order would get back
// and whether to prepare it. The yes is the request it offers
// (questionanswer.go), and its card still asks the buyer to confirm. The
// offer is made only when what it would refund is plain: the order's
// refundable lines all, or its one line the buyer named; an order of
// several lines of which the buyer named one is left to the buyer's
// request, so the amount offered is the amount the card would show.

// windowOfferLines is the amount and the question that offer the refund
// of the order a window answer is about, "" when there is nothing to
// offer: the window closed or not started, nothing left to refund, an
// action already waiting, or the buyer naming one line of several.
func (d *dialogue) windowOfferLines() string {
	if !d.ownDeadline() || d.pendingCancel != nil || len(d.cards) > 0 {
		return ""
	}
	for _, r := range d.results {
		if r.name != "get_order" || !r.result.OK {
			continue
		}
		o, ok := d.turnOrder(orderIDIn(r.args))
		if !ok || o.Status != "delivered" || o.RefundUntil == nil || time.Now().After(*o.RefundUntil) {
			return ""
		}
		amount, items, ok := offeredRefund(o, d.text)
		if !ok {
			return ""
		}
		return render(d.locale, "window_refund_amount", o.ID, money(d.locale, amount), items) + " " +
			render(d.locale, "window_refund_ask", o.ID)
	}
	return ""
}

// offeredRefund is what a refund of o would return and the lines it
// covers ("Waterproof rain jacket ×1"), for a buyer who wrote text: all
// the refundable lines not yet refunded. ok is false when nothing is left
// to refund, or when text names one line of several, whose refund the
// buyer asks for in their own words.
func offeredRefund(o tools.Order, text string) (tools.Money, string, bool) {
	var lines []tools.Item
	for _, it := range o.Items {
		if it.Refundable && it.Quantity > it.RefundedQuantity {
			lines = append(lines, it)
		}
	}
	if len(lines) == 0 {
		return tools.Money{}, "", false
	}
	if len(lines) > 1 {
		for _, it := range lines {
			if nlu.ItemScore(text, it.Name) > 0 {
				return tools.Money{}, "", false
			}
		}
	}
	total := tools.Money{Currency: lines[0].UnitPrice.Currency}
	var names []string
	for _, it := range lines {
		n := it.Quantity - it.RefundedQuantity
		total.Minor += it.UnitPrice.Minor * int64(n)
		names = append(names, it.Name+" ×"+strconv.Itoa(n))
	}
	if o.Total.Minor > 0 && total.Minor > o.Total.Minor-o.Refunded.Minor {
		// Refunds not by item (a partial amount) count against the
		// order: never offer more than is left of it.
		total.Minor = o.Total.Minor - o.Refunded.Minor
	}
	if total.Minor <= 0 {
		return tools.Money{}, "", false
	}
	return total, strings.Join(names, ", "), true
}

// withWindowOffer adds the refund offer (windowOfferLines) to msg, a
// policy answer that gave the order's last day.
func (d *dialogue) withWindowOffer(msg agent.Message) agent.Message {
	if line := d.windowOfferLines(); line != "" && msg.Content != "" && len(msg.ToolCalls) == 0 && d.ownDeadlineLine() != "" {
		msg.Content = strings.TrimRight(msg.Content, "\n ") + " " + line
	}
	return msg
}
