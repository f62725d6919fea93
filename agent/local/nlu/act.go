package nlu

import "strings"

// Act is what a message does in the conversation, whatever its topic: it
// asks something, or it asks for something to be done. "Is there a fee if
// I cancel?" and "cancel ORD-10042" share a topic and differ in act; a
// refund, cancellation or dispute is only ever a request.
type Act string

// The dialogue acts Parse tells apart.
const (
	// ActRequest asks the agent to do something about one of the buyer's
	// own orders, or states a want ("I want my money back").
	ActRequest Act = "request"
	// ActQuestion asks how things work in general: a rule, a fee, a
	// deadline, what happens if… It names no order of the buyer's.
	ActQuestion Act = "question"
	// ActOther is neither clearly: small talk, a bare id, a complaint.
	ActOther Act = "other"
)

// actCues are topic-free words and frames, folded, matched at a word start
// like the reason keywords (Hangul anywhere). They describe grammar and
// stance, not topics: an interrogative frame, a generic or conditional
// phrasing, a reference to one particular order, a stated want.
type actCues struct {
	ask, generic, specific, want, rules, duration, deadline, progress, cond, stall []keyword
}

var actMatchers = actCues{
	ask: prepare(
		// English: wh-words, inverted auxiliaries, "I wonder"-style frames.
		"how ", "hows ", "what ", "whats ", "when ", "which ", "why ", "is there", "are there",
		"do you ", "does ", "do i ", "do we ", "can i ", "could i ", "will i ", "would i ", "should i ",
		"am i ", "is it ", "are refunds", "are returns", "in what case", "in which case", "under what",
		"what if", "what happens", "possible to", "wondering", "curious", "want to know", "wanna know",
		"like to know", "need to know", "tell me about", "explain", "any idea", "info on", "info about",
		"information about", "information on", "wanna check how", "check how", "to see your", "read your",
		// Spanish.
		// Not "que" alone: without its accent it is as often "that" or
		// "because" ("cancela, que me he arrepentido"); openingAsk reads
		// it where it opens the message.
		"como ", "cuanto", "cuanta", "cuando ", "que pasa", "cual ", "cuales ", "por que ",
		"hay ", "se puede", "es posible", "en que caso", "en que casos", "quisiera saber", "quiero saber",
		"gustaria saber", "saber si", "saber cuanto", "saber como", "pregunta", "duda", "informacion sobre",
		"info sobre", "me explica", "explicar",
		// Russian, and Russian typed in Latin letters after transliteration.
		"как ", "сколько", "когда ", "что ", "почему", "можно ли", "есть ли", " ли ", "в каких случаях",
		"в каком случае", "что будет", "что если", "какие ", "какой ", "какая ", "хочу узнать",
		"хотел узнать", "хотела узнать", "подскажите", "вопрос", "интересует", "расскажите", "объясните",
		// Korean.
		"어떻게", "언제", "얼마", "몇", "무엇", "뭐", "왜", "나요", "까요", "는지", "은지", "인지", "있나",
		"되나", "궁금", "알려주", "알려 주", "경우", "인가요", "건가요", "가능한가", "가능할까", "되는지",
		"있는지", "어떤",
	),
	generic: prepare(
		"policy", "policies", "rule", "rules", "terms", "in general", "generally", "usually", "normally",
		"typically", "if ", "in case", "any order", "an order", "an item", "a refund", "items ", "orders ",
		"fee", "fees", "allowed", "eligible", "reimbursement",
		"politica", "politicas", "regla", "normas", "condiciones", "en general", "normalmente", "si ",
		"en caso", "un pedido", "un producto", "un reembolso", "comision", "cargo",
		"политик", "правил", "услови", "обычно", "в целом", "если ", "в случае", "комисси", "сбор",
		"정책", "규정", "규칙", "약관", "보통", "일반적", "수수료", "경우", "으면", "하면", "되면",
	),
	specific: prepare(
		"my order", "my package", "my parcel", "my purchase", "my item", "my stuff", "my money", "this order",
		"that order", "mine", "my last", "my latest", "the seller", "this seller", "i ordered", "i bought",
		"i received", "i got ", "i paid", "i placed", "i purchased", "they sent", "arrived", "came ",
		"el vendedor", "la vendedora", "pedi ", "compre ", "recibi", "me llego", "me mandaron", "pague ",
		"продавец", "продавца", "заказал", "купил", "получил", "пришел", "пришла", "пришло", "прислали",
		"판매자", "주문했", "샀는데", "구매했", "받았", "왔는데", "보냈",
		"mi pedido", "mi paquete", "mi compra", "mi dinero", "este pedido", "ese pedido", "el pedido",
		"lo ", "la devolucion de mi", "mis ", "mi ultim",
		"ordered", "bought", "purchased", "отправил", "заказыва", "оформил", "оплатил", "заплатил",
		"мой заказ", "моего заказ", "моему заказ", "мою посылк", "моя посылк", "этот заказ", "этого заказ",
		"мои деньги", "мне деньги", "последн",
		"제 주문", "내 주문", "저의 주문", "이 주문", "그 주문", "주문한", "제가 산", "제가 주문", "내가 주문",
		"이거", "그거", "지난번", "마지막",
		// The buyer's own refund, return or case, and what they already
		// did about it: a status question about one of them is about a
		// particular process, not about how the process works.
		"my refund", "my return", "my dispute", "my claim", "my case", "my reimbursement",
		"i asked", "i requested", "i applied", "i filed", "i opened", "i sent", "i returned", "i shipped",
		"mi reembolso", "mi devolucion", "mi reclamo", "mi reclamacion", "mi caso", "mi disputa",
		"solicite", "pedi el", "pedi la", "pedi un", "abri ", "devolvi", "envie", "mande", "solicitad", "requested",
		"запрошенн", "оформленн",
		"мой возврат", "моему возврат", "моего возврат", "мой спор", "моему спор", "мою заявк", "моя заявк",
		"моей заявк", "мою жалоб", "просил", "подавал", "подала", "оформлял", "отправила", "вернул",
		"제 환불", "내 환불", "제 분쟁", "내 분쟁", "신청했", "요청했", "신청한", "요청한", "접수한", "반품 보냈",
	),
	// duration asks how long something takes in general ("how long
	// does a refund take", "¿cuánto tarda…?"): about a particular refund
	// only when the message also names it (specific).
	duration: prepare(
		"how long", "how many days", "how many business days", "how much time", "how soon",
		"cuanto tarda", "cuanto tardan", "cuanto demora", "cuantos dias", "cuanto tiempo", "en cuanto tiempo",
		"сколько времени", "сколько дней", "сколько идет", "сколько идут", "за сколько", "как долго",
		"сколько ждать", "в течение какого",
		"얼마나 걸", "며칠 걸", "며칠이나", "며칠 정도", "몇일", "기간이",
	),
	// deadline asks about a time limit ("is there a deadline?", "기한
	// 있어요?"): like duration, about the rules unless the message names
	// the buyer's own refund or case. It is no feature of the classifier,
	// only of Parse's reading of status intents.
	deadline: prepare(
		"deadline", "time limit", "too late", "plazo", "fecha limite", "demasiado tarde",
		"срок", "поздно", "기한", "마감", "늦었",
	),
	// progress asks how something already under way is going, whatever
	// it is: the status intents' cue, against a new request. "Still" and
	// "yet" are left out: "still hasn't arrived" is a complaint as often.
	progress: prepare(
		"any news", "any update", "update on", "how is it going", "whats happening with",
		"status", "progress", "pending", "under review",
		"novedad", "como va", "en que va", "en que quedo", "pendiente", "estado", "en revision",
		"новост", "как там", "статус", "висит", "на рассмотрении", "в обработке",
		"진행", "어떻게 됐", "어떻게 되고", "소식", "상태", "처리됐", "검토중", "대기",
	),
	// stall states that a shipment has stopped moving ("tracking frozen
	// for 12 days", "HAS NOT MOVED", "배송조회 그대로예요"). A parcel
	// stuck on its way is still asked after by where it is (the order's
	// status; arrival.go), but a stall also weighs a refund's or a
	// dispute's progress, so it stays a feature of its own. Topic-free
	// like the other cues: its few training lines in each language speak
	// for all four.
	stall: prepare(
		"not moved", "hasnt moved", "has not moved", "havent moved", "not moving", "no movement",
		"frozen", "stuck", "not updated", "hasnt updated", "no update since", "hasnt changed",
		"has not changed", "same status", "still says", "stalled", "sitting in", "sitting at",
		"no se mueve", "no se ha movido", "no ha cambiado", "no cambia", "parado", "parada",
		"atascad", "estancad", "congelad", "sin movimiento", "no avanza", "sigue igual", "sigue en",
		"не двигается", "не движется", "не меняется", "не обновля", "застрял", "застряла",
		"зависла", "завис ", "стоит на месте", "без движения", "не сдвинул",
		"멈춰", "멈췄", "멈춤", "그대로", "안 바뀌", "변동 없", "변동이 없", "업데이트 안",
		"움직이지", "꼼짝", "묶여",
	),
	// cond makes what follows hypothetical: "if it arrives broken, do I
	// get my money back?" wants nothing yet. Polite conditionals ("if you
	// could…") are taken out first (politeFrames).
	cond: prepare(
		"if ", "what if", "in case", "suppose", "say i ",
		"si ", "en caso", "y si ", "suponiendo",
		"если ", "в случае", "а если", "допустим",
		"으면", "다면", "라면", "는 경우", "할 경우",
	),
	// rules name the rules themselves: a want whose object is a policy
	// ("I'd like to see your refund policy") wants an answer.
	rules: prepare(
		"policy", "policies", "rule", "rules", "terms", "conditions",
		// Asking in which cases something happens asks for its
		// conditions: "en qué casos me pueden hacer un reembolso?"
		// wants the rule, though "me pueden" also frames requests.
		"in what case", "in which case", "under what circumstances", "en que caso", "en que casos",
		"в каких случаях", "в каком случае", "어떤 경우",
		"prohibited", "forbidden", "banned", "not allowed", "permitted",
		"politica", "politicas", "regla", "reglas", "normas", "condiciones", "terminos",
		"prohibid", "permitid",
		"политик", "правил", "услови", "запрещ", "разрешен",
		"정책", "규정", "규칙", "약관", "금지", "허용",
	),
	want: prepare(
		"i want", "i wanna", "i would like", "id like", "i need", "please", "pls", "plz", "give me",
		"want my", "need my", "get my", "asap", "right now", "immediately", "go ahead",
		"quiero", "necesito", "por favor", "porfa", "devuelvanme", "devuelveme", "dame",
		// "Ya" is "already" far more often than "now" ("¿ya salió?", "ya
		// no lo quiero"); the hurry is said in these.
		"ahora mismo", "ya mismo", "cuanto antes", "lo antes posible", "de inmediato", "inmediatamente",
		// Performative requests: the verb is the request ("solicito el
		// reembolso", "прошу аннулировать", "I request a refund").
		"solicito", "les pido", "le pido", "desearia", "quisiera", "i request", "kindly", "прошу",
		"want a ", "want it", "want the", "want to return", "want to cancel", "appreciate it if", "would appreciate",
		"хотела бы", "хотел бы",
		// A second-person request put as a question: "¿me devuelven el
		// dinero?", "вернёте деньги?".
		"me devuelven", "me regresan", "me reembolsan", "me anulan", "me cancelan", "me mandan",
		"вернете", "отмените",
		"요청합니다", "요청해요", "요청드", "신청합니다", "할게요", "받을게요", "할래요", "부탁",
		// Polite requests: "can you refund…", "можете вернуть…", "me
		// pueden devolver…" ask for an act, not for an explanation.
		"can you ", "could you ", "would you ", "can u ", "me puede", "me pueden", "podrian ", "podria ",
		"me puedes", "me podrias", "podrias ",
		"можете ", "могли бы", "можно мне",
		"хочу", "верните", "отмените", "отменить", "пожалуйста", "нужно", "надо", "сделайте", "срочно",
		"해주세요", "해 주세요", "해줘", "해 줘", "원해", "싶어", "주세요", "주실", "바랍니다", "빨리",
		// The formal and clipped forms of 원하다 and 싶다, and "I mean
		// to request" ("환불 원합니다", "환불 요청하려고 합니다").
		"원합니다", "원함", "싶습니다", "싶은데", "요청하려", "신청하려",
	),
}

// politeFrames are conditionals of courtesy, not of hypothesis.
var politeFrames = []string{
	" if you could ", " if you can ", " if possible ", " if you dont mind ", " if thats ok ",
	" si pudieran ", " si pueden ", " si puede ", " si es posible ", " si no es molestia ",
	" если можно ", " если не сложно ", " если не трудно ", " если возможно ",
}

// knowFrames are wants whose object is an answer.
var knowFrames = []string{
	" want to know ", " like to know ", " need to know ", " want to ask ", " like to ask ", " want to check how ",
	" quiero saber ", " quisiera saber ", " gustaria saber ", " necesito saber ", " quiero preguntar ",
	" хочу узнать ", " хотел узнать ", " хотела узнать ", " хочу спросить ", " нужно узнать ",
	" can you tell me ", " could you tell me ", " can you explain ", " could you explain ", " can u tell me ",
	" me puede decir ", " me pueden decir ", " me puede explicar ", " me pueden explicar ", " podrian decirme ",
	" me puedes decir ", " me puedes explicar ", " podrias decirme ", " podrias explicarme ",
	" podria decirme ", " podrian explicarme ", " можете рассказать ", " можете объяснить ", " можете подсказать ",
	" могли бы подсказать ", " могли бы объяснить ",
	" хотела бы уточнить ", " хотел бы уточнить ", " хочу уточнить ", " хотела бы узнать ", " хотел бы узнать ",
	" quisiera saber ", " quisiera preguntar ", " would appreciate knowing ",
}

// abilityCues name whether money can come back ("is ORD-… refundable?",
// "¿es reembolsable?"): a question about what the rules allow for the
// order, not about a refund already asked for, so they do not count as
// the money named for a refund's status.
var abilityCues = prepare(
	"refundable", "returnable", "reembolsable", "devolvible", "retornable",
	"подлежит возврат", "можно вернуть", "환불가능", "환불 가능", "반품가능", "반품 가능",
	// "환불 되는 거예요?", "반품 되나요?": whether it can be refunded, in
	// the present; "환불 됐어요?" (done) is a refund's status.
	"환불 되는 거", "환불되는 거", "환불이 되는 거", "환불 되나", "환불되나", "환불이 되나", "반품 되는 거",
	"반품되는 거", "반품 되나", "반품되나", "반품이 되나",
)

// modalFrames ask whether something can be done ("можно отменить заказ
// после отправки?"): with a question mark, the infinitive after them is
// no want (the want cues hold "отменить" for "отменить заказ 10023
// пожалуйста").
var modalFrames = []string{
	" можно отменить ", " можно ли отменить ", " можно вернуть ", " можно ли вернуть ",
	" можно сдать ", " можно ли сдать ",
}

// modalMatchers are modalFrames prepared for matching.
var modalMatchers = framesOf(modalFrames)

// knowMatchers and politeMatchers are knowFrames and politeFrames
// prepared for matching (they keep their spaces, which mark whole words).
var knowMatchers, politeMatchers = framesOf(knowFrames), framesOf(append(politeFrames, courtesyFrames...))

func framesOf(frames []string) []keyword {
	out := make([]keyword, len(frames))
	for i, f := range frames {
		out[i] = newKeyword(f, scriptsOf(f))
	}
	return out
}

// prepare turns cue phrases into keywords as reasonMatchers does.
func prepare(cues ...string) []keyword {
	out := make([]keyword, 0, len(cues))
	for _, c := range cues {
		sc := scriptsOf(c)
		if sc == scriptHangul {
			out = append(out, newKeyword(strings.ReplaceAll(c, " ", ""), sc))
			continue
		}
		// Cues may end in a space to demand a word end; wordForm puts a
		// space at both ends of the text, so " "+cue works for both.
		out = append(out, newKeyword(" "+strings.TrimLeft(c, " "), sc))
	}
	return out
}

// actSignals are the topic-free observations the act is decided from; the
// classifier also sees them as features.
type actSignals struct {
	ask, generic, specific, want, rules, duration, deadline, progress, cond, stall bool
	// money is a refund or the money named (moneyBackCues): with an
	// asking, progress or settled cue and no want, a refund's status
	// rather than the order's, whatever order the message also names.
	money bool
	// settled asks whether something has been done or where it is
	// (settledCues): of money, a refund's status.
	settled bool
}

// moneyReturnedCues say the money has or has not come back, in the past
// ("¿me habéis devuelto ya el dinero?", "деньги вернули?"): the money of
// a refund under way, though no word of them asks for one. They are no
// moneyBackCues, which the dialogue reads as asking for the money.
var moneyReturnedCues = prepare(
	"money came back", "money come back", "money has come back", "money back yet",
	"devuelto el dinero", "devuelto ya el dinero", "devuelto mi dinero", "devolvieron el dinero",
	"devolvieron mi dinero", "devolvieron la plata", "devuelto la plata", "dinero de la devolucion",
	"деньги вернули", "вернули деньги", "вернулись деньги", "деньги вернулись", "деньги пришли",
	"돈 들어왔", "돈이 들어왔", "돈 돌아왔", "돈이 돌아왔", "환불금",
)

// settledCues ask whether a process has reached its end, or where its
// result is: "did the money come back?", "¿ya está procesado?", "деньги
// зачислены?", "환불 됐어?", "reembolso 10004 dónde". Said of a refund
// (actSignals.money) they ask its status; a request for a new refund
// says what is wanted, not whether it happened. They are kept apart from
// the progress cues, which every intent's training lines use: only their
// meeting with the money is a feature.
var settledCues = prepare(
	"where", "wheres", "went through", "gone through", "go through", "came back", "come back",
	"came through", "processed", "approved", "paid out", "credited", "hit my account", "show up",
	"showed up", "did it go", "has it been",
	"donde", "adonde", "procesad", "tramitad", "aprobad", "se aprobo", "abonad", "acreditad",
	"ya me devolv", "ya me reembols", "han devuelto", "han reembolsado", "devuelto ya", "devolvieron ya", "ya esta hecho", "se hizo",
	"llego el dinero", "ha llegado el dinero", "volvio el dinero", "vuelve el dinero",
	"где", "куда", "одобрен", "одобрил", "зачисл", "поступил", "поступили", "пришли ли", "пришли деньги",
	"вернулись", "прошел", "прошла", "прошло ли", "инициирован",
	"어디", "어딨", "됐음", "됐어", "됐나", "됐는지", "되었는지", "됐을까", "완료", "들어왔", "입금", "승인",
)

func anyCue(kt keywordText, present script, kws []keyword) bool {
	for _, kw := range kws {
		if kw.script&present != kw.script {
			continue
		}
		if kt.index(kw) >= 0 {
			return true
		}
	}
	return false
}

// readAct finds the act signals of a message from its tokens joined by
// spaces and its slots s.
func readAct(folded string, question bool, s *Slots) actSignals {
	kt := newKeywordText(folded)
	present := kt.present
	a := actSignals{
		ask:      question || openingAsk(folded) || anyCue(kt, present, actMatchers.ask),
		generic:  anyCue(kt, present, actMatchers.generic),
		specific: anyCue(kt, present, actMatchers.specific),
		rules:    anyCue(kt, present, actMatchers.rules),
		duration: anyCue(kt, present, actMatchers.duration),
		deadline: anyCue(kt, present, actMatchers.deadline),
		progress: anyCue(kt, present, actMatchers.progress),
		stall:    anyCue(kt, present, actMatchers.stall),
		money:    (anyCue(kt, present, moneyBackCues) || anyCue(kt, present, moneyReturnedCues)) && !anyCue(kt, present, abilityCues),
		settled:  anyCue(kt, present, settledCues),
	}
	// "I want to know…" wants an answer, not an action; so does "можно
	// отменить…?", asked ("is it possible to cancel…?").
	wk := kt
	know := knowMatchers
	if question {
		know = append(know[:len(know):len(know)], modalMatchers...)
	}
	for _, k := range know {
		if wk.index(k) >= 0 {
			wk = newKeywordText(strings.ReplaceAll(wk.words, k.text, " "))
		}
	}
	a.want = anyCue(wk, present, actMatchers.want) || anyCue(wk, present, gratitudeCues)
	ck := kt
	for _, p := range politeMatchers {
		if ck.index(p) >= 0 {
			ck = newKeywordText(strings.ReplaceAll(ck.words, p.text, " "))
		}
	}
	a.cond = anyCue(ck, present, actMatchers.cond)
	if s.OrderID != "" || s.RefundID != "" || s.DisputeID != "" || s.LastOrder || s.ItemPosition > 0 || s.ItemQuantity > 0 || s.Only {
		a.specific = true
	}
	if s.Reason != "" && !a.cond {
		// "el producto vino quebrado, ¿me regresan mi lana?": a defect or
		// a missing parcel stated as a fact happened to a purchase of the
		// buyer's; stated as a condition ("if it arrives broken…") it is
		// a question about the rules.
		a.specific = true
	}
	if definiteGoods(kt) {
		// "refund the lantern", "reembolsenme la lampara que no prende":
		// goods with a definite article or a possessive are the buyer's
		// own; "can lanterns be returned?" names a kind, not a purchase.
		a.specific = true
	}
	return a
}

// openingWords lead a message into what it asks: "y", "pero", "oye",
// "hola" before the interrogative.
var openingWords = setOf("y", "pero", "oye", "hola", "bueno", "entonces", "a", "ver")

// openingAsk reports whether the message opens with Spanish "que" (folded
// "qué"), after at most two openingWords: "qué pasa con mi pedido", "y
// qué hago ahora". Elsewhere "que" joins clauses.
func openingAsk(folded string) bool {
	ws := strings.Fields(folded)
	for i, w := range ws {
		if w == "que" {
			return true
		}
		if i >= 2 || !openingWords[w] {
			return false
		}
	}
	return false
}

// definiteWords are the articles, possessives and demonstratives that make
// the goods word after them a particular purchase.
var definiteWords = setOf("the", "my", "this", "that", "these", "those",
	"el", "la", "los", "las", "mi", "mis", "este", "esta", "estos", "estas", "ese", "esa")

// definiteGoods reports whether a word of a kind of goods follows one of
// definiteWords ("the jacket", "las sandalias", "mi bolso").
func definiteGoods(kt keywordText) bool {
	ws := strings.Fields(kt.words)
	for i := 1; i < len(ws); i++ {
		if definiteWords[ws[i-1]] && wordNamesGoods(ws[i]) {
			return true
		}
	}
	return false
}

// act decides the dialogue act from the signals. Naming one of the
// buyer's own orders, items or purchases makes a request; so does stating
// a want, unless its object is a rule or it is hypothetical ("if it
// arrives broken, ¿me devuelven el dinero?"). Asking, speaking of the
// rules or of a hypothesis, without either, makes a question about how
// things work. Generic words
// alone ("a refund", "if", "fee") do not: "jacket leaks. want a refund"
// asks nothing, and the classifier, which sees them as features, decides.
func (a actSignals) act() Act {
	switch {
	case a.specific:
		return ActRequest
	case a.rules:
		return ActQuestion
	case a.want && !a.cond:
		return ActRequest
	case a.cond:
		return ActQuestion
	case a.ask:
		return ActQuestion
	}
	return ActOther
}
