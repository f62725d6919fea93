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
	// "the gift I ordered arrived broken" is a present, not the gift
	// card, which the "gift card" group still finds.
	"gift",
	// "handmade" says nothing about which handmade thing.
	"ручной", "работы", "수제",
)

// wordEndings are the inflectional endings a word of an item name may
// take in a message, after the name's own ending is taken off: plural
// and gender in English and Spanish ("boots", "la sandalia"), case,
// number and adjective agreement in Russian ("шкатулку", "самоваров",
// "в чайном наборе"). Matching a stem plus one of these, rather than any
// longer word that starts like the name, keeps "cupón" from being a cup
// and "чайник" from being the tea set.
var wordEndings = setOf(
	"", "s", "es", "a", "as", "o", "os",
	"а", "я", "ы", "и", "у", "ю", "е", "о", "ой", "ей", "ом", "ем", "ов", "ев", "ам", "ям",
	"ами", "ями", "ах", "ях", "ый", "ий", "ая", "яя", "ое", "ее", "ые", "ие", "ого", "его",
	"ому", "ему", "ым", "им", "ую", "юю", "ых", "их", "ыми", "ими",
)

// stem takes a known ending off w, keeping at least four letters ("mesa"
// stays whole, or it would be "mes", a month).
func stem(w string) string {
	rs := []rune(w)
	for n := 3; n >= 1; n-- {
		if len(rs)-n >= 4 && wordEndings[string(rs[len(rs)-n:])] {
			return string(rs[:len(rs)-n])
		}
	}
	return w
}

// inflectedAt returns the last position at which a word of the text is
// st followed by one of wordEndings, or -1.
func inflectedAt(kt keywordText, st string) int {
	last := -1
	w := kt.words
	for from := 0; ; {
		i := strings.Index(w[from:], " "+st)
		if i < 0 {
			return last
		}
		i += from
		rest := w[i+1+len(st):]
		if j := strings.IndexByte(rest, ' '); j >= 0 {
			rest = rest[:j]
		}
		if wordEndings[rest] {
			last = i
		}
		from = i + 1
	}
}

// trackingCues mark a message about the tracking page, whose map is not
// the trail map sold in the shop ("the map on the tracking page is
// frozen").
var trackingCues = []string{" track", " seguimiento", " rastreo", " отслеж", " трек"}

// mapWords are the words that name the trail map.
var mapWords = setOf("map", "mapa", "карта")

func aboutTracking(kt keywordText) bool {
	for _, c := range trackingCues {
		if strings.Contains(kt.words, c) {
			return true
		}
	}
	return strings.Contains(kt.compact, "배송조회")
}

// ItemTerms returns the folded item words that text uses, expanded to
// every word of their group in every language ("lantern" also gives
// "lamp", "램프", "фонар"…). It is what a list of orders is searched with
// when a buyer names an order by what is in it ("the kettle order").
func ItemTerms(text string) []string {
	t := fold(strings.ToLower(normalize(text)))
	kt := newKeywordText(t)
	var out []string
	for i, g := range itemGroups {
		if groupIn(kt, i) {
			out = append(out, g...)
		}
	}
	return out
}

// namesGoods reports whether the keyword text mentions a kind of goods.
func namesGoods(kt keywordText) bool {
	for i := range itemGroups {
		if groupIn(kt, i) {
			return true
		}
	}
	return false
}

// groupIn reports whether the keyword text mentions a word of the
// goods group gi.
func groupIn(kt keywordText, gi int) bool {
	return groupAt(kt, gi) >= 0
}

// goodsWord is a word of itemGroups prepared for searching: Parse looks
// for every group in every message, so the per-word facts are worked out
// once.
type goodsWord struct {
	kw     keyword // " "+word for Latin and Cyrillic, the word for Hangul
	word   string
	short  bool // fewer than five letters: matched only with an ending
	single bool // one Hangul syllable: matched only at a word start
	isMap  bool
}

var goodsGroups = func() [][]goodsWord {
	out := make([][]goodsWord, len(itemGroups))
	for i, g := range itemGroups {
		for _, w := range g {
			n := utf8.RuneCountInString(w)
			gw := goodsWord{word: w, isMap: mapWords[w]}
			if hasHangul(w) {
				gw.kw, gw.single = keyword{w, scriptHangul}, n == 1
			} else {
				gw.kw, gw.short = keyword{" " + w, scriptsOf(w)}, n < 5
			}
			out[i] = append(out[i], gw)
		}
	}
	return out
}()

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
		if s > 0 && specificKind(kt, n) {
			// Scores are doubled so that, between equal matches, the one
			// of the more specific kind wins: "부츠만" is the boots, not
			// the sneakers, though both are footwear.
			s = 2*s + 1
		} else {
			s *= 2
		}
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

// specificKind reports whether text and name share a kind of goods
// narrower than footwear in general (the first group).
func specificKind(kt keywordText, name string) bool {
	nk := newKeywordText(fold(strings.ToLower(normalize(name))))
	for i := 1; i < len(itemGroups); i++ {
		if groupIn(nk, i) && groupAt(kt, i) >= 0 {
			return true
		}
	}
	return false
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
	for i := range itemGroups {
		if groupIn(nk, i) {
			if p := groupAt(kt, i); p >= 0 {
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
	if mapWords[w] && aboutTracking(kt) {
		return -1
	}
	at := inflectedAt(kt, stem(w))
	if rs := []rune(w); len(rs) > 5 {
		// "lanterns", "лампу", "lámparas": a long enough stem suffices,
		// long enough that "rechargeable" is not "rechazaron".
		at = max(at, strings.LastIndex(kt.words, " "+string(rs[:max(5, len(rs)-3)])))
	}
	return at
}

// groupAt returns the last position at which the text uses a word of
// the goods group gi, or -1. A Hangul word of two syllables or more
// matches anywhere, since particles glue on ("텀블러만"); a single syllable
// only at a word start, so that "컵이" is a cup and "롤드컵" (a
// tournament) is not. Short Latin and Cyrillic words need an ending:
// "cups" and "доску", not "cupón" or "медленно".
func groupAt(kt keywordText, gi int) int {
	last := -1
	for _, gw := range goodsGroups[gi] {
		switch {
		case gw.kw.script == scriptHangul:
			if kt.compact == "" {
				continue
			}
			if gw.single {
				last = max(last, strings.LastIndex(kt.words, " "+gw.word))
			} else {
				last = max(last, kt.lastIndex(gw.kw))
			}
		case !kt.mayStart(gw.kw):
		case gw.isMap && aboutTracking(kt):
		case gw.short:
			last = max(last, inflectedAt(kt, gw.word))
		default:
			last = max(last, strings.LastIndex(kt.words, gw.kw.text))
		}
	}
	return last
}
