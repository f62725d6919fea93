package nlu

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Money is an amount in the minor unit of its currency: cents for USD,
// EUR and RUB (kopecks), whole won for KRW, which has no minor unit.
type Money struct {
	// Minor is the amount in minor units, e.g. 2050 for $20.50.
	Minor int64
	// Currency is the ISO 4217 code: "USD", "EUR", "KRW" or "RUB".
	Currency string
}

// minorDigits returns the number of decimal digits of a currency's minor
// unit.
func minorDigits(currency string) int {
	if currency == "KRW" {
		return 0
	}
	return 2
}

// numPattern matches a number with optional thousands grouping in any of
// the styles customers use ("1,500.50", "1.500,50", "1 500,50",
// "15,000") or none at all ("1500.5"). Decimals are limited to one or two
// digits, so a separator followed by exactly three digits is grouping.
const numPattern = `\d{1,3}(?:(?:,\d{3})+|(?:\.\d{3})+|(?: \d{3})+)(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`

// Currency markers. Longer spellings come first because RE2 alternation
// is leftmost-first.
const (
	prefixCurrency = `\bus\$|\$|€|₩|₽|\busd|\beur|\bkrw|\brub`
	suffixCurrency = `us\$|\$|€|₩|₽|dollars|dollar|bucks|d[oó]lares|d[oó]lar|euros|euro|usd|eur|krw|rub|` +
		`евро|won|원|달러|불|유로|루블|рублей|рубля|рубль|руб\.?|р\.|р|долларов|доллара|доллар|долл\.?`
)

var (
	reAmountPrefix = regexp.MustCompile(`(` + prefixCurrency + `) ?(` + numPattern + `)`)
	// reAmountUnreadable finds money no refund can be: a minus before the
	// number ("$-5", "-5 euros"), an exponent ("1e308 usd"), or a zero
	// before three decimals ("$0.001", which the grouping reading would
	// take for one dollar).
	reAmountUnreadable = regexp.MustCompile(`(?:` + prefixCurrency + `) ?(?:[-−] ?\d|\d+(?:[.,]\d+)?e[-+]?\d|0[.,]\d{3})` +
		`|(?:^|[^\p{L}\d.,])(?:[-−] ?\d[\d.,]*|\d+(?:[.,]\d+)?e[-+]?\d+|0[.,]\d{3}) ?(?:` + suffixCurrency + `)`)
	reAmountSuffix = regexp.MustCompile(`(?:^|[^\p{L}\d.,$€₩₽])(` + numPattern + `) ?(` + suffixCurrency + `)`)
	// Korean counts money in units of 10,000 (만) and 1,000 (천):
	// "3만원" is ₩30,000, "1.5만 원" is ₩15,000 and "2만5천원" is ₩25,000.
	reAmountKoreanUnit = regexp.MustCompile(`(?:^|[^\d.,])(\d+(?:\.\d{1,2})?) ?(만|천) ?(?:(\d) ?천 ?)?(원|won)`)
)

// currencyCode maps a currency marker as matched above to its ISO code.
func currencyCode(marker string) string {
	m := strings.TrimSuffix(marker, ".")
	switch {
	case strings.Contains(m, "$"), m == "usd", strings.HasPrefix(m, "dollar"), m == "bucks",
		strings.HasPrefix(m, "dólar"), strings.HasPrefix(m, "dolar"), m == "달러", m == "불",
		strings.HasPrefix(m, "долл"):
		return "USD"
	case m == "€", m == "eur", strings.HasPrefix(m, "euro"), m == "евро", m == "유로":
		return "EUR"
	case m == "₩", m == "krw", m == "won", m == "원":
		return "KRW"
	case m == "₽", m == "rub", strings.HasPrefix(m, "руб"), m == "р", m == "루블":
		return "RUB"
	}
	return ""
}

// scanAmounts finds the first amount of money and claims every amount so
// that none of them is later mistaken for an order number.
func (s *slotScan) scanAmounts() {
	type found struct {
		start, end int
		money      Money
	}
	var all []found
	add := func(start, end int, numStart, numEnd int, marker string) {
		if !s.free(start, end) {
			return
		}
		code := currencyCode(marker)
		if code == "" {
			return
		}
		if before := strings.TrimRight(s.text[:numStart], " "); strings.HasSuffix(before, "-") || strings.HasSuffix(before, "−") {
			// "-5 euros": a negative amount is none to give back.
			s.slots.AmountUnread = true
			return
		}
		minor, ok := parseMinor(s.text[numStart:numEnd], code, 1)
		if !ok || minor == 0 {
			s.slots.AmountUnread = true
			return
		}
		all = append(all, found{start, end, Money{Minor: minor, Currency: code}})
		s.claim(start, end, phAmount)
	}
	if !containsAnyOf(s.text, currencyMarks) {
		// Every amount has a currency marker (currencyMarks).
		return
	}
	if reAmountUnreadable.MatchString(s.text) {
		s.slots.AmountUnread = true
	}
	for _, m := range reAmountKoreanUnit.FindAllStringSubmatchIndex(s.text, -1) {
		unit := int64(10000)
		if s.text[m[4]:m[5]] == "천" {
			unit = 1000
		}
		start, end := m[2], m[9]
		if !s.free(start, end) {
			continue
		}
		minor, ok := parseMinor(s.text[m[2]:m[3]], "KRW", unit)
		if !ok {
			continue
		}
		if m[6] >= 0 && unit == 10000 {
			minor += int64(s.text[m[6]]-'0') * 1000
		}
		all = append(all, found{start, end, Money{Minor: minor, Currency: "KRW"}})
		s.claim(start, end, phAmount)
	}
	for _, m := range reAmountPrefix.FindAllStringSubmatchIndex(s.text, -1) {
		add(m[2], m[5], m[4], m[5], s.text[m[2]:m[3]])
	}
	for _, m := range reAmountSuffix.FindAllStringSubmatchIndex(s.text, -1) {
		marker := s.text[m[4]:m[5]]
		// Latin and Cyrillic currency words must end at a word boundary:
		// "5 раз" (five times) is not roubles and "3 wonders" is not won.
		// Korean currency words take particles directly ("15000원이요").
		next, _ := utf8.DecodeRuneInString(s.text[m[5]:])
		if r, _ := utf8.DecodeRuneInString(marker); unicode.IsLetter(r) && !unicode.Is(unicode.Hangul, r) {
			if isWordRune(next) {
				continue
			}
		}
		// "불" is slang for dollars ("20불") but also starts 불량 (defect),
		// 불가 (impossible) and friends, so only a particle may follow it.
		if marker == "불" && unicode.Is(unicode.Hangul, next) && !strings.ContainsRune("이을를은는도요짜정씩", next) {
			continue
		}
		add(m[2], m[5], m[2], m[3], marker)
	}
	if len(all) == 0 {
		return
	}
	first := all[0]
	for _, f := range all[1:] {
		if f.start < first.start {
			first = f
		}
	}
	money := first.money
	s.slots.Amount = &money
}

// maxMinor bounds accepted amounts well inside int64 so that arithmetic
// on them (sums, conversions) can never overflow.
const maxMinor = 1e15

// parseMinor converts a number as typed into minor units of currency,
// multiplied by unit (for Korean 만/천). It decides which separator is the
// decimal point: when both "," and "." occur, the last one; when only one
// kind occurs once and is followed by one or two digits, that one;
// otherwise separators group thousands.
func parseMinor(num, currency string, unit int64) (int64, bool) {
	num = strings.ReplaceAll(num, " ", "")
	if len(num) == 5 && num[0] == '0' && (num[1] == '.' || num[1] == ',') {
		// "0.001" is no grouping of thousands: it has more decimals than
		// any currency here.
		return 0, false
	}
	intPart, fracPart := num, ""
	if i := strings.LastIndexAny(num, ".,"); i >= 0 {
		sep := num[i]
		after := num[i+1:]
		mixed := strings.ContainsRune(num[:i], rune(otherSep(sep)))
		single := strings.Count(num, string(sep)) == 1
		if (mixed || single) && len(after) <= 2 {
			intPart, fracPart = num[:i], after
		}
	}
	intPart = strings.NewReplacer(",", "", ".", "").Replace(intPart)
	// Twelve digits (below a trillion) is far beyond any order total and
	// keeps the arithmetic below, including the 만 multiplier, in range.
	if intPart == "" || len(intPart) > 12 {
		return 0, false
	}
	whole, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil {
		return 0, false
	}
	digits := minorDigits(currency)
	for len(fracPart) < 2 {
		fracPart += "0"
	}
	frac, _ := strconv.ParseInt(fracPart, 10, 64) // two digits, cannot fail
	// Work in hundredths first so that 만 and 천 multiply the fraction too
	// ("1.5만원" = 15000) and KRW rounds half up once at the end.
	hundredths := (whole*100 + frac) * unit
	var minor int64
	if digits == 0 {
		minor = (hundredths + 50) / 100
	} else {
		minor = hundredths
	}
	if minor < 0 || minor > maxMinor {
		return 0, false
	}
	return minor, true
}

func otherSep(c byte) byte {
	if c == '.' {
		return ','
	}
	return '.'
}
