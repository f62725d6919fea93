package guardrails

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A claim is a checkable fact a reply states: an amount, a duration, a
// date, an id, a tracking number, a percentage, a state or a named policy
// rule. Each must be backed by the evidence.
type claim struct {
	kind string
	// text is the claim as written; key its normalised value.
	text string
	key  string
	sp   span

	// Parsed values, by kind.
	minor    int64
	currency string
	dur      duration
}

// Claim kinds, reported as Violation.Rule.
const (
	claimAmount    = "amount"
	claimDuration  = "duration"
	claimDate      = "date"
	claimOrder     = "order_id"
	claimRefund    = "refund_id"
	claimDispute   = "dispute_id"
	claimTracking  = "tracking_number"
	claimPercent   = "percent"
	claimStatus    = "status"
	claimPolicy    = "policy_rule"
	claimCount     = "count"
	claimAction    = "action"
	claimCarrier   = "carrier"
	claimCost      = "policy_contradiction"
	maxClaimDigits = 15
)

// duration is a length of time in a canonical unit: hours for days, weeks
// and hours; business days, months, years and minutes as they are.
type duration struct {
	n    int64
	unit string // "h", "bd", "mo", "y", "min"
	// calendarDays is set for a number of plain days, which a number of
	// business days also supports ("5 days" for "5 business days").
	calendarDays bool
	// low is the first number of a range ("3" of "3 to 7 days"), which
	// only the start of a range supports.
	low bool
	// topic is what the sentence says the duration is of (topicRefund,
	// …), "" when it names none.
	topic string
}

func (d duration) String() string { return fmt.Sprintf("%d%s", d.n, d.unit) }

var (
	numPat = `(\d{1,3}(?:[,.\x{00A0}\x{202F} ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)`
	// amountRE finds an amount with its currency before or after it;
	// "69,98 US$" is how Spanish writes dollars (CLDR, package l10n).
	amountRE = regexp.MustCompile(`(us\$|\$|€|₩|₽|usd|eur|krw|rub)\s?` + numPat +
		`|` + numPat + `\s?(us\$|usd|eur|krw|rub|dollars?|d[oó]lares|euros?|won|\$|€|₩|₽|원|руб(?:лей|ля|ль|\.)?|р\.|евро|доллар(?:ов|а)?|долл\.|달러|유로|루블)`)

	durUnit = `(business\s+days?|working\s+days?|days?|hours?|weeks?|months?|years?|minutes?|` +
		`d[ií]as?\s+(?:h[aá]biles|laborables)|d[ií]as?|horas?|semanas?|meses|mes|a[nñ]os?|minutos?|` +
		`рабочих\s+дн(?:ей|я)|рабочий\s+день|рабочие\s+дни|дн(?:ей|я)|день|сут(?:ок|ки)|час(?:а|ов)?|недел[ьиюя]|месяц(?:а|ев)?|год(?:а)?|лет|минут(?:ы)?|영업일|시간|개월|주일|주|일|년|분)`
	// durationRE finds "30 days", "3 to 7 business days", "30-day",
	// "3~7영업일", "от 3 до 7 рабочих дней", "de 3 a 7 días hábiles".
	durationRE = regexp.MustCompile(`(\d{1,4})(?:\s*(?:to|or|–|—|-|~|a|o|y|and|до|или|и)\s*(\d{1,4}))?\s*-?\s*` + durUnit)

	percentRE = regexp.MustCompile(`(\d{1,3}(?:[.,]\d{1,2})?)\s?(?:%|por\s+ciento|percent|per\s+cent|процент(?:ов|а)?|퍼센트|프로)`)

	// countRE finds a limit: "at most 3 refunds", "최대 3회", "como máximo
	// 3 reembolsos", "не более 3 возвратов".
	countRE = regexp.MustCompile(`(?:at\s+most|up\s+to|a\s+maximum\s+of|maximum\s+of|max\.?|no\s+more\s+than|only|최대|como\s+m[aá]ximo|m[aá]ximo|hasta|не\s+более|максимум|до)\s+(\d{1,4})\s*(?:[\p{L}-]+\s+){0,2}?(refunds?|disputes?|orders?|items?|times|photos?|files?|pieces?|evidence\s+items?|reembolsos?|disputas?|pedidos?|art[ií]culos?|veces|fotos?|archivos?|возврат\p{L}*|спор\p{L}*|заказ\p{L}*|товар\p{L}*|раз\p{L}*|фото\p{L}*|файл\p{L}*|회|건|개|번)`)

	// The id patterns read lower-cased text. They start with a literal,
	// so the regexp package can skip ahead to it; findIDs checks the word
	// boundary before it.
	orderRE    = regexp.MustCompile(`ord[-_ ]?(\d{5})\b`)
	refundRE   = regexp.MustCompile(`rf-[0-9a-z]{4,32}\b`)
	disputeRE  = regexp.MustCompile(`dsp-[0-9a-z]{4,32}\b`)
	trackCueRE = regexp.MustCompile(`(?:tracking(?:\s+(?:number|no\.?|#|code))?|운송장(?:\s*번호)?|송장(?:\s*번호)?|seguimiento|трек-номер|трек\s+номер|номер\s+отслеживания)[^a-z0-9]{0,12}(?:is|es|:)?[^a-z0-9]{0,4}([a-z0-9][a-z0-9-]{5,34}[a-z0-9])`)
	trackRE    = regexp.MustCompile(`\b(1Z[0-9A-Z]{8,18}|[A-Z]{2}\d{8,12}[A-Z]{0,2}|\d{12,22})\b`)

	// policyRuleREs find named rules: "our Price Match Guarantee", "the
	// Disputes policy", "política de Devoluciones", "правила «Споры»",
	// "환불 정책".
	policyRuleREs = []*regexp.Regexp{
		regexp.MustCompile(`\b(?:[Oo]ur|[Tt]he|[Aa])\s+((?:[A-Z][\w'-]*\s+){0,3}[A-Z][\w'-]*\s+(?:[Pp]olicy|[Gg]uarantee|[Pp]rogram(?:me)?|[Pp]rotection|[Pp]romise|[Pp]lan|[Rr]ule))\b`),
		regexp.MustCompile(`\b(?:our|the|a)\s+((?:[a-z][\w'-]*[\s-]+){0,3}(?:guarantee|protection|program|programme|promise|scheme|pledge))\b`),
		regexp.MustCompile(`(?:[Pp]olítica|[Gg]arantía|[Pp]rograma|[Pp]rotección)\s+(?:de(?:l)?\s+(?:la\s+|los\s+|las\s+)?)?([A-ZÁÉÍÓÚÑ][\p{L}-]*(?:\s+[A-ZÁÉÍÓÚÑ][\p{L}-]*){0,3})`),
		regexp.MustCompile(`(?i)garantía\s+(?:de(?:l)?\s+)((?:[\p{L}-]+\s+){0,1}[\p{L}-]+)`),
		regexp.MustCompile(`(?:[Пп]олитик\p{L}*|[Пп]равил\p{L}*|[Гг]аранти\p{L}*|[Пп]рограмм\p{L}*)\s+«([^»]{2,60})»`),
		regexp.MustCompile(`[「『"“‘']([^」』"”’']{2,30})[」』"”’']\s?(?:정책|제도|프로그램|규정)`),
		regexp.MustCompile(`([\p{Hangul}]{1,10}\s?보장\s?(?:제도|프로그램|정책|서비스))`),
	}
	// policyKeyword gates the policy rule patterns (a cheap test first).
	policyKeywords = []string{"olicy", "uarantee", "rogram", "rotection", "romise", "scheme", "pledge", "lan", "ule",
		"olítica", "arantía", "rograma", "rotección", "олитик", "равил", "аранти", "рограмм", "정책", "제도", "프로그램", "규정", "보장"}
	// exampleCues before an id make it an example, not a claim: "for
	// example ORD-10042".
	exampleCues = []string{"example", "e.g.", "for instance", "예:", "예시", "ejemplo", "p. ej", "например", "напр."}
)

// ruleStopWords are words a rule's name does not need the evidence to
// repeat.
var ruleStopWords = map[string]bool{
	"the": true, "our": true, "a": true, "an": true, "of": true, "and": true, "for": true, "on": true,
	"to": true, "policy": true, "rule": true, "rules": true, "de": true, "la": true, "el": true,
	"del": true, "los": true, "las": true, "y": true, "politica": true, "и": true, "по": true,
	"на": true, "правила": true, "политика": true, "정책": true, "제도": true,
}

// extractor finds the claims of one sentence.
type extractor struct {
	locale string
	// pre is the folding of the text preOf, when the caller has it:
	// states reads it rather than folding the sentence again.
	pre   *folded
	preOf string
}

// claims returns the claims of s, a sentence with its citations masked,
// with spans relative to s.
func (x extractor) claims(s string) []claim {
	if !strings.ContainsAny(s, "0123456789") {
		return policyRules(s)
	}
	var out []claim
	low := lowerSameLen(s)
	// work is the lower-cased sentence and orig the sentence as written,
	// both with what was already read masked out.
	work, orig := []byte(low), []byte(s)
	mask := func(a, b int) {
		for k := a; k < b; k++ {
			work[k], orig[k] = ' ', ' '
		}
	}
	add := func(c claim, a, b int) {
		c.sp = span{int32(a), int32(b)}
		c.text = s[a:b]
		out = append(out, c)
		mask(a, b)
	}
	has := func(subs ...string) bool {
		for _, sub := range subs {
			if strings.Contains(low, sub) {
				return true
			}
		}
		return false
	}
	specific := false
	// Ids first: their digits are not amounts or durations.
	for _, re := range []struct {
		re   *regexp.Regexp
		kind string
		cue  string
	}{{orderRE, claimOrder, "ord"}, {refundRE, claimRefund, "rf-"}, {disputeRE, claimDispute, "dsp-"}} {
		if !has(re.cue) {
			continue
		}
		for _, l := range findIDs(re.re, string(work)) {
			if isExample(s, l[0]) {
				mask(l[0], l[1])
				continue
			}
			id := strings.ToUpper(s[l[0]:l[1]])
			if re.kind == claimOrder {
				id = "ORD-" + orderRE.FindStringSubmatch(low[l[0]:l[1]])[1]
			}
			add(claim{kind: re.kind, key: id}, l[0], l[1])
			specific = true
		}
	}
	if has("track", "송장", "seguimiento", "трек", "отслеживания") {
		for _, m := range trackCueRE.FindAllSubmatchIndex(work, -1) {
			if tok := s[m[2]:m[3]]; strings.ContainsAny(tok, "0123456789") {
				add(claim{kind: claimTracking, key: alnumUpper(tok)}, m[2], m[3])
			}
		}
	}
	if strings.Contains(s, "1Z") || digitRun(s) >= 8 { // what each of trackRE's forms needs
		for _, l := range trackRE.FindAllIndex(orig, -1) {
			add(claim{kind: claimTracking, key: alnumUpper(s[l[0]:l[1]])}, l[0], l[1])
		}
	}
	x.dates(s, work, add)
	if has(currencyHints...) {
		for _, m := range amountRE.FindAllSubmatchIndex(work, -1) {
			var num, cur string
			if m[2] >= 0 {
				cur, num = s[m[2]:m[3]], s[m[4]:m[5]]
			} else {
				num, cur = s[m[6]:m[7]], s[m[8]:m[9]]
			}
			if !amountBounded(s, m[0], m[1], cur) {
				continue
			}
			code := currencyCode(cur)
			minor, ok := parseMinor(num, code)
			if !ok {
				continue
			}
			add(claim{kind: claimAmount, key: fmt.Sprintf("%d %s", minor, code), minor: minor, currency: code}, m[0], m[1])
			specific = true
		}
	}
	if has("%", "ciento", "percent", "per cent", "процент", "퍼센트", "프로") {
		for _, m := range percentRE.FindAllSubmatchIndex(work, -1) {
			if m[0] > 0 && isWordByte(s[m[0]-1]) {
				continue
			}
			v := strings.ReplaceAll(s[m[2]:m[3]], ",", ".")
			add(claim{kind: claimPercent, key: strings.TrimSuffix(strings.TrimSuffix(v, ".0"), ".00") + "%"}, m[0], m[1])
		}
	}
	if has(limitHints...) {
		for _, m := range countRE.FindAllSubmatchIndex(work, -1) {
			n, _ := strconv.ParseInt(s[m[2]:m[3]], 10, 64)
			add(claim{kind: claimCount, key: strconv.FormatInt(n, 10), minor: n}, m[0], m[1])
		}
	}
	if has(unitHints...) {
		for _, m := range durationRE.FindAllSubmatchIndex(work, -1) {
			if m[0] > 0 && (isWordByte(s[m[0]-1]) || s[m[0]-1] == '.' || s[m[0]-1] == ',') {
				continue
			}
			unit := low[m[6]:m[7]]
			if !unitBounded(s, m[7]) || koreanFalseUnit(s, m[7]) {
				continue
			}
			for gi, g := range [][2]int{{m[2], m[3]}, {m[4], m[5]}} {
				if g[0] < 0 {
					continue
				}
				n, _ := strconv.ParseInt(s[g[0]:g[1]], 10, 64)
				d, ok := parseDuration(n, unit)
				if !ok {
					continue
				}
				d.low = gi == 0 && m[4] >= 0
				d.topic = nearestTopic(low, g[0])
				c := claim{kind: claimDuration, key: d.String(), dur: d}
				c.sp = span{int32(g[0]), int32(m[1])}
				c.text = s[g[0]:m[1]]
				out = append(out, c)
			}
			mask(m[0], m[1])
		}
	}
	if specific {
		out = append(out, x.states(s)...)
	}
	out = append(out, policyRules(string(orig))...)
	return out
}

// findIDs returns the matches of an id pattern (in lower-cased text) that
// start a word.
func findIDs(re *regexp.Regexp, low string) [][]int {
	var out [][]int
	for _, l := range re.FindAllStringIndex(low, -1) {
		if l[0] > 0 && isWordByte(low[l[0]-1]) {
			continue
		}
		out = append(out, l)
	}
	return out
}

// hasID reports whether lower-cased text names an order, refund or
// dispute.
func hasID(low string) bool {
	return len(findIDs(orderRE, low)) > 0 || len(findIDs(refundRE, low)) > 0 || len(findIDs(disputeRE, low)) > 0
}

// Cheap tests that let a sentence skip a pattern that cannot match it.
var (
	currencyHints = []string{"$", "€", "₩", "₽", "usd", "eur", "krw", "rub", "dollar", "dólar", "won", "원", "руб", "р.", "евро", "долл", "달러", "유로", "루블"}
	limitHints    = []string{"most", "up to", "max", "no more", "only", "최대", "hasta", "не более", "максимум", "до "}
	unitHints     = []string{"day", "hour", "week", "month", "year", "minut", "día", "dia", "hora", "semana", "mes", "año", "ano",
		"дн", "день", "сут", "час", "недел", "месяц", "год", "лет", "минут", "일", "시간", "주", "개월", "년", "분"}
	monthHints = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
)

// lowerSameLen lower-cases s where that keeps each letter's length in
// bytes (all of Latin, Cyrillic and Greek), so offsets into it are offsets
// into s.
func lowerSameLen(s string) string {
	// A text with no upper-case ASCII and no multi-byte character is its
	// own lower case: it is returned without a copy.
	k := 0
	for k < len(s) && (s[k] < 'A' || s[k] > 'Z') && s[k] < utf8.RuneSelf {
		k++
	}
	if k == len(s) {
		return s
	}
	b := []byte(s)
	for i, r := range s[k:] {
		i += k
		switch {
		case r >= 'A' && r <= 'Z':
			b[i] += 'a' - 'A'
		case r >= utf8.RuneSelf:
			if l := unicode.ToLower(r); l != r && utf8.RuneLen(l) == utf8.RuneLen(r) {
				utf8.EncodeRune(b[i:], l)
			}
		}
	}
	return string(b)
}

// isExample reports whether an example cue stands just before byte i.
func isExample(s string, i int) bool {
	before := strings.ToLower(s[max(0, i-24):i])
	for _, c := range exampleCues {
		if strings.Contains(before, c) {
			return true
		}
	}
	return false
}

// digitRun returns the length of the longest run of ASCII digits in s.
func digitRun(s string) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

func isWordByte(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_' || b == '-'
}

// alnumUpper returns the ASCII letters and digits of s, in upper case.
// Bytes of other characters (every byte of a multi-byte one is ≥ 0x80)
// are dropped, so it reads bytes: it runs over every evidence text of a
// turn.
func alnumUpper(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z':
			b = append(b, c-('a'-'A'))
		case c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
			b = append(b, c)
		}
	}
	return string(b)
}

// amountBounded checks that an amount is not part of a longer token: no
// letter or digit right before it, no letter right after a currency word
// (Korean particles may follow 원).
func amountBounded(s string, a, b int, cur string) bool {
	if a > 0 {
		q, _ := utf8.DecodeLastRuneInString(s[:a])
		if unicode.IsLetter(q) || unicode.IsDigit(q) || q == '-' || q == '.' {
			return false
		}
	}
	if b < len(s) {
		q, _ := utf8.DecodeRuneInString(s[b:])
		last, _ := utf8.DecodeLastRuneInString(cur)
		// A Korean particle may follow any currency ("500.00 USD가").
		if unicode.IsDigit(q) || (unicode.IsLetter(q) || q == '\'') && !isHangulSyllable(last) && !isHangulSyllable(q) && unicode.IsLetter(last) {
			return false
		}
	}
	return true
}

// unitBounded reports whether a unit word ends at b (Korean units may be
// followed by particles).
func unitBounded(s string, b int) bool {
	if b >= len(s) {
		return true
	}
	q, _ := utf8.DecodeRuneInString(s[b:])
	last, _ := utf8.DecodeLastRuneInString(s[:b])
	if isHangulSyllable(last) {
		return true
	}
	return !unicode.IsLetter(q) && !unicode.IsDigit(q)
}

// koreanFalseUnit reports a one-syllable Korean unit that is really the
// start of another word: 주문 (order), 분쟁 (dispute), 일부 (part).
func koreanFalseUnit(s string, b int) bool {
	for _, w := range []string{"주문", "분쟁", "일부", "주소", "일반", "분실", "년도"} {
		u, _ := utf8.DecodeRuneInString(w)
		if lastRune(s[:b]) == u && strings.HasPrefix(s[b-utf8.RuneLen(u):], w) {
			return true
		}
	}
	return false
}

func currencyCode(cur string) string {
	c := strings.ToLower(cur)
	switch {
	case strings.Contains(c, "$") || strings.HasPrefix(c, "usd") || strings.HasPrefix(c, "dol") || strings.HasPrefix(c, "dól") || strings.HasPrefix(c, "долл") || c == "달러":
		return "USD"
	case c == "€" || c == "eur" || strings.HasPrefix(c, "euro") || c == "евро" || c == "유로":
		return "EUR"
	case c == "₩" || c == "krw" || c == "원" || c == "won":
		return "KRW"
	case c == "₽" || c == "rub" || strings.HasPrefix(c, "руб") || c == "р." || c == "루블":
		return "RUB"
	}
	return strings.ToUpper(c)
}

// decimals is how many minor-unit digits a currency has.
func decimals(code string) int {
	if code == "KRW" {
		return 0
	}
	return 2
}

// narrowSpaces makes the no-break spaces that group thousands plain ones.
// It is made once: a Replacer made per amount was an allocation and its
// set-up on every amount of every reply.
var narrowSpaces = strings.NewReplacer("\u00a0", " ", "\u202f", " ")

// parseMinor reads a written number ("1,500", "42.50", "1 500,00",
// "15.000") as minor units of code: a last separator before one or two
// digits is the decimal point, every other separator groups thousands.
func parseMinor(num, code string) (int64, bool) {
	num = narrowSpaces.Replace(num)
	intPart, frac := num, ""
	if k := strings.LastIndexAny(num, ".,"); k >= 0 {
		if tail := num[k+1:]; len(tail) <= 2 {
			intPart, frac = num[:k], tail
		}
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, intPart)
	if digits == "" || len(digits) > maxClaimDigits {
		return 0, false
	}
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, false
	}
	dec := decimals(code)
	for range dec {
		v *= 10
	}
	if frac != "" {
		if len(frac) > dec {
			// "15000.50 KRW": no such amount; keep it unmatched.
			if strings.Trim(frac, "0") != "" {
				return -1, true
			}
			frac = ""
		}
		f, _ := strconv.ParseInt(frac, 10, 64)
		for k := len(frac); k < dec; k++ {
			f *= 10
		}
		v += f
	}
	return v, true
}

// parseDuration reads n and a unit word into a duration.
func parseDuration(n int64, unit string) (duration, bool) {
	u := strings.ToLower(strings.Join(strings.Fields(unit), " "))
	switch {
	case strings.HasPrefix(u, "business") || strings.HasPrefix(u, "working") || strings.Contains(u, "hábil") ||
		strings.Contains(u, "habil") || strings.Contains(u, "laborable") || strings.HasPrefix(u, "рабоч") || u == "영업일":
		return duration{n: n, unit: "bd"}, true
	case strings.HasPrefix(u, "day") || strings.HasPrefix(u, "día") || strings.HasPrefix(u, "dia") ||
		strings.HasPrefix(u, "дн") || u == "день" || strings.HasPrefix(u, "сут") || u == "일":
		return duration{n: n * 24, unit: "h", calendarDays: true}, true
	case strings.HasPrefix(u, "hour") || strings.HasPrefix(u, "hora") || strings.HasPrefix(u, "час") || u == "시간":
		return duration{n: n, unit: "h"}, true
	case strings.HasPrefix(u, "week") || strings.HasPrefix(u, "semana") || strings.HasPrefix(u, "недел") || u == "주" || u == "주일":
		return duration{n: n * 168, unit: "h", calendarDays: true}, true
	case strings.HasPrefix(u, "month") || strings.HasPrefix(u, "mes") || strings.HasPrefix(u, "месяц") || u == "개월":
		return duration{n: n, unit: "mo"}, true
	case strings.HasPrefix(u, "year") || strings.HasPrefix(u, "año") || strings.HasPrefix(u, "ano") || strings.HasPrefix(u, "год") || u == "лет" || u == "년":
		return duration{n: n, unit: "y"}, true
	case strings.HasPrefix(u, "minut") || strings.HasPrefix(u, "минут") || u == "분":
		return duration{n: n, unit: "min"}, true
	}
	return duration{}, false
}

// policyRules returns the named policy rules s mentions.
func policyRules(s string) []claim {
	hit := false
	for _, k := range policyKeywords {
		if strings.Contains(s, k) {
			hit = true
			break
		}
	}
	if !hit {
		return nil
	}
	var out []claim
	for _, re := range policyRuleREs {
		for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
			name := s[m[2]:m[3]]
			var words []string
			for _, w := range strings.FieldsFunc(foldString(name), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
				if !ruleStopWords[w] && utf8.RuneCountInString(w) > 1 {
					words = append(words, trimParticle(w))
				}
			}
			if len(words) == 0 {
				continue
			}
			out = append(out, claim{kind: claimPolicy, key: strings.Join(words, " "), sp: span{int32(m[2]), int32(m[3])}, text: name})
		}
	}
	return out
}

// trimParticle drops a Korean particle from the end of a word of three
// syllables or more ("환불은" → "환불").
func trimParticle(w string) string {
	if !hasHangul(w) || utf8.RuneCountInString(w) < 3 {
		return w
	}
	last := lastRune(w)
	if strings.ContainsRune("은는이가을를의에도와과로", last) {
		return w[:len(w)-utf8.RuneLen(last)]
	}
	return w
}
