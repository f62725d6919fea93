package local

import (
	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// A cancellation that names goods: "cancel the socks order 10022" names
// the order by what it holds, while "cancel one of the two jars from
// 10109" asks to drop part of it, which no tool does. Which of the two it
// is depends on the order, so the order is looked up first: that also
// grounds the reply that names it.

// cancelPart serves a cancellation of order that names goods of it: the
// cancellation when the goods named are all the order holds, else why
// only a whole order can be cancelled.
func (d *dialogue) cancelPart(order string) agent.Message {
	o, ok := d.turnOrder(normOrder(order))
	if !ok {
		if d.has("get_order") && !d.called("get_order", -1) {
			return call("get_order", map[string]string{"order_id": order})
		}
		return d.say("cancel_whole_only", order)
	}
	if d.namesWholeOrder(o) || d.namesOtherGoods(o) {
		return call("cancel_order", map[string]string{"order_id": o.ID})
	}
	return d.say("cancel_whole_only", o.ID)
}

// fewerPieces reports whether the number of pieces the buyer names
// leaves some of order o out: "one lantern" of an order of one lantern
// is all of it, "one of the two jackets" is not.
func fewerPieces(s nlu.Slots, o tools.Order) bool {
	if s.ItemQuantity == 0 {
		return false
	}
	return len(o.Items) != 1 || o.Items[0].Quantity > s.ItemQuantity
}

// namesWholeOrder reports whether the buyer's words name all of order o:
// every line is goods they named, and they restricted nothing (no "only",
// no position, no number of pieces, nothing kept).
func (d *dialogue) namesWholeOrder(o tools.Order) bool {
	s := d.slots
	if s.Only || s.ItemPosition > 0 || fewerPieces(s, o) || d.keepsGoods() || len(o.Items) == 0 {
		return false
	}
	for _, it := range o.Items {
		if nlu.ItemScore(d.text, it.Name) == 0 {
			return false
		}
	}
	return true
}
