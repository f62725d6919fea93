package nlu

import (
	"regexp"
	"slices"
	"strings"
)

// Reason codes, the values Slots.Reason can take besides "".
const (
	ReasonNotReceived    = "not_received"
	ReasonNotAsDescribed = "not_as_described"
	ReasonDamaged        = "damaged"
	ReasonWrongItem      = "wrong_item"
	ReasonCounterfeit    = "counterfeit"
	ReasonChangedMind    = "changed_mind"

	// ReasonDefective is an item that arrived whole but does not work
	// ("doesn't turn on", "stopped working"): a fault of the product, not
	// of the transport, which the seller and the refund records tell apart.
	ReasonDefective = "defective"
)

// Slots holds the structured details found in an utterance. Zero values
// mean "not mentioned".
type Slots struct {
	// OrderID is the order identifier normalised to "ORD-" plus five
	// digits, whatever form the customer typed it in.
	OrderID string
	// RefundID is a refund identifier, "RF-" followed by the digits or hex
	// characters as typed, upper-cased.
	RefundID string
	// DisputeID is a dispute identifier, "DSP-" followed by digits.
	DisputeID string
	// Amount is the first amount of money mentioned with a currency.
	Amount *Money
	// AmountUnread is set when money was written with a currency but could
	// not be read as an amount to give back: negative ("$-5"), zero, in
	// exponent form ("1e308 USD"), larger than any order could hold, or
	// with more decimals than a cent ("$0.001"). A refund asked with it is
	// asked about, never taken for the whole order.
	AmountUnread bool
	// Reason is the complaint reason code (see the Reason constants), or
	// "" when no reason is recognisable.
	Reason string
	// Language is the ISO 639-1 code of the target language of a
	// translation request, such as "ko" for "to Korean", or "".
	Language string
	// LastOrder is set when the buyer means their most recent order
	// without giving its number ("my last order", "мой последний заказ").
	LastOrder bool
	// ItemPosition is the 1-based position of the item the buyer singles
	// out by order ("the second item", "두 번째 상품"), or 0.
	ItemPosition int
	// ItemQuantity is how many of a line the buyer means when they say so
	// ("one of the two jackets", "하나만"), or 0.
	ItemQuantity int
	// Only is set when the buyer restricts the request to part of an
	// order ("just the lantern", "부츠만", "только чайный набор").
	Only bool
}

// refersToOrder reports whether the slots name an order, or an item or
// part of one.
func (s Slots) refersToOrder() bool {
	return s.OrderID != "" || s.LastOrder || s.ItemPosition > 0 || s.ItemQuantity > 0
}

// OrderRef is the order the slots refer to: the order id, "last" for the
// buyer's most recent order, or "".
func (s Slots) OrderRef() string {
	switch {
	case s.OrderID != "":
		return s.OrderID
	case s.LastOrder:
		return "last"
	}
	return ""
}

// span is a byte range of the normalised text that a slot value occupies,
// with the placeholder rune that replaces it for the classifier.
type span struct {
	start, end int
	ph         rune
}

// slotScan collects the slot values of one normalised text and the spans
// they came from. Spans never overlap: each rule only claims text that
// earlier, more specific rules left free.
type slotScan struct {
	text  string
	spans []span
	slots Slots
	// kt is the folded text prepared for keyword search.
	kt keywordText
}

func (s *slotScan) free(start, end int) bool {
	for _, sp := range s.spans {
		if start < sp.end && sp.start < end {
			return false
		}
	}
	return true
}

func (s *slotScan) claim(start, end int, ph rune) {
	s.spans = append(s.spans, span{start, end, ph})
}

// ExtractSlots finds order, refund and dispute identifiers, an amount of
// money, a complaint reason and a translation target language in text.
// It works on any of the supported languages and does not need a
// Classifier.
func ExtractSlots(text string) Slots {
	return analyzeSlots(normalize(text), true).slots
}

// analyzeSlots runs every slot rule over normalised text, in order of
// decreasing specificity, so that for instance "ORD-15000 원" stays an
// order id and "15000원" next to "주문" stays an amount. The target
// language is looked up only when withKeywords is set: it never becomes a
// placeholder, so training does not need it.
func analyzeSlots(normText string, withKeywords bool) *slotScan {
	s := &slotScan{text: normText}
	// Identifiers and amounts all contain digits (NFKC has already turned
	// full-width ones into ASCII), so most messages skip the patterns.
	if strings.ContainsAny(normText, "0123456789") {
		s.scanPrefixedIDs()
		s.scanAmounts()
		s.scanKeywordOrderIDs()
		s.scanBareOrderID()
		s.scanCorrectedOrderID()
	}
	s.scanSpokenOrderID()
	folded := fold(normText)
	kt := newKeywordText(folded)
	s.kt = kt
	// The complaint reason is also a sign of a particular purchase and a
	// feature of the classifier (see readAct, featurize), so training
	// finds it too.
	s.slots.Reason = findReason(kt)
	if withKeywords {
		s.slots.Language = findTargetLanguage(kt)
	}
	// References to an order or to part of one are also signs of a
	// request (see readAct), so training sees them too.
	present := kt.present
	if s.slots.OrderID == "" {
		s.slots.LastOrder = anyCue(kt, present, lastOrderCues)
	}
	s.slots.ItemPosition = findItemPosition(kt)
	if anyCue(kt, present, oneOfCues) || findOneOfGoods(kt) {
		s.slots.ItemQuantity = 1
	}
	s.slots.Only = anyCue(kt, present, onlyCues)
	slices.SortFunc(s.spans, func(a, b span) int { return a.start - b.start })
	return s
}

// masked returns the normalised text with every claimed span replaced by
// its placeholder rune, padded with spaces so it forms a token of its own.
func (s *slotScan) masked() string {
	if len(s.spans) == 0 {
		return s.text
	}
	var b strings.Builder
	b.Grow(len(s.text))
	last := 0
	for _, sp := range s.spans {
		b.WriteString(s.text[last:sp.start])
		b.WriteByte(' ')
		b.WriteRune(sp.ph)
		b.WriteByte(' ')
		last = sp.end
	}
	b.WriteString(s.text[last:])
	return b.String()
}

// Identifier patterns. They run on normalised (lower-cased, NFKC) text;
// RE2's \b is ASCII-only, which is what we want: a Hangul syllable right
// before "ord" or after the digits still counts as a boundary.
var (
	reOrdPrefix = regexp.MustCompile(`\bord[\s\-_#:.]{0,2}(\d{5})\b`)
	reRefundID  = regexp.MustCompile(`\brf[\-_ ]?([0-9a-f]{3,16})\b`)
	reDisputeID = regexp.MustCompile(`\bdsp[\-_ ]?(\d{1,12})\b`)

	// "order #10042", "order number: 10042", "orden no. 10042",
	// "pedido nº 10042" ("nº" is "no" after NFKC), "주문번호는 10042",
	// "заказ №10042", "номер заказа 10042". Only the id itself is
	// claimed so that the keyword stays visible to the classifier.
	reOrderKeyword = regexp.MustCompile(
		`(?:\border[s']?|\bpurchase|\bpedido|\borden|\bcompra|заказ\p{L}*|주문\s*번호|주문)` +
			`[\s:.#\-]*(?:(?:number|num|no|nr|id|is|was|n[uú]mero|nro|n°|es|номер|는|은|이|가|번호)[\s:.#\-]*){0,3}` +
			`(#?\s?\d{5})(?:[^\d]|$)`)
	reHashID = regexp.MustCompile(`(?:^|[^\w&#])(#\s?\d{5})(?:[^\d]|$)`)

	// A group of digits possibly joined by dashes, dots or a leading plus,
	// used to tell a lone five-digit order number from a phone number,
	// a date or a postcode-plus-extension.
	reDigitGroup = regexp.MustCompile(`\+?\d+(?:[\-.]\d+)*`)
)

// orderContext lists folded word prefixes that make a lone five-digit
// number likely to be an order number.
var orderContext = []string{
	"order", "package", "parcel", "shipment", "shipping", "deliver", "tracking", "purchase", "item",
	"pedido", "orden", "paquete", "envio", "entrega", "compra", "rastreo", "seguimiento",
	"заказ", "посылк", "доставк", "отправлени", "трек",
	// Requests that only ever concern an order: "cancel 10011", "otmena
	// 10013", "10066 환불".
	"cancel", "cancle", "refund", "return", "track", "status", "ship", "eta", "disput",
	"cancela", "anula", "reembols", "devol", "estado", "reclam",
	"отмен", "вернит", "возврат", "статус", "спор", "претензи",
}

var orderContextHangul = []string{"주문", "배송", "택배", "구매", "송장", "상품", "취소", "환불", "반품", "분쟁", "캔슬"}

// notOrderBefore are words right before a number that say it is
// something else: a postcode, a phone number, a quantity.
var notOrderBefore = []string{
	"zip", "postal", "postcode", "code", "pin", "phone", "tel", "call", "код", "индекс", "телефон",
	"codigo", "telefono", "우편번호", "전화", "연락처", "코드",
}

// quantityBefore are whole words right before a number that make it a
// count ("I have 12345 reasons").
var quantityBefore = setOf("have", "has", "had", "tengo", "tiene", "tienen", "имею", "есть")

// Each pattern below needs a literal that most messages lack ("ord",
// "rf", "dsp", "#", an order word); the patterns are only run over the
// messages that have it, which keeps the regular expressions out of most
// parses.
var (
	orderWords    = []string{"order", "purchase", "pedido", "orden", "compra", "заказ", "주문"}
	currencyMarks = []string{"$", "€", "₩", "₽", "usd", "eur", "krw", "rub", "dollar", "bucks", "dólar", "dolar",
		"euro", "евро", "won", "원", "달러", "불", "유로", "루블", "р", "долл"}
)

// containsAnyOf reports whether s contains one of subs.
func containsAnyOf(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

func (s *slotScan) scanPrefixedIDs() {
	if strings.Contains(s.text, "ord") {
		for _, m := range reOrdPrefix.FindAllStringSubmatchIndex(s.text, -1) {
			if s.slots.OrderID == "" {
				s.slots.OrderID = "ORD-" + s.text[m[2]:m[3]]
			}
			s.claim(m[0], m[1], phOrder)
		}
	}
	if strings.Contains(s.text, "rf") {
		for _, m := range reRefundID.FindAllStringSubmatchIndex(s.text, -1) {
			id := s.text[m[2]:m[3]]
			if !strings.ContainsAny(id, "0123456789") || !s.free(m[0], m[1]) {
				continue // "rf-face" is a word, not an id
			}
			if s.slots.RefundID == "" {
				s.slots.RefundID = "RF-" + strings.ToUpper(id)
			}
			s.claim(m[0], m[1], phRefund)
		}
	}
	if strings.Contains(s.text, "dsp") {
		for _, m := range reDisputeID.FindAllStringSubmatchIndex(s.text, -1) {
			if !s.free(m[0], m[1]) {
				continue
			}
			if s.slots.DisputeID == "" {
				s.slots.DisputeID = "DSP-" + s.text[m[2]:m[3]]
			}
			s.claim(m[0], m[1], phDispute)
		}
	}
}

func (s *slotScan) scanKeywordOrderIDs() {
	for i, re := range []*regexp.Regexp{reOrderKeyword, reHashID} {
		if i == 0 && !containsAnyOf(s.text, orderWords) || i == 1 && !strings.Contains(s.text, "#") {
			continue
		}
		for _, m := range re.FindAllStringSubmatchIndex(s.text, -1) {
			start, end := m[2], m[3]
			if !s.free(start, end) || !s.standalone(start, end) {
				continue
			}
			if s.slots.OrderID == "" {
				s.slots.OrderID = "ORD-" + lastDigits(s.text[start:end], 5)
			}
			s.claim(start, end, phOrder)
		}
	}
}

// scanBareOrderID accepts a five-digit number with no marker at all when
// the message talks about orders or deliveries, or consists of nothing
// but that number, as customers often paste just the id.
func (s *slotScan) scanBareOrderID() {
	if s.slots.OrderID != "" {
		return
	}
	folded := fold(s.text)
	onlyNumber := strings.Trim(s.text, " ?!.,:;#") != "" &&
		strings.Trim(s.text, " ?!.,:;#0123456789") == ""
	if !onlyNumber && !hasWordPrefix(folded, orderContext) && !containsAny(folded, orderContextHangul) && !s.soleNumber() {
		return
	}
	for _, m := range reDigitGroup.FindAllStringIndex(s.text, -1) {
		start, end := m[0], m[1]
		if end-start != 5 || strings.Trim(s.text[start:end], "0123456789") != "" ||
			!s.free(start, end) || !s.standalone(start, end) {
			continue
		}
		if s.labelledOtherwise(start) {
			continue
		}
		s.slots.OrderID = "ORD-" + s.text[start:end]
		s.claim(start, end, phOrder)
		return
	}
}

// soleNumber reports whether the text holds exactly one group of digits
// five long, and no other number but small counts: in a support chat that
// is an order number far more often than anything else ("ya enviaron el
// 10068?", "10069 уже отправили?"), also when the buyer counts days or
// pieces beside it ("10089... dijisteis 3-5 días y vamos por el 9",
// "кажется 10140 потерялся, 12 дней в пути"); labelledOtherwise still
// catches postcodes and phone numbers.
func (s *slotScan) soleNumber() bool {
	groups := reDigitGroup.FindAllString(s.text, 6)
	five := 0
	for _, g := range groups {
		switch digits := len(g) - strings.Count(g, "-") - strings.Count(g, "."); {
		case len(g) == 5 && digits == 5:
			five++
		case digits > 2 || len(g) > 5:
			return false // a year, an amount, a phone number: not only counts
		}
	}
	return five == 1 && len(groups) < 6
}

// standalone reports whether the id in text[start:end] is not glued to
// other digits by separators, which would make it part of a phone number
// ("555-12345", "555 12345"), a date or a longer code.
func (s *slotScan) standalone(start, end int) bool {
	t := s.text
	if start > 0 {
		c := t[start-1]
		if isASCIIDigit(c) || c == '+' {
			return false
		}
		if strings.IndexByte("-./ ", c) >= 0 && start >= 2 && isASCIIDigit(t[start-2]) {
			return false
		}
	}
	if end < len(t) {
		c := t[end]
		if isASCIIDigit(c) {
			return false
		}
		if strings.IndexByte("-./,", c) >= 0 && end+1 < len(t) && isASCIIDigit(t[end+1]) {
			return false
		}
	}
	return true
}

func isASCIIDigit(c byte) bool { return c >= '0' && c <= '9' }

// lastDigits returns the last n ASCII digits of s.
func lastDigits(s string, n int) string {
	var b []byte
	for i := len(s) - 1; i >= 0 && len(b) < n; i-- {
		if isASCIIDigit(s[i]) {
			b = append(b, s[i])
		}
	}
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// labelledOtherwise reports whether one of the two words before byte
// offset i says that the number there is not an order id ("zip code
// 10001", "телефон 12345").
func (s *slotScan) labelledOtherwise(i int) bool {
	w1, j := lastWordBefore(s.text, i)
	w2, _ := lastWordBefore(s.text, j)
	// "то есть" is "that is", a buyer correcting themselves ("заказ
	// десять ноль девять три, то есть 10093"), not "есть" (have).
	if quantityBefore[w1] && !(w1 == "есть" && w2 == "то") {
		return true
	}
	for _, w := range []string{w1, w2} {
		for _, p := range notOrderBefore {
			if strings.HasPrefix(w, p) || (hasHangul(p) && strings.Contains(w, p)) {
				return true
			}
		}
	}
	return false
}

// lastWordBefore returns the (folded) word that ends before byte offset i,
// skipping spaces and punctuation such as ":" or "#", and the offset at
// which that word starts.
func lastWordBefore(t string, i int) (string, int) {
	j := i
	for j > 0 && strings.ContainsRune(" :#-.", rune(t[j-1])) {
		j--
	}
	k := j
	for k > 0 && t[k-1] != ' ' {
		k--
	}
	return fold(t[k:j]), k
}

// hasWordPrefix reports whether any word of text starts with one of the
// given prefixes.
func hasWordPrefix(text string, prefixes []string) bool {
	for _, p := range prefixes {
		for off := 0; ; {
			i := strings.Index(text[off:], p)
			if i < 0 {
				break
			}
			i += off
			if i == 0 || !isWordByteBefore(text, i) {
				return true
			}
			off = i + len(p)
		}
	}
	return false
}

// isWordByteBefore reports whether the rune ending at byte i of text is a
// letter or digit.
func isWordByteBefore(text string, i int) bool {
	r := lastRune(text[:i])
	return isWordRune(r)
}

func containsAny(text string, subs []string) bool {
	for _, s := range subs {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}

// correctionCues are what a buyer writes when they take back the number
// just typed: "10042, perdón, 10024 quise decir", "10044, ой, 10014
// имел в виду", "10042 sorry I mean 10024". Normalised, not folded.
var correctionCues = []string{
	"perdon", "perdón", "quise decir", "quiero decir", "mejor dicho",
	"ой", "имел в виду", "имела в виду", "то есть", "точнее", "вернее",
	"sorry", "i mean", "i meant", "correction", "정정", "아니 ",
}

// scanCorrectedOrderID replaces the order number found with a later one
// when the buyer corrects themselves in between: the number meant is the
// one typed last.
func (s *slotScan) scanCorrectedOrderID() {
	if s.slots.OrderID == "" || !containsAnyOf(s.text, correctionCues) {
		return
	}
	first := strings.Index(s.text, s.slots.OrderID[len("ORD-"):])
	if first < 0 {
		return
	}
	after := first + 5
	cue := -1
	for _, c := range correctionCues {
		if i := strings.Index(s.text[after:], c); i >= 0 && (cue < 0 || i < cue) {
			cue = i
		}
	}
	if cue < 0 {
		return
	}
	var last []int
	for _, m := range reDigitGroup.FindAllStringIndex(s.text[after:], -1) {
		start, end := m[0]+after, m[1]+after
		if end-start == 5 && strings.Trim(s.text[start:end], "0123456789") == "" && s.standalone(start, end) {
			last = []int{start, end}
		}
	}
	if last == nil || s.text[last[0]:last[1]] == s.slots.OrderID[len("ORD-"):] {
		return
	}
	s.slots.OrderID = "ORD-" + s.text[last[0]:last[1]]
	if s.free(last[0], last[1]) {
		s.claim(last[0], last[1], phOrder)
	}
}
