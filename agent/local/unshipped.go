package local

import (
	"fmt"
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// A buyer asking after an order that is paid but not shipped yet ("and the
// other one?", "¿y el otro?", "а второй?") wants to know where it stands
// and what they can still do about it: the status alone ("being prepared")
// leaves out what the order holds, what it cost and the one step that is
// open only now, cancelling before it ships for the full amount. The reply
// adds those, from the order's record; nothing is proposed, so a buyer who
// only asked is not handed a card.

// paidReply is the status of paid order o, which has not shipped: when it
// was paid, that it is being prepared, its goods and total, and that it can
// still be cancelled while it has not shipped.
func (d *dialogue) paidReply(o tools.Order) agent.Message {
	msg := d.say("order_paid", o.ID, o.ShopName, d.day(*o.PaidAt))
	if len(o.Items) == 0 || o.Total.Minor <= 0 || o.ShippedAt != nil {
		return msg
	}
	msg.Content += " " + orderLine(d.locale, "paid_next", itemQuantities(o), money(d.locale, o.Total))
	return msg
}

// itemQuantities names an order's goods with how many of each were
// bought: "Merino wool socks (3 pack) ×2, Trail hiking boots ×1".
func itemQuantities(o tools.Order) string {
	names := make([]string, len(o.Items))
	for i, it := range o.Items {
		names[i] = fmt.Sprintf("%s ×%d", it.Name, it.Quantity)
	}
	return strings.Join(names, ", ")
}
