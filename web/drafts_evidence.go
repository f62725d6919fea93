package web

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/csagent/csagent/tools"
)

// orderEvidence is what a checker holds the drafts about o to: the
// get_shop_order result (raw) as it reads any tool result — the order's
// state, its refunds and disputes by id and status —, the days of o's
// policy windows (describeShopOrder) and their lengths (windowRules), and,
// for an order with money
// refunded, how long a refund takes to arrive (tools.RefundBusinessDays),
// which the drafts tell the buyer. Before, the evidence was one line of
// the order's own dates and totals: "So far ₩23,000 has been refunded",
// "There is an open dispute on it (DSP-…)" and the refund's timing were
// cut from the drafts as unsupported.
func orderEvidence(o tools.ShopOrder, raw json.RawMessage) []string {
	out := []string{string(raw), describeShopOrder(o)}
	out = append(out, windowRules(o)...)
	if o.Refunded.Minor > 0 {
		out = append(out, fmt.Sprintf("Approved refunds reach the original payment method within %d business days.", tools.RefundBusinessDays))
	}
	return out
}

// describeShopOrder is the evidence a checker holds a draft about o to: the
// order's own facts, and the days its policy windows open and close. The
// drafts state those days ("you can request a refund in this chat until
// December 19"), computed from the order's dates and the windows the tools
// enforce (tools/policy.go); without them in the evidence the guardrails
// took each for an invented date and cut the very step the drafts exist to
// give, with its gloss.
func describeShopOrder(o tools.ShopOrder) string {
	var b strings.Builder
	b.WriteString(o.ID + " " + o.Status + " total " + o.Total.String() + " refunded " + o.Refunded.String())
	day := func(what string, at *time.Time) {
		if at != nil {
			b.WriteString(" " + what + " " + at.UTC().Format(time.DateOnly))
		}
	}
	for _, t := range []struct {
		what string
		at   *time.Time
	}{{"placed", &o.PlacedAt}, {"shipped", o.ShippedAt}, {"delivered", o.DeliveredAt}, {"cancelled", o.CancelledAt}} {
		day(t.what, t.at)
	}
	if o.Carrier != "" {
		b.WriteString(" carrier " + o.Carrier + " tracking " + o.TrackingNumber)
	}
	for _, w := range orderWindows(o) {
		day(w.what, &w.at)
	}
	return b.String()
}

// window is a day one of the policy's windows opens or closes on an order.
type window struct {
	what string
	at   time.Time
}

// orderWindows returns the days o's policy windows open and close: an
// "item not received" dispute from NotReceivedAfter to DisputeWindow after
// shipping, while the order is on its way; a refund until RefundWindow and
// a dispute until DisputeWindow after delivery.
func orderWindows(o tools.ShopOrder) []window {
	var out []window
	if o.Status == "shipped" && o.ShippedAt != nil {
		out = append(out,
			window{"not received dispute from", o.ShippedAt.Add(tools.NotReceivedAfter)},
			window{"not received dispute until", o.ShippedAt.Add(tools.DisputeWindow)})
	}
	if o.Status == "delivered" && o.DeliveredAt != nil {
		out = append(out,
			window{"refund until", o.DeliveredAt.Add(tools.RefundWindow)},
			window{"dispute until", o.DeliveredAt.Add(tools.DisputeWindow)})
	}
	return out
}

// windowRules states the lengths of the windows that apply to o, each of
// its own topic, from the numbers the tools enforce (tools/policy.go): the
// drafts say "The 30-day refund window ended on …, so the way forward is a
// dispute", and the policy passage found for the step (the dispute's own
// rule) does not give the refund window's 30 days, so the guardrails cut
// the step as an unsupported duration.
func windowRules(o tools.ShopOrder) []string {
	days := func(d time.Duration) int { return int(d / (24 * time.Hour)) }
	switch o.Status {
	case "shipped":
		return []string{fmt.Sprintf("An item not received dispute can be opened from %d days after shipping until %d days after shipping.",
			days(tools.NotReceivedAfter), days(tools.DisputeWindow))}
	case "delivered":
		return []string{
			fmt.Sprintf("A refund can be requested within %d days of delivery (the %d-day refund window).", days(tools.RefundWindow), days(tools.RefundWindow)),
			fmt.Sprintf("A dispute can be opened within %d days of delivery.", days(tools.DisputeWindow)),
		}
	}
	return nil
}
