package guardrails

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/csagent/csagent/internal/litgate"
)

// Kinds of personal data, reported as Violation.Rule, and their masks.
const (
	PIICard    = "card"
	PIIPhone   = "phone"
	PIIEmail   = "email"
	PIIAddress = "address"
)

var piiMasks = map[string]string{
	PIICard: "[CARD]", PIIPhone: "[PHONE]", PIIEmail: "[EMAIL]", PIIAddress: "[ADDRESS]",
}

var (
	emailRE = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	// cardRE finds 13 to 19 digits, grouped by spaces or hyphens; Luhn
	// decides.
	cardRE = regexp.MustCompile(`\d(?:[ -]?\d){12,18}`)
	// phoneRES are gated by the literals they need (the international
	// pattern runs only with a "+").
	phoneRES = []litgate.Gate{
		// International: +82 10-1234-5678, +1 (555) 123-4567, +34 612 345 678.
		litgate.Exact(regexp.MustCompile(`\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]?\d{2,4}){1,4}`)),
		// Russia: 8 (912) 345-67-89, 8-912-345-67-89, 89123456789.
		litgate.Exact(regexp.MustCompile(`8[\s-]?\(?\d{3}\)?[\s-]?\d{3}[\s-]?\d{2}[\s-]?\d{2}`)),
		// Korea: 010-1234-5678, 01012345678, 02-123-4567, 031 123 4567.
		litgate.Exact(regexp.MustCompile(`01[016789][\s.-]?\d{3,4}[\s.-]?\d{4}|0(?:2|[3-6]\d)[\s.-]?\d{3,4}[\s.-]?\d{4}`)),
		// Spain: 612 345 678, 912 34 56 78, 612345678.
		litgate.Exact(regexp.MustCompile(`[6789]\d{2}[\s.-]?\d{2,3}[\s.-]?\d{2,3}(?:[\s.-]?\d{2})?`)),
		// North America: (555) 123-4567, 555-123-4567.
		litgate.Exact(regexp.MustCompile(`\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}`)),
	}
	addressRES = []*regexp.Regexp{
		regexp.MustCompile(`\b\d{1,5}\s+(?:[A-Z][a-z]+\.?\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Parkway|Pkwy|Highway|Hwy)\b\.?(?:,?\s*(?:Apt|Apartment|Suite|Ste|Unit|#)\.?\s*[\w-]+)?`),
		regexp.MustCompile(`(?:[가-힣]+(?:특별시|광역시|특별자치시|도|시)\s+)?[가-힣]+(?:시|구|군)\s+(?:[가-힣]+(?:구|동|읍|면)\s+)?[가-힣0-9]+(?:로|길)\s*\d+(?:-\d+)?(?:,?\s*(?:\d+동\s*)?\d+호)?`),
		regexp.MustCompile(`(?:[Cc]alle|C/|[Aa]venida|[Aa]vda\.?|[Aa]v\.|[Pp]laza|[Pp]za\.|[Pp]aseo|[Cc]amino|[Cc]arretera|[Rr]onda)\s+(?:de\s+(?:la\s+|los\s+|las\s+)?)?[A-ZÁÉÍÓÚÑ]\p{L}+(?:\s+(?:de\s+)?[A-ZÁÉÍÓÚÑ]\p{L}+){0,3},?\s*(?:n[º°o]\.?\s*)?\d{1,4}(?:,?\s*\d{1,2}[º°]?\s*[A-Za-z]?\b)?`),
		regexp.MustCompile(`(?:ул\.|улица|пр-т|пр\.|проспект|пер\.|переулок|бул\.|бульвар|ш\.|шоссе|наб\.|набережная|пл\.|площадь)\s*[А-ЯЁ][\p{L}-]+(?:\s+[А-ЯЁа-яё][\p{L}-]+){0,2},?\s*(?:д\.|дом)?\s*\d{1,4}[а-я]?(?:,?\s*(?:кв\.|квартира)\s*\d{1,4})?`),
	}
)

// addressGates are words one of which each address pattern needs.
var addressGates = [][]string{
	{"Street", "St", "Ave", "Road", "Rd", "Boulevard", "Blvd", "Lane", "Ln", "Drive", "Dr", "Court", "Ct", "Way", "Place", "Pl", "Terrace", "Parkway", "Pkwy", "Highway", "Hwy"},
	{"로", "길"},
	{"alle", "C/", "venida", "vda", "Av.", "laza", "Pza", "aseo", "amino", "arretera", "onda"},
	{"ул", "пр", "пер", "бул", "ш.", "шоссе", "наб", "пл"},
}

func hasAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// piiHit is personal data found in a text.
type piiHit struct {
	kind string
	sp   span
}

// findPII returns the personal data in s, without overlaps, in order.
func findPII(s string) []piiHit {
	if len(s) < 6 {
		return nil
	}
	var hits []piiHit
	taken := func(a, b int) bool {
		for _, h := range hits {
			if a < int(h.sp.end) && b > int(h.sp.start) {
				return true
			}
		}
		return false
	}
	add := func(kind string, a, b int) {
		if !taken(a, b) {
			hits = append(hits, piiHit{kind, span{int32(a), int32(b)}})
		}
	}
	digits := countDigits(s)
	if strings.IndexByte(s, '@') >= 0 {
		for _, l := range emailRE.FindAllStringIndex(s, -1) {
			add(PIIEmail, l[0], l[1])
		}
	}
	if digits >= 13 {
		for _, l := range cardRE.FindAllStringIndex(s, -1) {
			if digitBounded(s, l[0], l[1]) && luhn(s[l[0]:l[1]]) {
				add(PIICard, l[0], l[1])
			}
		}
	}
	if digits >= 9 {
		for _, re := range phoneRES {
			if !re.MayMatch(s) {
				continue
			}
			for _, l := range re.Regexp().FindAllStringIndex(s, -1) {
				a, b := l[0], l[1]
				n := countDigits(s[a:b])
				if n < 9 || n > 15 || !digitBounded(s, a, b) || isDateLike(s[a:b]) {
					continue
				}
				// "(555) 123-4567": take the opening parenthesis along.
				if a > 0 && s[a-1] == '(' && strings.Contains(s[a:b], ")") {
					a--
				}
				add(PIIPhone, a, b)
			}
		}
	}
	if digits > 0 {
		for i, re := range addressRES {
			if !hasAny(s, addressGates[i]) {
				continue
			}
			for _, l := range re.FindAllStringIndex(s, -1) {
				add(PIIAddress, l[0], l[1])
			}
		}
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].sp.start < hits[j].sp.start })
	return hits
}

// digitBounded reports that s[a:b] is not part of a longer run of digits
// or of a word like a tracking number.
func digitBounded(s string, a, b int) bool {
	if a > 0 {
		q, _ := utf8.DecodeLastRuneInString(s[:a])
		if unicode.IsDigit(q) || q < utf8.RuneSelf && unicode.IsLetter(q) || q == '-' || q == '.' && a > 1 && isDigit(s[a-2]) {
			return false
		}
	}
	if b < len(s) {
		q, _ := utf8.DecodeRuneInString(s[b:])
		if unicode.IsDigit(q) || q < utf8.RuneSelf && unicode.IsLetter(q) {
			return false
		}
		if (q == '-' || q == '.' || q == ',') && b+1 < len(s) && isDigit(s[b+1]) {
			return false
		}
	}
	return true
}

func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			n++
		}
	}
	return n
}

// isDateLike rules out "2026-11-20 10:30" and similar.
func isDateLike(s string) bool {
	return isoDateRE.MatchString(s)
}

// luhn checks the card-number checksum of the digits in s.
func luhn(s string) bool {
	var digits []int
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			digits = append(digits, int(s[i]-'0'))
		}
	}
	if len(digits) < 13 || len(digits) > 19 {
		return false
	}
	sum := 0
	for i := range digits {
		d := digits[len(digits)-1-i]
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// mask replaces each hit in s by its mask.
func mask(s string, hits []piiHit) string {
	if len(hits) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, h := range hits {
		b.WriteString(s[last:h.sp.start])
		b.WriteString(piiMasks[h.kind])
		last = int(h.sp.end)
	}
	b.WriteString(s[last:])
	return b.String()
}

// Redact returns text with card numbers (Luhn-valid), phone numbers,
// emails and street addresses replaced by [CARD], [PHONE], [EMAIL] and
// [ADDRESS], for logs and for anything sent to an external LLM.
func Redact(text string) string { return mask(text, findPII(text)) }

// piiViolations describes hits of text (starting at byte base) as
// violations.
func piiViolations(text string, base int, hits []piiHit) []Violation {
	out := make([]Violation, 0, len(hits))
	for _, h := range hits {
		out = append(out, Violation{
			Type: TypePII, Rule: h.kind, Span: text[h.sp.start:h.sp.end],
			Start: base + int(h.sp.start), End: base + int(h.sp.end),
			Detail: "personal data (" + h.kind + ")",
		})
	}
	return out
}

// RedactOnly is Redact limited to the given kinds of personal data (PIICard,
// PIIPhone, PIIEmail, PIIAddress): web masks card numbers in what buyers
// send before storing it, and emails and phone numbers before a shop sees
// them, but leaves the rest for the people who need it.
func RedactOnly(text string, kinds ...string) string {
	hits := findPII(text)
	kept := hits[:0]
	for _, h := range hits {
		for _, k := range kinds {
			if h.kind == k {
				kept = append(kept, h)
				break
			}
		}
	}
	return mask(text, kept)
}
