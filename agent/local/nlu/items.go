package nlu

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// itemGroups are words buyers use for the kinds of goods sold on Maru
// Market, across the four languages, so that "the shoes one" finds "Trail
// hiking boots" and "신발" finds "캔버스 운동화". They are folded (no
// accents, "е" for "ё"); Latin and Cyrillic entries are word prefixes,
// Hangul entries match anywhere inside a word.
var itemGroups = [][]string{
	// Any footwear word finds any footwear; the groups below tell boots
	// from sneakers.
	{"shoe", "footwear", "신발", "zapato", "calzado", "обувь", "обуви", "туфл", "обувк",
		"boot", "sneaker", "trainer", "sandal", "valenki", "부츠", "운동화", "샌들", "발렌키", "등산화", "켤레", "kicks", "zapas",
		"bota", "zapatilla", "sandalia", "ботин", "сапог", "кроссов", "кед", "сандал", "валенк", "валенок"},
	{"boot", "부츠", "등산화", "bota", "ботин", "сапог"},
	{"sneaker", "trainer", "kicks", "운동화", "스니커즈", "zapatilla", "zapas", "tenis", "кроссов", "кроссы", "кед"},
	{"sandal", "샌들", "sandalia", "сандал", "босонож"},
	{"valenki", "felt boot", "발렌키", "валенк", "валенок"},
	{"jacket", "raincoat", "coat", "재킷", "자켓", "코트", "우비", "chaqueta", "abrigo", "impermeable", "куртк", "пальто", "дождевик", "ветровк"},
	{"sock", "양말", "calcet", "носк", "носоч"},
	{"scarf", "shawl", "muffler", "목도리", "스카프", "숄", "머플러", "bufanda", "chal", "panuelo", "шарф", "шарфик", "шаль", "палантин"},
	{"earbud", "earphone", "headphone", "이어폰", "auricular", "cascos", "наушник", "наушки"},
	{"blanket", "담요", "이불", "manta", "одеял", "плед"},
	{"kettle", "주전자", "포트", "hervidor", "чайник"},
	{"samovar", "사모바르", "самовар", "самик"},
	// Any light finds any light; the two groups below tell a camp
	// lantern ("the flashlight thing", "фонарик") from a table lamp
	// ("керамическая лампа").
	{"lamp", "lantern", "flashlight", "torch", "램프", "랜턴", "손전등", "조명", "스탠드", "lampara", "lamparit",
		"linterna", "farol", "ламп", "фонар", "светильник", "торшер"},
	{"lantern", "flashlight", "torch", "랜턴", "손전등", "linterna", "farol", "фонар"},
	// English speakers call any light a lamp ("camping lamp", "the lamp
	// won't charge" of a lantern), so the English word is only in the
	// group of any light above; "table lamp" still finds the table lamp
	// by its trait.
	{"램프", "조명", "스탠드", "lampara", "lamparit", "ламп", "светильник", "торшер"},
	{"bottle", "tumbler", "flask", "thermos", "텀블러", "물병", "보온병", "botella", "botellit", "termo", "бутылк", "бутылочк", "термос", "тамблер"},
	{"towel", "수건", "타월", "toalla", "toallit", "полотенц", "полотенчик"},
	{"bag", "purse", "handbag", "tote", "가방", "bolso", "bolsa", "bolsit", "сумк", "сумочк"},
	{"pan", "paella", "팬", "프라이팬", "파에야", "빠에야", "paeller", "sarten", "сковород", "паэль", "паелье", "паэлье"},
	{"mug", "cup", "머그", "컵", "taza", "tacit", "кружк", "кружечк", "чашк", "чашечк"},
	{"tea set", "teaset", "찻잔", "다기", "다구", "juego de te", "чайный набор", "сервиз"},
	{"jewelry box", "jewellery box", "trinket box", "birch box", "보석함", "joyero", "cajita", "шкатулк", "шкатулочк", "коробочк"},
	{"cutting board", "chopping board", "도마", "tabla de cortar", "разделочн", "доск"},
	{"kimchi", "김치", "кимчи"},
	{"honey", "꿀", "miel", "мед"},
	{"olive oil", "oil", "오일", "올리브", "기름", "aceite", "масл"},
	{"gift card", "giftcard", "기프트", "상품권", "tarjeta regalo", "tarjeta de regalo", "подарочн"},
	{"trail map", "map bundle", "등산 지도", "mapa", "карта маршрут"},
	{"ebook", "e-book", "recipe book", "cookbook", "레시피북", "레시피 북", "레시피 책", "요리책", "libro", "recetario", "книг"},
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

// wordNamesGoods reports whether the one word w is a word of a kind of
// goods, matched as groupAt matches words in a text: namesGoods of w
// alone, without preparing w for a search of every group.
func wordNamesGoods(w string) bool {
	for _, g := range goodsGroups {
		for _, gw := range g {
			switch {
			case gw.kw.script == scriptHangul && gw.single:
				if strings.HasPrefix(w, gw.word) {
					return true
				}
			case gw.kw.script == scriptHangul:
				if strings.Contains(w, gw.word) {
					return true
				}
			case gw.short:
				if rest, ok := strings.CutPrefix(w, gw.word); ok && wordEndings[rest] {
					return true
				}
			case strings.HasPrefix(w, gw.word):
				return true
			}
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

var goodsGroups = prepareGroups(itemGroups)

// prepareGroups prepares groups of words for groupAt.
func prepareGroups(groups [][]string) [][]goodsWord {
	out := make([][]goodsWord, len(groups))
	for i, g := range groups {
		for _, w := range g {
			n := utf8.RuneCountInString(w)
			gw := goodsWord{word: w, isMap: mapWords[w]}
			if hasHangul(w) {
				gw.kw, gw.single = newKeyword(w, scriptHangul), n == 1
			} else {
				gw.kw, gw.short = newKeyword(" "+w, scriptsOf(w)), n < 5
			}
			out[i] = append(out[i], gw)
			for _, f := range adjectiveForms(w) {
				out[i] = append(out[i], goodsWord{kw: newKeyword(" "+f, scriptCyrillic), word: f})
			}
			for _, f := range fleetingForms(w) {
				out[i] = append(out[i], goodsWord{kw: newKeyword(" "+f.word, scriptCyrillic), word: f.word, short: f.exact})
			}
		}
	}
	return out
}

// fleetingForm is a Russian form of a goods word that does not start with
// the word: exact forms are whole words (with an ending), the others word
// starts.
type fleetingForm struct {
	word  string
	exact bool
}

// fleetingForms returns the forms of a Russian goods stem ending in a
// consonant and "к" that do not start with the stem, which every other
// form does: the genitive plural takes a vowel in ("доска", "доску" but
// "40 досок"; "чашка" but "чашек"), and so does the diminutive ("досочка",
// "курточку"). Buyers write "30 наборов" and "с досочкой" as often as
// the forms a list of stems holds.
func fleetingForms(w string) []fleetingForm {
	rs := []rune(w)
	n := len(rs)
	if n < 4 || rs[n-1] != 'к' || !isCyrillicConsonant(rs[n-2]) {
		return nil
	}
	base := string(rs[:n-1])
	vowel := "о"
	if strings.ContainsRune("жшчщц", rs[n-2]) {
		vowel = "е" // after a hushing consonant: "чашек", "кружек"
	}
	return []fleetingForm{{base + vowel + "к", true}, {base + vowel + "чк", false}}
}

func isCyrillicConsonant(r rune) bool {
	return r >= 'а' && r <= 'я' && !strings.ContainsRune("аеёиоуыэюяйьъ", r)
}

// broadGroups marks the groups of itemGroups that hold a narrower group
// whole (footwear holds boots, sneakers…; a light holds lanterns and
// lamps): sharing one says less about which item is meant than sharing a
// narrow one.
var broadGroups = func() []bool {
	out := make([]bool, len(itemGroups))
	for i, g := range itemGroups {
		has := setOf(g...)
		for j, h := range itemGroups {
			if j == i || len(h) >= len(g) {
				continue
			}
			all := true
			for _, w := range h {
				all = all && has[w]
			}
			out[i] = out[i] || all
		}
	}
	return out
}()

// itemTraits are words for what goods are made of, what they do or where
// they come from, across the four languages. They tell two items of one
// kind apart ("la botella térmica de acero" is the insulated steel
// bottle, not the tumbler) and carry a name across languages
// ("керамическая лампа" is "Lámpara de mesa de cerámica", "la cajita de
// corteza de abedul" the birch-bark box). A trait is not a kind of goods:
// "the steel one" names no goods by itself, so traits never make a
// message about goods (ItemTerms, namesGoods).
var itemTraits = [][]string{
	{"steel", "stainless", "acero", "inox", "стальн", "нержав", "스텐", "스테인리스", "강철"},
	{"insulated", "thermal", "thermos", "vacuum", "termic", "termo", "isoterm", "термо", "보온", "보냉"},
	{"wool", "woolen", "woollen", "woolly", "wooly", "merino", "lana", "шерст", "울", "양모", "메리노"},
	// Felt is what valenki are made of; the English "felt" is left out,
	// being the past of "feel" ("the boots felt small").
	{"fieltro", "войлок", "войлоч", "валян", "펠트", "valenki", "валенк", "발렌키"},
	{"leather", "cuero", "кожан", "кожи", "가죽"},
	{"ceramic", "ceramica", "ceramico", "porcelain", "porcelana", "керамич", "керамик", "фарфор", "세라믹", "도자기"},
	{"cotton", "algodon", "хлопк", "хлопчат", "코튼", "면수건"},
	{"birch", "bark", "abedul", "corteza", "берест", "берез", "кор", "자작", "껍질"},
	{"wireless", "bluetooth", "inalambric", "беспровод", "блютуз", "무선", "블루투스"},
	{"electric", "electrico", "electrica", "электр", "전기"},
	{"rechargeable", "recargable", "аккумулятор", "충전"},
	{"waterproof", "raincoat", "impermeable", "lluvia", "непромока", "дождев", "방수", "우비"},
	{"engraved", "engraving", "personalised", "personalized", "monogram", "grabad", "personalizad", "гравиров", "именн", "각인", "이니셜"},
	{"handmade", "hand made", "artesanal", "hecho a mano", "ручной работы", "ручная работа", "수제", "핸드메이드"},
	{"canvas", "lona", "холщ", "канвас", "캔버스"},
	{"microfiber", "microfibre", "fleece", "microfibra", "микрофибр", "флис", "극세사"},
	{"hiking", "trekking", "walking", "hill", "mountain", "senderismo", "montana", "похода", "походн", "треккинг", "등산", "트레킹"},
	{"printable", "download", "digital", "ebook", "descarga", "digital", "электронн", "цифров", "전자책", "다운로드", "디지털"},
	{"olive", "oliva", "олив", "올리브"},
	{"altai", "altay", "алтай", "알타이"},
	{"cabbage", "napa", "repollo", "капуст", "배추"},
	{"table", "desk", "mesa", "настольн", "탁상", "테이블"},
	{"esparto", "jute", "straw", "paja", "эспарто", "джут", "солом", "라탄", "밀짚"},
	{"polished", "pulid", "полирован", "광택"},
	{"camp", "camping", "campsite", "acampar", "acampada", "кемпинг", "캠핑"},
}

var traitGroups = prepareGroups(itemTraits)

// MatchItem returns the index of the one name in names that text refers
// to, by a word of the name or part of it ("just the lantern", "la
// lámpara", "только чайный набор"), misspelt ("the lanturn", "las
// toalas"), by a word of the same kind in another language or a synonym
// ("부츠만" for "Trail hiking boots", "the flashlight thing" for the camp
// lantern), or by what it is made of ("керамическая лампа"), or -1 when
// text names none of them or several equally well. names are item names
// as a shop lists them; MatchItem knows nothing of orders, so the caller
// passes only the items of the buyer's own order (or orders).
func MatchItem(text string, names []string) int { return matchItem(text, names, true) }

// matchItem is MatchItem, with the match by similarity when the rules
// find no item (ngramItem) only when similar is set: the item report
// measures what it adds.
func matchItem(text string, names []string, similar bool) int {
	if len(names) == 0 {
		return -1
	}
	kt := itemText(text)
	kinds := kindsAt(kt)
	lang := ""
	best, bestScore, bestPos, tie, bestOwn := -1, 0, -1, false, false
	paid := kinds[giftCardGroup] >= 0 && paysWithGiftCard(kt)
	for i, n := range names {
		nm := cachedItemName(n)
		if paid && nm.kinds[giftCardGroup] {
			continue // the means of payment, not the goods (itempayment.go)
		}
		s, pos := nm.score(kt, kinds)
		if s > 0 && nm.specificKind(kinds) {
			// Scores are doubled so that, between equal matches, the one
			// of the more specific kind wins: "부츠만" is the boots, not
			// the sneakers, though both are footwear.
			s = 2*s + 1
		} else {
			s *= 2
		}
		own := false
		if s > 0 && s >= bestScore {
			if lang == "" {
				lang = DetectLocale(text, "")
			}
			own = nm.lang == lang
		}
		switch {
		case s == 0:
		case s > bestScore:
			best, bestScore, bestPos, tie, bestOwn = i, s, pos, false, own
		case s == bestScore && pos > bestPos:
			// A buyer who lists what is fine and then what is wrong names
			// the item they mean last: "the socks are great, but the
			// lantern stopped charging, refund the lantern".
			best, bestPos, tie, bestOwn = i, pos, false, own
		case s == bestScore && pos == bestPos && own != bestOwn:
			// The same words fit both equally: the item whose name is in
			// the buyer's language is the one from the shop the buyer
			// speaks to ("the lamp" of an English buyer is the camp
			// lantern, not the Spanish shop's lámpara).
			if own {
				best, tie, bestOwn = i, false, true
			}
		case s == bestScore && pos == bestPos:
			tie = true
		}
	}
	switch {
	case tie:
		return -1
	case bestScore == 0 && similar:
		return ngramItem(kt, text, names, paid) // words further off (itemngram.go)
	case bestScore == 0:
		return -1
	}
	return best
}

// ItemScore is how strongly text refers to the item (or the
// comma-separated items) called name, 0 for not at all: what a buyer's
// description of an order ("the kettle order") is matched with.
func ItemScore(text, name string) int {
	kt := itemText(text)
	s, _ := cachedItemName(name).score(kt, kindsAt(kt))
	return s
}

// itemText prepares a buyer's text for matching item names: folded, and
// Russian typed in Latin letters ("chajnyj nabor otmenite") spelt back in
// Cyrillic, as Parse reads it.
func itemText(text string) keywordText {
	n := normalize(text)
	if looksTranslit(n) {
		n = detranslit(n)
	}
	return newKeywordText(respellGoods(fold(n)))
}

// leetLetters are the digits typed for letters that look like them
// ("s0cks", "b00ts").
var leetLetters = map[byte]byte{'0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't'}

// respellGoods undoes the shorthand of fast typing in the words a buyer
// names goods with, in a folded text: digits typed for letters between
// letters ("s0cks"), words typed without their vowels ("gift crd", "jkt")
// and an item word glued to the word before it ("forgift card",
// "отменитеваленки"). Only item matching reads the result; intents are
// read from the text as typed. A Hangul word with a goods word one jamo
// off is spelt back too (respellHangulGoods).
func respellGoods(t string) string {
	b := []byte(t)
	for i := 1; i < len(b); i++ {
		if _, ok := leetLetters[b[i]]; !ok || !isASCIILetter(b[i-1]) {
			continue
		}
		j := i // a run of such digits between two letters: "b00ts"
		for j < len(b) && leetLetters[b[j]] != 0 {
			j++
		}
		if j < len(b) && isASCIILetter(b[j]) {
			for k := i; k < j; k++ {
				b[k] = leetLetters[b[k]]
			}
		}
		i = j
	}
	words := strings.Fields(string(b))
	for i, w := range words {
		if full, ok := goodsSkeletons[w]; ok {
			words[i] = full
			continue
		}
		if hasHangul(w) {
			words[i] = respellHangulGoods(w)
			continue
		}
		for _, g := range gluedGoods {
			if j := strings.Index(w, g); j >= 4 {
				// At least two letters before it (four bytes in Cyrillic,
				// the only script a single word is looked for in).
				words[i] = w[:j] + " " + w[j:]
				break
			}
		}
	}
	out := strings.Join(words, " ")
	for _, g := range gluedPhrases {
		if j := strings.Index(out, g); j > 1 && out[j-1] != ' ' && out[j-2] != ' ' {
			out = out[:j] + " " + out[j:]
		}
	}
	return out
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' }

// goodsSkeletons maps a Latin goods word written without its vowels
// ("crd", "blnkt", "lntrn") to the word, for the words of itemGroups whose
// consonants are three or more and no word of another group's. Buyers
// also shorten the skeleton itself, writing one letter for a doubled one
// or for "ck" ("jkt", "btl"), so those forms are kept too. Two words of
// one group that share a skeleton ("lantern", "linterna") name the same
// goods, so the skeleton keeps one of them.
var goodsSkeletons = func() map[string]string {
	out := map[string]string{}
	ambiguous := map[string]bool{}
	for _, g := range itemGroups {
		for _, phrase := range g {
			for _, w := range strings.Fields(phrase) {
				if scriptsOf(w) != scriptLatin {
					continue
				}
				for _, sk := range skeletons(w) {
					if len(sk) < 3 || sk == w {
						continue
					}
					if prev, ok := out[sk]; ok && prev != w && !sameGroups(prev, w) {
						ambiguous[sk] = true
					}
					if _, ok := out[sk]; !ok {
						out[sk] = w
					}
				}
			}
		}
	}
	for sk := range ambiguous {
		delete(out, sk)
	}
	return out
}()

// skeletons returns w without its vowels ("jacket" gives "jckt") and, when
// different, that skeleton with "ck" written "k" and doubled letters
// written once ("jkt"; "bottle" gives "bttl" and "btl").
func skeletons(w string) []string {
	sk := strings.Map(func(r rune) rune {
		if strings.ContainsRune("aeiouy", r) {
			return -1
		}
		return r
	}, w)
	short := strings.ReplaceAll(sk, "ck", "k")
	var b strings.Builder
	for i := 0; i < len(short); i++ {
		if i == 0 || short[i] != short[i-1] {
			b.WriteByte(short[i])
		}
	}
	if b.String() == sk {
		return []string{sk}
	}
	return []string{sk, b.String()}
}

// sameGroups reports whether the goods words a and b are in exactly the
// same groups of itemGroups, so that either names the same goods.
func sameGroups(a, b string) bool {
	for _, g := range itemGroups {
		if slices.Contains(g, a) != slices.Contains(g, b) {
			return false
		}
	}
	return true
}

// gluedGoods are the Cyrillic goods words of five letters or more, found
// inside a longer word as well as at its start: a buyer who drops a space
// glues the goods to the verb ("отменитеваленки"). Latin words are not
// looked for inside words, where they hide in others ("reembolso" holds
// "bolso"); their phrases are (gluedPhrases).
var gluedGoods, gluedPhrases = func() (words, phrases []string) {
	for _, g := range itemGroups {
		for _, w := range g {
			switch {
			case strings.Contains(w, " ") && scriptsOf(w) == scriptLatin:
				phrases = append(phrases, w)
			case scriptsOf(w) == scriptCyrillic && !strings.Contains(w, " ") && utf8.RuneCountInString(w) >= 5:
				words = append(words, w)
			}
		}
	}
	return words, phrases
}()

// kindsAt returns, per group of itemGroups, the last position at which
// the text names that kind of goods, or -1.
func kindsAt(kt keywordText) []int {
	out := make([]int, len(itemGroups))
	for i := range itemGroups {
		out[i] = groupAt(kt, i)
	}
	addDescribedKinds(kt, out)
	return out
}

// itemName is an item's name prepared for matching.
type itemName struct {
	folded string
	words  []string
	// wordTraits[i] are the traits (itemTraits) that words[i] is a word
	// of: a trait the text shares through a word of the name was counted
	// with the word.
	wordTraits [][]int
	// asWritten[i] is set for a Spanish complement ("recetas" in "Libro
	// de recetas"): what the item is of or for, not what it is, so only
	// the form the name uses names it. "Una receta" asks for a recipe,
	// not the recipe book, and "las toallas" still finds the towel set
	// by its kind.
	asWritten []bool
	kt        keywordText
	kinds     []bool // the groups of itemGroups the name is of
	// set is the name's set noun ("набор" of "Чайный набор"), or "".
	set string
	// lang is the language the name is written in (nameLanguage).
	lang string
}

func newItemName(name string) itemName {
	n := fold(strings.ToLower(normalize(name)))
	nm := itemName{folded: n, kt: newKeywordText(n), kinds: make([]bool, len(itemGroups)), set: setNoun(n), lang: nameLanguage(n, name)}
	complement := false
	for k, w := range strings.Fields(wordForm(n)) {
		if k > 0 && (w == "de" || w == "del") {
			complement = true
		}
		if itemStopwords[w] || utf8.RuneCountInString(w) < 3 && !hasHangul(w) {
			continue
		}
		nm.words = append(nm.words, w)
		nm.asWritten = append(nm.asWritten, complement)
		var ts []int
		wk := newKeywordText(w)
		for i := range traitGroups {
			if wordGroupAt(wk, traitGroups[i]) >= 0 {
				ts = append(ts, i)
			}
		}
		nm.wordTraits = append(nm.wordTraits, ts)
	}
	for i := range itemGroups {
		nm.kinds[i] = groupIn(nm.kt, i)
	}
	return nm
}

// specificKind reports whether the text, whose kinds of goods are kinds
// (see kindsAt), and the name share a kind of goods narrower than a broad
// one (footwear in general, a light).
func (nm itemName) specificKind(kinds []int) bool {
	for i, k := range nm.kinds {
		if k && !broadGroups[i] && kinds[i] >= 0 {
			return true
		}
	}
	return false
}

// score is how strongly the text refers to the item: two points per word
// of the name the text uses (a shared stem of at least five letters
// counts, so inflected Russian and Spanish forms match, and so does a
// word misspelt by one letter), one per kind-of-goods group the two
// share and one per trait (itemTraits). A text that names goods of
// another kind only does not refer to the item through the kind or trait
// words of its name: "la botella de acero" is no steel paella pan. It
// still does through the name's own words ("чайный набр, чашки в
// трещинах" is the tea set whose cups cracked) and through its set noun
// ("чайник из набора", "30 наборов" are the tea set, see setNounAt).
// Traits count once something else matched, or when the text speaks of
// an unnamed thing ("the woolly ones", "la cosa de paja").
func (nm itemName) score(kt keywordText, kinds []int) (score, last int) {
	last = -1
	kind, otherKind := false, false
	for i, k := range nm.kinds {
		switch {
		case kinds[i] < 0:
		case k:
			kind = true
			last = max(last, kinds[i])
		default:
			otherKind = true
		}
	}
	// Only the name's own words count for an item of another kind than
	// the text names.
	ownWordsOnly := otherKind && !kind && slices.Contains(nm.kinds, true)
	// Sharing a kind of goods counts once however many groups match, so
	// that footwear, which has a general group and specific ones, does
	// not outweigh other goods.
	if kind {
		score++
	}
	var counted []int
	for i, w := range nm.words {
		if ownWordsOnly && (len(nm.wordTraits[i]) > 0 || wordNamesGoods(w)) {
			continue
		}
		p := -1
		if nm.asWritten[i] {
			p = inflectedAt(kt, w)
			if p < 0 {
				p = misspeltAt(kt, w, true)
			}
		} else {
			p = mentionAt(kt, w)
		}
		if p >= 0 {
			score += 2
			last = max(last, p)
			counted = append(counted, nm.wordTraits[i]...)
		}
	}
	if score == 0 {
		// The set as such, when nothing else of the name is in the text:
		// "самовар и чайный набор" names the tea set by its name already.
		if p := setNounAt(kt, nm.set); p >= 0 {
			score += 2
			last = max(last, p)
		}
	}
	if ownWordsOnly && score == 0 {
		return 0, -1
	}
	named := score > 0
	for i := range traitGroups {
		if slices.Contains(counted, i) {
			continue
		}
		if wordGroupAt(nm.kt, traitGroups[i]) < 0 {
			continue
		}
		// A trait alone names no item ("I want to sell the ceramics I
		// made" is about no lamp) unless a thing word stands beside it.
		if p := wordGroupAt(kt, traitGroups[i]); p >= 0 && (named || thingAt(kt, p)) {
			score++
			last = max(last, p)
		}
	}
	return score, last
}

// mentionAt returns the last position at which the text uses the name
// word w or a form of it, or -1: Hangul words anywhere inside a word
// (particles glue on: "부츠만"), other words at a word start, sharing at least
// min(len, 5) leading letters, or, for words of six letters or more,
// misspelt (see misspeltAt).
func mentionAt(kt keywordText, w string) int {
	if hasHangul(w) {
		return strings.LastIndex(kt.words, w) // within a word, as in wordGroupAt
	}
	if mapWords[w] && aboutTracking(kt) {
		return -1
	}
	at := inflectedAt(kt, stem(w))
	if rs := []rune(w); len(rs) > 5 {
		// "lanterns", "лампу", "lámparas": a long enough stem suffices,
		// long enough that "rechargeable" is not "rechazaron", in a word
		// at most an ending longer than w ("самоварчик", not
		// "самовывозом", which starts like the samovar).
		at = max(at, prefixedWordAt(kt, string(rs[:max(5, len(rs)-3)]), len(rs)+3))
	}
	if at < 0 {
		at = misspeltAt(kt, w, false)
	}
	return at
}

// prefixedWordAt returns the last position at which a word of the text
// of at most maxLen letters starts with prefix, or -1.
func prefixedWordAt(kt keywordText, prefix string, maxLen int) int {
	last := -1
	w := kt.words
	for from := 0; ; {
		i := strings.Index(w[from:], " "+prefix)
		if i < 0 {
			return last
		}
		i += from
		word := w[i+1:]
		if j := strings.IndexByte(word, ' '); j >= 0 {
			word = word[:j]
		}
		if utf8.RuneCountInString(word) <= maxLen {
			last = i
		}
		from = i + 1
	}
}

// misspeltAt returns the last position at which a word of the text is w
// misspelt, or -1: w of six letters or more and the text's word of five
// or more ("botle"), the same first letter
// (slips there are rare, and "packet" is no jacket), one edit apart, two
// for words of nine letters or more ("lanturn", "toalas", "hikking",
// "rechargable"), as written or without their endings ("lanturns").
// Shorter words are left alone, where one edit makes another word
// ("socks", "sucks"; "tall", "toalla"; "recent", "receta"). With
// asWritten, a word that w starts with or that starts with w is another
// form of it, not a slip, and does not count ("receta" for "recetas").
func misspeltAt(kt keywordText, w string, asWritten bool) int {
	rw := []rune(w)
	if len(rw) < 6 {
		return -1
	}
	sw := []rune(stem(w))
	limit := func(n int) int {
		if n >= 9 {
			return 2
		}
		return 1
	}
	close := func(a, b []rune, minText int) bool {
		l := limit(min(len(a), len(b)))
		d := len(a) - len(b)
		return len(a) >= minText && len(b) >= 6 && d <= l && d >= -l && editDistance(a, b, l) <= l
	}
	last := -1
	words := kt.words
	for i := 0; i < len(words); {
		j := strings.IndexByte(words[i+1:], ' ')
		if j < 0 {
			break
		}
		tw := words[i+1 : i+1+j]
		if asWritten && (strings.HasPrefix(tw, w) || strings.HasPrefix(w, tw)) {
			i += 1 + j
			continue
		}
		if r, _ := utf8.DecodeRuneInString(tw); r == rw[0] {
			t := []rune(tw)
			if close(t, rw, 5) || close([]rune(stem(tw)), sw, 6) {
				last = i
			}
		}
		i += 1 + j
	}
	return last
}

// editDistance is the Damerau–Levenshtein distance (optimal string
// alignment) between a and b, or limit+1 once it exceeds limit.
func editDistance(a, b []rune, limit int) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// groupAt returns the last position at which the text uses a word of
// the goods group gi, or -1. A Hangul word of two syllables or more
// matches anywhere inside a word, since particles and compounds glue on
// ("텀블러만", "보온텀블러"), but not across a space; a single syllable
// only at a word start, so that "컵이" is a cup and "롤드컵" (a
// tournament) is not. Short Latin and Cyrillic words need an ending:
// "cups" and "доску", not "cupón" or "медленно".
func groupAt(kt keywordText, gi int) int {
	return wordGroupAt(kt, goodsGroups[gi])
}

// wordGroupAt returns the last position at which the text uses a word of
// the prepared group g, matched as groupAt says, or -1.
func wordGroupAt(kt keywordText, g []goodsWord) int {
	last := -1
	for _, gw := range g {
		switch {
		case gw.kw.script == scriptHangul:
			if kt.compact == "" {
				continue
			}
			if gw.single {
				last = max(last, strings.LastIndex(kt.words, " "+gw.word))
			} else if kt.mayStart(gw.kw) {
				// Within a word, not across a space: "여쭤봅니다 기대와"
				// holds no tea set (다기), "환불이 불가" no blanket (이불).
				last = max(last, strings.LastIndex(kt.words, gw.word))
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
