package guardrails

import (
	"encoding/json"
	"strings"
	"unicode"
)

// The support score says how much of a sentence the evidence says too:
// the share of the sentence's character n-grams (trigrams, and bigrams
// after a Hangul syllable, so Korean needs no word splitter) found in the
// best evidence sentence, or pair of adjacent sentences, since a reply
// often joins two. It is computed only for sentences that state policy:
// facts about one order are claims, checked one by one.

// maxEvidenceSentences bounds the index.
const maxEvidenceSentences = 512

// gramIndex holds the n-grams of each evidence sentence, computed once per
// turn's evidence.
type gramIndex struct {
	grams [][]uint64
	n     int
	// lang is each sentence's language; langs counts them.
	lang  []string
	langs map[string]int
}

// grams calls fn with each n-gram of s (repeats included).
func grams(s string, fn func(g uint64)) {
	var rs []rune
	space := true
	for _, r := range foldString(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			rs = append(rs, r)
			space = false
		case !space:
			rs = append(rs, ' ')
			space = true
		}
	}
	for i := range rs {
		if i+2 < len(rs) {
			fn(uint64(rs[i])<<42 | uint64(rs[i+1])<<21 | uint64(rs[i+2]))
		}
		if i+1 < len(rs) && isHangulSyllable(rs[i]) {
			fn(1<<63 | uint64(rs[i])<<21 | uint64(rs[i+1]))
		}
	}
}

// evidenceSentences are the sentences of the evidence's prose: plain
// texts, and the longer strings of JSON results (policy passages, tool
// messages and summaries).
func (e *evidence) sentences() []string {
	var prose []string
	for _, t := range e.texts {
		tt := strings.TrimSpace(t)
		if strings.HasPrefix(tt, "{") || strings.HasPrefix(tt, "[") {
			var v any
			if json.Unmarshal([]byte(tt), &v) == nil {
				collectStrings(v, &prose)
				continue
			}
		}
		prose = append(prose, t)
	}
	var out []string
	for _, p := range prose {
		segs, _ := splitSentences(p, true)
		for _, sg := range segs {
			if s := strings.TrimSpace(p[sg.start:sg.end]); len(s) >= 8 {
				out = append(out, s)
				if len(out) == maxEvidenceSentences {
					return out
				}
			}
		}
	}
	return out
}

func collectStrings(v any, out *[]string) {
	switch x := v.(type) {
	case string:
		// Prose, not ids or timestamps.
		if len(x) >= 20 && strings.ContainsRune(x, ' ') {
			*out = append(*out, x)
		}
	case []any:
		for _, y := range x {
			collectStrings(y, out)
		}
	case map[string]any:
		for _, y := range x {
			collectStrings(y, out)
		}
	}
}

func (e *evidence) gramIndex() *gramIndex {
	if e.index != nil {
		return e.index
	}
	idx := &gramIndex{langs: map[string]int{}}
	for i, s := range e.sentences() {
		l := langOf(s)
		idx.lang = append(idx.lang, l)
		idx.langs[l]++
		var gs []uint64
		grams(s, func(g uint64) { gs = append(gs, g) })
		idx.grams = append(idx.grams, gs)
		idx.n = i + 1
	}
	e.index = idx
	return idx
}

// support returns the support score of sentence s, and false when it
// cannot be judged: the evidence has prose, but none in the sentence's
// language (an English tool message behind a Korean reply).
func (e *evidence) support(s string) (float64, bool) {
	ids := map[uint64]int32{}
	grams(s, func(g uint64) {
		if _, ok := ids[g]; !ok {
			ids[g] = int32(len(ids))
		}
	})
	if len(ids) == 0 {
		return 1, true
	}
	idx := e.gramIndex()
	if idx.n == 0 {
		return 0, true
	}
	lang := langOf(s)
	if idx.langs[lang] == 0 {
		return 0, false
	}
	// last[k] is the last sentence holding the sentence's n-gram k.
	last := make([]int, len(ids))
	for k := range last {
		last[k] = -1
	}
	single := make([]int, idx.n)
	pair := make([]int, idx.n) // sentences i and i+1
	for i, gs := range idx.grams {
		if idx.lang[i] != lang {
			continue
		}
		for _, g := range gs {
			k, ok := ids[g]
			if !ok || last[k] == i {
				continue
			}
			if i > 0 && last[k] != i-1 {
				pair[i-1]++ // new to the pair (i-1, i)
			}
			last[k] = i
			single[i]++
			pair[i]++
		}
	}
	best := 0
	for i := range single {
		p := single[i]
		if i+1 < idx.n && idx.lang[i+1] == lang {
			p = pair[i]
		}
		best = max(best, p)
	}
	return float64(best) / float64(len(ids)), true
}

// otherLanguages reports whether the evidence has prose in a language
// other than lang.
func (e *evidence) otherLanguages(lang string) bool {
	idx := e.gramIndex()
	return len(idx.langs) > 1 || len(idx.langs) == 1 && idx.langs[lang] == 0
}

var (
	enWords = map[string]bool{"the": true, "and": true, "is": true, "you": true, "to": true, "of": true, "your": true, "be": true, "can": true, "for": true, "it": true, "are": true, "this": true, "with": true, "not": true, "an": true, "or": true, "if": true, "we": true, "was": true}
	esWords = map[string]bool{"el": true, "la": true, "de": true, "que": true, "y": true, "en": true, "los": true, "las": true, "su": true, "para": true, "se": true, "del": true, "un": true, "una": true, "es": true, "puede": true, "por": true, "con": true, "no": true, "al": true}
)

// langOf guesses the language of a sentence among the four: by script,
// and for Latin script by its function words.
func langOf(s string) string {
	latin, cyr, hangul := 0, 0, 0
	for _, r := range s {
		switch {
		case isHangulSyllable(r):
			hangul++
		case r >= 0x400 && r < 0x530:
			cyr++
		case r < 0x250 && unicode.IsLetter(r):
			latin++
		}
	}
	switch {
	case hangul >= cyr && hangul*2 >= latin && hangul > 0:
		return "ko"
	case cyr >= latin && cyr > 0:
		return "ru"
	case latin == 0:
		return ""
	}
	en, es := 0, 0
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if enWords[w] {
			en++
		}
		if esWords[w] {
			es++
		}
	}
	if es > en {
		return "es"
	}
	return "en"
}

// policyCues mark a sentence that states policy (folded forms). Mere
// mentions of "policy" are not among them: "I couldn't find a policy that
// answers that" states none.
var policyCues = []string{
	"within", "eligible", "refund window", "dispute window", "business day",
	"non-refundable", "not refundable", "cannot be refunded", "can be refunded", "at most", "up to ",
	"free shipping", "free standard shipping", "return shipping", "self-service", "you can request",
	"you can open", "counted from", "is allowed", "are allowed", "prohibited", "must ",
	"excluded", "unless", "only issued", "only available", "only if", "not eligible", "applies to",
	"apply to", "required", "is charged", "are charged", "store credit", "fee ",
	"이내", "최대 ", "영업일", "제외", "경우에만", "수수료", "환불받을 수", "제기할 수", "무료 배송", "반품 배송비", "환불되지 않", "금지",
	"plazo", "dentro de", "como maximo", "hasta ", "reembolsable", "dias habiles", "limite",
	"envio gratis", "envio gratuito", "puede solicitar", "puede abrir", "prohibid",
	"excluid", "a menos que", "solo se", "se aplica", "comision",
	"срок", "в течение", "не более", "максимум", "рабочих дн", "лимит", "бесплатн",
	"можно запросить", "можно открыть", "запрещ", "не подлежат",
	"исключ", "только если", "если только", "применяется", "комисси",
}

// specificCues mark a sentence about the order or request at hand ("this
// order is past the refund window"): it reports a tool's outcome, which
// its claims are checked against, rather than stating policy.
var specificCues = []string{
	"this order", "your order", "this request", "your request", "this refund", "your refund",
	"this dispute", "your dispute", "this item", "your parcel", "your package", "this account",
	"이 주문", "해당 주문", "이 요청", "이 환불", "이 분쟁", "주문하신",
	"este pedido", "su pedido", "esta solicitud", "este reembolso", "su reembolso", "esta disputa", "su disputa",
	"этот заказ", "этому заказу", "этого заказа", "ваш заказ", "вашему заказу", "этот запрос", "этот возврат",
	"ваш возврат", "этот спор", "по заказу",
}

// statesPolicy reports whether the sentence (folded f, claims cs) states
// policy: it cites a policy, names a rule or a duration or percentage, or
// uses the words policies are stated in; and it is neither about one
// specific order, refund or dispute (an id, a date, "this order") nor a
// question.
func statesPolicy(raw string, f string, cs []claim) bool {
	t := strings.TrimSpace(raw)
	if strings.HasSuffix(t, "?") || strings.HasSuffix(t, "？") || len([]rune(t)) < 12 {
		return false
	}
	strong := citationRE.MatchString(raw)
	for _, c := range cs {
		switch c.kind {
		case claimOrder, claimRefund, claimDispute, claimTracking, claimDate:
			return false
		case claimDuration, claimPercent, claimPolicy, claimCount:
			strong = true
		}
	}
	for _, cue := range specificCues {
		if strings.Contains(f, cue) {
			return false
		}
	}
	if strong {
		return true
	}
	for _, cue := range policyCues {
		if strings.Contains(f, cue) {
			return true
		}
	}
	return false
}
