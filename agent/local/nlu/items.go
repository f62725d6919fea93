package nlu

import (
	"strings"
	"unicode/utf8"
)

// itemGroups are words buyers use for the kinds of goods sold on Maru
// Market, across the four languages, so that "the shoes one" finds "Trail
// hiking boots" and "신발" finds "캔버스 운동화". They are folded (no
// accents, "е" for "ё"); Latin and Cyrillic entries are word prefixes,
// Hangul entries match anywhere.
var itemGroups = [][]string{
	{"shoe", "boot", "sneaker", "sandal", "trainer", "footwear", "신발", "운동화", "부츠", "샌들", "zapato", "zapatilla", "bota", "sandalia", "calzado", "обувь", "ботин", "кроссов", "валенк", "туфл", "сандал", "valenki"},
	{"jacket", "raincoat", "coat", "재킷", "자켓", "코트", "chaqueta", "abrigo", "impermeable", "куртк", "пальто", "дождевик"},
	{"sock", "양말", "calcet", "носк"},
	{"scarf", "목도리", "스카프", "bufanda", "шарф"},
	{"earbud", "earphone", "headphone", "이어폰", "auricular", "наушник"},
	{"blanket", "담요", "manta", "одеял", "плед"},
	{"kettle", "주전자", "hervidor", "чайник"},
	{"samovar", "사모바르", "самовар"},
	{"lamp", "lantern", "램프", "랜턴", "조명", "lampara", "linterna", "farol", "ламп", "фонар", "светильник"},
	{"bottle", "tumbler", "flask", "텀블러", "물병", "보온병", "botella", "termo", "бутылк", "термос", "тамблер"},
	{"towel", "수건", "타월", "toalla", "полотенц"},
	{"bag", "purse", "가방", "bolso", "bolsa", "сумк"},
	{"pan", "paella", "팬", "프라이팬", "paeller", "sarten", "сковород"},
	{"mug", "cup", "머그", "컵", "taza", "кружк", "чашк"},
	{"tea set", "teaset", "찻잔", "다기", "다구", "juego de te", "чайный набор", "чайн"},
	{"box", "상자", "함", "caja", "шкатулк"},
	{"board", "도마", "tabla", "доск"},
	{"kimchi", "김치"},
	{"honey", "꿀", "miel", "мед"},
	{"oil", "오일", "올리브", "aceite", "масл"},
	{"gift card", "giftcard", "기프트", "상품권", "tarjeta regalo", "tarjeta de regalo", "подарочн", "сертификат"},
	{"map", "지도", "mapa", "карт"},
	{"ebook", "e-book", "book", "recipe", "책", "레시피", "libro", "receta", "книг", "рецепт"},
}

// itemStopwords are words of product names that say nothing about which
// item is meant.
var itemStopwords = setOf(
	"of", "the", "and", "with", "pack", "de", "del", "la", "el", "y", "con", "из", "с", "и", "для",
	"set", "juego", "набор",
)

// ItemTerms returns the folded item words that text uses, expanded to
// every word of their group in every language ("lantern" also gives
// "lamp", "램프", "фонар"…). It is what a list of orders is searched with
// when a buyer names an order by what is in it ("the kettle order").
func ItemTerms(text string) []string {
	t := fold(strings.ToLower(normalize(text)))
	kt := newKeywordText(t)
	var out []string
	for _, g := range itemGroups {
		if groupIn(kt, g) {
			out = append(out, g...)
		}
	}
	return out
}

// groupIn reports whether the keyword text mentions a word of group g.
func groupIn(kt keywordText, g []string) bool {
	for _, w := range g {
		if hasHangul(w) {
			if strings.Contains(kt.compact, w) {
				return true
			}
			continue
		}
		if strings.Contains(kt.words, " "+w) {
			return true
		}
	}
	return false
}

// MatchItem returns the index of the one name in names that text refers
// to, by a word of the name or part of it ("just the lantern", "la
// lámpara", "только чайный набор") or by a word of the same kind in another
// language ("부츠만" for "Trail hiking boots"), or -1 when text names none
// of them or several equally well. names are item names as a shop lists
// them; MatchItem knows nothing of orders, so the caller passes only the
// items of the buyer's own order (or orders).
func MatchItem(text string, names []string) int {
	if len(names) == 0 {
		return -1
	}
	t := fold(strings.ToLower(normalize(text)))
	kt := newKeywordText(t)
	best, bestScore, tie := -1, 0, false
	for i, n := range names {
		s := itemScore(kt, n)
		switch {
		case s > bestScore:
			best, bestScore, tie = i, s, false
		case s == bestScore && s > 0:
			tie = true
		}
	}
	if tie || bestScore == 0 {
		return -1
	}
	return best
}

// itemScore is how strongly the text refers to the item called name: two
// points per word of the name the text uses (a shared stem of at least
// five letters counts, so inflected Russian and Spanish forms match), one
// per kind-of-goods group the two share.
func itemScore(kt keywordText, name string) int {
	n := fold(strings.ToLower(normalize(name)))
	score := 0
	for _, w := range strings.Fields(wordForm(n)) {
		if itemStopwords[w] || utf8.RuneCountInString(w) < 3 && !hasHangul(w) {
			continue
		}
		if mentionsWord(kt, w) {
			score += 2
		}
	}
	nk := newKeywordText(n)
	for _, g := range itemGroups {
		if groupIn(kt, g) && groupIn(nk, g) {
			score++
		}
	}
	return score
}

// mentionsWord reports whether the text uses the name word w or a form of
// it: Hangul words anywhere (particles glue on: "부츠만"), other words at a
// word start, sharing at least min(len, 5) leading letters.
func mentionsWord(kt keywordText, w string) bool {
	if hasHangul(w) {
		return strings.Contains(kt.compact, w)
	}
	rs := []rune(w)
	stem := rs
	if len(stem) > 5 {
		stem = stem[:5]
	}
	if len(rs) > 4 && len(stem) < len(rs) {
		// "lanterns", "лампу", "lámparas": a long enough stem suffices.
		return strings.Contains(kt.words, " "+string(stem))
	}
	return strings.Contains(kt.words, " "+w+" ") || strings.Contains(kt.words, " "+w+"s ")
}
