package local

import (
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// Which lines of an order a refund by item covers, and how many pieces of
// each. A buyer names what they want back and often what they keep
// ("money back for the socks, keeping the boots"; "jacket and bottle are
// fine, refund that one thing"): the kept goods are never refunded, and
// when the buyer names only what they keep, the refund is the rest of the
// order. Of a line bought several times, the buyer may mean one piece:
// "one of the two packs has a hole", "the other socks are fine", "на
// одном из шарфов дырка" said now or earlier in the conversation make the
// refund that one piece, at its unit price.

// keepsGoods reports whether the buyer's message says which goods they
// keep, or that the rest is fine, next to goods named, or that the other
// or second piece is fine ("Второй набор хороший, его я оставлю": a
// generic noun such as "набор" names no catalogue item, yet of two sets
// it keeps one): the request is then about part of an order, and
// keptLines matches the kept words against the order's own lines.
func (d *dialogue) keepsGoods() bool {
	asked, kept := splitKept(d.goodsWords())
	return kept != "" && (len(nlu.ItemTerms(kept)) > 0 || len(nlu.ItemTerms(asked)) > 0 || othersKept(kept) >= 0)
}

// refundLines returns the indexes in o.Items of the lines the buyer wants
// refunded, judged from the message without position or quantity: the one
// line the asking part names (never a kept one), or, when it names none,
// every line still refundable that the buyer does not keep whole. ok is
// false when the message does not single out lines that way; conflict is
// set when the line named is also one the buyer keeps whole, which only a
// question settles.
func (d *dialogue) refundLines(o tools.Order) (lines []int, ok, conflict bool) {
	asked, _ := splitKept(d.goodsWords())
	keep, part := d.keptLines(o)
	keeps := false
	for i := range keep {
		keeps = keeps || keep[i] || part[i] > 0
	}
	several := requestedLines(asked, o) // the lines clauses ask for (refundlines.go)
	if len(several) > 1 {
		// Each of them, less the kept.
		for _, i := range several {
			if !keep[i] {
				lines = append(lines, i)
			}
		}
		if len(lines) > 1 {
			return lines, true, false
		}
		lines = nil
	}
	k := onlyGoods(asked, itemNames(o)) // refundgoods.go
	if k < 0 && len(several) == 1 {
		k = several[0]
	}
	if k < 0 {
		k = nlu.MatchItem(asked, itemNames(o))
	}
	if k >= 0 {
		if keep[k] {
			return nil, false, true
		}
		return []int{k}, true, false
	}
	if !keeps {
		return nil, false, false
	}
	for i, it := range o.Items {
		if !keep[i] && it.Refundable && it.Quantity > it.RefundedQuantity {
			lines = append(lines, i)
		}
	}
	return lines, len(lines) > 0, false
}

func itemNames(o tools.Order) []string {
	names := make([]string, len(o.Items))
	for i, it := range o.Items {
		names[i] = it.Name
	}
	return names
}

// keptLines reads the kept part of the message: keep[i] is set for a line
// the buyer keeps whole, part[i] is the pieces of line i they keep when
// they keep only some of it ("the other socks are fine", "Два других в
// порядке").
func (d *dialogue) keptLines(o tools.Order) (keep []bool, part []int) {
	_, kept := splitKept(d.goodsWords())
	keep = make([]bool, len(o.Items))
	part = make([]int, len(o.Items))
	if kept == "" {
		return keep, part
	}
	for _, clause := range strings.Split(kept, ". ") {
		rest := othersKept(clause)
		// "The second pair is fine": of an order with one line bought
		// more than once, the other piece is of that line, however the
		// buyer calls the goods.
		only := rest >= 0 && len(o.Items) == 1 && o.Items[0].Quantity-o.Items[0].RefundedQuantity > 1
		for i, it := range o.Items {
			if nlu.ItemScore(clause, it.Name) == 0 && !only {
				continue
			}
			left := it.Quantity - it.RefundedQuantity
			switch {
			case rest < 0 || left <= 1:
				keep[i] = true
			case rest > 0 && rest < left:
				part[i] = rest
			default:
				// "The other socks": all but one.
				part[i] = left - 1
			}
		}
	}
	return keep, part
}

// otherCues say the goods kept are the rest of a line ("the other one",
// "las otras dos", "остальные", "나머지"), folded.
var otherCues = []string{
	" other", " others", " rest ", " remaining", " second ",
	" otro", " otra", " demas ", " resto ", " segundo", " segunda",
	// "вторая шкатулка в порядке": of two, the second is the other one.
	" друг", " остальн", " оставш", " втор",
	"나머지", "다른 ",
}

// countWords are the numbers a buyer writes for a few pieces, folded.
var countWords = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "1": 1, "2": 2, "3": 3, "4": 4,
	"uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4,
	"один": 1, "одна": 1, "одну": 1, "два": 2, "две": 2, "двух": 2, "три": 3, "трех": 3, "четыре": 4,
	"하나": 1, "하나는": 1, "둘": 2, "둘은": 2, "두": 2, "두개": 2, "셋": 3, "세": 3,
}

// othersKept reads a kept clause that speaks of the rest of a line: the
// number of pieces kept when it says ("the other two"), 0 when it does
// not say how many, and -1 when the clause is not about the rest of a
// line at all.
func othersKept(clause string) int {
	t := " " + nlu.Fold(strings.ToLower(clause)) + " "
	if !containsAny(t, otherCues) {
		return -1
	}
	for _, w := range strings.Fields(t) {
		if n, ok := countWords[w]; ok {
			return n
		}
	}
	return 0
}

// piecesMeant returns how many pieces of line it (of o) the buyer wants
// back: what the message says ("one of the two", "just one", "both"),
// else what the buyer said of that line earlier in the conversation ("one
// of the sock packs has a hole"), else all that is left.
func (d *dialogue) piecesMeant(o tools.Order, k int) int {
	it := o.Items[k]
	left := it.Quantity - it.RefundedQuantity
	if left <= 1 {
		return left
	}
	if allCueOnGoods(d.text) {
		return left
	}
	if q := d.slots.ItemQuantity; q > 0 && q < left {
		return q
	}
	if _, part := d.keptLines(o); part[k] > 0 {
		return left - part[k]
	}
	asked, _ := splitKept(d.goodsWords())
	if q := statedPieces(asked, it.Name); q > 0 && q < left {
		// "One dented bottle", "텀블러 2개 중 1개" (refundgoods.go).
		return q
	}
	for i := len(d.earlier) - 1; i >= 0; i-- {
		msg := d.earlier[i]
		if nlu.ItemScore(msg, it.Name) == 0 {
			continue
		}
		if q := nlu.ExtractSlots(msg).ItemQuantity; q > 0 && q < left {
			return q
		}
	}
	if q := d.piecesInTalk(o, k); q > 0 && q < left {
		// "3 of them. one leaks", "size 42 and 43 … the 43" (pieces.go).
		return q
	}
	return left
}

// earlierPiece reports whether the buyer, naming goods now, said earlier
// in the conversation that only one piece of such goods is at issue ("one
// of the scarves has a hole" … "refund the damaged scarf"): the request is
// then about part of an order.
func (d *dialogue) earlierPiece() bool {
	terms := nlu.ItemTerms(d.text)
	if len(terms) == 0 {
		return false
	}
	for _, msg := range d.earlier {
		if nlu.ExtractSlots(msg).ItemQuantity == 0 {
			continue
		}
		for _, t := range nlu.ItemTerms(msg) {
			for _, u := range terms {
				if t == u {
					return true
				}
			}
		}
	}
	return false
}

// allCues say the buyer means every piece: "both", "all of them".
var allCues = []string{" both ", " all of them ", " all three ", " ambos ", " ambas ", " todos ", " todas ", " оба ", " обе ", " все ", " всех ", "둘 다", "모두", "전부"}

func allCue(text string) bool {
	return containsAny(" "+nlu.Fold(strings.ToLower(text))+" ", allCues)
}

// refundItemsArg is the request_refund items argument for lines of o:
// every piece of each line that is left to refund, less the pieces the
// buyer keeps of a line they keep part of.
func (d *dialogue) refundItemsArg(o tools.Order, lines []int) []map[string]int {
	_, part := d.keptLines(o)
	out := make([]map[string]int, 0, len(lines))
	for _, i := range lines {
		it := o.Items[i]
		qty := it.Quantity - it.RefundedQuantity - part[i]
		if qty <= 0 {
			continue
		}
		if n := d.piecesInTalk(o, i); part[i] == 0 && n > 0 && n < qty {
			// "and one pack of the socks" (pieces.go).
			qty = n
		}
		out = append(out, map[string]int{"line": it.Line, "quantity": qty})
	}
	return out
}

// buyerMessages returns the buyer's messages of msgs, oldest first.
func buyerMessages(msgs []agent.Message) []string {
	var out []string
	for _, m := range msgs {
		if m.Role == agent.RoleUser {
			out = append(out, m.Content)
		}
	}
	return out
}

// returnCues ask to send goods back, folded.
var returnCues = []string{" return", " send back", " send it back", " devolver", " devuelv", " вернуть", " верните", " возврат", "반품"}

// refundsOwnItem reports whether the buyer, about an order the
// conversation is on, asks for the money back for part of it ("주전자
// 값만 환불받을 수 있겠습니까?", "can I return just the lantern?"): the
// goods named, a restriction to them (only, one of, what is kept), and a
// refund or a return. Phrased as a question it still asks for the
// buyer's own refund, not the rule; the card asks them to confirm. When
// the order was read before, the goods must be on it.
func (d *dialogue) refundsOwnItem(cur nlu.Result) bool {
	if d.intent == nlu.RefundRequest && d.conf >= nlu.ActionThreshold {
		return false // already read so
	}
	if nlu.Consequential(cur.Intent) && cur.Intent != nlu.RefundRequest && cur.Confidence >= minConfidence {
		return false // a cancellation or a dispute of part of an order
	}
	order := cur.Slots.OrderID
	if order == "" {
		order = d.lastOrder
	}
	sized := order != "" && d.sizedPiece() // "can I send the 41 back?" (pieces.go)
	if order == "" || len(nlu.ItemTerms(d.text)) == 0 && !sized {
		return false
	}
	s := cur.Slots
	_, kept := splitKept(d.goodsWords())
	if !s.Only && s.ItemQuantity == 0 && len(nlu.ItemTerms(kept)) == 0 && !sized {
		return false
	}
	switch classifyAsk(d.text) {
	case askDuration, askDeadline, askWhoPays, askFee:
		// "How long do I have to return just the lantern?" asks for a
		// rule's fact about it.
		return false
	}
	t := " " + nlu.Fold(strings.ToLower(d.text))
	if !nlu.AsksMoneyBack(d.text) && !containsAny(t, returnCues) {
		return false
	}
	if o, ok := d.looked[order]; ok {
		asked, _ := splitKept(d.goodsWords())
		if sized || nlu.MatchItem(asked, itemNames(o)) >= 0 {
			return true
		}
		// "That one pack" names no goods of the order, but what is
		// kept ("boots r fine, other socks fine") leaves one line to
		// refund part of (refundLines).
		lines, ok, _ := d.refundLines(o)
		return ok && len(lines) == 1
	}
	return true
}

// itemOrderInTalk returns the order the conversation is on when a refund
// of part of an order names goods but no order: "one of the bottles from
// ORD-10005 is dented" … "refund the dented one, the lantern is fine".
// Goods named do not say another order is meant, as they would for a
// bare lookup ("the kettle order"). If the order was read before, the
// goods must be on it; if not, the refund is marked as restricted to
// them, so that goods the order turns out not to have get a question
// which item, never a refund of the whole order.
func (d *dialogue) itemOrderInTalk() string {
	if d.intent != nlu.RefundRequest || d.lastOrder == "" || d.slots.LastOrder || d.otherOrder || !d.itemLevel() {
		return ""
	}
	if o, ok := d.looked[d.lastOrder]; ok {
		asked, kept := splitKept(d.goodsWords())
		if nlu.MatchItem(asked, itemNames(o)) < 0 && !namesAny(kept, itemNames(o)) {
			return ""
		}
		return d.lastOrder
	}
	d.slots.Only = true
	return d.lastOrder
}

// pieceLine returns the index in o.Items of the line a count of pieces
// said without goods is about ("그중에 하나만 뚜껑이 깨져서 왔어요", "one
// of them leaks", "один из них порван"), or -1: the goods of this order
// the buyer named earlier in the conversation ("텀블러 4개 주문했는데요"),
// newest first, else the one line of the order bought several times, the
// only one a piece can be taken from. Asked otherwise, the buyer is asked
// which item.
func (d *dialogue) pieceLine(o tools.Order) int {
	s := d.slots
	if s.ItemQuantity == 0 || s.ItemPosition > 0 || len(nlu.ItemTerms(d.text)) > 0 {
		return -1
	}
	names := itemNames(o)
	for i := len(d.earlier) - 1; i >= 0; i-- {
		if k := nlu.MatchItem(d.earlier[i], names); k >= 0 {
			if it := o.Items[k]; it.Quantity-it.RefundedQuantity > s.ItemQuantity {
				return k
			}
			return -1
		}
	}
	k := -1
	for i, it := range o.Items {
		if it.Quantity-it.RefundedQuantity > s.ItemQuantity {
			if k >= 0 {
				return -1
			}
			k = i
		}
	}
	return k
}
