package local

import (
	"regexp"
	"slices"
	"strings"

	"github.com/csagent/csagent/agent/local/nlu"
)

// Two requests of different kinds about one order: "the boots came in the
// wrong colour, I want a refund. and the lantern died, open a complaint
// with the seller", "텀블러 하나만 환불해주시고요, 담요는 분쟁 열어주세요".
// splitRequests only splits a message at its order numbers, and no number
// is named here, so read whole such a message is one request (the first
// action word wins, or a question which of the two) and the other is lost.
// So a message whose parts each ask for an action, one a refund and the
// other a dispute, is split into those parts; each is served as if it had
// come alone (eachRequest), with its own order lookup, its own goods and
// its own card, and "both" confirms both (agent/pending.go).
//
// The split is by the classifier's reading of each part, not by words of
// its own: a part's kind is the action the classifier reads in it with
// confidence. Two refunds are not split (one card with both goods is what
// the refund tool and the policy want, refunditems.go), nor a cancellation
// beside a refund (a cancellation gives the money back itself).

// sentenceEnd cuts a message into sentences: at .!? followed by a space,
// and at a line break. Commas are not sentence ends: "it's stained,
// refund it" is one request.
var sentenceEnd = regexp.MustCompile(`[.!?;。]+(?:\s+|$)|\n+`)

// kindPart is a part of a message: its text and the action the
// classifier reads in it, "" for none.
type kindPart struct {
	span [2]int
	kind nlu.Intent
	conf float64
	// question is set for an action read in a question: "can an order
	// be cancelled before it ships?" asks how, not for a cancellation.
	question bool
}

// partKind is the action read in one clause: a refund, a dispute or a
// cancellation read with at least the action threshold, or a refund asked
// in words the complaint readers know (asksRefund, asksItemRefund).
func partKind(r nlu.Result, text string) (nlu.Intent, float64) {
	switch {
	case asksRefund(r, text) || asksItemRefund(r, text):
		return nlu.RefundRequest, max(r.Confidence, nlu.ActionThreshold)
	case disputeAsked.MatchString(text) && r.Intent != nlu.DisputeStatus:
		// "¿podéis abrir una disputa?" reads as a question about
		// disputes; beside a refund of other goods it asks for one.
		return nlu.OpenDispute, max(r.Confidence, nlu.ActionThreshold)
	case r.Confidence < minConfidence:
		return "", 0
	case (r.Intent == nlu.OrderStatus || r.Intent == nlu.PolicyQuestion || r.Intent == nlu.DeliveryProblem) && !asked(r, text):
		// "My order arrived five days ago: boots and socks": an order
		// told, not asked about.
		return "", 0
	case r.Intent == nlu.OrderStatus, r.Intent == nlu.DeliveryProblem:
		// "the jacket: where is it?", "다른 주문은 어디쯤 왔나요?": asked
		// of goods or an order of their own (ownGoods). A delivery
		// problem told ("운동화가 찢어져서 왔어요") is a request's story.
		return nlu.OrderStatus, r.Confidence
	case r.Intent == nlu.Translate:
		// A policy question beside an action is not split off: it is
		// asked before the action is (policy first, then the action).
		return r.Intent, r.Confidence
	case r.Confidence < nlu.ActionThreshold:
		return "", 0
	case r.Intent == nlu.RefundRequest, r.Intent == nlu.OpenDispute, r.Intent == nlu.CancelOrder:
		return r.Intent, r.Confidence
	}
	return "", 0
}

// asked reports whether clause text, read as r, asks a question: read
// as one, or with a question mark.
func asked(r nlu.Result, text string) bool {
	return r.Act == nlu.ActQuestion || strings.ContainsAny(text, "?¿？")
}

// questionKind is the kind of a clause read to ask something the model answers
// without a card: an order's whereabouts, a policy, a translation. Such a
// clause is a request of its own only beside an action (pairedKinds).
func questionKind(k nlu.Intent) bool {
	return k == nlu.OrderStatus || k == nlu.PolicyQuestion || k == nlu.Translate
}

// betterKind reports whether a clause read as k with confidence conf says
// what its part asks better than the part's kind so far: an action before
// a question (the action is what the buyer wants done), then the more
// confident.
func betterKind(k nlu.Intent, conf float64, p kindPart) bool {
	if k == "" {
		return false
	}
	if p.kind == "" {
		return true
	}
	if isAction(k) != isAction(p.kind) {
		return isAction(k)
	}
	return conf > p.conf
}

// pairedKinds reports whether a and b, the kinds of a message's two
// requests, are two requests each served on its own: two different kinds,
// one of them at least an action. A refund beside a cancellation is not
// (a cancellation gives the money back itself), nor two questions (one
// reply answers a message that asks, as before).
func pairedKinds(a, b nlu.Intent) bool {
	switch {
	case a == b, !isAction(a) && !isAction(b):
		return false
	case (a == nlu.RefundRequest && b == nlu.CancelOrder) || (a == nlu.CancelOrder && b == nlu.RefundRequest):
		return false
	}
	return true
}

// quoted finds text the buyer quotes (a seller's message to translate):
// its words are the quote's, not the buyer's requests.
var quoted = regexp.MustCompile(`"[^"]{8,}"|“[^”]{8,}”|«[^»]{8,}»|„[^“”]{8,}[“”]`)

// maskQuotes returns text with what its quotes hold blanked, byte for
// byte, so that the parts are cut and read on the buyer's own words.
func maskQuotes(text string) string {
	b := []byte(text)
	for _, m := range quoted.FindAllStringIndex(text, -1) {
		for i := m[0] + 1; i < m[1]-1; i++ {
			b[i] = ' '
		}
	}
	return string(b)
}

// disputeAsked finds a clause that asks the agent to take goods up with
// the seller, phrased as a question or a need rather than an order, which
// the classifier may read as a question about how disputes work: "can u
// open a dispute on that", "¿podéis abrir una disputa?", "можете открыть
// спор?", "분쟁 걸어 주실 수 있나요", "판매자한테 따져야 될 것 같아요".
var disputeAsked = regexp.MustCompile(`(?i)\b(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|pls\s+)?(?:open|file|start|raise|make|lodge)\b[^.?!]{0,30}\b(?:dispute|claim|complaint)|` +
	`(?:puedes|podéis|podeis|puede|pueden|podrías|podrias|podríais|podrían|podrian)\s+(?:me\s+|nos\s+)?(?:abrir|poner|presentar|iniciar)\s[^.?!]{0,20}(?:disputa|reclamaci[oó]n|queja)|` +
	`(?:можете|можно|могли бы|сможете)\s+(?:ли\s+)?(?:открыть|оформить|завести|подать)\s+(?:\S+\s+)?(?:спор|претензи|жалоб)|` +
	`분쟁[^.?!]{0,8}(?:열어|걸어|신청해|제기해)\s?주실\s?수|판매자(?:한테|에게|랑|와|하고)\s?따[지져]`)

// kindRequests returns the requests of text when it asks for a refund and
// for a dispute in parts of its own, about one order (the one it names, or
// none named); nil otherwise. Each request's text is its part of the
// message, the sentences around it that ask nothing joined to the part
// before them (or, before the first, to the first).
func (m *Model) kindRequests(text, locale string) []request {
	orders := clauseOrder.FindAllStringSubmatch(text, 3)
	order := ""
	for _, o := range orders {
		if order != "" && order != "ORD-"+o[1] {
			return nil // two orders: splitRequests' business
		}
		order = "ORD-" + o[1]
	}
	read := nlu.Cyrillic(text)
	masked := maskQuotes(read)
	var parts []kindPart
	for _, p := range sentenceParts(masked) {
		kp := kindPart{span: p.span}
		// The part's kind is the most confident action of its clauses:
		// "the second was a mistake (read as a cancellation), refund me
		// one" asks a refund; a question only where no clause acts.
		for _, c := range clauses(masked[p.span[0]:p.span[1]]) {
			s := masked[p.span[0]+c.span[0] : p.span[0]+c.span[1]]
			r := m.parse(s, locale)
			if k, conf := partKind(r, s); betterKind(k, conf, kp) {
				kp.kind, kp.conf = k, conf
				kp.question = isAction(k) && asked(r, s) && !disputeAsked.MatchString(s)
			}
		}
		parts = append(parts, kp)
	}
	var reqs []request
	var spans [][2]int
	questioned := false // an action read in a question
	lead := -1          // where the parts that ask nothing before the first request start
	for i, p := range parts {
		switch {
		case p.kind == "" && len(reqs) == 0:
			if lead < 0 {
				lead = p.span[0]
			}
		case p.kind == "" && tellsNext(read, parts, i, spans[len(spans)-1]):
			// "… and the bottle has a big dent, messaged the seller. and
			// nothing, can u open a dispute on that": the goods of the
			// request that follows, told before it.
			if lead < 0 {
				lead = p.span[0]
			}
		case p.kind == "":
			spans[len(spans)-1][1] = p.span[1]
		case len(reqs) > 0 && reqs[len(reqs)-1].r.Intent == p.kind:
			spans[len(spans)-1][1] = p.span[1]
		default:
			s := p.span
			if lead >= 0 {
				s[0] = lead
			}
			lead = -1
			if p.question {
				questioned = true
			}
			reqs = append(reqs, request{order: order, r: nlu.Result{Intent: p.kind, Confidence: p.conf}})
			spans = append(spans, s)
		}
	}
	if len(reqs) != 2 || !pairedKinds(reqs[0].r.Intent, reqs[1].r.Intent) {
		return nil
	}
	if questioned && (questionKind(reqs[0].r.Intent) || questionKind(reqs[1].r.Intent)) {
		// "Can an order be cancelled before it ships? Is all the money
		// returned?": questions about an action, answered before it is
		// asked (the policy first, then the action).
		return nil
	}
	for i := range reqs {
		reqs[i].text = strings.TrimSpace(read[spans[i][0]:spans[i][1]])
	}
	for i, rq := range reqs {
		if rq.r.Intent == nlu.OrderStatus && !ownGoods(rq.text, reqs[1-i].text) {
			// "It never came. Where is it? Refund me": the whereabouts
			// of the goods refunded, one problem, not two requests.
			return nil
		}
	}
	if !otherGoods(reqs[0].text, reqs[1].text) {
		// "Refund me. Otherwise I'll open a dispute", "верните деньги,
		// иначе открою спор": one problem and two ways out of it, not two
		// requests; a refund and a dispute of the same goods would pay
		// twice.
		return nil
	}
	for i := range reqs {
		rq := &reqs[i]
		r := m.parse(rq.text, locale)
		// The part's own reading, with the action its clause asked: a
		// refund part that tells its fault at length is still a refund.
		r.Intent, r.Confidence = rq.r.Intent, max(rq.r.Confidence, nlu.ActionThreshold)
		rq.r = r
	}
	return reqs
}

// tellsNext reports whether parts[i], a part that asks nothing after a
// request (whose text so far is at span prev), tells of the goods of the
// request that follows it: it names goods, the request before already
// names its own, and the parts from it up to the next request's name
// none. Such a part is that request's story, not an aside of the one
// before.
func tellsNext(text string, parts []kindPart, i int, prev [2]int) bool {
	if len(nlu.ItemTerms(text[parts[i].span[0]:parts[i].span[1]])) == 0 || len(nlu.ItemTerms(text[prev[0]:prev[1]])) == 0 {
		return false
	}
	for _, p := range parts[i+1:] {
		if len(nlu.ItemTerms(text[p.span[0]:p.span[1]])) > 0 {
			return false
		}
		if p.kind != "" {
			return true
		}
	}
	return false
}

// sentenceParts returns the parts of text a request can be: its sentences,
// each cut again where a joiner ("and", "y", "и", "그리고", "…하고") opens a
// clause, without empty ones.
func sentenceParts(text string) []clause {
	var out []clause
	start := 0
	flush := func(end int) {
		if strings.TrimSpace(text[start:end]) == "" {
			start = end
			return
		}
		for _, c := range joinedParts(text[start:end]) {
			out = append(out, clause{span: [2]int{start + c.span[0], start + c.span[1]}, joined: c.joined})
		}
		start = end
	}
	for _, m := range sentenceEnd.FindAllStringIndex(text, -1) {
		flush(m[1])
	}
	flush(len(text))
	return out
}

// joinedParts cuts sentence s where a joiner opens a clause (clauses
// marks those), keeping the clauses between joiners together.
func joinedParts(s string) []clause {
	var out []clause
	for _, c := range clauses(s) {
		if n := len(out); n > 0 && !c.joined {
			out[n-1].span[1] = c.span[1]
			continue
		}
		out = append(out, c)
	}
	return out
}

// isAction reports whether intent asks for a consequential action.
func isAction(intent nlu.Intent) bool {
	return intent == nlu.RefundRequest || intent == nlu.OpenDispute || intent == nlu.CancelOrder
}

// otherGoods reports whether b, the second request of a message, is not
// the first one's way out: it does not open with an alternative
// ("otherwise", "si no", "иначе", "안 되면"), and it names none of the
// goods a names (nlu.ItemTerms, every language's words for them).
func otherGoods(a, b string) bool {
	if alternative.MatchString(strings.ToLower(b)) {
		return false
	}
	tb := nlu.ItemTerms(b)
	for _, t := range nlu.ItemTerms(a) {
		if slices.Contains(tb, t) {
			return false
		}
	}
	return true
}

// alternative matches a clause that opens with a word offering it as the
// way out if the request before fails, in the four languages: a closed
// set of connectives, after any joiner ("and if not").
var alternative = regexp.MustCompile(`^(?:(?:and|but|y|pero|и|а|но|그리고)\s+)?(?:otherwise|or else|else|if not|failing that|if you can'?t|sino|si no|o si no|de lo contrario|en caso contrario|иначе|а то|если нет|если не(?:льзя| получится)|아니면|안 ?되면|안 될 경우|그게 안 되면)(?:[\s,.!]|$)`)

// otherOrderWords are the words that ask about another order than the
// one an action is on: "my other order", "el otro pedido", "другой
// заказ", "다른 주문".
var otherOrderWords = regexp.MustCompile(`(?i)\b(?:other|another|second|2nd)\s+(?:order|parcel|package|box)|\b(?:otro|segundo)\s+(?:pedido|paquete)|(?:друг|втор)(?:ой|ого|ому|ым)\s+(?:заказ|посылк)|다른\s?(?:주문|택배|상자)|두\s?번째\s?(?:주문|택배|상자)`)

// ownGoods reports whether ask, a question about an order's whereabouts
// beside action, asks of goods of its own: it names another order, box
// or parcel.
func ownGoods(ask, _ string) bool {
	// Goods of the same order named apart ("the bag I keep, so it's
	// 65,00, right?") ask about the action's own amount.
	return otherOrderWords.MatchString(ask)
}
