package local

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/csagent/csagent/agent/local/nlu"
)

// What a buyer's words say of the goods a refund is for, beyond what the
// classifier's slots carry: goods said to have nothing wrong with them
// ("나머지 텀블러와 담요는 이상이 없습니다", "nothing wrong with the
// boots") are kept like goods said to be fine; a count next to the goods
// ("one dented bottle", "텀블러 2개 중 1개") is how many pieces are meant;
// and "how much will I get back?" asked before any card, about goods the
// buyer singled out earlier ("the lamp arrived broken" … "order 10074,
// the bag is fine" … "so how much do I get back?"), is the request for
// that refund, whose card states the amount and asks to confirm.

// fineCues say goods have nothing wrong with them, folded: a clause with
// one (and no request) is about goods the buyer keeps. They add to the
// classifier's own keep words, which read "fine" and "ok" but not "no
// problem with".
var fineCues = []string{
	"nothing wrong", "no problem with", "no problems with", "no issue", "no issues", "no defect", "undamaged", "intact",
	"in perfect", "in good condition", "works fine", "work fine", "working fine",
	"ningun problema", "sin problema", "sin defecto", "no tiene nada", "no tienen nada", "intact", "en perfecto", "en buen estado", "funciona bien", "funcionan bien",
	"без проблем", "без дефект", "в норме", "в порядке", "хороши", "хорошая", "хороший", "хорошее", "нормальн", "цел ", "цела ", "в целости", "работает нормально", "претензий нет", "претензий к",
	"이상이 없", "이상 없", "이상없", "문제가 없", "하자가 없", "하자 없", "하자없", "멀쩡", "정상",
	// Goods in use, or to be used: "텀블러는 잘 쓰고 있대요", "운동화는 그냥
	// 신을게요", "I'm using the boots".
	"잘 쓰", "잘 사용", "쓰고 있", "신고 있", "입고 있", "신을게", "입을게", "신을께", "입을께", "쓸께", "그냥 쓸", "그냥 신", "그냥 입", "그냥 둘", "그냥 가질",
	"using the", "using it", "use it every", "lo uso", "la uso", "los uso", "las uso", "пользуюсь", "ношу", "буду носить", "буду пользоваться",
	// Goods that stay with the buyer: "Jacket stays", "las toallas que
	// sigan igual", "валенки пусть остаются", "담요는 남겨 둘게요".
	" stays ", " stay ", " staying ", " remains ", " remain ", " stays.", " stay.",
	"se queda ", "se quedan ", "que siga igual", "que sigan igual", "sigue igual", "siguen igual", "no se toca", "no se tocan",
	"остает", "остаёт", "остаю", "останет", "останут", "пусть оста", "не трогай", "не трогайте",
	"남겨", "남길게", "그대로 둘", "그대로 두",
}

// fineNegations turn a fine cue around ("not in good condition").
var fineNegations = []string{" not ", "n't ", " no esta", " no estan", " no funciona", " не в ", " не цел", "ненормальн", " не нормальн", " не работает", "않", "못 ", "비정상", "정상이 아니", "정상 아니"}

// splitKept splits text into what it asks for and the goods it keeps, as
// nlu.SplitKept does, and moves to the kept part the clauses that say
// goods have nothing wrong with them.
func splitKept(text string) (asked, kept string) {
	asked, kept = nlu.SplitKept(text)
	var ask, keep []string
	if kept != "" {
		keep = append(keep, kept)
	}
	moved := false
	// Sentences end with a full stop, or with the question that asks
	// ("можно вернуть только за одну? набор в порядке").
	for _, c := range sentenceEnds.Split(asked, -1) {
		t := " " + nlu.Fold(strings.ToLower(c)) + " "
		if len(nlu.ItemTerms(c)) > 0 && containsAny(t, fineCues) && !containsAny(t, fineNegations) && !nlu.AsksMoneyBack(c) && !containsAny(t, returnCues) {
			keep, moved = append(keep, c), true
			continue
		}
		ask = append(ask, c)
	}
	if !moved {
		return asked, kept
	}
	return strings.Join(ask, ". "), strings.Join(keep, ". ")
}

// sentenceEnds part a message's sentences.
var sentenceEnds = regexp.MustCompile(`[.?!？]\s+`)

// koreanCount is a count of pieces in Korean: "1개", "한 개", "두개".
var koreanCount = regexp.MustCompile(`(\d+|한|두|세|네)\s?개`)

// demonstratives point at goods already named, folded.
var demonstratives = map[string]bool{
	"those": true, "these": true, "esos": true, "esas": true, "estos": true, "estas": true, "los": true, "las": true,
	"эти": true, "этих": true, "те": true, "тех": true, "그": true, "이": true,
}

// koreanParticles end a Korean count word: "하나가", "하나만", "둘은".
var koreanParticles = []string{"가", "는", "은", "만", "도", "를", "을", "씩"}

// koreanNumbers are the native numbers before 개.
var koreanNumbers = map[string]int{"한": 1, "두": 2, "세": 3, "네": 4}

// statedPieces returns the fewest pieces of the goods called name that
// text counts next to them: a number just before the goods ("one dented
// Insulated steel bottle", "dos juegos", "один шарф") or, in Korean, just
// after them ("텀블러 2개 중 1개", "텀블러 1개만"); 0 when it counts
// none. The fewest, because a buyer who says how many they bought and
// how many are wrong ("of the two bottles, one is dented") wants back the
// latter.
func statedPieces(text, name string) int {
	words := strings.Fields(nlu.Fold(strings.ToLower(text)))
	best := 0
	note := func(n int) {
		if n > 0 && (best == 0 || n < best) {
			best = n
		}
	}
	for i, w := range words {
		w = strings.Trim(w, ".,;:!?()\"'")
		if demonstratives[w] && i+1 < len(words) {
			// "those two", "esos dos", "эти два", "그 2개": the goods in
			// talk, counted.
			next := strings.Trim(words[i+1], ".,;:!?()\"'")
			note(countWords[next])
			if m := koreanCount.FindStringSubmatch(strings.Join(words[i+1:min(len(words), i+3)], " ")); m != nil {
				if n, err := strconv.Atoi(m[1]); err == nil {
					note(n)
				} else {
					note(koreanNumbers[m[1]])
				}
			}
		}
		if nlu.ItemScore(w, name) == 0 {
			continue
		}
		// The words before the goods, over a few adjectives and "of the"
		// ("one dented steel bottle", "two of the three packs").
		for j := i - 1; j >= 0 && j >= i-4; j-- {
			if strings.ContainsAny(words[j], ".,;:!?") {
				break // another clause's number
			}
			if n, ok := countWords[strings.Trim(words[j], "()\"'")]; ok {
				note(n)
			}
		}
		// Korean counts after the goods: "텀블러 2개 중 1개의 뚜껑",
		// "담요 하나가".
		if i+1 < len(words) {
			next := strings.TrimRight(words[i+1], ".,;:!?")
			for _, p := range koreanParticles {
				next = strings.TrimSuffix(next, p)
			}
			note(countWords[next])
		}
		after := strings.Join(words[i+1:min(len(words), i+7)], " ")
		for _, m := range koreanCount.FindAllStringSubmatch(after, -1) {
			if n, err := strconv.Atoi(m[1]); err == nil {
				note(n)
			} else {
				note(koreanNumbers[m[1]])
			}
		}
	}
	return best
}

// goodsWords returns the buyer's words that say which goods a refund is
// for: this message's, or, when it asks how much comes back of goods it
// does not name, the conversation's (refundAmountAsk).
func (d *dialogue) goodsWords() string {
	if d.goods != "" {
		return d.goods
	}
	return d.text
}

// maxGoodsMessages is how many of the buyer's earlier messages are read
// for the goods an amount question is about: the story of one problem,
// not the whole conversation.
const maxGoodsMessages = 3

// refundAmountAsk reports whether the buyer, before any card, asks how
// much they get back for goods of the order the conversation is on that
// they singled out now or just before (a problem with them, what they
// keep, a refund of only them): the answer is that refund's card, which
// states its items and amount and asks to confirm. It notes the words
// that name the goods for the item refund to read.
func (d *dialogue) refundAmountAsk(cur nlu.Result) bool {
	if len(d.cards) > 0 || !asksAmountBack(d.text) || d.slots.RefundID != "" {
		return false
	}
	if d.carried && (d.intent == nlu.CancelOrder || d.intent == nlu.OpenDispute) {
		return false // the detail another request waits for
	}
	// A confident refund-status reading ("환불 금액 알려주세요") does not
	// stop it: the goods told faulty just before have no refund yet, and
	// if they have one the tool says so rather than refund twice.
	if cur.Slots.OrderID == "" && d.lastOrder == "" {
		return false
	}
	from := max(0, len(d.earlier)-maxGoodsMessages)
	story := d.earlier[from:]
	named, problem := len(nlu.ItemTerms(d.text)) > 0, cur.Slots.Reason != ""
	for _, msg := range story {
		named = named || len(nlu.ItemTerms(msg)) > 0
		// A return the buyer said they will make ("240은 반품할래요",
		// "las 38 las devuelvo") is a request like a problem told.
		problem = problem || nlu.ExtractSlots(msg).Reason != "" || containsAny(" "+nlu.Fold(strings.ToLower(msg)), returnCues)
	}
	_, kept := splitKept(strings.Join(append(story[:len(story):len(story)], d.text), ". "))
	if !named || (!problem && kept == "" && !cur.Slots.Only && !nlu.AsksMoneyBack(d.text)) {
		return false
	}
	if len(nlu.ItemTerms(d.text)) == 0 || (!cur.Slots.Only && cur.Slots.ItemQuantity == 0) {
		// "y cuánto me devuelven?": the goods are the story's.
		d.goods = strings.Join(append(story[:len(story):len(story)], d.text), ". ")
	}
	d.slots.Only = true
	return true
}

// allCueOnGoods reports whether a clause of text that names goods says
// the buyer means every piece ("refund both bottles"): "both" in a clause
// about something else ("on both occasions the form failed") says nothing
// of the goods.
func allCueOnGoods(text string) bool {
	for _, c := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(",.;!?", r) }) {
		if allCue(c) && (len(nlu.ItemTerms(c)) > 0 || refersToGoods(c)) {
			return true
		}
	}
	return false
}

// pronounCues point at goods named before: "both of them", "refund them
// all", "оба", "둘 다".
var pronounCues = []string{" them", " ellos", " ellas", " los ", " las ", " их", " оба", " обе", " все", "둘 다", "모두", "전부"}

// refersToGoods reports whether clause points at goods with a pronoun or
// stands alone as "both"/"all".
func refersToGoods(clause string) bool {
	t := " " + nlu.Fold(strings.ToLower(clause)) + " "
	return containsAny(t, pronounCues) || len(strings.Fields(t)) <= 3
}

// onlyWords restrict what follows them to the goods meant ("just the
// lantern", "solo la lámpara", "только шарф"), folded; in Korean the
// particle 만 after the goods does ("이어폰만").
var onlyWords = map[string]bool{
	"only": true, "just": true, "solo": true, "sólo": true, "solamente": true, "unicamente": true, "únicamente": true,
	"только": true, "лишь": true,
}

// onlyGoods returns the index in names of the goods text restricts the
// request to with "only" ("그럼 이어폰만 반품 신청해주세요. 텀블러는 잘
// 쓰고 있대요", "just the lantern, the jacket is fine"), or -1 when it
// restricts to none or to goods that fit several names. Goods marked so
// are the ones asked for, whichever other goods the message names after
// them.
func onlyGoods(text string, names []string) int {
	words := strings.Fields(strings.ToLower(text))
	found := -1
	for i, w := range words {
		w = strings.Trim(w, ".,;:!?()\"'")
		var phrase string
		switch {
		case onlyWords[w]:
			// The few words after it, up to the clause's end.
			var next []string
			for _, x := range words[i+1 : min(len(words), i+5)] {
				next = append(next, x)
				if strings.ContainsAny(x, ".,;:!?") {
					break
				}
			}
			phrase = strings.Join(next, " ")
		case strings.HasSuffix(w, "만") && len([]rune(w)) > 1:
			phrase = strings.TrimSuffix(w, "만")
		default:
			continue
		}
		k := nlu.MatchItem(phrase, names)
		if k < 0 {
			continue
		}
		if found >= 0 && found != k {
			return -1
		}
		found = k
	}
	return found
}

// refundChosen reports whether the buyer, asked after telling a problem
// whether they want a refund or a dispute (problem_noted), or a refund or
// the policy (clarify_refund), answers with
// the refund however the message reads alone: "yes refund those" is a
// yes to the classifier, yet it picks the refund of the goods just told
// of. When the answer names no goods, the story's words say which goods
// and how many pieces, for the item refund to read.
func (d *dialogue) refundChosen(cur nlu.Result) bool {
	if d.prevReply == "" || cur.Slots.OrderID != "" || len(d.earlier) == 0 {
		return false
	}
	yes := false // a bare yes chooses the refund only when it was the one proposed
	scope := false
	switch d.prevReply {
	case render(d.locale, "problem_noted_order", d.lastOrder):
		// "Refund or dispute?" about an order: the refund is the one
		// offered first, and the lighter; a bare yes takes it, and its
		// card still asks the buyer to confirm. (Without it, "да" was
		// read alone and got the order's tracking.) An answer that says
		// which part of the order ("solo ese juego, el otro y el bolso
		// están bien", "just that one, the rest is fine") chooses the
		// money back for that part, which the card shows the same way.
		yes = cur.Intent == nlu.Affirm && cur.Confidence >= minDecisionConfidence
		scope = scopesGoods(cur, cur.Text)
	case render(d.locale, "problem_noted"):
		// "Which order, and refund or dispute?": a yes names neither; a
		// part of the order named chooses the refund of that part.
		scope = scopesGoods(cur, cur.Text)
	case render(d.locale, "clarify_refund_order", d.lastOrder), render(d.locale, "clarify_refund"):
		// "A refund, or the policy?"
		yes = cur.Intent == nlu.Affirm && cur.Confidence >= minDecisionConfidence
	default:
		return false
	}
	// The buyer's own message (d.text is the policy question again after
	// "no"), and no question of its own ("are gift cards refundable?").
	text := cur.Text
	if cur.Intent == nlu.Deny || strings.ContainsAny(text, "?¿") || (cur.Act == nlu.ActQuestion && !startsYes(text)) {
		return false
	}
	t := " " + nlu.Fold(strings.ToLower(text)) + " "
	if !yes && !scope && !nlu.AsksMoneyBack(text) && !containsAny(t, refundChoiceCues) {
		return false
	}
	story := d.earlier[len(d.earlier)-1]
	if asked, _ := splitKept(text); scope && len(nlu.ItemTerms(asked)) == 0 && len(nlu.ItemTerms(story)) > 0 {
		// "Just that one, the rest is fine": the story says which goods
		// and how many pieces ("one of the towel sets came stained"),
		// the answer what is kept.
		d.goods = story + ". " + d.text
		d.slots.Only = true
	} else if len(nlu.ItemTerms(text)) == 0 && len(nlu.ItemTerms(story)) > 0 {
		// "Refund please" after "one of the two towels arrived torn":
		// that towel, not the whole order.
		d.goods = story + ". " + d.text
		d.slots.Only = true
	}
	return true
}

// refundChoiceCues choose the refund, folded.
var refundChoiceCues = []string{" refund", " money back", "reembolso", "reembolsa", "devolucion del dinero", "возврат", "вернуть деньги", "верните", "환불"}

// yesWords open an answer that says yes, folded.
var yesWords = map[string]bool{"yes": true, "yeah": true, "yep": true, "ok": true, "okay": true, "si": true, "vale": true, "да": true, "ага": true, "네": true, "예": true, "응": true}

// startsYes reports whether text opens with a yes ("sí, el reembolso por
// favor"), which the classifier may read, with what follows, as a
// question.
func startsYes(text string) bool {
	f := strings.Fields(nlu.Fold(strings.ToLower(text)))
	return len(f) > 0 && yesWords[strings.Trim(f[0], ".,;:!")]
}

// scopeCues restrict an answer to part of an order, folded: "only", "just
// that one", "solo ese", "только эту", "그것만".
var scopeCues = foldAll([]string{" only ", " just that", " just the one", " just this", " solo ", " sólo ", " solamente ", " únicamente ", " только ", " лишь ", "만 ", "만요", "만이"})

// scopesGoods reports whether r, read from text, restricts what the buyer
// wants to part of their order: "only" or a like word, or goods said to
// be fine or kept, and no question of its own.
func scopesGoods(r nlu.Result, text string) bool {
	if strings.ContainsAny(text, "?¿") {
		return false
	}
	if _, kept := splitKept(text); kept != "" {
		return true
	}
	return r.Slots.Only || containsAny(" "+nlu.Fold(strings.ToLower(text))+" ", scopeCues)
}
