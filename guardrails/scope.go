package guardrails

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// A claim about an order is backed only by evidence about that order: an
// amount, date, state or tracking number another order's data gives does
// not back it. The evidence is split into fragments by the order each is
// about: a text naming one order is about that order; a JSON result
// listing several (list_orders) is split into its order objects and the
// rest; a text naming none (a policy passage) is about no order and backs
// claims about any.

// fragment is a piece of the evidence and the orders it is about (none:
// general).
type fragment struct {
	text   string
	orders []string
}

// orderIDs returns the distinct order ids text names, as "ORD-12345".
func orderIDs(text string) []string {
	if !strings.Contains(text, "ORD") && !strings.Contains(text, "ord") && !strings.Contains(text, "Ord") {
		return nil
	}
	var out []string
	for i := 0; i+8 <= len(text); i++ {
		d, end := orderAt(text, i)
		if end < 0 {
			continue
		}
		if i == 0 || !isWordByte(text[i-1]) {
			if id := "ORD-" + d; !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
		i = end - 1
	}
	return out
}

// orderAt matches orderRE (`ord[-_ ]?(\d{5})\b`, in any case) at byte i of
// text: it returns the five digits and where the match ends, or end -1.
// orderIDs runs it over every evidence text and sentence of a reply, where
// the regular expression on a lower-cased copy cost an allocation and a
// pass of the automaton for each.
func orderAt(text string, i int) (digits string, end int) {
	if len(text)-i < 8 || text[i]|0x20 != 'o' || text[i+1]|0x20 != 'r' || text[i+2]|0x20 != 'd' {
		return "", -1
	}
	j := i + 3
	if c := text[j]; c == '-' || c == '_' || c == ' ' {
		j++
	}
	if len(text)-j < 5 {
		return "", -1
	}
	for k := j; k < j+5; k++ {
		if !isDigit(text[k]) {
			return "", -1
		}
	}
	if e := j + 5; e < len(text) && (isDigit(text[e]) || text[e]|0x20 >= 'a' && text[e]|0x20 <= 'z' || text[e] == '_') {
		return "", -1
	}
	return text[j : j+5], j + 5
}

// fragments splits the evidence's texts by order, once.
func (e *evidence) fragments() []fragment {
	if e.frags != nil {
		return e.frags
	}
	e.frags = []fragment{}
	for _, t := range e.texts {
		e.frags = append(e.frags, e.cache.facts(t, e.locale).fragments()...)
	}
	return e.frags
}

// splitByOrder returns the fragments of one evidence text.
func splitByOrder(text string) []fragment {
	ids := orderIDs(text)
	if len(ids) < 2 {
		return []fragment{{text: text, orders: ids}}
	}
	tt := strings.TrimSpace(text)
	if !strings.HasPrefix(tt, "{") && !strings.HasPrefix(tt, "[") {
		rest, out := splitProse(text)
		return append(out, fragment{text: rest})
	}
	dec := json.NewDecoder(strings.NewReader(tt))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return []fragment{{text: text, orders: ids}}
	}
	var out []fragment
	rest := cutOrders(v, &out)
	if s := encodeJSON(rest); s != "" {
		out = append(out, fragment{text: s})
	}
	return out
}

// cutOrders moves each object of v that is one order's (it has an
// "order_id", or an "id" that is an order id) into out as a fragment and
// returns v without them.
func cutOrders(v any, out *[]fragment) any {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range []string{"order_id", "id"} {
			if id, ok := x[k].(string); ok {
				if ids := orderIDs(id); len(ids) == 1 && len(id) <= 12 {
					*out = append(*out, fragment{text: encodeJSON(x), orders: ids})
					return nil
				}
			}
		}
		for k, y := range x {
			x[k] = cutOrders(y, out)
		}
	case []any:
		for i := range x {
			x[i] = cutOrders(x[i], out)
		}
	case string:
		// A summary of several orders ("ORD-10155 (paid, 164.30 EUR);
		// ORD-10205 (…)"): each part is about the order it starts with.
		if len(orderIDs(x)) > 0 {
			rest, parts := splitProse(x)
			*out = append(*out, parts...)
			return rest
		}
	}
	return v
}

// splitProse cuts prose at each order id it names: the text from one id
// to the next is about that order. It returns the text before the first
// id, which is about none.
func splitProse(text string) (string, []fragment) {
	low := lowerSameLen(text)
	locs := findIDs(orderRE, low)
	var out []fragment
	for i, l := range locs {
		end := len(text)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		id := "ORD-" + orderRE.FindStringSubmatch(low[l[0]:l[1]])[1]
		out = append(out, fragment{text: text[l[0]:end], orders: []string{id}})
	}
	if len(locs) == 0 {
		return text, nil
	}
	return text[:locs[0][0]], out
}

func encodeJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) != nil {
		return ""
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// forOrders returns the evidence that may back claims about orders: the
// fragments about them and those about no order, and the actions taken on
// them. With no orders it is e itself.
func (e *evidence) forOrders(orders []string) *evidence {
	if len(orders) == 0 {
		return e
	}
	key := strings.Join(orders, ",")
	if s, ok := e.scoped[key]; ok {
		return s
	}
	s := &evidence{locale: e.locale, buyer: e.buyer, cache: e.cache}
	for _, f := range e.fragments() {
		if len(f.orders) == 0 || slices.ContainsFunc(f.orders, func(id string) bool { return slices.Contains(orders, id) }) {
			s.texts = append(s.texts, f.text)
		}
	}
	for _, a := range e.actions {
		if a.OrderID == "" || slices.Contains(orders, a.OrderID) {
			s.actions = append(s.actions, a)
		}
	}
	if e.scoped == nil {
		e.scoped = map[string]*evidence{}
	}
	e.scoped[key] = s
	return s
}

// hasAction reports whether an action of kind succeeded in the turn.
func (e *evidence) hasAction(kind string) bool {
	return slices.ContainsFunc(e.actions, func(a Action) bool { return a.Kind == kind })
}
