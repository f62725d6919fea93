package local

import (
	"regexp"
	"strings"

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
// cancellation when the goods named are all the order holds or are only
// in the reason told beside the request, else why only a whole order can
// be cancelled.
func (d *dialogue) cancelPart(order string) agent.Message {
	o, ok := d.turnOrder(normOrder(order))
	if !ok {
		if d.has("get_order") && !d.called("get_order", -1) {
			return call("get_order", map[string]string{"order_id": order})
		}
		return d.say("cancel_whole_only", order)
	}
	if d.namesWholeOrder(o) || d.namesOtherGoods(o) || d.reasonOnlyGoods(o) {
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

// reasonOnlyGoods reports whether the goods the buyer names are only in
// what they tell besides the request: "cancel order ORD-10151 please. I
// think my wife already bought the same jacket" asks for the whole order
// by its number, and the jacket is why. It holds when a clause asks for
// the cancellation naming none of o's goods, no clause that asks for it
// names any, and nothing restricts the request (no "only", position,
// number of pieces or goods kept). Dictated punctuation ("period",
// "comma") parts clauses as the marks do.
func (d *dialogue) reasonOnlyGoods(o tools.Order) bool {
	s := d.slots
	if s.Only || s.ItemPosition > 0 || s.ItemQuantity > 0 || d.keepsGoods() {
		return false
	}
	asks := false
	for _, c := range cancelClauses.Split(dictated(d.text), -1) {
		c = strings.TrimSpace(c)
		// Any clause with the words of a cancellation in it, however it
		// is put ("I want to cancel order …", which states reads as the
		// object of a verb), unless it says not to.
		if f := " " + nlu.Fold(strings.ToLower(c)) + " "; c == "" || !containsAny(f, cancelWants) || negated(c) {
			continue
		}
		if namesLineOf(c, o) {
			return false
		}
		asks = true
	}
	return asks
}

// cancelClauses parts a message into its clauses at its marks.
var cancelClauses = regexp.MustCompile(`[.,;!?]+`)

// dictationMarks are punctuation marks spoken by a buyer who dictates, as
// the words a voice keyboard types, each with the mark it stands for.
var dictationMarks = strings.NewReplacer(
	" period", ".", " full stop", ".", " comma", ",", " question mark", "?", " exclamation mark", "!", " exclamation point", "!",
	" punto y coma", ";", " punto", ".", " coma", ",", " signo de interrogación", "?",
	" точка", ".", " запятая", ",", " вопросительный знак", "?",
	" 마침표", ".", " 쉼표", ",", " 물음표", "?",
)

// dictated returns text with its dictated punctuation written as marks.
func dictated(text string) string {
	return dictationMarks.Replace(" " + strings.ToLower(text) + " ")
}
