package local

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// A charge the buyer's bank shows twice ("my bank app shows 57.98 two
// times", "주전자 45000원이 두번 빠져나갔어요", "me salen DOS cargos de
// 49,90", "с карты списали 2400 дважды") is no refund, no policy question
// and no lookup of where the parcel is: the classifier, which has no
// intent for it, read a refund (and the whole order's card), the payment
// methods' passage or "out of scope". What the buyer needs is the order
// the payment was for, found and named with the one payment the platform
// holds for it, and a person: bank charges are checked with the payment
// provider, which no tool here can see or reverse. The reply offers the
// person (a yes hands off, scope.go's offer), and the handoff's brief then
// carries the buyer's own words of the double charge (agent/handoff_opening.go).

// repeatCountWords say something happened twice: the closed set of the
// four languages' words for twice, two times and double, folded, matched at
// a word's start ("두 번" and its spacings anywhere).
var repeatCountWords = []string{
	" twice", " two times", " 2 times", " 2x ", " double", " duplicate",
	" dos veces", " 2 veces", " dos cargos", " dos cobros", " doble", " duplicad",
	" дважды", " два раза", " 2 раза", " двойн", " задвоил",
	"두 번", "두번", "2번", "2 번", "이중", "중복",
}

// paidWords name the act of paying or being charged, folded, at a word's
// start: what the twice of repeatCountWords must be about when no sum of
// money is named.
var paidWords = []string{
	" charged", " charge ", " charges", " billed", " billing", " paid", " payment", " debited",
	" cobrado", " cobraron", " cobro", " cobros", " cargo ", " cargos", " cargaron", " pagado", " pago ",
	" списал", " списан", " списыв", " оплат", " сняли", " снял ", " платеж", " платёж",
	"결제", "빠져나", "청구", "출금", "인출",
}

// moneyShape is a sum written with its cents and no currency ("57.98",
// "49,90"), which the slots leave unread as money.
var moneyShape = regexp.MustCompile(`\d[.,]\d\d(\D|$)`)

// chargedTwice reports whether the buyer's message tells of a payment
// taken twice: a word for twice with a sum of money the slots read, or
// with a word for paying. A carried request (the message answers the
// model's question) and a waiting card are left alone.
func (d *dialogue) chargedTwice(cur nlu.Result) bool {
	if d.carried || len(d.cards) > 0 || d.pendingCancel != nil {
		return false
	}
	text := d.foldedText()
	if !containsAny(text, repeatCountWords) {
		return false
	}
	if cur.Slots.Amount == nil && !moneyShape.MatchString(text) && !containsAny(text, paidWords) {
		return false
	}
	d.billing = d.has("get_order") && d.has("list_orders")
	return d.billing
}

// billingReply names the order a payment told twice was for, from this
// turn's lookup: the order the buyer named, else the listed order whose
// total or a line's price is the sum they named, else the one holding the
// goods they named, else their only order. ok is false when the lookup
// tells no one order (the list is then answered as any other).
func (d *dialogue) billingReply() (agent.Message, bool) {
	if !d.billing || d.intent != nlu.OrderStatus || len(d.results) == 0 {
		return agent.Message{}, false
	}
	last := d.results[len(d.results)-1]
	if !last.result.OK {
		return agent.Message{}, false
	}
	var row tools.OrderRow
	switch last.name {
	case "get_order":
		var o tools.Order
		if json.Unmarshal(last.result.Data, &o) != nil || o.ID == "" {
			return agent.Message{}, false
		}
		row = tools.OrderRow{ID: o.ID, Total: o.Total, Items: itemsLine(o)}
	case "list_orders":
		var l tools.OrderList
		if json.Unmarshal(last.result.Data, &l) != nil {
			return agent.Message{}, false
		}
		var ok bool
		if row, ok = d.chargedOrder(l.Orders); !ok {
			return agent.Message{}, false
		}
	default:
		return agent.Message{}, false
	}
	d.lastOrder = row.ID
	msg := d.say("charged_twice", row.ID, row.Items, money(d.locale, row.Total))
	msg.Content += " " + render(d.locale, "repeat_offer")
	return msg, true
}

// chargedOrder picks the order of orders a payment told twice was for: the
// one whose total is the sum the buyer named, else the one holding the
// goods named, else the only one.
func (d *dialogue) chargedOrder(orders []tools.OrderRow) (tools.OrderRow, bool) {
	sums := writtenSums(d.text)
	var hit []tools.OrderRow
	for _, o := range orders {
		if a := d.slots.Amount; a != nil && o.Total.Minor == a.Minor && strings.EqualFold(o.Total.Currency, a.Currency) ||
			slices.Contains(sums, o.Total.Minor) {
			hit = append(hit, o)
		}
	}
	if len(hit) == 1 {
		return hit[0], true
	}
	if id, ok := pickOrder(d.text, orders); ok {
		for _, o := range orders {
			if o.ID == id {
				return o, true
			}
		}
	}
	if len(orders) == 1 {
		return orders[0], true
	}
	return tools.OrderRow{}, false
}

// writtenSum is a figure as buyers write a sum: digits, perhaps grouped
// by spaces, dots or commas, perhaps with two decimals.
var writtenSum = regexp.MustCompile(`\d[\d .,]*`)

// writtenSums returns the sums text writes, each in minor units both as
// written whole (45000 for "45000원", a currency without cents) and with
// cents (8950 for "89.50", 650000 for "6 500"): the order whose total is
// one of them is the one the buyer means.
func writtenSums(text string) []int64 {
	var out []int64
	for _, f := range writtenSum.FindAllString(text, -1) {
		f = strings.TrimRight(f, " .,")
		cents := int64(0)
		if n := len(f); n > 3 && (f[n-3] == '.' || f[n-3] == ',') {
			c, err := strconv.ParseInt(f[n-2:], 10, 64)
			if err != nil {
				continue
			}
			cents, f = c, f[:n-3]
		}
		whole, err := strconv.ParseInt(strings.NewReplacer(" ", "", ".", "", ",", "").Replace(f), 10, 64)
		if err != nil || whole > 1<<40 {
			continue
		}
		out = append(out, whole*100+cents)
		if cents == 0 {
			out = append(out, whole)
		}
	}
	return out
}

// itemsLine writes an order's lines as the order list does ("Insulated
// steel bottle ×2").
func itemsLine(o tools.Order) string {
	var parts []string
	for _, it := range o.Items {
		parts = append(parts, it.Name+" ×"+strconv.Itoa(it.Quantity))
	}
	return strings.Join(parts, ", ")
}
