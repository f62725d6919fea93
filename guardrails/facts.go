package guardrails

import (
	"regexp"
	"strings"
)

// Claims without numbers that replies get wrong: an action the agent says
// it took, the carrier of a parcel, and who pays for return shipping.

// actionREs find a reply saying the agent itself did a consequential
// action ("I've issued a full refund", "he cancelado su pedido", "я
// оформил возврат", "환불해 드렸습니다"). They read folded text (lower
// case, no accents). A refund that a tool reports (a status) is a state
// claim instead; this is the agent taking credit for doing it now.
var actionREs = []struct {
	// cues are strings one of which the folded sentence must hold for
	// the pattern to be worth running.
	cues []string
	re   *regexp.Regexp
	kind string
}{
	{[]string{"refund", "reimburs", "money"}, regexp.MustCompile(actionEN + `((?:issued|processed|initiated|submitted|sent|credited|approved|completed|arranged|put through)\b[^.!?\n]{0,40}?\b(?:refund|reimbursement|money)|refunded\b)`), ActionRefund},
	{[]string{"cancel"}, regexp.MustCompile(actionEN + `(cancell?ed|canceled)\b`), ActionCancel},
	{[]string{"dispute", "claim", "case"}, regexp.MustCompile(actionEN + `(opened|filed|raised|submitted|lodged|started)\b[^.!?\n]{0,30}?\b(?:dispute|claim|case)\b`), ActionDispute},
	{[]string{"reembols"}, regexp.MustCompile(`\b(?:he|hemos)\s+(?:emitido|procesado|realizado|tramitado|aprobado|enviado)\b[^.!?\n]{0,30}?\breembolso|\b(?:le |te )?(?:he|hemos)\s+reembolsado\b`), ActionRefund},
	{[]string{"cancelado"}, regexp.MustCompile(`\b(?:he|hemos)\s+cancelado\b`), ActionCancel},
	{[]string{"disputa"}, regexp.MustCompile(`\b(?:he|hemos)\s+(?:abierto|presentado|iniciado)\b[^.!?\n]{0,30}?\bdisputa`), ActionDispute},
	{[]string{"возврат", "деньги", "средства"}, regexp.MustCompile(`(?:^|[^\p{L}])(?:я|мы)\s+(?:уже\s+)?(?:оформил[аи]?|провел[аи]?|одобрил[аи]?|вернул[аи]?|отправил[аи]?)\s+(?:вам\s+)?(?:[\p{L}]+\s+){0,2}?(?:возврат|деньги|средства)`), ActionRefund},
	{[]string{"отменил"}, regexp.MustCompile(`(?:^|[^\p{L}])(?:я|мы)\s+(?:уже\s+)?отменил[аи]?`), ActionCancel},
	{[]string{"спор"}, regexp.MustCompile(`(?:^|[^\p{L}])(?:я|мы)\s+(?:уже\s+)?(?:открыл[аи]?|оформил[аи]?|подал[аи]?)\s+(?:[\p{L}]+\s+){0,2}?спор`), ActionDispute},
	{[]string{"환불"}, regexp.MustCompile(`환불(?:을|이)?\s?(?:처리|진행|완료)?\s?(?:해|하여)\s?드렸`), ActionRefund},
	{[]string{"취소"}, regexp.MustCompile(`취소(?:를)?\s?(?:처리)?\s?(?:해|하여)\s?드렸`), ActionCancel},
	{[]string{"분쟁"}, regexp.MustCompile(`분쟁(?:을)?\s?(?:접수|제기|신청)\s?(?:해|하여)\s?드렸`), ActionDispute},
}

// actionEN starts an English action claim: "I", "we've", "I have just",
// "we've gone ahead and", or an earlier action and "and" ("I've refunded
// the socks and cancelled").
const actionEN = `\b(?:i|we)(?:'ve| have)?(?:\s+(?:just|already|now|also|successfully|gone ahead and))*\s+(?:[^.!?\n]{0,60}?\b(?:and|then)\s+(?:also\s+)?)?`

// Words that make an action claim a possibility, a refusal or a
// condition rather than a report: "I can't cancel it", "once I've issued
// the refund", "no he cancelado". Conditions may stand among the three
// words before the subject, a negation right before it; between the
// subject and the verb, any of them.
var (
	conditionWords = []string{"if", "once", "when", "after", "soon", "until", "si", "cuando", "когда", "если", "как"}
	negationWords  = []string{"not", "cannot", "can", "will", "would", "could", "may", "might", "unable", "no", "todavia", "aun", "не", "ещё", "еще"}
)

// notTheAction, between the verb and what it acts on, make the sentence
// about something else: "I've sent you a confirmation request for the
// refund", "I've started looking into your claim", "I've messaged the
// seller about the refund".
var notTheAction = []string{"confirm", "request for", "about", "look", "into", "review", "check", "message", "email", "note", "link",
	"form", "question", "details", "information", "solicitud de", "confirmac", "подтвержд", "запрос"}

// actionClaims returns the actions sentence s (folded f) says the agent
// took.
func actionClaims(s string, f *folded) []claim {
	if strings.HasSuffix(strings.TrimSpace(f.s), "?") {
		return nil
	}
	var out []claim
	for _, a := range actionREs {
		if !hasAny(f.s, a.cues) {
			continue
		}
		for _, m := range a.re.FindAllStringSubmatchIndex(f.s, -1) {
			verb := m[1]
			if len(m) > 2 && m[2] >= 0 {
				verb = m[2]
			}
			var before []string
			if m[0] > 0 {
				before = strings.Fields(wordsAround(f.runes, f.runeAt(m[0]-1), -1, 3))
			}
			between := strings.Fields(f.s[m[0]:verb])
			if hasWord(before, conditionWords) || len(before) > 0 && hasWord(before[len(before)-1:], negationWords) ||
				hasWord(between, conditionWords) || hasWord(between, negationWords) ||
				hasAny(f.s[verb:m[1]], notTheAction) {
				continue
			}
			sp := f.origin(m[0], m[1])
			out = append(out, claim{kind: claimAction, key: a.kind, sp: sp, text: s[sp.start:sp.end]})
		}
	}
	return out
}

// hasWord reports whether one of words is in list, or is a contraction
// with "n't" or "'ll".
func hasWord(words, list []string) bool {
	for _, w := range words {
		w = strings.Trim(w, ",;:\"'()-")
		if strings.HasSuffix(w, "n't") || strings.HasSuffix(w, "'ll") {
			return true
		}
		for _, n := range list {
			if w == n {
				return true
			}
		}
	}
	return false
}

// carriers are the parcel carriers a reply may name, each with the ways it
// is written (folded).
var carriers = map[string][]string{
	"ups":          {"ups"},
	"dhl":          {"dhl"},
	"fedex":        {"fedex", "fed ex"},
	"usps":         {"usps", "us postal service", "united states postal service"},
	"tnt":          {"tnt"},
	"dpd":          {"dpd"},
	"gls":          {"gls"},
	"royal mail":   {"royal mail"},
	"cj":           {"cj logistics", "cj대한통운", "cj 대한통운", "대한통운"},
	"hanjin":       {"hanjin", "한진택배", "한진"},
	"lotte":        {"lotte", "롯데택배"},
	"korea post":   {"korea post", "우체국"},
	"ems":          {"ems"},
	"correos":      {"correos"},
	"seur":         {"seur"},
	"cdek":         {"cdek", "сдэк"},
	"russian post": {"russian post", "почта россии", "почтой россии"},
	"boxberry":     {"boxberry"},
}

// carrierClaims returns the carriers sentence f names.
func carrierClaims(s string, f *folded) []claim {
	var out []claim
	for name, forms := range carriers {
		for _, form := range forms {
			k := indexWord(f.s, form)
			if k < 0 {
				continue
			}
			sp := f.origin(k, k+len(form))
			out = append(out, claim{kind: claimCarrier, key: name, sp: sp, text: s[sp.start:sp.end]})
			break
		}
	}
	return out
}

// indexWord finds form in s as a whole word (Hangul forms may be followed
// by particles).
func indexWord(s, form string) int {
	from := 0
	for {
		k := strings.Index(s[from:], form)
		if k < 0 {
			return -1
		}
		a := from + k
		b := a + len(form)
		from = a + 1
		if a > 0 && isWordByte(s[a-1]) {
			continue
		}
		if b < len(s) && isWordByte(s[b]) && !hasHangul(form) {
			continue
		}
		return a
	}
}

func (e *evidence) hasCarrier(name string) bool {
	if e.lowerS == nil {
		l := lowerSameLen(e.raw())
		e.lowerS = &l
	}
	for _, form := range carriers[name] {
		if indexWord(*e.lowerS, form) >= 0 {
			return true
		}
	}
	return false
}

// Who pays for return shipping. The policy gives it by reason: the buyer
// on a change of mind, the seller when the item is damaged, wrong or not
// as described. A reply saying return shipping is free without the reason
// that makes it so (or "always"), or that the buyer pays where the seller
// does, contradicts it, however many of its words it shares.
var (
	returnShippingCues = []string{"return shipping", "return postage", "return label", "shipping back", "send it back", "send the item back",
		"return delivery", "return costs", "cost of the return", "cost of returning", "shipping for the return", "shipping for returns",
		"envio de devolucion", "envio de la devolucion", "gastos de devolucion", "costo de devolucion", "coste de devolucion", "devolverlo", "devolver el articulo",
		"обратн", "пересылк", "반품 배송", "반품비", "반송", "반품"}
	freeCues = []string{"free", "no cost", "no charge", "no extra cost", "at no", "we cover", "we'll cover", "we will cover", "covered by", "on us", "seller pays",
		"seller will pay", "seller covers", "prepaid", "won't have to pay", "will not have to pay", "don't have to pay", "do not have to pay", "won't pay",
		"gratis", "gratuit", "sin costo", "sin coste", "sin cargo", "no tiene que pagar", "no tendra que pagar", "el vendedor paga", "lo paga el vendedor", "corre a cargo del vendedor",
		"бесплатн", "за счет продавца", "продавец оплачивает", "продавец оплатит", "не нужно платить", "не придется платить",
		"무료", "판매자 부담", "판매자가 부담", "부담하지 않"}
	buyerPaysCues = []string{"you pay", "you'll pay", "you will pay", "you have to pay", "you need to pay", "you'll need to pay", "you will need to pay", "you'd pay",
		"you would pay", "at your own cost", "at your expense", "at your own expense", "buyer pays", "paid by the buyer", "you cover", "you'll need to cover",
		"you'll have to cover", "your responsibility", "usted paga", "tendra que pagar", "debera pagar", "a su cargo", "el comprador paga", "corre por su cuenta",
		"вы оплачиваете", "вам нужно оплатить", "придется оплатить", "за ваш счет", "покупатель оплачивает", "고객님 부담", "구매자 부담", "구매자가 부담", "부담하셔야"}
	sellerReasonCues = []string{"damaged", "defective", "broken", "faulty", "wrong item", "wrong product", "not as described", "incorrect item", "different item",
		"danad", "defectuos", "roto", "equivocado", "incorrecto", "no es como se describe", "no coincide",
		"поврежд", "брак", "не тот", "не соответствует", "파손", "불량", "오배송", "다른 상품", "설명과 다"}
	buyerReasonCues = []string{"change of mind", "changed your mind", "change your mind", "no longer want", "don't want", "do not want", "simply", "any reason",
		"cambio de opinion", "cambia de opinion", "ya no", "передумал", "больше не нужен", "단순 변심", "변심"}
	// buyerWords and sellerWords name who pays in the evidence's rules.
	buyerWords   = []string{"buyer", "comprador", "покупател", "구매자", "you pay", "your own cost", "your expense"}
	sellerWords  = []string{"seller", "vendedor", "продав", "판매자"}
	absoluteCues = []string{"always", "any reason", "every return", "all returns", "whatever the reason", "regardless", "no matter", "siempre", "cualquier",
		"всегда", "любой", "в любом случае", "항상", "언제나", "어떤 경우"}
)

// costClaims returns what sentence f says about who pays return shipping:
// key "free" or "buyer", with ":seller" when it names a reason the seller
// pays for and ":buyer" when a reason the buyer pays for (or "always").
func costClaims(s string, f *folded) []claim {
	if !hasAny(f.s, returnShippingCues) {
		return nil
	}
	var key string
	switch {
	case hasAny(f.s, buyerPaysCues):
		key = "buyer"
	case hasAny(f.s, freeCues):
		key = "free"
	default:
		return nil
	}
	switch {
	case hasAny(f.s, absoluteCues) || hasAny(f.s, buyerReasonCues):
		key += ":buyer"
	case hasAny(f.s, sellerReasonCues):
		key += ":seller"
	}
	t := strings.TrimSpace(s)
	a := strings.Index(s, t)
	return []claim{{kind: claimCost, key: key, sp: span{int32(a), int32(a + len(t))}, text: t}}
}

// contradictsCost reports whether the evidence says otherwise than the
// cost claim key: it says the buyer pays on a change of mind where the
// claim has it free with no reason the seller pays for; it says the
// seller pays for a damaged or wrong item where the claim has the buyer
// pay for one.
func (e *evidence) contradictsCost(key string) bool {
	buyerPays, sellerPays := e.returnShippingPayers()
	switch key {
	case "free", "free:buyer":
		return buyerPays
	case "buyer:seller":
		return sellerPays
	}
	return false
}

// returnShippingPayers reads the evidence's return shipping rules: whether
// the buyer pays on a change of mind, the seller for a faulty item. It
// reads lines (table rows) and sentences of texts that are about return
// shipping.
func (e *evidence) returnShippingPayers() (buyer, seller bool) {
	f := e.folded()
	if !hasAny(f, returnShippingCues) {
		return false, false
	}
	f = strings.ReplaceAll(f, `\n`, "\n") // line breaks of JSON strings
	for _, line := range strings.FieldsFunc(f, func(r rune) bool { return r == '\n' || r == '.' || r == '"' }) {
		if hasAny(line, buyerReasonCues) && hasAny(line, buyerWords) {
			buyer = true
		}
		if hasAny(line, sellerReasonCues) && hasAny(line, sellerWords) {
			seller = true
		}
	}
	return buyer, seller
}

// Topics a duration is said of: what a reply's "30 days" is the window
// of.
const (
	topicRefund  = "refund"
	topicDispute = "dispute"
	topicCancel  = "cancel"
)

var topicCues = map[string][]string{
	topicRefund:  {"refund", "money back", "reimburse", "reembols", "возврат", "вернуть деньги", "환불"},
	topicDispute: {"dispute", "disputa", "спор", "분쟁"},
	topicCancel:  {"cancel", "отмен", "취소"},
}

// nearestTopic returns the topic named nearest to byte i of the
// lower-cased sentence low in the same clause, "" when it names none: in
// "after 30 days, you may still open a dispute" the 30 days are not the
// dispute's.
func nearestTopic(low string, i int) string {
	best, dist := "", len(low)+1
	for t, cues := range topicCues {
		for _, c := range cues {
			from := 0
			for {
				k := strings.Index(low[from:], c)
				if k < 0 {
					break
				}
				a := from + k
				from = a + len(c)
				lo, hi := min(a, i), max(a, i)
				if strings.ContainsAny(low[lo:hi], ",;:()—–") {
					continue
				}
				if d := hi - lo; d < dist {
					best, dist = t, d
				}
			}
		}
	}
	return best
}

// hasTopic reports whether text (an evidence sentence) names topic.
func hasTopic(text, topic string) bool {
	return hasAny(lowerSameLen(text), topicCues[topic])
}

// sentenceAround returns the sentence of raw around byte i: from the end
// of the previous sentence (a full stop, a line break, also an escaped one
// in JSON, or the quote that ends a JSON string) to the end of this one.
// An escaped quote inside a JSON string (an "item not received" dispute)
// is part of the sentence.
func sentenceAround(raw string, i int) string {
	escaped := func(k int) bool { return k > 0 && raw[k-1] == '\\' }
	a := i
	for ; a > 0; a-- {
		c := raw[a-1]
		if c == '\n' || c == '"' && !escaped(a-1) || c == 'n' && escaped(a-1) ||
			(c == '.' || c == '!' || c == '?') && raw[a] == ' ' {
			break
		}
	}
	b := i
	for ; b < len(raw); b++ {
		c := raw[b]
		if c == '\n' || c == '"' && !escaped(b) || c == '\\' && b+1 < len(raw) && raw[b+1] == 'n' ||
			(c == '.' || c == '!' || c == '?') && (b+1 == len(raw) || raw[b+1] == ' ') {
			break
		}
	}
	return raw[a:b]
}
