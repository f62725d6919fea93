package local

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// Two requests named by their goods: "cancel the boots I just ordered, and
// the jacket from the other order doesn't fit, I want my money back",
// "devolver las toallas y cancelar la paellera", "신발이랑 김치 둘다
// 취소요". No order number says which order each request is about, so
// read whole, the message becomes one request about whichever order the
// goods pick first, and the other is lost (or worse, its goods end up on
// the first request's order). The buyer's own orders (list_orders) say
// which order holds which goods: each part of the message is given the
// order whose goods it names, and the parts are then served as two
// requests each with its own order (tworequests.go), each with its own
// card, or its own reason why not.

// bothRef finds a buyer's "both" in the four languages.
var bothRef = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(?:both|las dos|los dos|ambas|ambos|оба|обе|обоих|둘 ?다|모두)(?:[^\p{L}]|$)`)

// goodsActionCues name an action that one part of such a message asks
// for, folded: a cancellation, or money back or a return.
var (
	goodsCancelCues = foldAll([]string{"cancel", "취소", "anul", "отмен"})
	goodsRefundCues = foldAll([]string{"refund", "money back", "return", "send back", "환불", "반품", "reembols", "devolver", "devuelv", "devolucion",
		"возврат", "верни", "вернуть", "верните", "деньги"})
)

// asksWhetherCan finds a message that asks whether something can be done
// ("can I cancel … and get …?", "¿puedo cancelar…?", "можно ли…",
// "…할 수 있나요?") rather than asking for it.
var asksWhetherCan = regexp.MustCompile(`(?i)^\s*(?:can|could|may)\s+i\b|^\s*(?:is\s+it\s+possible|how\s+(?:do|can)\s+i)\b|^\s*¿?\s*(?:puedo|se\s+puede|es\s+posible|c[oó]mo\s+puedo)\b|^\s*(?:можно\s+ли|могу\s+ли|как\s+мне)(?:\s|$)|(?:수\s*있(?:나요|을까요|어요\?|습니까))`)

// goodsRequestsCall is the id of the list_orders call made to read goods
// requests: a call of eachRequest's that serves no single request.
var goodsRequestsCall = callID(nil, "list_orders")

// asksTwoByGoods reports whether text may hold two requests whose orders
// it names by their goods only: it names goods, no more than one order
// number, and asks two different actions or one action of "both" (or,
// with no order under discussion (onOrder false), one action of goods
// named in two clauses).
func asksTwoByGoods(text string, onOrder bool) bool {
	if len(clauseOrder.FindAllString(text, 2)) > 1 || len(nlu.ItemTerms(text)) == 0 {
		return false
	}
	t := cueText(text)
	cancel, refund := containsAny(t, goodsCancelCues), containsAny(t, goodsRefundCues)
	switch {
	case cancel && refund, (cancel || refund) && bothRef.MatchString(text):
		return true
	case (cancel || refund) && !onOrder:
		// "cancela el bolso y también las sandalias": one action for
		// goods named in two clauses, and no order number to go by.
		// Said about the order the conversation is on, such goods are
		// that order's lines ("one sock pack, the boots are fine").
		return !clauseOrder.MatchString(text) && goodsClauses(text) > 1
	}
	return false
}

// goodsClauses counts the clauses of text that name goods.
func goodsClauses(text string) int {
	n := 0
	for _, c := range clauses(text) {
		if len(nlu.ItemTerms(text[c.span[0]:c.span[1]])) > 0 {
			n++
		}
	}
	return n
}

// goodsRequests returns the requests of a message that names two orders
// by their goods (asksTwoByGoods), read against the buyer's orders; or the
// list_orders call that finds them; or neither, for a message read whole.
func (m *Model) goodsRequests(d *dialogue) ([]request, *agent.Message) {
	if d.cur.Act == nlu.ActQuestion || asksWhetherCan.MatchString(d.text) || !asksTwoByGoods(d.text, d.lastOrder != "") || !d.has("list_orders") {
		// "Can I cancel the boots and get the refund on my card?" asks
		// how things work: no request to split.
		return nil, nil
	}
	var list *tools.OrderList
	for _, o := range d.results {
		if o.id == goodsRequestsCall && o.result.OK {
			var l tools.OrderList
			if json.Unmarshal(o.result.Data, &l) == nil {
				list = &l
			}
		}
	}
	if list == nil {
		if len(d.results) > 0 {
			return nil, nil
		}
		msg := call("list_orders", map[string]int{"limit": 20})
		msg.ToolCalls[0].ID = goodsRequestsCall
		return nil, &msg
	}
	reqs := goodsGroups(d.text, list.Orders)
	if len(reqs) < 2 || len(reqs) > maxRequests {
		return nil, nil
	}
	for i := range reqs {
		rq := &reqs[i]
		rq.r = m.parse(rq.text, d.locale)
		t := cueText(rq.text)
		switch {
		case asksCancel(rq.r, rq.text):
			rq.r.Intent, rq.r.Confidence = nlu.CancelOrder, max(rq.r.Confidence, nlu.ActionThreshold)
		case asksGoodsBack(rq.r, rq.text):
			rq.r.Intent, rq.r.Confidence = nlu.RefundRequest, max(rq.r.Confidence, nlu.ActionThreshold)
		case i > 0 && !containsAny(t, goodsCancelCues) && !containsAny(t, goodsRefundCues) &&
			!(lookup(rq.r.Intent) && rq.r.Confidence >= minConfidence):
			// "cancel the kettle and the blanket too" cancels both; "cancel
			// the lantern + where r boots" asks where the boots are.
			// "cancel the boots and the jacket": goods with no action
			// of their own share the one asked before them.
			rq.r.Intent, rq.r.Confidence = reqs[i-1].r.Intent, reqs[i-1].r.Confidence
		}
		if !servable(rq.r, rq.text) {
			return nil, nil
		}
	}
	return reqs, nil
}

// goodsGroups cuts text into the parts that name goods of one order each,
// among orders: a clause naming no goods belongs to the part it is in (or,
// before any goods, to the first part); a clause naming the goods of two
// orders with "both" ("신발이랑 김치 둘다 취소요") is a request for each.
func goodsGroups(text string, orders []tools.OrderRow) []request {
	type group struct {
		span  [2]int
		order string
	}
	var groups []group
	for _, c := range clauses(text) {
		part := text[c.span[0]:c.span[1]]
		named := ordersNamed(part, orders)
		if mm := clauseOrder.FindStringSubmatch(part); mm != nil {
			// "cancel 10042, and refund the boots": a part with its
			// number is that order's.
			named = []string{"ORD-" + mm[1]}
		}
		n := len(groups)
		switch {
		case len(named) > 1 && bothRef.MatchString(text):
			for _, id := range named {
				groups = append(groups, group{span: c.span, order: id})
			}
		case len(named) > 1:
			return nil // goods of several orders, and no "both": unsure
		case n == 0:
			groups = append(groups, group{span: c.span, order: first(named)})
		case len(named) == 1 && groups[n-1].order != "" && groups[n-1].order != named[0]:
			groups = append(groups, group{span: c.span, order: named[0]})
		default:
			groups[n-1].span[1] = max(groups[n-1].span[1], c.span[1])
			if groups[n-1].order == "" {
				groups[n-1].order = first(named)
			}
		}
	}
	var reqs []request
	seen := map[string]bool{}
	for _, g := range groups {
		if g.order == "" || seen[g.order] {
			return nil
		}
		seen[g.order] = true
		reqs = append(reqs, request{text: strings.TrimSpace(text[g.span[0]:g.span[1]]), order: g.order})
	}
	return reqs
}

// ordersNamed returns the orders whose goods text names, in the list's
// order: one order when its goods fit the text best, or every order text
// names goods of when no one fits best.
func ordersNamed(text string, orders []tools.OrderRow) []string {
	if id, ok := pickOrder(text, orders); ok {
		// Several orders may share a word ("pack"): the one the text
		// names most is meant, unless the text names goods of others
		// that are theirs alone.
		var out []string
		for _, o := range orders {
			if o.ID == id || nlu.ItemScore(text, o.Items) > 0 && !sharesGoods(text, o, orders) {
				out = append(out, o.ID)
			}
		}
		return out
	}
	var out []string
	for _, o := range orders {
		if nlu.ItemScore(text, o.Items) > 0 {
			out = append(out, o.ID)
		}
	}
	if len(out) > 1 && !bothRef.MatchString(text) {
		return nil
	}
	return out
}

// sharesGoods reports whether what text names of order o is named as
// strongly in another of orders: o is then no order of its own in text.
func sharesGoods(text string, o tools.OrderRow, orders []tools.OrderRow) bool {
	s := nlu.ItemScore(text, o.Items)
	for _, p := range orders {
		if p.ID != o.ID && nlu.ItemScore(text, p.Items) >= s {
			return true
		}
	}
	return false
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// goodsStatusCues ask where a refund stands rather than for one, folded
// (refusalheld.go has its own, wider list for a terse goods-and-money ask).
var goodsStatusCues = foldAll([]string{"status", "where", "when", "how long", "estado", "donde", "cuando", "статус", "где", "когда", "상태", "어디", "언제"})

// asksGoodsBack reports whether text, one of a message's requests read as
// r, asks for money back for goods in so many words: a refund or return
// word and goods ("10133 возврат мёд", "devolver las toallas"), neither a
// question nor a cancellation. Said as one of two requests it is a
// request, however unsure or status-like the words read alone; its card
// still asks the buyer to confirm.
func asksGoodsBack(r nlu.Result, text string) bool {
	if r.Act == nlu.ActQuestion || strings.ContainsAny(text, "?？") || len(nlu.ItemTerms(text)) == 0 {
		return false
	}
	switch r.Intent {
	case nlu.RefundRequest, nlu.RefundStatus, nlu.OrderStatus, nlu.DeliveryProblem, nlu.OutOfScope:
	default:
		return false
	}
	t := cueText(text)
	return containsAny(t, goodsRefundCues) && !containsAny(t, goodsCancelCues) && !containsAny(t, goodsStatusCues)
}
