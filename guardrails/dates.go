package guardrails

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Dates in the formats the four languages write them in, read as
// "2026-11-20" (or "--11-20" without a year).
var (
	isoDateRE = regexp.MustCompile(`(\d{4})-(\d{2})-(\d{2})`)
	koDateRE  = regexp.MustCompile(`(?:(\d{4})\s*년\s*)?(\d{1,2})\s*월\s*(\d{1,2})\s*일`)
	enDateRE  = regexp.MustCompile(`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?` +
		`|(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?:,?\s+(\d{4}))?`)
	esDateRE = regexp.MustCompile(`(\d{1,2})\s+de\s+(enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)(?:\s+(?:de|del)\s+(\d{4}))?`)
	ruDateRE = regexp.MustCompile(`(\d{1,2})\s+(января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)(?:\s+(\d{4}))?(?:\s*г\.?)?`)
)

var monthsByName = map[string]int{
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
	"enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
	"septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
	"января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7, "августа": 8,
	"сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}

func monthNumber(name string) int {
	n := strings.ToLower(name)
	if m, ok := monthsByName[n]; ok {
		return m
	}
	if len(n) >= 3 {
		return monthsByName[n[:3]]
	}
	return 0
}

// dateKey is "2026-11-20", or "--11-20" without a year.
func dateKey(y string, m, d int) (string, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return "", false
	}
	if y == "" {
		return fmt.Sprintf("--%02d-%02d", m, d), true
	}
	return fmt.Sprintf("%s-%02d-%02d", y, m, d), true
}

// dates adds the date claims of s, in every format the four languages
// write dates in.
func (x extractor) dates(s string, work []byte, add func(claim, int, int)) {
	atoi := func(v string) int { n, _ := strconv.Atoi(v); return n }
	sub := func(m []int, g int) string {
		if m[2*g] < 0 {
			return ""
		}
		return s[m[2*g]:m[2*g+1]]
	}
	try := func(re *regexp.Regexp, f func(m []int) (string, bool)) {
		for _, m := range re.FindAllSubmatchIndex(work, -1) {
			if m[0] > 0 && s[m[0]-1] >= '0' && s[m[0]-1] <= '9' {
				continue
			}
			if m[1] < len(s) && s[m[1]] >= '0' && s[m[1]] <= '9' {
				continue
			}
			if k, ok := f(m); ok {
				add(claim{kind: claimDate, key: k}, m[0], m[1])
			}
		}
	}
	low := string(work)
	has := func(sub string) bool { return strings.Contains(low, sub) }
	if has("-") {
		try(isoDateRE, func(m []int) (string, bool) { return dateKey(sub(m, 1), atoi(sub(m, 2)), atoi(sub(m, 3))) })
	}
	if has("월") {
		try(koDateRE, func(m []int) (string, bool) { return dateKey(sub(m, 1), atoi(sub(m, 2)), atoi(sub(m, 3))) })
	}
	if has(".") || has("/") {
		for _, d := range dottedDates(low) {
			y, m, day := d.y, d.m, d.d
			if d.sep == '/' && x.locale == "en" {
				m, day = day, m // month first
			}
			if k, ok := dateKey(strconv.Itoa(y), m, day); ok {
				add(claim{kind: claimDate, key: k}, d.a, d.b)
			}
		}
	}
	for _, mh := range monthHints {
		if has(mh) {
			try(enDateRE, func(m []int) (string, bool) {
				if sub(m, 1) != "" {
					return dateKey(sub(m, 3), monthNumber(sub(m, 1)), atoi(sub(m, 2)))
				}
				return dateKey(sub(m, 6), monthNumber(sub(m, 5)), atoi(sub(m, 4)))
			})
			break
		}
	}
	if has(" de ") {
		try(esDateRE, func(m []int) (string, bool) { return dateKey(sub(m, 3), monthNumber(sub(m, 2)), atoi(sub(m, 1))) })
	}
	if has("я") || has("а") { // every month's genitive ends in one

		try(ruDateRE, func(m []int) (string, bool) { return dateKey(sub(m, 3), monthNumber(sub(m, 2)), atoi(sub(m, 1))) })
	}
}

// dotted is a date written with dots or slashes.
type dotted struct {
	a, b    int // byte range
	y, m, d int // as read: d.m.y or y.m.d (m and d swapped for en later)
	sep     byte
}

// dottedDates finds "2026. 11. 20.", "2026.11.20", "20.11.2026" and
// "11/20/2026" (a hand-written scanner: the regexp package is slow on
// this many optional parts).
func dottedDates(s string) []dotted {
	var out []dotted
	num := func(i, maxLen int) (int, int) { // value, end
		j := i
		for j < len(s) && j-i < maxLen && isDigit(s[j]) {
			j++
		}
		if j == i || j < len(s) && isDigit(s[j]) {
			return -1, i
		}
		v, _ := strconv.Atoi(s[i:j])
		return v, j
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) || i > 0 && (isDigit(s[i-1]) || s[i-1] == '.' || s[i-1] == '/') {
			continue
		}
		v1, j := num(i, 4)
		if v1 < 0 || j >= len(s) || s[j] != '.' && s[j] != '/' {
			continue
		}
		sep, n1 := s[j], j-i
		skip := func(k int) int {
			if sep == '.' && k < len(s) && s[k] == ' ' {
				return k + 1
			}
			return k
		}
		v2, k := num(skip(j+1), 2)
		if v2 < 0 || k >= len(s) || s[k] != sep {
			continue
		}
		v3, end := num(skip(k+1), 4)
		if v3 < 0 {
			continue
		}
		n3 := end - skip(k+1)
		switch {
		case n1 == 4 && n3 <= 2:
			if end < len(s) && s[end] == '.' {
				end++
			}
			out = append(out, dotted{i, end, v1, v2, v3, sep})
		case n1 <= 2 && n3 == 4:
			out = append(out, dotted{i, end, v3, v2, v1, sep})
		}
		i = end
	}
	return out
}
