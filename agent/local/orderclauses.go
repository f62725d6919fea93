package local

import (
	"regexp"
	"strings"
)

// Terse buyers write two requests without a comma or an "and" between
// them: "10061 취소 10063 텀블러 환불", "cancel 10027 refund bottle 10028".
// Read as one clause, such a message is one request about its first order
// and the other is lost. A clause that names two or more orders is cut
// between them: before each later order when the clause opens with its
// order ("10061 cancel 10063 refund"), after each earlier one when the
// orders close their requests ("cancel 10027 refund 10028").

// digitRun finds runs of digits; an order number is a run of five.
var digitRun = regexp.MustCompile(`\d+`)

// orderLead matches, at the end of the text before an order's digits, the
// words that lead it in: "ORD-", "order", "주문", "pedido", "заказ", "#".
var orderLead = regexp.MustCompile(`(?i)(?:\bord[-\s]?|\border\s+(?:no\.?\s*)?|주문\s*(?:번호\s*)?|\bpedido\s+(?:n[ºo°.]?\s*)?|заказ[а-я]*\s+(?:№\s*)?|#\s*)$`)

// splitAtOrders returns cs with every clause that names two or more
// different orders cut into one clause per order.
func splitAtOrders(text string, cs []clause) []clause {
	var out []clause
	for _, c := range cs {
		out = append(out, cutAtOrders(text, c)...)
	}
	return out
}

// cutAtOrders cuts clause c of text between the orders it names.
func cutAtOrders(text string, c clause) []clause {
	part := text[c.span[0]:c.span[1]]
	type ref struct{ start, end int }
	var refs []ref
	seen := map[string]bool{}
	for _, m := range digitRun.FindAllStringIndex(part, -1) {
		id := part[m[0]:m[1]]
		if len(id) != 5 || seen[id] {
			continue
		}
		seen[id] = true
		start := m[0]
		if lead := orderLead.FindStringIndex(part[:m[0]]); lead != nil {
			start = lead[0]
		}
		refs = append(refs, ref{start: start, end: m[1]})
	}
	if len(refs) < 2 {
		return []clause{c}
	}
	// Order first: nothing but the reference opens the clause.
	first := strings.TrimSpace(part[:refs[0].start]) == ""
	var cuts []int
	for i := range refs {
		switch {
		case first && i > 0:
			cuts = append(cuts, refs[i].start)
		case !first && i < len(refs)-1:
			cuts = append(cuts, refs[i].end)
		}
	}
	var out []clause
	start, joined := 0, c.joined
	for _, at := range cuts {
		if s := strings.TrimSpace(part[start:at]); s != "" {
			out = append(out, clause{span: [2]int{c.span[0] + start, c.span[0] + at}, joined: joined})
		}
		start, joined = at, true
	}
	if strings.TrimSpace(part[start:]) != "" {
		out = append(out, clause{span: [2]int{c.span[0] + start, c.span[1]}, joined: joined})
	}
	return out
}
