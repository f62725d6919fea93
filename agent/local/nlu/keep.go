package nlu

import (
	"strings"
	"unicode"
)

// A buyer who wants part of an order back often says what they keep as
// well as what they return: "money back for the socks, keeping the boots",
// "solo las toallas, las sandalias me las quedo", "только за шарф, валенки
// норм", "담요는 괜찮아서 이어폰만". Both name goods of the same order, so
// which is meant cannot be read off the names alone; it is read off the
// clause each stands in.

// keepCues mark a clause as one about goods the buyer keeps or is happy
// with, folded.
var keepCues = prepare(
	"keep", "keeping", "fine", "ok ", "okay", "good", "great", "perfect", "happy with", "all right", "alright", "love ",
	"me lo quedo", "me la quedo", "me los quedo", "me las quedo", "me quedo", "quedo con", "esta bien", "estan bien",
	"bien", "genial", "me gusta", "me encanta",
	"норм", "в порядке", "оставлю", "оставляю", "оставим", "оставлю себе", "хорош", "ок ", "окей", "устраива",
	"отличн", "целы", "целые", "целая", "целый", "нравится", "нравятся", "понравил",
	"괜찮", "멀쩡", "문제없", "문제 없", "가질게", "쓸게", "둘게", "남길", "그대로", "마음에 들", "맘에 들", "좋아서", "좋으니",
	// Nothing wrong with it, or in use: "나머지 텀블러와 담요는 이상이
	// 없습니다", "텀블러는 잘 쓰고 있대요", "the boots I'm still using".
	"no problem with", "nothing wrong with", "still using", "still use", "sin problema", "ningun problema", "nada malo",
	// The goods stay with the buyer: "the bag stays", "ese se queda",
	// "валенки пусть остаются".
	"stays", "staying", "se queda", "se quedan", "остается", "остаются", "останется", "останутся",
	"lo uso", "la uso", "los uso", "las uso", "lo estoy usando", "la estoy usando", "без проблем", "пользуюсь", "пользуется",
	"이상 없", "이상이 없", "잘 쓰", "잘 써", "잘 사용", "잘 입", "잘 신",
)

// negationCues turn a keep cue around: "not fine", "no está bien", "не
// в порядке", "안 괜찮".
var negationCues = prepare(
	"not ", "isnt", "arent", "wasnt", "werent", "doesnt", "dont", "never",
	"no ", "nunca",
	"не ", "нет",
	"안 ", "않", "못",
)

// askCues mark a clause as the request itself, whatever else it says
// ("I'll keep it simple: refund the socks").
var askCues = prepare(
	"refund", "return", "money back", "send back",
	"reembols", "devolv", "devuelv", "devolucion",
	"вернут", "вернит", "верните", "возврат", "деньги",
	"환불", "반품", "돌려",
)

// clauseBreakWords end a clause in Latin and Cyrillic text. "Except"
// and its kin are among them: "everything's fine except the lantern"
// keeps everything but the lantern, which starts a clause of its own.
var clauseBreakWords = map[string]bool{
	"but": true, "though": true, "although": true, "however": true, "while": true, "except": true, "besides": true,
	"pero": true, "aunque": true, "sino": true, "mientras": true, "excepto": true, "salvo": true, "menos": true,
	"но": true, "а": true, "хотя": true, "зато": true, "кроме": true,
}

// koreanClauseEnds are the connective endings after which a Korean
// clause ends: "괜찮아서", "괜찮으니까", "괜찮은데", "괜찮지만", "괜찮고".
//
// A polite sentence ending ends a clause too, since buyers leave out the
// full stop: "아 아니 머그컵이요 운동화는 괜찮았어요" is two sentences, the
// mug meant and the sneakers kept.
var koreanClauseEnds = []string{"서", "니까", "는데", "은데", "지만", "고",
	"이요", "예요", "에요", "어요", "아요", "여요", "해요", "세요", "네요", "대요", "래요", "까요", "나요", "게요", "께요", "죠"}

// SplitKept splits text into the part that asks for something and the
// part that says which goods the buyer keeps or is content with, each the
// text's clauses joined by ". ". kept is "" when the buyer keeps nothing
// that they say.
func SplitKept(text string) (asked, kept string) {
	var ask, keep []string
	for _, c := range clauses(text) {
		if parts, keeps, ok := splitMixed(c); ok {
			// Asked and kept goods in one clause (keepsplit.go).
			for i, p := range parts {
				if keeps[i] {
					keep = append(keep, p)
				} else {
					ask = append(ask, p)
				}
			}
			continue
		}
		kt := newKeywordText(fold(strings.ToLower(normalize(c))))
		present := scriptsOf(kt.words)
		if anyCue(kt, present, keepCues) && !anyCue(kt, present, negationCues) && !anyCue(kt, present, askCues) {
			if n := len(ask); n > 0 && keepsNamedBefore(c, ask[n-1]) {
				// "el bolso es pa la profe, ese se queda": the goods
				// kept are the ones just named.
				keep, ask = append(keep, ask[n-1]), ask[:n-1]
			}
			keep = append(keep, c)
			continue
		}
		ask = append(ask, c)
	}
	asked, kept = strings.Join(ask, ". "), strings.Join(keep, ". ")
	if kept != "" && refersBack(asked) && len(ItemTerms(asked)) == 0 {
		// "The headphones are fine, still sealed; could I return them?":
		// the goods "fine" describes are the ones asked about, not kept.
		return text, ""
	}
	return asked, kept
}

// pointWords open a clause that points at the goods just named: "that
// one stays", "ese se queda", "его оставлю", "그건 둘게".
var pointWords = map[string]bool{
	"that": true, "this": true, "it": true, "those": true, "these": true,
	"ese": true, "esa": true, "esos": true, "esas": true, "eso": true, "aquel": true, "aquella": true,
	"его": true, "ее": true, "её": true, "их": true, "этот": true, "эта": true, "эти": true, "тот": true, "та": true, "те": true,
	"그건": true, "이건": true, "그거는": true, "이거는": true, "그거": true, "이거": true,
}

// keepsNamedBefore reports whether kept, a clause keeping goods it does
// not name, points at the goods of before, the clause just before it,
// which names goods and neither asks for anything nor tells a problem
// ("the bag is for the teacher, that one stays"): those goods are kept.
func keepsNamedBefore(kept, before string) bool {
	if len(ItemTerms(kept)) > 0 || len(ItemTerms(before)) == 0 {
		return false
	}
	w := strings.Fields(strings.ToLower(kept))
	if len(w) == 0 || !pointWords[strings.TrimFunc(w[0], unicode.IsPunct)] {
		return false
	}
	kt := newKeywordText(fold(strings.ToLower(normalize(before))))
	return !anyCue(kt, scriptsOf(kt.words), askCues) && findReason(kt) == "" && !findFlaw(kt, "")
}

// backCues point back at goods already named: "return them", "devolverlos",
// "верните их", "그거 환불".
var backCues = prepare(
	"them", "it ", "they", "those", "these",
	"devolverl", "reembolsarl", "regresarl", "cambiarl", "los devuelv", "las devuelv", "lo devuelv", "la devuelv",
	"их ", "его ", "ее ",
	"그거", "이거", "그것", "이것",
)

// refersBack reports whether text points back at goods named before it.
func refersBack(text string) bool {
	kt := newKeywordText(fold(strings.ToLower(normalize(text))))
	return anyCue(kt, scriptsOf(kt.words), backCues)
}

// clauses cuts text at punctuation, at the words that start a contrasting
// clause, and after Korean connective endings.
func clauses(text string) []string {
	var out []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, " "))
			cur = nil
		}
	}
	for _, part := range strings.FieldsFunc(text, func(r rune) bool {
		return strings.ContainsRune(",.;!?…¿¡:()", r) || r == '，' || r == '。'
	}) {
		for _, w := range strings.Fields(part) {
			if clauseBreakWords[strings.ToLower(strings.TrimFunc(w, unicode.IsPunct))] {
				flush()
				continue
			}
			cur = append(cur, w)
			if hasHangul(w) && endsKoreanClause(w) {
				flush()
			}
		}
		flush()
	}
	return out
}

func endsKoreanClause(w string) bool {
	if rest, ok := strings.CutSuffix(w, "요"); ok && rest != "" && wordNamesGoods(rest) {
		// Goods and a polite "요": "텀블러요" (but "담요" is a blanket).
		return true
	}
	for _, e := range koreanClauseEnds {
		if strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

// changeCues ask to change an order: cancel it, exchange goods, complain.
var changeCues = prepare(
	"cancel", "exchange", "swap", "dispute", "complain",
	"cancela", "anula", "cambi", "disputa", "reclam",
	"отмен", "обмен", "поменя", "спор", "жалоб",
	"취소", "교환", "분쟁", "신고",
)

// AsksAboutGoods reports whether text, beside naming goods, asks for
// anything about them or says something is not so: money back, a return,
// a cancellation, an exchange, a complaint, a negation ("the boots don't
// fit"). A message that does none of these ("the blanket one", "el
// bolso", "самовар") only says which goods are meant.
func AsksAboutGoods(text string) bool {
	kt := newKeywordText(fold(strings.ToLower(normalize(text))))
	present := scriptsOf(kt.words)
	return anyCue(kt, present, askCues) || anyCue(kt, present, changeCues) || anyCue(kt, present, negationCues) ||
		anyCue(kt, present, moneyBackCues)
}
