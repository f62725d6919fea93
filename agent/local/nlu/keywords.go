package nlu

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Keyword lists are written folded (no Spanish accents, "е" for "ё",
// no apostrophes) because they are matched against folded text. A
// Latin or Cyrillic keyword must start a word but may end mid-word, which
// covers inflection ("сломан" matches "сломанный", "roto" matches
// "rotos"); a trailing space demands a word end. A Hangul keyword may sit
// anywhere and ignores spacing, because Korean spacing is loose and
// particles attach to words ("안 왔어요" = "안왔어요").
var reasonKeywords = []struct {
	code     string
	keywords []string
}{
	{ReasonNotReceived, []string{
		"never arrived", "never arrive", "hasnt arrived", "has not arrived", "havent arrived",
		"didnt arrive", "did not arrive", "not arrived", "never received", "never recieved",
		"didnt receive", "did not receive", "didnt recieve", "havent received", "have not received",
		"havent recieved", "not received", "never got", "never came", "didnt come", "still not here",
		"not delivered", "never delivered", "wasnt delivered", "was not delivered", "didnt get it",
		"didnt get my", "did not get", "havent gotten", "lost package", "package was lost",
		"package is lost", "got lost", "never showed up", "didnt show up", "hasnt shown up",
		"nothing arrived", "not here yet", "hasnt come", "has not come", "never reached",
		"nothing ever reached", "didnt reach me", "hasnt reached me", "never made it",
		"안 왔", "안 와", "안 오", "안 옴", "못 받", "받지 못", "받지 않", "받은 적 없", "도착 안",
		"도착하지 않", "도착을 안", "오지 않", "배송이 안", "배송 안", "배달 안", "택배가 안", "분실",
		"안 들어", "못 받았",
		"no llego", "no ha llegado", "nunca llego", "no me llego", "no me ha llegado", "no recibi",
		"no he recibido", "no lo recibi", "no la recibi", "nunca recibi", "sin recibir", "no llega",
		"no me llega", "no lo he recibido", "no la he recibido", "se perdio", "perdido",
		"no entregado", "no fue entregado", "no me lo entregaron", "nunca me llego", "nunca llega",
		"не пришел", "не пришла", "не пришло", "не приходит", "не получил", "не получено",
		"не доставлен", "не доставили", "не дошел", "не дошла", "не дошло", "не привезли",
		"потерял", "потерян", "не приехал", "не пришли",
	}},
	{ReasonDamaged, []string{
		"broke", "damaged", "damage", "cracked", "crack ", "smashed", "shattered", "dented", "torn ",
		"ripped", "scratched", "dead on arrival", "crushed", "leaking", "leaked", "busted",
		"파손", "깨졌", "깨져", "깨진", "부서", "망가", "찌그러", "금이 갔", "금 갔", "찢어", "흠집",
		"스크래치", "터졌", "샜",
		"roto", "rota", "se rompio", "danad", "estropead", "quebrad", "rajad", "abollad", "agrietad",
		"rayad", "golpead", "aplastad",
		"snapped", "fell off", "came off", "came apart", "fell apart",
		"chipped",
		"сломан", "сломал", "разбит", "разбил", "поврежд", "треснул", "трещин", "помят", "порван",
		"царапин", "раздавл", "испорчен",
		// Holes and stains: goods that came spoiled, not faulty in use.
		"holes", "hole in", "stained", "stains", "구멍", "얼룩", "manchad", "agujer", "дырк", "дыры", "дырявы", "пятн",
	}},
	{ReasonDefective, []string{
		// The item came whole and does not work: power faults, a part
		// that fails in use, a fault from the factory.
		"defective", "defect", "faulty", "doesnt work", "does not work", "dont work", "not working",
		"stopped working", "quit working", "wont turn on", "doesnt turn on", "does not turn on",
		"wont switch on", "doesnt switch on", "not turning on", "wont power on", "doesnt power on",
		"wont charge", "doesnt charge", "not charging", "flickers", "keeps flickering", "malfunction",
		"불량", "고장", "작동 안", "작동이 안", "작동하지 않", "안 켜", "켜지지", "전원이 안", "충전이 안",
		"충전 안", "먹통", "전원이 들어오지", "전원이 안 들어", "물이 새", "물샘", "새는 거", "새는거",
		"leaks", "leaking", "leaky", "gotea", "pierde agua", "протека", "протёк", "подтека",
		"defectuos", "defecto", "no funciona", "no sirve", "averiad", "no enciende", "no prende",
		"no arranca", "no carga", "dejo de funcionar", "se apaga",
		"брак", "дефект", "не работает", "перестал работать", "перестала работать", "не включ",
		"перестал включ", "не заряжается", "неисправ", "глючит",
	}},
	{ReasonWrongItem, []string{
		"wrong item", "wrong product", "wrong size", "wrong color", "wrong colour", "wrong model",
		"wrong one", "wrong thing", "wrong version", "wrong stuff", "wrong shoes", "wrong book",
		"not what i ordered", "isnt what i ordered", "not the item i ordered", "not the one i ordered",
		"different item", "different product", "different color", "different colour",
		"different size", "sent me the wrong", "sent the wrong", "received the wrong",
		"got the wrong", "incorrect item", "incorrect product", "someone elses", "mixed up my order",
		"다른 상품", "다른 제품", "다른 물건", "다른게 왔", "다른 게 왔", "다른거 왔", "다른 거 왔",
		"잘못 왔", "잘못 배송", "잘못 보내", "오배송", "주문한 거랑 다른", "주문한 것과 다른",
		"주문한거랑 달", "엉뚱한", "사이즈가 다르", "색상이 다르", "색깔이 다르", "옵션이 다르",
		"다른 사이즈", "다른 색",
		"producto equivocado", "articulo equivocado", "talla equivocada", "color equivocado",
		"modelo equivocado", "pedido equivocado", "paquete equivocado", "producto incorrecto",
		"articulo incorrecto", "talla incorrecta", "color incorrecto", "no es lo que pedi",
		"no es lo que compre", "no es lo que ordene", "otro producto", "producto distinto",
		"producto diferente", "me mandaron otro", "me enviaron otro", "me llego otro", "me llego otra",
		"не тот", "не ту ", "не та ", "не то что", "не того", "другой товар", "другую вещь",
		"другой размер", "другой цвет", "перепутали", "прислали другой", "прислали другое",
		"прислали не", "пришел другой", "пришла другая", "пришло другое",
	}},
	{ReasonCounterfeit, []string{
		"fake", "counterfeit", "knockoff", "knock off", "replica", "not genuine", "not authentic",
		"not original", "not the real", "bootleg", "imitation", "forgery", "phony", "unauthentic",
		"가품", "짝퉁", "가짜", "정품이 아", "정품 아", "위조", "이미테이션", "레플리카", "모조품",
		"정품 맞",
		"falsificad", "falso", "falsa", "imitacion", "no es original", "no es autentic",
		"no es genuino", "pirata", "replica", "copia barata", "trucho", "bamba",
		"подделк", "поддельн", "фальшив", "фейк", "паль ", "паленый", "паленка", "не оригинал",
		"неоригинал", "контрафакт", "реплика",
	}},
	{ReasonNotAsDescribed, []string{
		"not as described", "not as advertised", "not as pictured", "not as shown",
		"doesnt match the description", "does not match the description",
		"didnt match the description", "doesnt match the photo", "doesnt match the picture",
		"doesnt match the listing", "different from the description", "different from the picture",
		"different from the photo", "different than the picture", "different from the listing",
		"not like the picture", "not like the photo", "not like in the picture",
		"nothing like the picture", "nothing like the photo", "looks nothing like", "misleading",
		"description was wrong", "description is wrong", "false advertising",
		"not what was advertised", "not what was described",
		"설명과 달", "설명과 다", "설명이랑 달", "설명이랑 다", "설명하고 달", "설명하고 다",
		"상세페이지와 다", "상세페이지랑 다", "사진과 달", "사진과 다", "사진이랑 달", "사진이랑 다",
		"사진하고 다", "사진하고 달", "실물이 달", "실물이랑 달", "실물이 다르", "상품 설명과",
		"설명이랑 안 맞", "설명과 안 맞", "광고와 다", "광고랑 다", "과대 광고", "허위 광고",
		"사진이랑 너무 다", "사진과 너무 다", "설명이랑 너무 다", "설명과 너무 다", "사진이랑 너무 달", "사진과 너무 달", "설명이랑 너무 달", "설명과 너무 달",
		"no coincide con", "no es como se describe", "no es como en la foto", "no es como la foto",
		"no es como aparece", "no se parece", "diferente a la descripcion",
		"diferente de la descripcion", "diferente a la foto", "distinto a la foto",
		"distinto a la descripcion", "no corresponde", "no es lo que decia", "publicidad enganosa",
		"descripcion enganosa", "no es como lo describ",
		"не соответствует", "не как на фото", "не как на картинке", "не такой как на фото",
		"не такая как на фото", "не такое как на фото", "не совпадает", "отличается от описания",
		"отличается от фото", "не похож", "в описании было",
		"nothing like the listing", "nothing like the description", "nothing like what",
		"nada que ver con la foto", "nada que ver con las fotos", "nada que ver con la descripcion",
		"nada que ver con el anuncio", "nada que ver con lo que", "совсем не такой", "совсем не такая",
		"совсем не такое",
	}},
	{ReasonChangedMind, []string{
		"changed my mind", "change my mind", "changed mind", "change of mind", "dont want it",
		"do not want it", "dont need it", "do not need it", "no longer want", "no longer need",
		"ordered by mistake", "ordered by accident", "accidentally ordered", "bought by mistake",
		"found it cheaper", "found a cheaper",
		"단순 변심", "변심", "마음이 바뀌", "마음이 변했", "생각이 바뀌", "필요 없어", "필요가 없어",
		"잘못 주문", "실수로 주문", "주문 실수", "맘이 바뀌", "맘 바뀌",
		"cambie de opinion", "cambie de idea", "cambie de parecer", "cambio de opinion",
		"ya no lo quiero", "ya no la quiero", "ya no lo necesito", "ya no la necesito",
		"ya no los quiero", "ya no me interesa", "me arrepenti", "me arrepiento",
		"por error", "no lo quiero", "no la quiero", "lo encontre mas barato",
		"передумал", "раздумал", "больше не нужен", "больше не нужна", "больше не нужно",
		"больше не нужны", "уже не нужен", "уже не нужна", "уже не нужно", "не нужен", "не нужна",
		"по ошибке", "случайно заказал", "нашел дешевле",
		// Goods that do not fit the buyer are the buyer's choice, as a
		// change of mind is (the policy's who-pays rule treats them so).
		"doesnt fit", "does not fit", "didnt fit", "too small", "too big", "too tight", "too large",
		"사이즈 작아", "사이즈가 작아", "사이즈 커서", "사이즈가 커서", "사이즈 안 맞", "사이즈가 안 맞", "사이즈 안맞",
		"no me queda", "me queda pequen", "me queda grande", "me queda chic", "me quedan pequen", "me quedan grande",
		"no me vale", "no me valen",
		"не подошел размер", "не подошел по размеру", "не по размеру", "маловат", "великоват", "размер не подош",
	}},
}

// languageNames maps folded language names in the four supported
// languages (stems for Russian, whose names inflect) to ISO 639-1 codes.
var languageNames = map[string][]string{
	"en": {"english", "ingles", "англ", "영어", "영문"},
	"ko": {"korean", "coreano", "корейск", "한국어", "한국말", "한글"},
	"es": {"spanish", "espanol", "castellano", "испанск", "스페인어"},
	"ru": {"russian", "ruso", "русск", "러시아어", "러시아말"},
	"ja": {"japanese", "japones", "японск", "일본어", "일어"},
	"zh": {"chinese", "mandarin", "chino", "китайск", "중국어"},
	"fr": {"french", "frances", "французск", "프랑스어", "불어"},
	"de": {"german", "aleman", "немецк", "독일어"},
	"it": {"italian", "italiano", "итальянск", "이탈리아어"},
	"pt": {"portuguese", "portugues", "португальск", "포르투갈어"},
	"vi": {"vietnamese", "vietnamita", "вьетнамск", "베트남어"},
	"th": {"thai", "tailandes", "тайск", "태국어"},
	"ar": {"arabic", "arabe", "арабск", "아랍어"},
	"tr": {"turkish", "turco", "турецк", "터키어"},
	"hi": {"hindi", "хинди", "힌디어"},
}

// keyword is a reason keyword prepared for matching: Latin and Cyrillic
// keywords carry a leading space (word start), Hangul keywords have their
// spaces removed and are matched against the text with spaces removed.
type keyword struct {
	text   string
	script script
	// keys are the bits of startFilter that the keyword needs set
	// (filterTwo, filterFour, filterPair say which), worked out once.
	filters   uint8
	two, four uint32
}

// The parts of startFilter a keyword is checked against.
const (
	filterTwo uint8 = 1 << iota
	filterFour
	filterPair
)

// newKeyword prepares text, written in script, for matching: Latin and
// Cyrillic text with a leading space, Hangul text without spaces.
func newKeyword(text string, sc script) keyword {
	kw := keyword{text: text, script: sc}
	switch {
	case sc == scriptHangul:
		if hangulPairAt(text, 0) {
			kw.filters, kw.four = filterPair, bytesKey(text[:hangulPairBytes])
		}
	case len(text) >= 5:
		kw.filters, kw.two, kw.four = filterTwo|filterFour, startKey(text[1], text[2]), bytesKey(text[1:5])
	case len(text) >= 3:
		kw.filters, kw.two = filterTwo, startKey(text[1], text[2])
	}
	return kw
}

// script is the writing system of a keyword; a text is only searched for
// keywords in scripts it contains.
type script uint8

const (
	scriptLatin script = 1 << iota
	scriptCyrillic
	scriptHangul
)

func scriptsOf(s string) script {
	var sc script
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Hangul, r):
			sc |= scriptHangul
		case unicode.Is(unicode.Cyrillic, r):
			sc |= scriptCyrillic
		case unicode.IsLetter(r):
			sc |= scriptLatin
		}
	}
	return sc
}

// reasonMatchers holds reasonKeywords prepared for matching, in the same
// order.
var reasonMatchers = func() [][]keyword {
	var out [][]keyword
	for _, r := range reasonKeywords {
		var kws []keyword
		for _, kw := range r.keywords {
			sc := scriptsOf(kw)
			if sc == scriptHangul {
				kws = append(kws, newKeyword(strings.ReplaceAll(kw, " ", ""), sc))
			} else {
				kws = append(kws, newKeyword(" "+kw, sc))
			}
		}
		out = append(out, kws)
	}
	return out
}()

// Words that mark the language name after them as the target ("to
// Korean", "al inglés", "en español", "на русский", "по-английски") or
// as the source ("from Korean", "del coreano", "с корейского"). Spanish
// "a" ("traduce a inglés") is left out: it is also the English article
// ("a Korean seller"); translation requests still find it through the
// translation-cue fallback.
var (
	targetCues = setOf("to", "into", "in", "al", "en", "para", "на", "по")
	sourceCues = setOf("from", "de", "del", "desde", "с", "со", "из")
)

// Korean marks the target with a particle or the word for translation
// right after the name ("한국어로", "영어 번역"), and the source with 에서.
var (
	hangulTargetMarks = []string{"으로", "로", "번역"}
	hangulSourceMark  = "에서"
)

// translationCues are folded word prefixes that mark a translation request.
var translationCues = []string{"translat", "traduc", "traduz", "перев", "interpret", "perev"}

var translationCuesHangul = []string{"번역", "통역"}

// asksTranslation reports whether the instruction part of text (outside
// quotes, before a colon) asks for a translation, and there is something
// after it to translate.
func asksTranslation(text string) bool {
	own := instructionPart(text)
	if len(strings.TrimSpace(own)) == len(strings.TrimSpace(text)) {
		return false
	}
	words := wordForm(fold(strings.ToLower(normalize(own))))
	return hasWordPrefix(words, translationCues) || containsAny(words, translationCuesHangul)
}

// meaningCues ask what a text means or how to say something: with a
// passage in another language than the question's, they ask for a
// translation without the word ("what does "no returns accepted" mean?",
// "이거 무슨 뜻이에요? "Ваш заказ отправлен"").
var meaningCues = prepare(
	"mean", "what does", "whats that", "what is that", "what did he", "what did she", "what did they",
	"what is he saying", "what are they saying", "how do i say", "how to say", "how would i say", "dont speak",
	"quiere decir", "quiso decir", "significa", "que dice", "que me dice", "que me puso", "como se dice",
	"como digo", "no hablo",
	"значит", "означает", "в виду", "пишет", "написал", "что написано",
	"как будет", "как сказать", "не знаю английск", "не понимаю",
	"뜻", "무슨 말", "무슨말", "뭐라고", "뭔 말", "뭔말", "어떻게 말", "해석",
)

// sayCues ask how to say something in a language the message names.
var sayCues = prepare("how do i say", "how to say", "how would i say", "como se dice", "como digo",
	"как будет", "как сказать", "어떻게 말", "로 뭐라고")

// asksMeaning reports whether text asks what a quoted passage in another
// language means, or how to say a quoted passage in a language it names,
// and returns the language the answer is wanted in: the question's own,
// or the one named.
func asksMeaning(text string) (bool, string) {
	own := instructionPart(text)
	if len(strings.TrimSpace(own)) == len(strings.TrimSpace(text)) {
		return false, ""
	}
	kt := newKeywordText(fold(normalize(own)))
	present := kt.present
	if !anyCue(kt, present, meaningCues) {
		return false, ""
	}
	ownLoc, ok := detectLocale(own, "", false)
	if anyCue(kt, present, sayCues) {
		for _, w := range strings.Fields(kt.words) {
			if code, _ := nameAt(w); code != "" && code != ownLoc {
				return true, code
			}
		}
	}
	q := quotedPart(text)
	quoted, qok := detectLocale(q, "", false)
	if !ok || quoted == ownLoc || !qok && dominantScript(q) == dominantScript(own) {
		// The passage may be in the question's language ("what does
		// "pending" mean?"): that asks about a status, not a translation.
		return false, ""
	}
	return true, ownLoc
}

// dominantScript is the script most of text's letters are written in.
func dominantScript(text string) script {
	c := countScripts(text)
	switch {
	case c.hangul >= c.cyrillic && c.hangul >= c.latin && c.hangul > 0:
		return scriptHangul
	case c.cyrillic >= c.latin && c.cyrillic > 0:
		return scriptCyrillic
	}
	return scriptLatin
}

// quotedPart is what instructionPart leaves out: the quoted passages and
// whatever follows the first colon.
func quotedPart(text string) string {
	own := instructionPart(text)
	var b strings.Builder
	// Walk both: every rune of text not consumed by own, in order.
	j := 0
	for _, r := range text {
		if j < len(own) {
			if o, size := utf8.DecodeRuneInString(own[j:]); o == r {
				j += size
				continue
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// nameAt reports the language named by word, if any, and the rest of the
// word after the name (Korean particles, or "" for other scripts).
// Latin names must match the whole word, so "thai" is not "thailand";
// Russian names are stems and Korean names take particles.
func nameAt(word string) (code, rest string) {
	if code, ok := langCode[word]; ok {
		return code, ""
	}
	if !hasNonASCII(word) {
		return "", "" // the stems are Cyrillic and Hangul
	}
	for _, n := range langStems {
		if n.hangul {
			// Korean is often typed without spaces ("이거영어로번역"), so
			// the name may sit anywhere in the "word".
			if i := strings.Index(word, n.name); i >= 0 {
				return n.code, word[i+len(n.name):]
			}
		} else if strings.HasPrefix(word, n.name) {
			return n.code, ""
		}
	}
	return "", ""
}

type langStem struct {
	name, code string
	hangul     bool
}

// langCode maps every Latin name in languageNames to its code; langStems
// lists the Cyrillic and Hangul names, longest first so that a longer name
// wins over a name it starts with. Both are derived once and never change.
var langCode, langStems = languageTables()

func languageTables() (map[string]string, []langStem) {
	langCode := map[string]string{}
	var langStems []langStem
	for code, names := range languageNames {
		for _, n := range names {
			switch sc := scriptsOf(n); sc {
			case scriptLatin:
				langCode[n] = code
			default:
				langStems = append(langStems, langStem{n, code, sc == scriptHangul})
			}
		}
	}
	slices.SortFunc(langStems, func(a, b langStem) int {
		if len(a.name) != len(b.name) {
			return len(b.name) - len(a.name)
		}
		return strings.Compare(a.name, b.name)
	})
	return langCode, langStems
}

// wordForm reduces folded text to its words separated by single spaces,
// with a space at both ends so that " "+keyword marks a word start.
func wordForm(folded string) string {
	var b strings.Builder
	b.Grow(len(folded) + 2)
	b.WriteByte(' ')
	space := true
	for _, r := range folded {
		switch {
		case r == '\'':
			continue
		case isWordRune(r):
			b.WriteRune(r)
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	if !space {
		b.WriteByte(' ')
	}
	return b.String()
}

// keywordText is text prepared for keyword search: its word form, and
// the same with every space removed for Hangul keywords, with the offset
// of each byte of the latter in the former so that positions compare.
type keywordText struct {
	words   string
	compact string
	offsets []int
	// present are the scripts of the text's letters: a keyword in a
	// script the text does not use is never looked for.
	present script
	// filter rules out most keywords without a substring search. It is
	// behind a pointer because keywordText is passed by value.
	filter *startFilter
}

// startFilter records, as bits of hashed keys, how the words of a text
// start: a keyword whose key is not set cannot occur. Parse looks for
// some two thousand keywords in every message, most of them absent, so
// the filter is what keeps a parse cheap.
type startFilter struct {
	// two has a bit for the first two bytes of every word (a Latin
	// word's first two letters, a Cyrillic word's first letter).
	two [startBits / 64]uint64
	// four has a bit for the four bytes that follow every word start,
	// spaces included (two Cyrillic letters, "if i" for " if i…").
	four [startBits / 64]uint64
	// syllables has a bit for every pair of adjacent Hangul syllables of
	// the compact text, which every Hangul keyword of two syllables or
	// more starts with.
	syllables [startBits / 64]uint64
}

const startBits = 1024

// startKey is the bit of startFilter.two for a word beginning with bytes
// a, b.
func startKey(a, b byte) uint32 { return (uint32(a)*131 + uint32(b)) % startBits }

// bytesKey is the bit of startFilter.four or .syllables for the bytes p.
func bytesKey(p string) uint32 {
	h := fnvOffset
	for i := 0; i < len(p); i++ {
		h = fnvByte(h, p[i])
	}
	return (h ^ h>>16) % startBits
}

func setBit(bits *[startBits / 64]uint64, k uint32) { bits[k/64] |= 1 << (k % 64) }

func hasBit(bits *[startBits / 64]uint64, k uint32) bool { return bits[k/64]&(1<<(k%64)) != 0 }

// hangulPairBytes is the length of two Hangul syllables in UTF-8.
const hangulPairBytes = 6

// hangulPairAt reports whether s holds two Hangul syllables at i.
func hangulPairAt(s string, i int) bool {
	if i+hangulPairBytes > len(s) {
		return false
	}
	r1, _ := utf8.DecodeRuneInString(s[i:])
	r2, _ := utf8.DecodeRuneInString(s[i+3:])
	return isHangulSyllable(r1) && isHangulSyllable(r2)
}

func newKeywordText(folded string) keywordText {
	kt := keywordText{words: wordForm(folded), filter: &startFilter{}}
	w := kt.words
	f := kt.filter
	for i := 0; i+2 < len(w); i++ {
		if w[i] == ' ' && w[i+1] != ' ' {
			setBit(&f.two, startKey(w[i+1], w[i+2]))
			if i+5 <= len(w) {
				setBit(&f.four, bytesKey(w[i+1:i+5]))
			}
		}
	}
	hangul := false
	for _, r := range w {
		switch {
		case r < utf8.RuneSelf:
			if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
				kt.present |= scriptLatin
			}
		case isHangulSyllable(r) || unicode.Is(unicode.Hangul, r):
			kt.present |= scriptHangul
			hangul = true
		case unicode.Is(unicode.Cyrillic, r):
			kt.present |= scriptCyrillic
		case unicode.IsLetter(r):
			kt.present |= scriptLatin
		}
	}
	if !hangul {
		return kt
	}
	var b strings.Builder
	b.Grow(len(w))
	kt.offsets = make([]int, 0, len(w))
	for i := 0; i < len(w); i++ {
		if w[i] != ' ' {
			b.WriteByte(w[i])
			kt.offsets = append(kt.offsets, i)
		}
	}
	kt.compact = b.String()
	for i := 0; i < len(kt.compact); {
		if hangulPairAt(kt.compact, i) {
			setBit(&f.syllables, bytesKey(kt.compact[i:i+hangulPairBytes]))
		}
		_, n := utf8.DecodeRuneInString(kt.compact[i:])
		i += n
	}
	return kt
}

// mayStart reports whether the keyword kw may occur in the text: for a
// Latin or Cyrillic keyword (" " + word…), whether some word starts with
// its first two bytes, and its first four; for a Hangul keyword, whether
// its first two syllables occur together.
func (kt *keywordText) mayStart(kw keyword) bool {
	f := kt.filter
	switch {
	case f == nil:
		return true
	case kw.filters&filterPair != 0:
		return hasBit(&f.syllables, kw.four)
	case kw.filters&filterTwo != 0 && !hasBit(&f.two, kw.two):
		return false
	}
	return kw.filters&filterFour == 0 || hasBit(&f.four, kw.four)
}

// index returns the position of kw in the word form, or -1.
func (kt *keywordText) index(kw keyword) int {
	if !kt.mayStart(kw) {
		return -1
	}
	if kw.script != scriptHangul {
		return strings.Index(kt.words, kw.text)
	}
	if i := strings.Index(kt.compact, kw.text); i >= 0 {
		return kt.offsets[i]
	}
	return -1
}

// findReason returns the reason code whose keyword occurs first in the
// folded text, or "" when none does. Taking the earliest mention favours
// the customer's main complaint over later asides.
func findReason(kt keywordText) string {
	present := kt.present
	best, bestPos := "", len(kt.words)+1
	for i, kws := range reasonMatchers {
		for _, kw := range kws {
			if kw.script&present != kw.script {
				continue
			}
			if p := kt.index(kw); p >= 0 && p < bestPos {
				best, bestPos = reasonKeywords[i].code, p
			}
		}
	}
	if best == "" && findFineItem(kt) {
		// Nothing wrong with the item, yet the buyer writes about it.
		best = ReasonChangedMind
	}
	return best
}

// findTargetLanguage returns the code of the language the text asks to
// translate into, or "". A name with a target marker wins; failing that,
// a text that asks for a translation and names exactly one language that
// is not marked as the source gets that one.
func findTargetLanguage(kt keywordText) string {
	words := strings.Fields(kt.words)
	type mention struct {
		code           string
		target, source bool
	}
	var mentions []mention
	for i, w := range words {
		code, rest := nameAt(w)
		if code == "" {
			continue
		}
		m := mention{code: code}
		if rest == "" && i+1 < len(words) {
			rest = words[i+1] // "영어 번역", "한국어 로"
		}
		if i > 0 {
			m.target = targetCues[words[i-1]]
			m.source = sourceCues[words[i-1]]
		}
		for _, mark := range hangulTargetMarks {
			m.target = m.target || (hasHangul(w) && strings.HasPrefix(rest, mark))
		}
		m.source = m.source || (hasHangul(w) && strings.HasPrefix(rest, hangulSourceMark))
		if m.target {
			return m.code
		}
		mentions = append(mentions, m)
	}
	text := " " + strings.Join(words, " ")
	if !hasWordPrefix(text, translationCues) && !containsAny(text, translationCuesHangul) {
		return ""
	}
	target := ""
	for _, m := range mentions {
		if m.source {
			continue
		}
		if target != "" && target != m.code {
			return "" // two candidate targets: better none than a guess
		}
		target = m.code
	}
	return target
}

// isWordRune reports whether r belongs inside a word.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// lastRune returns the last rune of s, or utf8.RuneError if s is empty.
func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// hasNonASCII reports whether s holds a byte outside ASCII.
func hasNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

func hasHangul(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Hangul, r) {
			return true
		}
	}
	return false
}
