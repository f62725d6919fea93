package guardrails

import (
	"encoding/json"
	"iter"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxEvidenceBytes bounds how much evidence one check reads, so a huge
// tool result cannot make a check slow.
const maxEvidenceBytes = 256 << 10

// evidence is one turn's Evidence, prepared lazily: a check only pays for
// what its claims need (the id blob, the folded text, the states, the
// n-gram index), and a Stream reuses it for every sentence. It is not
// safe for concurrent use.
type evidence struct {
	texts []string
	// joined is the texts joined by blank lines, made when a check first
	// reads it (raw): a reply whose claims need only the id blob (an
	// order's status) never joins them.
	joined *string
	locale string
	// buyer is the buyer's own words, read only for the personal data a
	// reply may repeat back to them.
	buyer string
	// actions are the actions taken in the turn being answered.
	actions []Action

	// frags are the texts split by the order they are about, and scoped
	// the evidence for a set of orders (see scope.go).
	frags  []fragment
	scoped map[string]*evidence

	// cache keeps what is read from each text across checks; nil reads
	// each text every time.
	cache *textCache

	blob *string
	// blobs are the texts' own id blobs, by text (blobHas).
	blobs    []string
	buyerIDs *[]string
	foldedS  *string
	lowerS   *string
	states   map[string]bool
	dateKeys map[string]bool
	index    *gramIndex
}

func newEvidence(ev Evidence, locale string, cache *textCache) *evidence {
	e := &evidence{locale: locale, cache: cache}
	n := 0
	for _, t := range ev.Texts {
		if n+len(t) > maxEvidenceBytes {
			t = t[:max(0, maxEvidenceBytes-n)]
		}
		if t == "" {
			continue
		}
		e.texts = append(e.texts, t)
		n += len(t)
	}
	e.actions = ev.Actions
	var b strings.Builder
	for _, t := range ev.Buyer {
		if b.Len()+len(t) > maxEvidenceBytes {
			break
		}
		b.WriteString(t)
		b.WriteString("\n\n")
	}
	e.buyer = b.String()
	return e
}

// raw returns the evidence's texts joined by blank lines.
func (e *evidence) raw() string {
	if e.joined == nil {
		s := strings.Join(e.texts, "\n\n")
		e.joined = &s
	}
	return *e.joined
}

// idBlob is the evidence's ASCII letters and digits in upper case, where
// ids and tracking numbers are looked up whatever separates them.
//
// It is alnumUpper(e.raw()): the separators between the texts hold no letter
// or digit, so the blob is the texts' own blobs one after another, each
// read once per process (textFacts.idBlob) rather than once per reply.
func (e *evidence) idBlob() string {
	if e.blob == nil {
		var b strings.Builder
		for _, t := range e.texts {
			b.WriteString(e.cache.facts(t, e.locale).idBlob())
		}
		s := b.String()
		e.blob = &s
	}
	return *e.blob
}

// blobHas reports whether idBlob holds id, reading the texts' own blobs
// rather than a copy of them joined (the size of the evidence, every
// turn): id is in one of them, or across the join of consecutive ones.
func (e *evidence) blobHas(id string) bool {
	if id == "" || e.blob != nil || len(id) > maxSpanningID {
		return strings.Contains(e.idBlob(), id)
	}
	if e.blobs == nil {
		e.blobs = make([]string, 0, len(e.texts))
		for _, t := range e.texts {
			e.blobs = append(e.blobs, e.cache.facts(t, e.locale).idBlob())
		}
	}
	for _, b := range e.blobs {
		if strings.Contains(b, id) {
			return true
		}
	}
	// An occurrence across a join starts at most len(id)-1 bytes before it
	// and ends at most len(id)-1 after it: the bytes around each join,
	// gathered from as many blobs as they span, hold it.
	var buf [2 * maxSpanningID]byte
	n := len(id) - 1
	for i := range len(e.blobs) - 1 {
		// The n bytes before the join, from blob i and as many before it
		// as they take.
		k, have := i, len(e.blobs[i])
		for have < n && k > 0 {
			k--
			have += len(e.blobs[k])
		}
		w, skip := buf[:0], max(0, have-n)
		for _, b := range e.blobs[k : i+1] {
			d := min(skip, len(b))
			skip -= d
			w = append(w, b[d:]...)
		}
		// The n bytes after it.
		for _, b := range e.blobs[i+1:] {
			if len(w) >= 2*n {
				break
			}
			w = append(w, b[:min(len(b), 2*n-len(w))]...)
		}
		for j := 0; j+len(id) <= len(w); j++ {
			if string(w[j:j+len(id)]) == id {
				return true
			}
		}
	}
	return false
}

// maxSpanningID is the longest id blobHas looks for across the texts'
// joins without joining them; a longer one reads the joined blob.
const maxSpanningID = 64

// spelledOrderRE finds an order id the buyer spelled out letter by
// letter, as voice typing writes it ("O R D 10141", "o.r.d. 10141").
var spelledOrderRE = regexp.MustCompile(`(?i)\bo[ .]+r[ .]+d[ .\-]*(\d{5})\b`)

// buyerOrders are the order ids the buyer named, read once per reply
// rather than for each order id a sentence names.
func (e *evidence) buyerOrders() []string {
	if e.buyerIDs == nil {
		ids := orderIDs(e.buyer)
		for _, m := range spelledOrderRE.FindAllStringSubmatch(e.buyer, -1) {
			if id := "ORD-" + m[1]; !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		e.buyerIDs = &ids
	}
	return *e.buyerIDs
}

func (e *evidence) folded() string {
	if e.foldedS == nil {
		f := foldString(e.raw())
		e.foldedS = &f
	}
	return *e.foldedS
}

// supports reports whether the evidence backs c.
func (e *evidence) supports(c claim) bool {
	switch c.kind {
	case claimOrder:
		// An order id the buyer wrote may be repeated: it names what they
		// ask about and states nothing. What the reply says of the order
		// is checked against the tools' word on it.
		return e.blobHas(alnumUpper(c.key)) || slices.Contains(e.buyerOrders(), c.key)
	case claimRefund, claimDispute, claimTracking:
		return e.blobHas(alnumUpper(c.key))
	case claimAmount:
		return c.minor >= 0 && e.hasAmount(c.minor, c.currency)
	case claimDuration:
		return e.hasDuration(c.dur)
	case claimDate:
		return e.hasDate(c.key)
	case claimPercent:
		return e.hasPercent(c.key)
	case claimCount:
		return e.hasCount(c.key)
	case claimStatus:
		return e.hasState(c.key)
	case claimAction:
		return e.hasAction(c.key)
	case claimCarrier:
		return e.hasCarrier(c.key)
	case claimCost:
		return !e.contradictsCost(c.key)
	case claimPolicy:
		f := e.folded()
		for _, w := range strings.Fields(c.key) {
			if !strings.Contains(f, w) {
				return false
			}
		}
		return true
	}
	return false
}

// occurrences calls fn with each index of sub in s that is not inside a
// longer number, until fn returns true.
func occurrences(s, sub string, fn func(i int) bool) bool {
	from := 0
	for {
		k := strings.Index(s[from:], sub)
		if k < 0 {
			return false
		}
		i := from + k
		from = i + 1
		if i > 0 && isDigit(s[i-1]) {
			continue
		}
		if i > 1 && (s[i-1] == '.' || s[i-1] == ',') && isDigit(s[i-2]) {
			continue
		}
		j := i + len(sub)
		if j < len(s) && isDigit(s[j]) {
			continue
		}
		if j+1 < len(s) && (s[j] == '.' || s[j] == ',') && isDigit(s[j+1]) {
			continue
		}
		if fn(i) {
			return true
		}
	}
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

var currencyMarkers = map[string][]string{
	"USD": {"USD", "$", "usd", "dollar", "dólar", "долл", "달러"},
	"EUR": {"EUR", "€", "eur", "euro", "евро", "유로"},
	"KRW": {"KRW", "₩", "krw", "원", "won"},
	"RUB": {"RUB", "₽", "rub", "руб", "р.", "루블"},
}

// hasAmount finds minor units of cur in the evidence: as a JSON money
// value ({"minor":4250,"currency":"USD"}, "amount_minor") or written out
// in any common format next to a currency ("42.50 USD", "$42.50",
// "15,000원", "1 500 ₽").
func (e *evidence) hasAmount(minor int64, cur string) bool {
	raw := e.raw()
	ms := strconv.FormatInt(minor, 10)
	from := 0
	for {
		k := strings.Index(raw[from:], `minor":`)
		if k < 0 {
			break
		}
		i := from + k + len(`minor":`)
		from = i
		j := i
		for j < len(raw) && raw[j] == ' ' {
			j++
		}
		if strings.HasPrefix(raw[j:], ms) && (j+len(ms) == len(raw) || !isDigit(raw[j+len(ms)])) {
			win := raw[max(0, i-120):min(len(raw), j+120)]
			if strings.Contains(win, `"`+cur+`"`) {
				return true
			}
		}
	}
	for _, form := range amountForms(minor, cur) {
		found := occurrences(raw, form, func(i int) bool {
			win := raw[max(0, i-14):min(len(raw), i+len(form)+16)]
			for _, m := range currencyMarkers[cur] {
				if strings.Contains(win, m) {
					return true
				}
			}
			return false
		})
		if found {
			return true
		}
	}
	return false
}

// amountForms are the ways minor units of cur are written.
func amountForms(minor int64, cur string) []string {
	dec := decimals(cur)
	div := int64(1)
	for range dec {
		div *= 10
	}
	whole, frac := minor/div, minor%div
	ws := strconv.FormatInt(whole, 10)
	wholes := []string{ws}
	if whole >= 1000 {
		for _, sep := range []string{",", ".", " ", "\u00a0", "\u202f"} {
			wholes = append(wholes, group(ws, sep))
		}
	}
	if dec == 0 {
		return wholes
	}
	fs := strconv.FormatInt(frac, 10)
	for len(fs) < dec {
		fs = "0" + fs
	}
	var out []string
	for _, w := range wholes {
		out = append(out, w+"."+fs, w+","+fs)
		if frac == 0 {
			out = append(out, w)
		}
	}
	return out
}

// group writes digits in groups of three.
func group(digits, sep string) string {
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// hasDuration finds d in the evidence; a duration said of a topic (a
// refund, a dispute, a cancellation) only where the evidence says it of
// that topic, so the 60 days of a dispute do not back "60 days to ask
// for a refund".
func (e *evidence) hasDuration(d duration) bool {
	var ns []int64
	switch d.unit {
	case "h":
		ns = append(ns, d.n)
		if d.n%24 == 0 {
			ns = append(ns, d.n/24)
		}
		if d.n%168 == 0 {
			ns = append(ns, d.n/168)
		}
	default:
		ns = append(ns, d.n)
	}
	raw := e.raw()
	for _, n := range ns {
		found := occurrences(raw, strconv.FormatInt(n, 10), func(i int) bool {
			win := lowerSameLen(raw[i:min(len(raw), i+80)])
			m := durationRE.FindStringSubmatchIndex(win)
			if m == nil || m[0] != 0 {
				return false
			}
			for gi, g := range [][2]int{{m[2], m[3]}, {m[4], m[5]}} {
				if g[0] < 0 || gi == 0 && m[4] >= 0 && !d.low {
					continue // a range's start backs only a range's start
				}
				v, _ := strconv.ParseInt(win[g[0]:g[1]], 10, 64)
				ed, ok := parseDuration(v, win[m[6]:m[7]])
				if ok && (ed.unit == d.unit && ed.n == d.n || d.calendarDays && ed.unit == "bd" && ed.n*24 == d.n) &&
					(d.topic == "" || hasTopic(sentenceAround(raw, i), d.topic)) {
					return true
				}
			}
			return false
		})
		if found {
			return true
		}
	}
	return false
}

func (e *evidence) hasDate(key string) bool {
	iso := strings.TrimPrefix(key, "-")
	if strings.Contains(e.raw(), iso) {
		return true
	}
	if e.dateKeys == nil {
		e.dateKeys = map[string]bool{}
		x := extractor{locale: e.locale}
		for _, t := range e.texts {
			x.dates(t, []byte(lowerSameLen(t)), func(c claim, _, _ int) {
				e.dateKeys[c.key] = true
				if len(c.key) == 10 {
					e.dateKeys["-"+c.key[4:]] = true
				}
			})
		}
	}
	return e.dateKeys[key] || strings.HasPrefix(key, "--") && e.dateKeys[key[1:]]
}

// hasCount finds the number of a limit claim followed by something
// counted ("3 refunds", "10 items of evidence").
func (e *evidence) hasCount(n string) bool {
	raw := e.raw()
	return occurrences(raw, n, func(i int) bool {
		m := countNounRE.FindStringIndex(raw[i+len(n) : min(len(raw), i+len(n)+48)])
		return m != nil && m[0] == 0
	})
}

// countNounRE reads what follows the number of a limit.
var countNounRE = regexp.MustCompile(`^\s*(?:[\p{L}-]+\s+){0,2}?(?i:refunds?|disputes?|orders?|items?|times|photos?|files?|pieces?|reembolsos?|disputas?|pedidos?|art[ií]culos?|veces|fotos?|archivos?|возврат\p{L}*|спор\p{L}*|заказ\p{L}*|товар\p{L}*|раз\p{L}*|фото\p{L}*|файл\p{L}*|회|건|개|번)`)

func (e *evidence) hasPercent(key string) bool {
	n := strings.TrimSuffix(key, "%")
	raw := e.raw()
	forms := []string{n}
	if strings.Contains(n, ".") {
		forms = append(forms, strings.ReplaceAll(n, ".", ","))
	}
	for _, form := range forms {
		if occurrences(raw, form, func(i int) bool {
			m := percentRE.FindStringIndex(lowerSameLen(raw[i:min(len(raw), i+40)]))
			return m != nil && m[0] == 0
		}) {
			return true
		}
	}
	return false
}

// stateSupport lists, for a claimed state, the states in the evidence that
// back it: a shipped order was paid; a completed refund was approved.
var stateSupport = map[string][]string{
	"approved":  {"approved", "completed"},
	"refunded":  {"refunded", "approved", "completed"},
	"paid":      {"paid", "shipped", "delivered"},
	"shipped":   {"shipped", "delivered", "in_transit", "delayed"},
	"resolved":  {"resolved", "resolved_buyer", "resolved_seller"},
	"completed": {"completed"},
}

func (e *evidence) hasState(state string) bool {
	if e.states == nil {
		e.states = e.collectStates()
	}
	accept, ok := stateSupport[state]
	if !ok {
		accept = []string{state}
	}
	for _, s := range accept {
		if e.states[s] {
			return true
		}
	}
	return false
}

// collectStates reads the states the evidence gives: JSON "status" values,
// the states its timestamps imply (a "shipped_at" means shipped), refunds
// made, and states stated in sentences about a specific order, refund or
// dispute.
func (e *evidence) collectStates() map[string]bool {
	st := map[string]bool{}
	raw := e.raw()
	from := 0
	for {
		k := strings.Index(raw[from:], `"status":`)
		if k < 0 {
			break
		}
		i := from + k + len(`"status":`)
		from = i
		for i < len(raw) && raw[i] == ' ' {
			i++
		}
		if i < len(raw) && raw[i] == '"' {
			if j := strings.IndexByte(raw[i+1:], '"'); j >= 0 {
				st[raw[i+1:i+1+j]] = true
			}
		}
	}
	for key, s := range map[string]string{"paid_at": "paid", "shipped_at": "shipped", "delivered_at": "delivered", "cancelled_at": "cancelled"} {
		if strings.Contains(raw, `"`+key+`":"`) {
			st[s] = true
		}
	}
	if strings.Contains(raw, `"refund":{`) || strings.Contains(raw, `"refund_id"`) && (st["approved"] || st["completed"]) {
		st["refunded"] = true
	}
	if k := strings.Index(raw, `"refunded":{"minor":`); k >= 0 {
		i := k + len(`"refunded":{"minor":`)
		if i < len(raw) && raw[i] >= '1' && raw[i] <= '9' {
			st["refunded"] = true
		}
	}
	// Prose states, read once per text (textFacts.proseStates).
	for _, t := range e.texts {
		for _, k := range e.cache.facts(t, e.locale).proseStates() {
			st[k] = true
		}
	}
	return st
}

// jsonStrings calls fn with each string value of the JSON text that may
// be prose (it has a space). Text that is not valid JSON (a result cut to
// fit) yields nothing: its fields were read above.
func jsonStrings(text string, fn func(string)) {
	if !strings.Contains(text, " ") || !json.Valid([]byte(text)) {
		return
	}
	for v := range JSONStringValues(text) {
		if strings.Contains(v, " ") {
			fn(v)
		}
	}
}

// JSONStringValues yields each string value (not key) of text, which the
// caller has checked is valid JSON, as encoding/json would decode it.
//
// It scans the text rather than decoding it into maps: every evidence
// text of a turn, and every tool result the agent screens, is read this
// way, and decoding each into a tree of maps and strings was the largest
// cost of a reply's check. A string is a value unless a colon follows it;
// only one with an escape or invalid UTF-8 is decoded. Unlike a decoded
// map, it also yields the earlier value of a repeated key, which the model
// read too.
func JSONStringValues(text string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for i := 0; i < len(text); i++ {
			if text[i] != '"' {
				continue
			}
			j, escaped := i+1, false
			for ; text[j] != '"'; j++ {
				if text[j] == '\\' {
					escaped = true
					j++
				}
			}
			tok := text[i : j+1]
			k := j + 1
			for k < len(text) && (text[k] == ' ' || text[k] == '\t' || text[k] == '\n' || text[k] == '\r') {
				k++
			}
			i = j
			if k < len(text) && text[k] == ':' {
				continue // a key
			}
			v := tok[1 : len(tok)-1]
			if escaped || !utf8.ValidString(v) {
				if json.Unmarshal([]byte(tok), &v) != nil {
					continue
				}
			}
			if !yield(v) {
				return
			}
		}
	}
}
