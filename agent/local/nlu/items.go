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
	// Any footwear word finds any footwear; the groups below tell boots
	// from sneakers.
	{"shoe", "footwear", "신발", "zapato", "calzado", "обувь", "туфл", "обувк",
		"boot", "sneaker", "trainer", "sandal", "valenki", "부츠", "운동화", "샌들", "발렌키",
		"bota", "zapatilla", "sandalia", "ботин", "сапог", "кроссов", "кед", "сандал", "валенк"},
	{"boot", "부츠", "bota", "ботин", "сапог"},
	{"sneaker", "trainer", "운동화", "스니커즈", "zapatilla", "tenis", "кроссов", "кед"},
	{"sandal", "샌들", "sandalia", "сандал", "босонож"},
	{"valenki", "felt boot", "발렌키", "валенк"},
	{"jacket", "raincoat", "coat", "재킷", "자켓", "코트", "우비", "chaqueta", "abrigo", "impermeable", "куртк", "пальто", "дождевик", "ветровк"},
	{"sock", "양말", "calcet", "носк", "носоч"},
	{"scarf", "목도리", "스카프", "bufanda", "шарф"},
	{"earbud", "earphone", "headphone", "이어폰", "auricular", "наушник"},
	{"blanket", "담요", "이불", "manta", "одеял", "плед"},
	{"kettle", "주전자", "포트", "hervidor", "чайник"},
	{"samovar", "사모바르", "самовар"},
	{"lamp", "lantern", "램프", "랜턴", "조명", "lampara", "linterna", "farol", "ламп", "фонар", "светильник"},
	{"bottle", "tumbler", "flask", "텀블러", "물병", "보온병", "botella", "termo", "бутылк", "термос", "тамблер"},
	{"towel", "수건", "타월", "toalla", "полотенц"},
	{"bag", "purse", "handbag", "가방", "bolso", "bolsa", "сумк"},
	{"pan", "paella", "팬", "프라이팬", "paeller", "sarten", "сковород"},
	{"mug", "cup", "머그", "컵", "taza", "кружк", "чашк"},
	{"tea set", "teaset", "찻잔", "다기", "다구", "juego de te", "чайный набор", "чайного набор", "чайном набор", "сервиз"},
	{"jewelry box", "trinket box", "birch box", "보석함", "joyero", "шкатулк"},
	{"cutting board", "chopping board", "도마", "tabla de cortar", "разделочн", "доск"},
	{"kimchi", "김치"},
	{"honey", "꿀", "miel", "мед"},
	{"olive oil", "오일", "올리브", "aceite", "масл"},
	{"gift card", "giftcard", "기프트", "상품권", "tarjeta regalo", "tarjeta de regalo", "подарочн"},
	{"trail map", "map bundle", "등산 지도", "mapa", "карта маршрут"},
	{"ebook", "e-book", "recipe book", "cookbook", "레시피", "요리책", "libro", "recetario", "книг"},
}

// itemStopwords are words of product names that say nothing about which
// item is meant.
var itemStopwords = setOf(
	"of", "the", "and", "with", "pack", "de", "del", "la", "el", "y", "con", "из", "с", "и", "для",
	"set", "juego", "набор", "card", "rain", "bundle", "download", "digital", "extra", "work",
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
	best, bestScore, bestPos, tie := -1, 0, -1, false
	for i, n := range names {
		s, pos := itemScore(kt, n)
		switch {
		case s == 0:
		case s > bestScore:
			best, bestScore, bestPos, tie = i, s, pos, false
		case s == bestScore && pos > bestPos:
			// A buyer who lists what is fine and then what is wrong names
			// the item they mean last: "the socks are great, but the
			// lantern stopped charging, refund the lantern".
			best, bestPos, tie = i, pos, false
		case s == bestScore && pos == bestPos:
			tie = true
		}
	}
	if tie || bestScore == 0 {
		return -1
	}
	return best
}

// ItemScore is how strongly text refers to the item (or the
// comma-separated items) called name, 0 for not at all: what a buyer's
// description of an order ("the kettle order") is matched with.
func ItemScore(text, name string) int {
	kt := newKeywordText(fold(strings.ToLower(normalize(text))))
	s, _ := itemScore(kt, name)
	return s
}

// itemScore is how strongly the text refers to the item called name: two
// points per word of the name the text uses (a shared stem of at least
// five letters counts, so inflected Russian and Spanish forms match), one
// per kind-of-goods group the two share.
func itemScore(kt keywordText, name string) (score, last int) {
	n := fold(strings.ToLower(normalize(name)))
	last = -1
	for _, w := range strings.Fields(wordForm(n)) {
		if itemStopwords[w] || utf8.RuneCountInString(w) < 3 && !hasHangul(w) {
			continue
		}
		if p := mentionAt(kt, w); p >= 0 {
			score += 2
			last = max(last, p)
		}
	}
	// Sharing a kind of goods counts once however many groups match, so
	// that footwear, which has a general group and specific ones, does
	// not outweigh other goods.
	nk := newKeywordText(n)
	kind := false
	for _, g := range itemGroups {
		if groupIn(nk, g) {
			if p := groupAt(kt, g); p >= 0 {
				kind = true
				last = max(last, p)
			}
		}
	}
	if kind {
		score++
	}
	return score, last
}

// mentionAt returns the last position at which the text uses the name
// word w or a form of it, or -1: Hangul words anywhere (particles glue
// on: "부츠만"), other words at a word start, sharing at least
// min(len, 5) leading letters.
func mentionAt(kt keywordText, w string) int {
	if hasHangul(w) {
		return kt.lastIndex(keyword{w, scriptHangul})
	}
	rs := []rune(w)
	if len(rs) > 5 {
		// "lanterns", "лампу", "lámparas": a long enough stem suffices,
		// long enough that "rechargeable" is not "rechazaron".
		return strings.LastIndex(kt.words, " "+string(rs[:max(5, len(rs)-3)]))
	}
	if len(rs) == 5 {
		return strings.LastIndex(kt.words, " "+w)
	}
	return max(strings.LastIndex(kt.words, " "+w+" "), strings.LastIndex(kt.words, " "+w+"s "))
}

// groupAt returns the last position at which the text uses a word of
// group g, or -1.
func groupAt(kt keywordText, g []string) int {
	last := -1
	for _, w := range g {
		if hasHangul(w) {
			last = max(last, kt.lastIndex(keyword{w, scriptHangul}))
			continue
		}
		last = max(last, strings.LastIndex(kt.words, " "+w))
	}
	return last
}
