package local

import (
	"cmp"
	"encoding/json"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
)

// A policy answer is composed in three steps: read what kind of fact the
// question asks for (a duration, a deadline, who pays, whether something
// is allowed, how to do something, a fee, a list), pick among the
// retrieved sections the one that carries that kind of fact and is most
// about the question, and answer from that whole section: the sentences
// that carry the fact and share most with the question, with the list or
// table a sentence introduces. Every word of the answer is the policy's
// own, so the guardrails find it in the evidence, and the answer cites
// the section it came from.

// policyHit is the part of a search_policy hit the local model reads.
type policyHit struct {
	DocID       string  `json:"doc_id"`
	Title       string  `json:"title"`
	HeadingPath string  `json:"heading_path"`
	Text        string  `json:"text"`
	Citation    string  `json:"citation"`
	ChunkID     int64   `json:"chunk_id"`
	Score       float64 `json:"score"`
}

// askKind is the kind of fact a policy question asks for.
type askKind int

const (
	askOther askKind = iota
	// askWhoPays: "who pays return shipping?", "do I have to pay to send it back?"
	askWhoPays
	// askFee: "is there a fee for returning?"
	askFee
	// askHowTo: "how do I return an item?"
	askHowTo
	// askList: "what can't be returned?"
	askList
	// askDuration: "how long does a refund take?"
	askDuration
	// askDeadline: "how many days do I have to return it?"
	askDeadline
	// askWhatIf: "what happens if the seller doesn't answer?"
	askWhatIf
	// askAllowed: "can I get my money back for a custom mug?"
	askAllowed
	// askCount: "how many refunds can one order get?"
	askCount
)

// askCues are phrases that give a question's kind away, in the four
// languages, matched on the lower-cased question in this order: the first
// kind with a matching cue wins, so the more specific kinds come first
// ("how long does it take" is a duration before "how" is a how-to, and
// before "how much" is a fee). Russian typed in Latin letters is read
// back in Cyrillic first, so "skolko" comes as "сколко".
//
// A cue with "…" in it matches its parts in order with at most a few
// words between them ("how long … take" in "how long the matter takes"),
// and a group marked inQuestion counts only in the sentences that ask
// (those ending with a question mark, and the last): "which" in "a
// sweater for her birthday, which isn't until next month." asks nothing.
var askCues = []askCueGroup{
	{kind: askWhoPays, cues: []string{
		"who pays", "who covers", "pay to ship", "expected to pay", "pay the postage", "pay for the postage", "pay for return", "who will pay", "who has to pay", "do i have to pay", "do i pay", "have to pay", "pay for the return", "pay to send", "pay the shipping", "pay for shipping", "at whose expense", "must pay", "need to pay", "the seller pay", "seller pays", "or the seller", "on us?", "on me?", "who … pay", "who bears", "who … cover",
		"누가 내", "누가내", "누가 부담", "누가 지불", "누가 결제", "제가 내", "내가 내", " 내야", "를 내야", "을 내야", "부담해야", "부담하나", "판매자가 내", "제가 부담", "지불해야",
		"quién paga", "quien paga", "quién … paga", "quien … paga", "quién cubre", "tengo que pagar", "debo pagar", "pagar yo", "pago yo", "lo pago", "paga el vendedor", "corren por cuenta", "corre por cuenta", "a cargo de quién", "de mi cuenta", "por mi cuenta", "a cuenta de",
		"quién asume", "quien asume", "quién corre con", "quien corre con", "quién se hace cargo", "quien se hace cargo",
		"кто платит", "кто оплачивает", "кто … оплачивает", "кто … платит", "кто заплатит", "мне платить", "должен платить", "должна платить", "нужно платить", "надо платить", "за чей счёт", "за чей счет", "платить за", "платит продавец", "продавец платит", "я плачу"}},
	{kind: askDuration, cues: []string{
		"how long does", "how long will", "how long is", "how long until", "how long till", "how long before", "how quickly", "how fast", "how soon", "when will i", "when do i get", "when will my", "when do i see", "take to", "how much days", "how much time does", "when the money", "how long … take", "timeline",
		"얼마나 걸", "며칠 걸", "며칠 … 걸리", "며칠 … 걸려", "며칠 … 걸릴", "오래 걸리", "며칠 뒤", "며칠 후", "언제 들어", "들어와", "입금되", "입금돼", "입금은", "언제 나와", "언제 와", "언제 받", "언제쯤",
		// A processing time is how long something takes: "처리 기간이
		// 어느 정도예요?", before "기간" asks a deadline.
		"처리 기간", "처리기간", "어느 정도 걸", "결과 나오", "결과가 나오",
		"cuánto tarda", "cuanto tarda", "en cuánto", "¿en cuanto", "se demora", "cuánto demora", "demoran", "cuánto tiempo tarda", "cuánto tiempo suele", "cuánto … tarda", "en cuánto tiempo", "cuándo llega", "cuando llega", "cuándo me", "cuándo recib", "cuándo veré", "cuándo tendré", "tardan", "tarda",
		"как быстро", "через сколько", "сколько времени", "как долго", "когда будет", "когда вернут", "когда придут", "когда приду", "когда поступ", "когда получ", "когда деньги", "деньги придут", "сколько идут", "сколько идёт", "за сколько", "сколько … идёт", "сколько … идут", "длится", "сколько … занима"}},
	{kind: askDeadline, cues: []string{
		"how many days", "how long do i have", "how long do you have", "how long does he have", "how long does she have", "how long do we have", "how long do they have", "how long … have to return", "how long … have to send", "at what point", "from when", "what period", "the period", "time frame", "timeframe", "within which", "how much time do i have", "how long have i", "how long do i need to wait", "how long should i wait", "how long after", "until when", "up to when", "till when", "til when", "deadline", "time limit", "too late", "how long can i", "by when", "the latest", "how late", "cutoff", "cut-off", "cut off", "can i still", "is it still", "will it still", "still be", "did i miss", "have i missed", "missed the",
		"며칠", "언제까지", "기한", "기간", "시간 제한", "얼마 동안", "얼마나 기다", "너무 늦",
		"cuántos días", "cuantos dias", "a partir de cuándo", "desde cuándo", "cuánto tiempo debo esperar", "hasta cuándo", "hasta cuando", "plazo", "cuánto tiempo tengo", "cuánto tiempo tiene", "cuánto tiempo tienen", "cuántos días tiene", "cuánto tengo que esperar", "es tarde", "límite de tiempo", "todavía puedo", "aún puedo", "ya se me pas",
		"сколько дней", "сколко дней", "с какого момента", "в течение какого", "в течении какого", "за какое время", "ограничение по времени", "ограничения по времени", "до какого", "срок", "сколько ждать", "сколько нужно ждать", "сколько … ждать", "до когда", "поздно", "сколько … времени", "ещё можно", "еще можно"}},
	{kind: askFee, cues: []string{
		// Whole words: "feel", "coffee" and a phone "charger" name no fee,
		// nor does a lamp "you charge with the cord".
		" fee ", " fee?", " fee,", " fee.", " fees", " a charge", "the charge", "any charge", "extra charge", "charge for", "charge me", "charge you", " charge?", " charges", " charged", "cost", "how much", "penalty",
		// Whether something is free asks whether it costs anything.
		"is … free", " free or ", " free? ", " free if ", " free when ", "for free",
		"수수료", "비용", "요금", "얼마예요", "얼마인가요", "얼마 내", "위약금", "돈 내", "따로 내",
		"comisión", "comision", "cargo", "cobran", "cobra", "costo", "coste", "tarifa", "cuánto cuesta", "penalización",
		"комисси", "сбор", "стоимост", "сколько стоит", "спишут", "списан", "плата за", "плату", " плата", "взима", "платн", "штраф", "удерж",
		// A cost taken out of the refund: "will the postage come out of
		// my refund?" asks what it costs the buyer, which the sentence
		// on who pays answers as well as one naming a charge.
		"out of my refund", "out of the refund", "off my refund", "off the refund", "deduct", "subtract",
		// What the buyer loses by it is what it costs: "if I cancel
		// now, do I lose anything?".
		"lose anything", "lose any money", "lose money", "lose out", "손해", "돈을 잃", "pierdo algo", "pierdo dinero", "perder dinero", "perder algo", "потеряю", "потерять деньги",
		"환불금에서", "환불액에서", "환불 금액에서", "환불받을 돈에서", "차감", "공제",
		"descuentan", "descontar", "descontarán", "descuenta el", "descuenta la", "restan del", "вычт", "вычит", "из суммы возврата"}},
	// How many of something: after the time kinds ("how many days") and
	// the fee ("how much", "сколько стоит").
	{kind: askCount, cues: []string{
		"how many", "number of", "몇 번", "몇번", "몇 회", "몇회", "몇 개", "몇개", "몇 건", "몇건", "횟수",
		"cuántos", "cuántas", "cuantos", "cuantas", "número de", "сколько раз", "сколько возврат", "сколько спор", "сколько товар", "сколько заказ", "количество"}},
	{kind: askHowTo, cues: []string{
		"how do i", "how can i", "how to", "how should i", "what do i do", "need to do", "what should i do", "what are the steps", "steps to", "supposed to do", "what to do", "what can i do", "what's the procedure", "what is the procedure", "procedure", "the steps", "steps involved",
		"어떻게 하", "어떻게 해", "어떻게 할 수", "어떻게 신청", "방법", "절차", "어케 해", "어케 하", "뭘 먼저", "뭘 해야", "무엇을 해야",
		// What to have ready is a step of the procedure.
		"준비해야", "챙겨야", "what do i need to prepare", "what should i prepare", "qué necesito preparar", "qué debo preparar", "что подготовить", "что нужно подготовить",
		"cómo", "como puedo", "como hago", "qué tengo que hacer", "qué debo hacer", "qué puedo hacer", "pasos", "qué hago", "que hago", "procedimiento",
		"как оформить", "как сделать", "как мне", "что мне делать", "как подать", "как открыть", "как вернуть", "как запросить", "что нужно сделать", "что можно сделать", "че делать", "чё делать", "чо делать", "что я могу сделать", "что делать", "что … делать", "порядок", "куда писать", "куда обращаться"}},
	{kind: askWhatIf, cues: []string{
		"what happens", "what if", "what will happen", "что тогда",
		// Who decides is how the process goes.
		"who decides", "who makes the decision", "final call", "final decision", "final say", "최종 판단", "최종 결정", "decisión final", "última palabra", "окончательн", "quién decide", "quien decide", "누가 결정", "누가 판단", "кто решает", "кто принимает решение",
		// What comes next in a process under way.
		"what next", "what now", "then what", "what's next", "그다음", "그 다음", "다음엔", "다음에는", "y luego qué", "y después qué", "y ahora qué", "что дальше", "чё дальше", "че дальше", "что потом", "а дальше",
		"어떻게 돼", "어떻게 되", "어떻게 처리",
		"qué pasa", " q pasa", "qué sucede", "qué ocurre",
		"что будет", "что произойдёт", "что произойдет", "что происходит",
		// How a process goes: what happens, step by step.
		"process", "how does … work", "how do … work", "어떻게 진행", "과정", "proceso", "cómo funciona", "процесс", "как проходит", "как устроен"}},
	// Any other "when" asks for a time too, unless it only sets the scene
	// of a how-to or what-if question ("what do I do when it arrives
	// broken?").
	{kind: askDeadline, cues: []string{"when ", "언제", "cuándo", "cuando", "когда"}, inQuestion: true, leading: true},
	{kind: askList, cues: []string{
		"what items", "which items", "what stuff", "what things", "which things", "what products", "which products", "what kind of", "what can't", "what cannot", "what can i not", "what isn't", "what is not",
		"어떤 상품", "어떤 물건", "뭐예요", "무엇인가요", "뭔가요", "어떤 것",
		"qué cosas", "qué artículos", "qué productos", "cuáles", "qué no se",
		"какие товары", "какие вещи", "что нельзя", "что не"}},
	// A what/which question with no more specific cue asks for the
	// things a list names: "what payment methods can I use?".
	{kind: askList, cues: []string{"what ", "which ", "무엇", "뭐가", "뭐 있", "어떤", "qué ", "cuáles", "какие", "какой", "какая"}, inQuestion: true},
	{kind: askAllowed, cues: []string{
		"can i", "can you", "could i", "can u ", "could u ", "is it possible",
		// Asked as a guess to be confirmed: "I'm guessing I can't …", "I
		// suppose we can …", "환불은 안 되겠죠?".
		" i can't", " i cant ", " i cannot", " i can ", " we can't", " we can ", " i could ", " i won't get", " i wont get", " i don't get", " i get my", "되겠", "되겠죠", "겠죠", "겠지요", "am i able", "do i get", "will i get", "is it ok", "allowed", "refundable", "returnable", "eligible",
		// A claim to check against the rules: "my friend said …, is
		// that true?".
		"is that true", "is it true", "is this true", "es verdad", "es cierto", "es así", "это правда", "правда ли", "진짜예요", "사실인가요", "맞나요",
		// A yes-or-no question about what is required.
		"do i have to", "do i need", "do you need", "must i", "is it necessary", "required",
		"야 하나요", "야 되나요", "필요한가요", "필요해요", "필요하나요",
		"tengo que", "hay que", "necesito", "es necesario", "hace falta",
		"нужно ли", "надо ли", "нужна ли", "нужен ли", "нужны ли", "обязательно",
		"되나요", "되나?", "될까요", "돼요", "돼?", "되는 건가", "되는거", "되는 거", "되냐", "가능", "할 수 있", "받을 수 있", "못 받",
		// helper-14B: the endings that check ("취소 되죠?", "반품 되지요?"),
		// and the common spellings without spaces or with 되요 for 돼요.
		"되죠", "돼죠", "되지요", "되지 않나요", "되잖아요", "되요", "될까", "할수 있", "할수있", "받을수 있", "받을수있",
		"puedo", "se puede", "me devuelven", "pueden devolver", "es posible", "reembolsable", "necesitan",
		"можно", "могу", "нельзя", "вернут ли",
		// What the buyer is owed, and "деньги вернут?" asked flat.
		"am i entitled", "entitled to", "still able", "tengo derecho", "me corresponde", "положено", "деньги вернут", "вернут деньги"}},
}

// askCueGroup is one group of askCues: the kind its cues give away.
type askCueGroup struct {
	kind       askKind
	cues       []string
	inQuestion bool
	// leading cues count only among a clause's first words: "when" in
	// "is a refund available when one item is bad?" asks no time.
	leading bool
}

// classifyAsk returns the kind of fact question asks for. A question
// that says how much time has passed ("can I still get a refund after 40
// days?", "40일 지났는데 어떻게 해요?") asks about a time limit, whatever
// its words.
func classifyAsk(question string) askKind { return classify(question, true, true) }

// stillAsks reports whether question asks a time limit only by asking
// whether something is still possible ("can I still return it?"): about
// the buyer's own case, which a request for it serves.
func stillAsks(question string) bool {
	// The time told ("got it two months ago, can I still return it?")
	// sets the buyer's case: whether "still" is all that asks a time
	// limit is read without it.
	return classify(question, true, false) == askDeadline && classify(question, false, false) != askDeadline
}

// classify is classifyAsk, reading "still" as asking a time limit when
// still is true, and a time told ("40 days", "two months") as asking one
// when spans is.
func classify(question string, still, spans bool) askKind {
	cyr := nlu.Cyrillic(question)
	cl := &plainCues
	if cyr != question {
		// Typed in Latin letters: read without the signs the way back
		// loses (softSigns).
		cl = &translitCues
	}
	raw := cl.read(chatSpelling.Replace(buyerNames.Replace(" " + strings.ToLower(cyr) + " ")))
	q := nlu.Fold(raw)
	rawAsked := " " + asking(raw) + " "
	asked := nlu.Fold(rawAsked)
	kind := askOther
cues:
	for _, k := range cl.ask {
		in, rawIn := q, raw
		if k.inQuestion {
			in, rawIn = asked, rawAsked
		}
		for _, c := range k.cues {
			if k.leading && !leadsAlone(in, c) && !leadsAlone(rawIn, c) {
				continue
			}
			if hasCue(in, c) || hasCue(rawIn, c) {
				kind = k.kind
				break cues
			}
		}
	}
	if (kind == askDuration || kind == askOther) && grantedTime.MatchString(q) {
		// "How long does the seller have to reply?" asks the time
		// someone is given, a limit, not how long something takes.
		kind = askDeadline
	}
	if (kind == askCount || kind == askOther) && countOfTime.MatchString(q) {
		// "How many business days does it take?" counts time: how long
		// something takes, or else until when.
		kind = askDeadline
		if containsAny(q, cl.takes) {
			kind = askDuration
		}
	}
	switch kind {
	case askOther, askAllowed, askWhatIf, askHowTo:
		if spans && timeSpan.MatchString(q) {
			kind = askDeadline
		}
	}
	if still && kind == askAllowed && containsAny(q, cl.still) && !notYet(q) {
		// "Can I still return it?", "will it still be returnable by
		// then?" ask whether a time limit has passed.
		kind = askDeadline
	}
	switch kind {
	case askDuration:
		// "How much time after delivery can I open a dispute?" asks
		// until when the buyer may act, not how long something takes.
		if containsAny(q, cl.mayAsk) && !containsAny(q, cl.arrival) {
			return askDeadline
		}
	case askDeadline:
		// "How many days till I see the money?" asks how long the money
		// takes to come, not until when the buyer may act.
		if containsAny(q, cl.arrival) && !containsAny(q, cl.act) {
			return askDuration
		}
	case askWhoPays:
		// "Do I have to pay a cancellation fee?" asks whether there is a
		// fee, not who bears a cost the policy assigns.
		if !containsAny(q, whoCues) && containsAny(q, feeCues) {
			return askFee
		}
	}
	return kind
}

// hasCue reports whether text has cue, whose parts around "…" match in
// order with at most three words between them.
func hasCue(text, cue string) bool {
	first, rest, gapped := strings.Cut(cue, "…")
	if !gapped {
		return strings.Contains(text, cue)
	}
	first = strings.TrimSpace(first)
	for from := 0; ; {
		i := strings.Index(text[from:], first)
		if i < 0 {
			return false
		}
		after := text[from+i+len(first):]
		next, _, _ := strings.Cut(rest, "…")
		next = strings.TrimSpace(next)
		if j := strings.Index(after, next); j >= 0 && len(strings.Fields(after[:j])) <= 3 &&
			(!strings.Contains(rest, "…") || hasCue(after[j:], rest)) {
			return true
		}
		from += i + len(first)
	}
}

// leads reports whether cue starts one of text's first four words in a
// clause.
func leads(text, cue string) bool {
	for _, clause := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(".,;:!?¿—", r) }) {
		w := strings.Fields(clause)
		if len(w) > 4 {
			w = w[:4]
		}
		if strings.Contains(" "+strings.Join(w, " ")+" ", strings.TrimSpace(cue)) {
			return true
		}
	}
	return false
}

// asking returns the sentences of q that ask: those ending with a
// question mark, and the last one.
func asking(q string) string {
	var out []string
	start := 0
	for i, r := range q {
		if r != '.' && r != '!' && r != '?' && r != '？' && r != '\n' {
			continue
		}
		if r == '?' || r == '？' {
			out = append(out, q[start:i+1])
		}
		start = i + len(string(r))
	}
	if last := strings.TrimSpace(q[start:]); last != "" {
		out = append(out, last)
	} else if len(out) == 0 {
		// The message ends with its last sentence's full stop.
		s := strings.TrimRight(strings.TrimSpace(q), ".!")
		if i := strings.LastIndexAny(s, ".!\n"); i >= 0 {
			s = s[i+1:]
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

// foldedAskCues are askCues as classifyAsk matches them, folded like the
// question: buyers often drop Spanish accents ("cuanto tarda"). A cue
// whose accent is all that tells it from a common word keeps it: "cómo"
// asks how, "como" is "like" as often.
var foldedAskCues = func() []askCueGroup {
	out := slices.Clone(askCues)
	for i := range out {
		out[i].cues = make([]string, len(askCues[i].cues))
		for j, c := range askCues[i].cues {
			if f := nlu.Fold(c); !slices.Contains(accentOnly, f) {
				c = f
			}
			out[i].cues[j] = c
		}
	}
	return out
}()

// accentOnly are folded cues that would match common words.
var accentOnly = []string{"como", "como funciona", "que ",
	// "en cuanto llegue" is "as soon as it comes"; "en cuánto" asks how soon.
	"en cuanto"}

// arrivalCues speak of money coming to the buyer; actCues of a limit on
// what the buyer may do, which a deadline question asks about.
var (
	foldedArrivalCues = foldAll([]string{"the money", "my money", "money is back", "money back in", "money is coming", "money to come", "money come", "money to arrive", "money arrive", "show up on my", "hit my", "the cash", "my cash", "cash to", "to land",
		// The refund itself coming: "until the refund reaches me".
		"reach me", "reaches me", "refund to arrive", "refund arrive", "refund to come", "refund to show", "refund to reach", "refund reach", "receive the refund", "receive my refund",
		"llegarme", "me llegue el", "me llega el", "recibir el reembolso",
		"돈은", "돈이", "들어오", "들어와", "입금", "dinero", "plata", "llegue el", "деньги", "денег", "поступ", "придут"})
	foldedActCues = foldAll([]string{"do i have", "have i", "can i", "could i", "deadline", "time limit", "until when", "too late", "still",
		"기한", "까지", "수 있", "tengo", "puedo", "plazo", "hasta", "todavía", "можно", "могу", "срок", "до какого", "поздно", "ещё", "еще"})
)

// stillCues ask whether something is still possible.
var foldedStillCues = foldAll([]string{" still ", "todavía", " aún ", " ещё", " еще", "아직", "지금도", "지금이라도"})

// notYetCues use "still" for a state not reached yet: "an order that has
// not shipped yet", "아직 발송되지 않은 주문", "un pedido que todavía no
// se envió", "если он ещё не отправлен" ask what may be done in that
// state, not whether a time limit has passed.
var foldedNotYetCues = foldAll([]string{"not yet", "n't … yet", "not … yet", "hasnt … yet", "havent … yet", "didnt … yet", "isnt … yet", "wasnt … yet", "아직 안", "아직 발송되지", "아직 배송되지", "아직 출고되지", "아직 발송 안", "아직 배송 안",
	"todavía no", "todavia no", "aún no", "aun no", "ещё не", "еще не", "пока не"})

func notYet(q string) bool {
	return slices.ContainsFunc(foldedNotYetCues, func(c string) bool { return hasCue(q, c) || hasCue(q, softSigns.Replace(c)) })
}

// foldedMayAsk ask what the buyer may do.
var foldedMayAsk = foldAll([]string{"can i ", "could i ", "may i ", "можно", "могу", "puedo", "se puede", "수 있"})

// whoCues ask who; feeCues name a fee or penalty.
var (
	whoCues = []string{"who ", "whose", "누가", "누구", "quién", "quien", "кто", "чей"}
	feeCues = []string{" fee ", " fee?", " fee,", " fee.", " fees", "penalty", "수수료", "위약금", "comisión", "comision", "penalización", "penalizacion", "комисси", "штраф", "сбор"}
)

// timeSpan finds a quantity of time: "30 days", "5 business days", "24
// hours", "30일", "영업일 기준 5일", "15 días", "5 рабочих дней".
// (주 is a week unless it starts 주문, an order, or 주소, an address:
// "ORD-10265 주문 잘 들어갔나요?" names no span of time.)
var timeSpan = regexp.MustCompile(`(?i)\d+\s*(?:(?:business|working|calendar)\s+)?(?:days?|hours?|weeks?|months?)\b|\d+\s*(?:일|시간|주(?:[^문소]|$)|개월)|\d+\s+(?:d[ií]as?|horas?|semanas?|meses?)\b|\d+\s+(?:(?:рабоч|календарн)\S*\s+)?(?:дн\S*|день|ден(?:\s|$)|час\S*|недел\S*|месяц\S*)` +
	// Spelled out: "two months", "두 달", "dos semanas", "две недели".
	`|\b(?:two|three|four|five|six|seven|eight|ten|a couple of|several)\s+(?:days|weeks|months)\b` +
	// A month told as a word: "a month", "한 달", "un mes", "месяц", as
	// long as the refund window. (A week passed is shorter than any limit
	// the buyer has: "받은 지 일주일 됐는데 반품 되나요?" asks whether the
	// return is allowed and what it costs, not the limit.)
	`|\b(?:a|one|over a|more than a) month\b|(?:^|\s)한 ?달|\bun mes\b|(?:прош(?:ёл|ел)|уже|больше)\s+месяц(?:\s|$|[,.?!])|(?:^|\s)(?:한|두|세|네|다섯|여섯)\s*(?:달|개월)|\b(?:dos|tres|cuatro|cinco|seis|siete|ocho|diez|un par de)\s+(?:d[ií]as|semanas|meses)\b|(?:^|\s)(?:два|две|три|четыре|пять|шесть|пару|несколько)\s+(?:дн\S*|недел\S*|месяц\S*)`)

// countOfTime asks for a number of units of time, in the four languages
// (on the folded question, so without Spanish accents); "a standard number
// of days", "número de días", "количество дней" and "일수" count time as
// "how many days" does.
var countOfTime = regexp.MustCompile(`(?:how many|number of) (?:(?:business|working|calendar) )?(?:days|hours|weeks|months)|numero de (?:dias|horas|semanas)|количеств\S* (?:дн|недел)|일수|몇 ?(?:일|주|시간|달|개월)|cuant[oa]s (?:dias|horas|semanas|meses)|сколь?ко (?:(?:рабочих|календарных|рабочи[хи]|календарны[хи]) )?(?:дн|час|недел|месяц)`)

// grantedTime asks how much time someone has or gets: "how long does the
// seller have", "how long do I get to send it back".
var grantedTime = regexp.MustCompile(`how (?:long|much time) (?:does|do|did|will) (?:the |a |my |this |that |your )?\S+ (?:have|get)\b`)

// foldedTakes say that something takes time.
var foldedTakes = foldAll([]string{" take", " took", "걸리", "걸려", "걸릴", "tarda", "toma ", "llevar", "занима", "идёт", "идет", "идут", "длится"})

// quantityWords find a number of things: a numeral, or the words for "one"
// and "only one" that policies spell out.
var quantityWords = regexp.MustCompile(`\d|\bone\b|하나|한 번|한 건|\bun solo\b|\buna sola\b|\bun único\b|(?:^|\s)(?:один|одна|одно|одного)(?:\s|$)`)

// payWords say who bears a cost; feeWords name one.
var (
	// payWords are whole words, since "pay" is in "payment method" and
	// "paga" in "pagado", which say nothing about who bears a cost;
	// payStems are matched anywhere.
	payWords = []string{"pay", "pays", "paga", "pagar", "pagan"}
	payStems = []string{"paid by", "부담", "지불", "оплачива", "платит", "за счёт"}
	feeWords = []string{"fee", "cost", "charge", "수수료", "비용", "요금", "comisión", "costo", "coste", "cargo", "комисси", "стоимост", "сбор",
		// What a cancellation costs is told by what it charges and
		// gives back: "nothing is charged", "the full amount".
		"full amount", "청구", "전액", "importe total", "списыва", "вся оплаченная сумма", "вся сумма"}
)

// mayWords say what someone can do.
var mayWords = []string{" can ", " can't", " cannot", " may ", "able to", "수 있", " puede", "se puede", "можно", "может", "можете", "нельзя"}

// untilWords say when something stops being possible without a number
// of days: "before the order ships", "once it has shipped".
var untilWords = []string{"before", "once ", "no longer", "발송 전", "발송된 후", "후에는", "antes de", "una vez", "ya no", "до отправки", "после отправки", "больше не"}

// prefersCarrier reports whether an answer to k is best made of the
// sentences that state k's kind of fact: a question about a fee is
// answered by "nothing is charged", though a section without such a
// sentence may still answer it.
func prefersCarrier(k askKind) bool {
	return requiresCarrier(k) || k == askFee || k == askHowTo || k == askCount
}

// requiresCarrier reports whether an answer to k must state a particular
// kind of fact, so a section without one does not answer.
func requiresCarrier(k askKind) bool {
	switch k {
	case askDuration, askDeadline, askWhoPays:
		return true
	}
	return false
}

// unit is one answerable piece of a section: a sentence, with the list
// items or table rows it introduces.
type unit struct {
	text string
	// items are the list items or table rows ("Reason: who pays") that
	// follow text, which then ends with a colon, or that stand alone.
	items []string
	// head is a table's header row, for what its columns mean.
	head string
	// src is the hit the unit comes from, which the answer cites.
	src int

	// What prepare computes once, since every candidate unit is scored
	// several times: its grams whole, its lead-in's (with each item in
	// turn), each item's, and which kinds of fact it states.
	gAll    gramSet
	gLead   []gramSet
	gItems  []gramSet
	span    bool
	pays    bool
	fee     bool
	until   bool
	negated bool
	// count: the unit states a number of things ("at most 3 refunds",
	// "only one open dispute").
	count bool
	// may: the unit says what someone can do, as a buyer's time limit
	// does ("you can request a refund up to 30 days after delivery"),
	// unlike a time something takes ("refunds are sent within 5
	// business days") or a seller's duty ("the seller must respond
	// within 3 days").
	may bool
}

func (u *unit) all() string { return u.text + " " + u.head + " " + strings.Join(u.items, " ") }

func (u *unit) prepare() {
	all := u.all()
	u.gAll = grams(all)
	if u.text != "" && len(u.items) > 0 {
		u.gLead = append(u.gLead, grams(u.text+" "+u.head))
		for _, it := range u.items {
			u.gLead = append(u.gLead, grams(u.text+" "+it))
		}
	}
	for _, it := range u.items {
		u.gItems = append(u.gItems, grams(it))
	}
	low := strings.ToLower(all)
	u.span = timeSpan.MatchString(low)
	u.pays = containsAny(low, payStems) || slices.ContainsFunc(strings.FieldsFunc(low, func(r rune) bool { return !unicode.IsLetter(r) }), func(w string) bool {
		return slices.Contains(payWords, w)
	})
	u.fee = containsAny(low, feeWords)
	u.until = containsAny(low, untilWords)
	u.negated = negated(all)
	u.may = containsAny(" "+low, mayWords)
	u.count = quantityWords.MatchString(low)
}

// fits reports whether u carries the kind of fact k asks for.
func (u *unit) fits(k askKind) bool {
	switch k {
	case askDuration:
		return u.span
	case askDeadline:
		// A time limit is a number of days or the event it ends with:
		// "before it ships", "once an order has shipped".
		return u.span || u.until
	case askWhoPays:
		return u.pays
	case askFee:
		return u.fee || u.pays
	case askHowTo, askList:
		return len(u.items) > 0
	case askCount:
		return u.count
	}
	return true
}

// parseSection cuts a section's Markdown into units: prose into
// sentences, and each list or table attached to the sentence that
// introduces it.
func parseSection(text string) []unit {
	var out []unit
	// attach adds a list item or table row to the unit introducing it:
	// the sentence right before the list, whether it ends with a colon
	// (English, Spanish, Russian) or a full stop (Korean: "다음 상품은
	// 환불되지 않습니다."). A list after another list's end starts anew.
	lastWasList := false
	attach := func(item string, head string) {
		if n := len(out); n > 0 && (lastWasList || (len(out[n-1].items) == 0 && out[n-1].text != "")) {
			out[n-1].items = append(out[n-1].items, item)
			if head != "" {
				out[n-1].head = head
			}
			return
		}
		out = append(out, unit{items: []string{item}, head: head})
	}
	var header []string
	inTable := false
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
			inTable = false
			continue
		case strings.HasPrefix(line, "#"):
			continue // a heading: the citation names it
		case strings.HasPrefix(line, "|"):
			cells := tableCells(line)
			if isSeparatorRow(cells) {
				continue
			}
			if !inTable {
				inTable, header = true, cells
				continue
			}
			attach(tableRow(cells), strings.Join(header, " / "))
			lastWasList = true
			continue
		}
		inTable = false
		if item, ok := listItem(line); ok {
			attach(item, "")
			lastWasList = true
			continue
		}
		lastWasList = false
		for _, s := range sentences(plain(line)) {
			out = append(out, unit{text: s})
		}
	}
	for i := range out {
		out[i].prepare()
	}
	return out
}

func tableCells(line string) []string {
	line = strings.Trim(strings.TrimSpace(line), "|")
	cells := strings.Split(line, "|")
	for i, c := range cells {
		cells[i] = plain(strings.TrimSpace(c))
	}
	return cells
}

func isSeparatorRow(cells []string) bool {
	for _, c := range cells {
		if strings.Trim(c, "-: ") != "" {
			return false
		}
	}
	return true
}

// tableRow reads a row as "first cell: the others".
func tableRow(cells []string) string {
	if len(cells) < 2 {
		return strings.Join(cells, "")
	}
	return cells[0] + ": " + strings.Join(cells[1:], ", ")
}

var orderedItem = regexp.MustCompile(`^\d+[.)]\s+`)

func listItem(line string) (string, bool) {
	for _, m := range []string{"- ", "* ", "+ "} {
		if strings.HasPrefix(line, m) {
			return plain(strings.TrimSpace(line[len(m):])), true
		}
	}
	if loc := orderedItem.FindStringIndex(line); loc != nil {
		return plain(line[loc[1]:]), true
	}
	return "", false
}

// inlineMarkup is the inline Markdown plain strips.
var inlineMarkup = strings.NewReplacer("**", "", "__", "", "`", "")

// plain strips the inline Markdown a policy line may carry.
func plain(s string) string {
	s = inlineMarkup.Replace(s)
	return strings.TrimLeft(strings.TrimSpace(s), "> ")
}

// abbreviations end in a full stop that does not end a sentence.
var abbreviations = []string{"e.g.", "i.e.", "etc.", "vs.", "см.", "т.е.", "т. е.", "напр.", "p. ej.", "p.ej.", "ej.", "núm.", "approx."}

// sentences cuts one line of prose into sentences. A full stop inside
// parentheses or after an abbreviation does not end one, so "(see the
// Disputes policy)" and "(см. правила «Споры»)" stay whole.
func sentences(line string) []string {
	var out []string
	rs := []rune(line)
	start, depth := 0, 0
	for i, r := range rs {
		switch r {
		case '(', '（':
			depth++
		case ')', '）':
			depth = max(depth-1, 0)
		}
		end := r == '.' || r == '!' || r == '?' || r == '。'
		if !end || depth > 0 || (i+1 < len(rs) && rs[i+1] != ' ') {
			continue
		}
		head := strings.ToLower(string(rs[start : i+1]))
		if slices.ContainsFunc(abbreviations, func(a string) bool {
			return strings.HasSuffix(head, " "+a) || strings.HasSuffix(head, "("+a) || head == a
		}) {
			continue
		}
		if s := strings.TrimSpace(string(rs[start : i+1])); len([]rune(s)) > 3 {
			out = append(out, s)
		}
		start = i + 1
	}
	if s := strings.TrimSpace(string(rs[start:])); len([]rune(s)) > 3 {
		out = append(out, s)
	}
	return out
}

// section is a retrieved section of a policy, its chunks joined, or a
// family: the sibling subsections of one section that the search found
// ("Orders awaiting payment", "Shipped orders" under "Cancelling an
// order"), which answer together what none answers alone.
type section struct {
	heading string
	// title is the policy's title: a question that names the policy
	// ("open a dispute") is about its sections.
	title string
	units []unit
	rank  int
	// intro is a policy's introduction, which summarises the policy and
	// answers no question itself.
	intro bool
}

// sections groups hits by the section they come from, in rank order, so
// a section cut into several chunks is answered from all of its hits, and
// adds the families of sibling subsections.
func sections(hits []policyHit) []section {
	var out []section
	index := map[string]int{}
	for i, h := range hits {
		key := h.DocID + "\x00" + h.HeadingPath
		units := parseSection(h.Text)
		for k := range units {
			units[k].src = i
		}
		if j, ok := index[key]; ok {
			out[j].units = append(out[j].units, units...)
			continue
		}
		index[key] = len(out)
		out = append(out, section{heading: belowTitle(h.HeadingPath), title: h.Title, units: units, rank: i, intro: !strings.Contains(h.HeadingPath, ">")})
	}
	// Families: the hits under one parent heading, the parent's own text
	// first, then the subsections in the document's order.
	type member struct {
		hit   int
		chunk int64
	}
	families := map[string][]member{}
	var parents []string
	for i, h := range hits {
		parent := h.DocID + "\x00" + parentPath(h.HeadingPath)
		if !strings.Contains(parentPath(h.HeadingPath), " > ") {
			continue // the sections of a whole policy are no family
		}
		if _, ok := families[parent]; !ok {
			parents = append(parents, parent)
		}
		families[parent] = append(families[parent], member{i, h.ChunkID})
	}
	for _, parent := range parents {
		members := families[parent]
		own, hasOwn := index[parent]
		if len(members) < 2 {
			continue
		}
		slices.SortStableFunc(members, func(a, b member) int { return cmp.Compare(a.chunk, b.chunk) })
		f := section{heading: belowTitle(parent[strings.IndexByte(parent, 0)+1:]), title: hits[members[0].hit].Title, rank: members[0].hit}
		if hasOwn {
			f.units = append(f.units, out[own].units...)
			f.rank = min(f.rank, out[own].rank)
		}
		for _, m := range members {
			f.units = append(f.units, out[index[hits[m.hit].DocID+"\x00"+hits[m.hit].HeadingPath]].units...)
		}
		out = append(out, f)
	}
	return out
}

// belowTitle is a heading path without the policy's title: a
// subsection's heading read with its parent's, since "Other reasons" says
// what it is about only under "Time limits for opening a dispute".
func belowTitle(path string) string {
	if _, rest, ok := strings.Cut(path, " > "); ok {
		return rest
	}
	return path
}

func innermost(path string) string {
	if i := strings.LastIndex(path, ">"); i >= 0 {
		return strings.TrimSpace(path[i+1:])
	}
	return strings.TrimSpace(path)
}

func parentPath(path string) string {
	if i := strings.LastIndex(path, " > "); i >= 0 {
		return path[:i]
	}
	return ""
}

// answerPolicy composes the answer to question, asked in locale, from the
// retrieved hits: the text and the hits it cites, or ok false when no
// section answers the kind of question asked. A message that asks two
// things ("do I need photos? is there a deadline?") gets both answered,
// each from the section that carries its kind of fact.
func answerPolicy(question, locale string, hits []policyHit) (text string, cites []policyHit, ok bool) {
	secs := sections(hits)
	var parts []string
	var srcs []int
	taken := map[int]bool{}
	for _, ask := range asksOf(question, locale) {
		best := bestSection(ask, secs, taken)
		if best < 0 {
			continue
		}
		taken[best] = true
		part, used := compose(grams(ask.query), ask.kind, ask.neg, secs[best].units)
		if part == "" {
			continue
		}
		parts = append(parts, part)
		for _, i := range used {
			if !slices.Contains(srcs, i) {
				srcs = append(srcs, i)
			}
		}
	}
	for _, i := range srcs {
		cites = append(cites, hits[i])
	}
	return strings.Join(parts, "\n"), cites, len(parts) > 0
}

// ask is one thing a message asks: the kind of fact, the search words
// (the ask's own, the policies' words for them and for what the whole
// message is about) and whether it asks what is not allowed.
type ask struct {
	kind            askKind
	query, concepts string
	neg             bool
	// about is the process the ask names, or else the whole message
	// does, in the buyer's own words (policysubject.go).
	about subject
	// dest: the ask is where refunded money goes (policydest.go).
	dest bool
}

// asksOf returns what question asks: itself, or, when its questions ask
// for different kinds of fact, each of them (at most maxAsks), read with the
// topic of the whole message ("my lantern arrived cracked. do you need
// photos? is there a deadline?").
func asksOf(question, locale string) []ask {
	clauses := askClauses(question)
	if len(clauses) < 2 {
		return []ask{{kind: returnAllowedKind(question), query: policyQuery(question, locale), concepts: policyConcepts(question, locale), neg: negated(question), about: askedSubjects(question), dest: asksDestination(question)}}
	}
	topic := strings.Join(topicTerms(nlu.Cyrillic(question)), " ")
	out := make([]ask, len(clauses))
	for i, c := range clauses {
		// The whole message's topic joins the ask's search words; its
		// own concepts alone say which section's heading fits it.
		k := classifyAsk(c)
		// The process the whole message names, for an ask that does
		// not name it again ("how long does it take?").
		sub, about := "", askedSubjects(c)
		if about == 0 {
			sub, about = subjectConcepts(question, k, locale), askedSubjects(question)
		}
		out[i] = ask{kind: k, query: policyQuery(c, locale) + " " + topic + " " + sub, concepts: policyConcepts(c, locale) + " " + sub, neg: negated(c), about: about, dest: asksDestination(c)}
	}
	return out
}

// askClauses returns the questions of a message that ask for different
// kinds of fact, at most maxAsks, or nil when it asks for one kind.
func askClauses(question string) []string {
	questions := strings.FieldsFunc(question, func(r rune) bool { return r == '?' || r == '？' })
	out := distinctAsks(questions)
	if len(out) < 2 {
		// "What do I do, do you need photos and is there a deadline?":
		// the asks of one sentence, parted by commas, dashes and "and".
		var parts []string
		for _, q := range questions {
			parts = append(parts, askSplitter.Split(q, -1)...)
		}
		out = distinctAsks(parts)
	}
	if len(out) < 2 {
		return nil
	}
	return out
}

// maxAsks is how many asks of one message are answered.
const maxAsks = 3

// askSplitter parts the asks of one sentence.
// "며칠 안에 신고해야 되는지랑 뭐 준비해야 되는지" joins two asks with 랑.
var askSplitter = regexp.MustCompile(`\s*[,;—–]\s*|\s+(?:and|y|и|а также)\s+|(?:지랑|지하고)\s+`)

// distinctAsks returns the clauses that ask for different kinds of fact,
// the first of each kind, at most maxAsks.
func distinctAsks(clauses []string) []string {
	var out []string
	seen := map[askKind]bool{}
	for _, c := range clauses {
		k := classifyAsk(c)
		if k == askOther && yesNo(c) {
			// "Do you want pictures of it, and who covers sending it
			// back?": a yes-or-no question is an ask of its own, though
			// no cue names its kind.
			k = askAllowed
		}
		if k == askOther || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, c)
		if len(out) == maxAsks {
			break
		}
	}
	return out
}

// yesNo reports whether the last sentence of clause asks a yes-or-no
// question by its form: in English, Spanish and Russian by an auxiliary
// or a pronoun with a verb first ("do you want pictures", "¿me
// devuelven…", "нужно ли…"), in Korean by its asking ending.
func yesNo(clause string) bool {
	s := strings.TrimSpace(clause)
	if i := strings.LastIndexAny(s, ".!\n"); i >= 0 {
		s = strings.TrimSpace(s[i+1:])
	}
	low := strings.ToLower(s)
	if strings.Contains(" "+low+" ", " ли ") || endsAsking(s) {
		return true
	}
	w := strings.Fields(strings.Trim(low, "¿¡ "))
	for len(w) > 1 && slices.Contains(fillerWords, w[0]) {
		w = w[1:]
	}
	return len(w) > 1 && slices.Contains(auxiliaries, w[0])
}

// asksYesNo reports whether one of text's questions (a sentence ending
// with a question mark, or in a Korean asking ending) asks yes or no: it
// has no question word and, in English, starts with an auxiliary; Spanish
// ("¿Está bien?"), Korean and Russian ("Это нормально?") ask yes or no
// by the question's tone alone.
func asksYesNo(text string) bool {
	start := 0
	for i, r := range text + "\n" {
		if r != '.' && r != '!' && r != '?' && r != '？' && r != '\n' {
			continue
		}
		s := strings.TrimSpace(text[start:min(i, len(text))])
		start = i + utf8.RuneLen(r)
		if !(r == '?' || r == '？' || endsAsking(s)) || s == "" || containsAny(" "+nlu.Fold(strings.ToLower(s))+" ", foldedWhWords) {
			continue
		}
		latin := strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Hangul, r) || unicode.Is(unicode.Cyrillic, r) }) < 0
		if !latin || strings.HasPrefix(s, "¿") || yesNo(s) {
			return true
		}
	}
	return false
}

// whWords ask for something other than yes or no, folded.
var foldedWhWords = foldAll([]string{" what", " which", " who", " whom", " whose", " where", " when", " why", " how",
	"무엇", "뭐", "뭘", "무슨", "어디", "언제", "왜", "누가", "누구", "어떻게", "어떤", "얼마", "몇", "어느",
	"qué", " que ", "cuál", "cual ", "cuáles", "quién", "quien", "dónde", "donde", "adónde", "cuándo", "cuando", "por qué", "cómo", "cuánto", "cuanto", "cuánta", "cuanta",
	" что", " чем", " чего", " какой", " какая", " какое", " какие", " каких", " как ", " кто", " кого", " кому", " где", " куда", " откуда", " когда", " почему", " зачем", " сколько", " чей", " чья"})

// auxiliaries start a yes-or-no question; fillerWords may come before.
var (
	auxiliaries = []string{"do", "does", "did", "is", "are", "was", "were", "will", "would", "should", "can", "could", "must", "may", "have", "has", "am", "shall"}
	fillerWords = []string{"so", "and", "also", "but", "ok", "okay", "then", "and,", "also,", "y", "pero", "entonces", "и", "а", "но", "также"}
)

// bestSection returns the index of the section of secs that best answers
// a, leaving out those taken, or -1 when none carries the kind of fact a
// asks for where it must.
func bestSection(a ask, secs []section, taken map[int]bool) int {
	q, concepts := grams(a.query), grams(a.concepts)
	best, bestScore := -1, math.Inf(-1)
	// A policy's introduction only summarises what its sections say, so
	// it answers only when no section does.
	for _, intro := range []bool{false, true} {
		for i, s := range secs {
			if s.intro != intro || taken[i] {
				continue
			}
			score, fits := sectionScore(q, concepts, a.kind, a.neg, s)
			if !fits && requiresCarrier(a.kind) {
				continue
			}
			if (a.kind == askDuration || a.kind == askDeadline) && containsAny(strings.ToLower(s.heading), sellerWords) &&
				!containsAny(strings.ToLower(a.query), responseWords) {
				// Whose time: a buyer asking how long a dispute takes
				// or until when they may act is not asking how long the
				// seller has to respond.
				score -= 0.4
			}
			// Which process and whose time the section is about
			// (policysubject.go).
			score += subjectFit(a.about, s.heading, s.title) + limitFit(a.query, a.kind, s) + destFit(a, s) + arrivalFit(a.query, s.heading)
			if score > bestScore || (score == bestScore && s.heading == secs[best].heading && len(s.units) > len(secs[best].units)) {
				// A family ties with its parent's own text, which it
				// holds with the subsections that answer.
				best, bestScore = i, score
			}
		}
		if best >= 0 {
			break
		}
	}
	return best
}

// sellerWords name the seller; responseWords ask about a response.
var (
	sellerWords   = []string{"seller", "판매자", "vendedor", "продав"}
	responseWords = []string{"respond", "response", "reply", "answer", "응답", "답장", "답변", "답을", "답해", "답하", "respond", "respuesta", "contest", "ответ", "отвеча"}
)

// negationCues mark a question about what is not allowed ("what can't be
// returned?"), which the policy's negative sentences answer.
var negationCues = []string{"n't", "cannot", " not ", "non-", "안 되", "안되", "않", "불가", " no ", "¿no", "нельзя", " не "}

func negated(s string) bool { return containsAny(" "+strings.ToLower(s)+" ", negationCues) }

// sectionScore is how well s answers: how much of the question its
// heading, its policy's title and its best unit share, how much its
// heading shares with the policies' words for what is asked (concepts:
// "refund" and "time limit" find "Refund window" in a long question about
// a tent), whether it carries the kind of fact asked for, and, a little,
// the search's own ranking.
func sectionScore(q, concepts gramSet, kind askKind, neg bool, s section) (float64, bool) {
	bestUnit, fits, limit := 0.0, false, false
	for i := range s.units {
		u := &s.units[i]
		sc := unitScore(q, kind, neg, u)
		fits = fits || u.fits(kind)
		bestUnit = max(bestUnit, sc)
		limit = limit || (u.span && u.may)
	}
	score := 0.5*similarity(q, grams(s.heading)) + 0.5*similarity(concepts, grams(s.heading)) + 0.25*similarity(q, grams(s.title)) + bestUnit + 0.15/float64(s.rank+1)
	if prefersCarrier(kind) && fits {
		// The section that states the kind of fact asked for answers
		// before one that is merely about the same thing: steps for a
		// how-to (most often a list; a prose section answers one only
		// when it is much closer to the question), a charge for a
		// question about a fee.
		score += 0.15
	}
	if kind == askDuration && limit {
		// A section that sets a time limit on what the buyer may do
		// ("you can request a refund up to 30 days after delivery")
		// does not say how long something takes, whatever its other
		// sentences count.
		score -= 0.2
	}
	return score, fits
}

// unitScore is how close u is to the question, more when it carries the
// kind of fact asked for, or a negation the question has too.
func unitScore(q gramSet, kind askKind, neg bool, u *unit) float64 {
	// A list is about what its lead-in says it is: scoring every item
	// would make a long list look unlike any question.
	// Each item is read with its lead-in, so a question about one item
	// ("an ebook") finds the list that names it.
	sc := similarity(q, u.gAll)
	if len(u.gLead) > 0 {
		sc = 0
		for _, g := range u.gLead {
			sc = max(sc, similarity(q, g))
		}
	}
	if kind == askList && len(u.items) > 0 {
		sc += 0.2
	}
	if (kind == askAllowed || kind == askList || kind == askOther) && namesItem(q, u) {
		// The question names one of the things the list names ("a gift
		// certificate", read as the policies' "gift cards"): that list
		// rules on it, whatever else shares the question's words.
		sc += 0.15
	}
	switch {
	case kind == askDeadline && !u.span && u.until:
		sc += 0.05 // an event bounds a time less plainly than days do
	case kind == askDeadline && u.span && u.may:
		// A time limit on what the buyer may do answers "how long do
		// I have", before a time something takes or a seller's duty.
		sc += 0.2
	case kind == askDuration && u.span && !u.may:
		// And a time something takes answers "how long does it
		// take", before a limit on what the buyer may do.
		sc += 0.2
	case u.fits(kind) && kind != askOther && kind != askAllowed && kind != askWhatIf:
		sc += 0.1
	}
	if neg && u.negated {
		sc += 0.05
	}
	return sc
}

// compose answers from one section: the units that carry the fact asked
// for and share most with the question, at most three, in reading order,
// each lead-in with the list or table it introduces. A lead-in whose list
// is missing is never used, so the answer never stops at a colon.
func compose(q gramSet, kind askKind, neg bool, units []unit) (string, []int) {
	type scored struct {
		i     int
		score float64
	}
	var ranked []scored
	for i := range units {
		u := &units[i]
		if u.text != "" && strings.HasSuffix(u.text, ":") && len(u.items) == 0 {
			continue // a lead-in without what it leads to
		}
		sc := unitScore(q, kind, neg, u)
		if u.fits(kind) && prefersCarrier(kind) {
			sc += 1
		}
		ranked = append(ranked, scored{i, sc})
	}
	if len(ranked) == 0 {
		return "", nil
	}
	slices.SortStableFunc(ranked, func(a, b scored) int { return cmp.Compare(b.score, a.score) })
	// The best unit, and the next ones when they are nearly as close to
	// the question: a second sentence often completes the first.
	keep := map[int]bool{ranked[0].i: true}
	size := len(units[ranked[0].i].all())
	// A procedure is its whole section: the steps, and the sentences
	// after them that say what happens next and what to send ("For
	// damaged or wrong items, photos help"), which share few words with
	// "what do I do if it arrives broken?". So is a short section: its
	// few sentences answer together ("Maru Market decides every dispute
	// within 10 days. Both are told the outcome."), and the one that
	// shares most words with the question is not always the one that
	// names the fact.
	if n := sectionSize(units); n <= shortSection || (kind == askHowTo && n <= howToWhole) {
		for _, r := range ranked {
			keep[r.i] = true
		}
	}
	for _, r := range ranked[1:] {
		if len(keep) == 3 || r.score < 0.6*ranked[0].score || size > 600 {
			break
		}
		if prefersCarrier(kind) && !units[r.i].fits(kind) && r.score < 0.8*ranked[0].score {
			continue
		}
		keep[r.i] = true
		size += len(units[r.i].all())
	}
	var b strings.Builder
	var used []int
	for i, u := range units {
		if !keep[i] {
			continue
		}
		if !slices.Contains(used, u.src) {
			used = append(used, u.src)
		}
		if b.Len() > 0 && u.text != "" {
			b.WriteString(" ")
		}
		b.WriteString(u.text)
		items := u.items
		if kind != askHowTo { // steps keep their order
			items = orderItems(q, &units[i])
		}
		for _, item := range items {
			if b.Len() > 0 {
				b.WriteString("\n")
			}
			b.WriteString("- " + item)
		}
		if len(u.items) > 0 {
			b.WriteString("\n")
		}
	}
	return strings.TrimSpace(b.String()), used
}

// howToWhole and shortSection are the sizes, in characters, up to which
// a how-to section and any section are answered whole.
const (
	howToWhole   = 700
	shortSection = 400
)

func sectionSize(units []unit) int {
	n := 0
	for i := range units {
		n += utf8.RuneCountInString(units[i].all())
	}
	return n
}

// orderItems puts the item most about the question first ("changed my
// mind" → the change-of-mind row), the others in their order after it.
func orderItems(q gramSet, u *unit) []string {
	items := u.items
	if len(items) < 2 || runOn(items) {
		return items
	}
	best, bestScore, second := 0, -1.0, -1.0
	for i := range items {
		sc := similarity(q, u.gItems[i])
		switch {
		case sc > bestScore:
			best, second, bestScore = i, bestScore, sc
		case sc > second:
			second = sc
		}
	}
	if best == 0 || bestScore <= second*1.2 {
		return items
	}
	out := append([]string{items[best]}, items[:best]...)
	return append(out, items[best+1:]...)
}

// runOn reports whether items read as one sentence ("which order;",
// "which items; and", "the reason"), whose order is the grammar's.
func runOn(items []string) bool {
	for _, it := range items {
		it = strings.TrimSpace(it)
		if strings.HasSuffix(it, ";") || strings.HasSuffix(it, ",") || containsAny(it, []string{"; and", "; or", "; y", "; o", "; и", "; или"}) {
			return true
		}
	}
	return false
}

// gramSet holds character n-grams, each packed in a uint64 (21 bits a
// rune; the top bit marks a bigram).
type gramSet map[uint64]struct{}

// grams are a text's character trigrams, and bigrams after a Hangul
// syllable, so Korean needs no word splitter; words are lower-cased.
func grams(s string) gramSet {
	var rs []rune
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			rs = append(rs, r)
		} else if len(rs) > 0 && rs[len(rs)-1] != ' ' {
			rs = append(rs, ' ')
		}
	}
	out := make(gramSet, len(rs))
	for i := range rs {
		if i+2 < len(rs) && rs[i+1] != ' ' && rs[i] != ' ' {
			if rs[i+2] != ' ' || unicode.Is(unicode.Hangul, rs[i]) {
				out[uint64(rs[i])<<42|uint64(rs[i+1])<<21|uint64(rs[i+2])] = struct{}{}
			}
		}
		if i+1 < len(rs) && rs[i+1] != ' ' && unicode.Is(unicode.Hangul, rs[i]) {
			out[1<<63|uint64(rs[i])<<21|uint64(rs[i+1])] = struct{}{}
		}
	}
	return out
}

// similarity is the cosine of two gram sets.
func similarity(a, b gramSet) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if len(b) < len(a) {
		a, b = b, a
	}
	common := 0
	for g := range a {
		if _, ok := b[g]; ok {
			common++
		}
	}
	return float64(common) / math.Sqrt(float64(len(a))*float64(len(b)))
}

func containsAny(s string, words []string) bool {
	return slices.ContainsFunc(words, func(w string) bool { return strings.Contains(s, w) })
}

// policyReply answers a policy question from search_policy's result, and
// cites the section it answers from. When no section answers the kind of
// question asked, it says so and offers a person.
func (d *dialogue) policyReply(data json.RawMessage) agent.Message {
	var res struct {
		Hits []policyHit `json:"hits"`
	}
	if json.Unmarshal(data, &res) != nil || len(res.Hits) == 0 {
		return d.say("policy_none")
	}
	answer, hits, ok := answerPolicy(d.text, d.locale, res.Hits)
	if !ok {
		return d.say("policy_none")
	}
	cites := citationList(hits)
	// Who pays for a return, with the window the return must fit in.
	answer, cites = d.returnWindowTail(answer, cites, res.Hits)
	if lead := d.cancelLead(cites); lead != "" {
		// Whether the order can be cancelled, said first (cancelrule.go).
		answer = lead + " " + answer
	}
	if strings.Contains(answer, "\n") {
		answer += "\n"
	}
	return d.say("policy_answer", answer, strings.Join(cites, " "))
}

// policySearchK is how many passages the model asks search_policy for:
// more than the first few, so the section that carries the asked-for fact
// is among them when the search ranks a merely similar one higher.
const policySearchK = 8

// softSigns drops what Russian typed in Latin letters loses on the way
// back to Cyrillic ("dengi", "dnei", "dalshe" come back as "денги",
// "днеи", "далше"): such a question and the cues classify matches on it
// are read without soft and hard signs and with й as и, so "деньги
// придут" and "что дальше" match however the buyer typed them.
var softSigns = strings.NewReplacer("ь", "", "ъ", "", "й", "и", "ё", "е")

// softAll returns cues as softSigns reads them.
func softAll(cues []string) []string {
	out := make([]string, len(cues))
	for i, c := range cues {
		out[i] = softSigns.Replace(c)
	}
	return out
}

// cueLists are the cue lists classify matches, as it reads the question:
// plainCues as typed, translitCues as softSigns reads Russian typed in
// Latin letters. Only then: typed in Cyrillic, "вернуть" (to return) and
// "вернут" (they will return) are different words.
type cueLists struct {
	ask                                []askCueGroup
	takes, still, mayAsk, arrival, act []string
	read                               func(string) string
}

var (
	plainCues = cueLists{ask: foldedAskCues, takes: foldedTakes, still: foldedStillCues, mayAsk: foldedMayAsk, arrival: foldedArrivalCues, act: foldedActCues,
		read: func(s string) string { return s }}
	translitCues = cueLists{ask: softAskCues(), takes: softAll(foldedTakes), still: softAll(foldedStillCues), mayAsk: softAll(foldedMayAsk),
		arrival: softAll(foldedArrivalCues), act: softAll(foldedActCues), read: softSigns.Replace}
)

// softAskCues returns foldedAskCues as softSigns reads them.
func softAskCues() []askCueGroup {
	out := slices.Clone(foldedAskCues)
	for i := range out {
		out[i].cues = softAll(out[i].cues)
	}
	return out
}

// laterAsks are the question words that, after a leading "when" in the
// same clause, make the "when" set the scene of what they ask: "when
// stuff gets refunded how does that get split back?" asks how, not when.
var laterAsks = []string{" how ", " what ", " who ", " where ", " which ", " cómo ", " como ", " qué ", " que ", " quién ", " dónde ", " donde ",
	" как ", " что ", " кто ", " куда ", " где ", "어떻게", "누가", "어디로", "어디"}

// leadsAlone reports whether cue leads a clause of text (leads) and is
// the clause's only question word: a "when" that another question word
// follows only sets the scene.
func leadsAlone(text, cue string) bool {
	if !leads(text, cue) {
		return false
	}
	for _, clause := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(".,;:!?¿—", r) }) {
		w := strings.Fields(clause)
		head := " " + strings.Join(w[:min(len(w), 4)], " ") + " "
		if !strings.Contains(head, strings.TrimSpace(cue)) {
			continue
		}
		i := strings.Index(" "+clause+" ", strings.TrimSpace(cue))
		if !containsAny((" " + clause + " ")[i+len(strings.TrimSpace(cue)):], laterAsks) {
			return true
		}
	}
	return false
}

// namesItem reports whether q holds nearly all of one of u's list items
// (at least minItemGrams of them): the question names the thing the item
// is, in the policies' own words (policyConcepts adds them).
func namesItem(q gramSet, u *unit) bool {
	for _, g := range u.gItems {
		if len(g) < minItemGrams {
			continue
		}
		common := 0
		for x := range g {
			if _, ok := q[x]; ok {
				common++
			}
		}
		if float64(common) >= 0.85*float64(len(g)) {
			return true
		}
	}
	return false
}

// minItemGrams is the fewest grams a list item needs for namesItem: a
// word or two ("Buyer", "Seller") is named by too many questions.
const minItemGrams = 5
