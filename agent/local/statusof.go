package local

import (
	"slices"

	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// "Where's my dispute at? The seller never answered", "did my refund go
// through?" with no number and several orders it could be about: the
// one order that has a dispute (an active one first) or a refund is the
// one meant, as the buyer's list of orders shows it. Listing every
// delivered order for the buyer to pick from asks them what their own
// account already says.

// withStatusOf returns the order of orders that holds what a status
// question asks after (intent: a dispute's or a refund's status), when
// exactly one does: an active dispute before a closed one; ok is false
// when none or several do.
func withStatusOf(intent nlu.Intent, orders []tools.OrderRow) (string, bool) {
	var tiers [][]tools.OrderRow
	switch intent {
	case nlu.DisputeStatus:
		active := slices.DeleteFunc(slices.Clone(orders), func(o tools.OrderRow) bool { return o.Dispute != "open" && o.Dispute != "under_review" })
		some := slices.DeleteFunc(slices.Clone(orders), func(o tools.OrderRow) bool { return o.Dispute == "" })
		tiers = [][]tools.OrderRow{active, some}
	case nlu.RefundStatus:
		tiers = [][]tools.OrderRow{slices.DeleteFunc(slices.Clone(orders), func(o tools.OrderRow) bool { return o.Refunds == 0 })}
	}
	for _, t := range tiers {
		switch len(t) {
		case 0:
			continue
		case 1:
			return t[0].ID, true
		}
		return "", false
	}
	return "", false
}
