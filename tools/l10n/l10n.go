// Package l10n writes money and dates the way each of csagent's reply
// languages (en, ko, es, ru) writes them, and picks the Korean particles
// that depend on the word before them.
//
// Numbers, currency symbols and each currency's minor units come from
// golang.org/x/text (CLDR data). x/text has no date formatting and does
// not expose where a language puts the currency symbol, so those two are
// written here for the four languages.
package l10n

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// base returns the supported language of locale ("ko-KR" → "ko"), English
// for any other.
func base(locale string) string {
	l := strings.ToLower(locale)
	if i := strings.IndexAny(l, "-_"); i >= 0 {
		l = l[:i]
	}
	switch l {
	case "ko", "es", "ru":
		return l
	}
	return "en"
}

// Money writes minor units of currency code for a reader of locale:
// "$136.40", "₩286,000", "136,40 €", "5 000,00 ₽". The number's
// separators and the symbol are CLDR's; the symbol goes before the number
// in English and Korean and after it, with a space, in Spanish and
// Russian. Spaces are plain spaces, as buyers type them (CLDR's
// no-break spaces become ordinary ones). An unknown currency is written
// "1234 XYZ".
func Money(locale string, minor int64, code string) string {
	u, err := currency.ParseISO(code)
	if err != nil {
		return fmt.Sprintf("%d %s", minor, code)
	}
	scale, _ := currency.Standard.Rounding(u)
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	div := 1.0
	for range scale {
		div *= 10
	}
	l := base(locale)
	p := message.NewPrinter(language.Make(l))
	num := plainSpaces(p.Sprint(number.Decimal(float64(minor)/div, number.Scale(scale))))
	if l == "es" && minor/int64(div) < 10000 {
		// CLDR's minimumGroupingDigits for Spanish is 2 ("5000,00 €",
		// "12.000,00 €"), which x/text's number formatting does not apply.
		num = strings.Replace(num, ".", "", 1)
	}
	sym := plainSpaces(p.Sprint(currency.Symbol(u)))
	switch l {
	case "es", "ru":
		return sign + num + " " + sym
	}
	if r := lastRune(sym); unicode.IsLetter(r) {
		return sign + sym + " " + num // "RUB 5,000.00"
	}
	return sign + sym + num
}

var narrowSpaces = strings.NewReplacer("\u00a0", " ", "\u202f", " ")

func plainSpaces(s string) string { return narrowSpaces.Replace(s) }

func lastRune(s string) rune {
	rs := []rune(s)
	if len(rs) == 0 {
		return 0
	}
	return rs[len(rs)-1]
}

var (
	monthsES = [...]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}
	// monthsRU are the genitive forms a date takes: "27 ноября".
	monthsRU = [...]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}
)

// Date writes t's calendar day (in UTC, the day the platform's records
// use) in the long form of locale: "November 27, 2026", "2026년 11월
// 27일", "27 de noviembre de 2026", "27 ноября 2026".
func Date(locale string, t time.Time) string {
	t = t.UTC()
	switch base(locale) {
	case "ko":
		return fmt.Sprintf("%d년 %d월 %d일", t.Year(), t.Month(), t.Day())
	case "es":
		return fmt.Sprintf("%d de %s de %d", t.Day(), monthsES[t.Month()-1], t.Year())
	case "ru":
		// Without CLDR's "г.": inside a sentence that ends after the
		// date it would make "2026 г..".
		return fmt.Sprintf("%d %s %d", t.Day(), monthsRU[t.Month()-1], t.Year())
	}
	return t.Format("January 2, 2006")
}
