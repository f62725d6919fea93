package l10n

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Korean particles take one form after a syllable that ends in a
// consonant (받침) and another after a vowel: 주문은 / 배송이 / 주문을 /
// 택배로 but 번호는 / 주소가 / 번호를 / 우체국으로. 으로 also takes the
// vowel form 로 after ㄹ (서울로).
//
// Ids, carriers and amounts are often written in Latin letters and digits;
// the choice then follows how a Korean reader says the last character:
// digits by their Sino-Korean names (0 영, 1 일, 3 삼, 6 육, 7 칠, 8 팔 end in
// a consonant, 7 and 8 and 1 in ㄹ; 2 이, 4 사, 5 오, 9 구 in a vowel), letters
// by their English names (L 엘, M 엠, N 엔, R 알 end in a consonant; the
// others — 에이, 비, 씨, …, 에스, 엑스 — in a vowel); a currency sign by the
// currency's name (₩ 원; $ 달러, € 유로, ₽ 루블). "ORD-10102는",
// "Correos로", "UPS로", "ORD-10007은", "CJ대한통운으로". A word in
// parentheses after the noun ("CJ대한통운(운송장 123)으로") is skipped.

// pairs are the particles templates write with both forms, "은(는)", and
// the forms after a consonant and after a vowel.
var pairs = []struct{ written, consonant, vowel string }{
	{"은(는)", "은", "는"},
	{"이(가)", "이", "가"},
	{"을(를)", "을", "를"},
	{"과(와)", "과", "와"},
	{"(으)로", "으로", "로"},
}

// Particles replaces every written-both-ways particle in s ("주문
// ORD-10102은(는)") with the form the word before it takes.
func Particles(s string) string {
	if !strings.Contains(s, "(") {
		return s
	}
	for _, p := range pairs {
		for {
			i := strings.Index(s, p.written)
			if i < 0 {
				break
			}
			s = s[:i] + choose(s[:i], p.consonant, p.vowel, p.written == "(으)로") + s[i+len(p.written):]
		}
	}
	return s
}

// choose returns the particle form the end of before takes.
func choose(before, consonant, vowel string, isRo bool) string {
	final, rieul, ok := ending(before)
	switch {
	case !ok:
		return consonant // unknown: the form that reads as correct more often
	case isRo && rieul:
		return vowel
	case final:
		return consonant
	}
	return vowel
}

// ending reports whether the text's last spoken character ends in a
// consonant, and whether that consonant is ㄹ.
func ending(s string) (final, rieul, ok bool) {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	// The particle belongs to the noun before a parenthetical:
	// "CJ대한통운(운송장 123)을" — 운, not 3.
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndex(s, "("); i > 0 {
			s = strings.TrimRightFunc(s[:i], unicode.IsSpace)
		}
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	switch {
	case r >= 0xAC00 && r <= 0xD7A3:
		jong := (r - 0xAC00) % 28
		return jong != 0, jong == 8, true
	case r >= '0' && r <= '9':
		switch r {
		case '0', '3', '6':
			return true, false, true
		case '1', '7', '8':
			return true, true, true
		}
		return false, false, true
	case r == '₩': // 원
		return true, false, true
	case r == '$' || r == '€' || r == '₽': // 달러, 유로, 루블
		return false, false, true
	case unicode.IsLetter(r) && r < 0x80:
		switch unicode.ToUpper(r) {
		case 'M', 'N':
			return true, false, true
		case 'L', 'R':
			return true, true, true
		}
		return false, false, true
	}
	return false, false, false
}
