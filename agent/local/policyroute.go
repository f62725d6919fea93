package local

import (
	"slices"
	"strings"

	"github.com/csagent/csagent/agent/local/nlu"
)

// A buyer who asks how a rule works must reach the policies, whatever the
// classifier's best guess: "how long does a refund take to show up?" is
// no refund-status lookup without a refund to look up, "is there a fee if
// I cancel?" no cancellation, and "at what point can I complain about a
// late order?" no tracking request. The classifier reads such questions
// by their topic words (refund, cancel, late), which they share with the
// requests; the kind of fact asked for (a duration, a deadline, who pays,
// a fee) and the absence of anything to act on tell them apart. So the
// dialogue reads a message as a policy question when it asks for such a
// fact about something the policies cover, names no order, refund or
// dispute of the buyer's, and states no want.

// asksPolicy reports whether text, which the classifier read as r, asks
// for a policy fact rather than for something to be done; order is the
// order the conversation is about, if any.
func asksPolicy(text string, r nlu.Result, order string) bool {
	s := r.Slots
	if s.OrderID != "" || s.RefundID != "" || s.DisputeID != "" || s.Language != "" || s.Amount != nil {
		return false // something of the buyer's to act on, or a translation
	}
	if r.Intent == nlu.PolicyQuestion && r.Confidence >= minConfidence {
		return false // already read so
	}
	text = nlu.Cyrillic(text)
	topics := topicTerms(text)
	kind := classifyAsk(text)
	if len(topics) == 0 && !containsAny(" "+strings.ToLower(text)+" ", policyNouns) && kind != askWhoPays {
		// No rule the policies have; but who pays is always one (a
		// cost the policies assign, however the buyer names it).
		return false
	}
	fact := kind == askDuration || kind == askDeadline || kind == askWhoPays || kind == askFee
	q := " " + nlu.Fold(strings.ToLower(text)) + " "
	if r.Intent != nlu.PolicyQuestion && states(q, foldedWantCues) {
		// "I want to cancel, is there a fee?" wants the cancellation
		// too, and gets it.
		return false
	}
	asks := strings.ContainsAny(text, "?？") || r.Act == nlu.ActQuestion || endsAsking(text)
	if s.LastOrder && !(fact && asks && (!lookup(r.Intent) || r.Confidence < minConfidence)) {
		// "My last order": something of the buyer's to act on, unless
		// it only sets the scene of a question about a time limit,
		// who pays or a fee ("I just ordered, until when can I
		// cancel?"), which the rule answers.
		return false
	}
	if (kind == askAllowed || kind == askDeadline || kind == askOther && containsAny(q, foldedIndirectAsks)) && asksCancelling(text) && askedState(text) != stateUnknown && !containsAny(q, foldedOwnOrder) {
		// "Can you cancel an order after it ships?": whether an order
		// in a state can be cancelled is the rule's to say, asked with
		// a question mark or not (cancelrule.go).
		return true
	}
	if asks && order == "" && (kind == askAllowed || kind == askDeadline || kind == askOther && len(topics) > 1) && qualifiesRule(topics) {
		// "Can I get a refund for just that one?", "is a gift card
		// refundable?", "does the money go back to my card?": a
		// yes-or-no question about a case the policies rule on,
		// whatever the classifier made of its topic words, is answered
		// by the rule; the buyer who then wants it done says so. Asked
		// of an order the conversation is about ("ORD-10107, the tea
		// set is cracked" — "can I get money back for just the set?"),
		// it asks for that order's refund.
		return true
	}
	if s.Reason != "" && s.Reason != nlu.ReasonNotReceived && (kind == askHowTo || kind == askAllowed && asks && needsEvidence(q)) {
		// A problem with what arrived and "what do I do?", "do you need
		// photos?": a procedure the policies give.
		return true
	}
	if asksCaseRule(text, r, kind, asks) {
		// A case supposed, the options a late parcel leaves, what usually
		// happens (policycase.go).
		return true
	}
	switch {
	case r.Intent == nlu.PolicyQuestion, r.Confidence < minConfidence:
		// An unsure reading: a question's shape decides; a best guess
		// of a policy question that asks anything is one.
		// So is a yes-or-no question about what the policies cover
		// ("someone asked me for the code they texted me, should I give
		// it?", "¿Está bien?", "Это нормально?").
		return kind != askOther || (r.Intent == nlu.PolicyQuestion && asks) || asksYesNo(text)
	case nlu.Consequential(r.Intent):
		// "Is there a fee for cancelling?" asks. A request the
		// classifier is unsure of that asks what to do about a problem
		// ("two cups are broken, what do I do?") asks for the procedure.
		// "Can I still return it?" asks for the buyer's own case.
		return fact && !stillAsks(text) || (kind == askHowTo && !r.Actionable())
	case kind == askWhatIf && (r.Intent == nlu.RefundStatus || r.Intent == nlu.DisputeStatus || r.Intent == nlu.OrderStatus || r.Intent == nlu.DeliveryProblem):
		// "What happens if the seller doesn't answer my dispute?" asks
		// what the rules say of a case, not where one case stands.
		return true
	case r.Intent == nlu.RefundStatus, r.Intent == nlu.DisputeStatus:
		// "How long does a refund take?" with no refund named: how long
		// refunds take is the answer there is.
		return kind == askDuration || kind == askDeadline
	case r.Intent == nlu.OrderStatus && kind == askAllowed && asks && containsAny(strings.Join(topics, "\x00"), cancelTopics):
		// "Can an order only be cancelled before it ships?" asks what
		// the buyer may do, not where the order is.
		return true
	case r.Intent == nlu.OrderStatus, r.Intent == nlu.DeliveryProblem:
		// "When can I complain about a late order?" asks what the buyer
		// may do, and "who pays to send it back?" what they must; "when
		// will my order arrive?" asks about the order. A problem and
		// "until when?" ask for the time limit to report it.
		return kind == askWhoPays || kind == askFee || (fact && (containsAny(q, foldedMayCues) || containsAny(q, policyNouns))) ||
			(kind == askDeadline && s.Reason != "")
	case r.Intent == nlu.OutOfScope:
		// A problem with what arrived and "what do I do?" is a
		// procedure the policies give.
		return fact || (kind == askHowTo && s.Reason != "")
	}
	return false
}

// indirectAsks put a yes-or-no question indirectly, folded: "tell me
// whether an order can be cancelled once dispatched" asks what "can an
// order be cancelled …?" asks.
var foldedIndirectAsks = foldAll([]string{" whether ", " if an order ", " if orders ", " if it is possible ", " if it's possible ",
	"는지", "은지", "ㄴ지", " si se puede ", " si un pedido ", " si es posible ", " si los pedidos ", " ли "})

// policyNouns are the policies' own words for what they rule on: a
// question about disputes names no buyer's word the table in
// policyquery.go translates, yet asks about a rule.
var policyNouns = []string{"dispute", "분쟁", "disputa", " спор ", " спор?", " спор,", "спора", "споре", "спору", "спором", "споры", "споров"}

// cancelTopics are the policies' words for cancelling, as topicTerms
// returns them.
var cancelTopics = []string{"cancelling an order", "주문 취소", "cancelar un pedido", "отмена заказа"}

// ruleQualifiers are the topics that make "can I …?" a question about a
// rule rather than a polite request: a refund for part of an order, an
// item the policies single out, where the money goes.
var ruleQualifiers = []string{
	"partial refunds by item", "digital downloads", "personalised custom-made items", "perishable food", "gift cards", "cannot be refunded non-refundable items", "original payment method",
	"부분 환불 상품별", "디지털 다운로드 상품", "개인 맞춤 상품 또는 주문 제작 상품", "부패하기 쉬운 식품", "기프트 카드", "환불 불가 상품 환불되지 않습니다", "원래 결제 수단",
	"reembolsos parciales por artículo", "descargas digitales", "artículos personalizados o hechos a medida", "alimentos perecederos", "tarjetas de regalo", "no se pueden reembolsar artículos no reembolsables", "método de pago original",
	"частичный возврат средств по товарам", "цифровые товары для скачивания", "персонализированные товары изготовленные на заказ", "скоропортящиеся продукты питания", "подарочные карты", "товары не подлежащие возврату деньги не возвращаются", "исходный способ оплаты",
}

// lookup reports whether i looks up where something of the buyer's stands.
func lookup(i nlu.Intent) bool {
	switch i {
	case nlu.OrderStatus, nlu.DeliveryProblem, nlu.RefundStatus, nlu.DisputeStatus:
		return true
	}
	return false
}

func qualifiesRule(topics []string) bool {
	return slices.ContainsFunc(topics, func(t string) bool { return slices.Contains(ruleQualifiers, t) })
}

// evidenceCues ask about proof: photos, keeping the box.
var evidenceCues = foldAll([]string{"photo", "picture", "pic", "box", "packag", "사진", "박스", "상자", "포장", "foto", "caja", "empaque", "фото", "коробк", "упаковк"})

func needsEvidence(q string) bool { return containsAny(q, evidenceCues) }

// wantCues state a want: the buyer asks for something to be done.
var wantCues = []string{
	"i want", "i'd like", "i would like", "i need to", "i need a refund", "i need my money", "i need you to", "please refund", "please cancel", "refund me", "cancel my", "cancel it", "refund it",
	// The subject dropped, as chats do ("need a refund for the map",
	// "want my money back"); "do I need a refund?" still asks (notStating).
	"need a refund", "want a refund", "need my money", "want my money", "wanna cancel", "wanna return", "wanna refund",
	"원해", "해 주세요", "해주세요", "해줘", "해 줘", "하고 싶", "싶어요", "싶습니다",
	"quiero", "quisiera cancelar", "quisiera un reembolso", "necesito que", "necesito cancel", "necesito devol", "necesito reembols", "necesito un reembolso", "necesito mi dinero", "cancélame", "cancélenme", "devuélvanme", "reembólsenme",
	"хочу", "верните", "отмените", "оформите", "сделайте", "нужно отменить", "нужен возврат",
}

// mayCues ask what the buyer may or must do: "when can I", "do I have to".
var mayCues = []string{
	"can i", "could i", "may i", "am i able", "am i allowed", "do i have to", "should i", "must i", "returnable", "refundable", "eligible",
	"수 있", "되나요", "돼요", "가능", "해야",
	"puedo", "se puede", "debo", "tengo que", "hay que",
	"можно", "могу", "нужно", "надо", "должен", "должна",
}

var foldedWantCues, foldedMayCues = foldAll(wantCues), foldAll(mayCues)

// states reports whether q states one of cues, not negated, asked or
// supposed: "no quiero que me cobren", "what do I need to do?", "should
// I decide to cancel my order, …" and "if I cancel my order, …" want
// nothing.
func states(q string, cues []string) bool {
	for _, c := range cues {
		for rest, before := q, ""; ; {
			i := strings.Index(rest, c)
			if i < 0 {
				break
			}
			before += rest[:i]
			w := lastWord(before)
			if !negatedWant(before) && !slices.Contains(notStating, w) && !supposes(before) {
				return true
			}
			before += c
			rest = rest[i+len(c):]
		}
	}
	return false
}

// supposes reports whether the clause that text ends in supposes what
// follows: "if I", "should I decide to", "si", "если".
func supposes(text string) bool {
	if i := strings.LastIndexAny(text, ",.;!?"); i >= 0 {
		text = text[i+1:]
	}
	return containsAny(" "+text, conditionals)
}

// negations are the words that negate a want that follows them;
// notStating the words that make it a question or a verb's object ("do
// I need", "decide to cancel my order"); conditionals open a supposed
// case.
var (
	negations    = []string{"no", "not", "don't", "dont", "не", "안"}
	notStating   = []string{"do", "to", "i", "we"}
	conditionals = []string{" if ", " should i ", " in case ", " si ", " en caso ", " если ", " в случае ", " когда "}
)

// lastWord is the last word of s, or "".
func lastWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

func foldAll(cues []string) []string {
	out := make([]string, len(cues))
	for i, c := range cues {
		out[i] = nlu.Fold(c)
	}
	return out
}
