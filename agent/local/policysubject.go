package local

import (
	"slices"
	"strings"

	"github.com/csagent/csagent/agent/local/nlu"
)

// A policy question is about one process: a refund, a dispute, a
// cancellation. The same kind of fact exists for each ("how long does it
// take" is 5 business days for a refund and 10 days for a dispute's
// decision; "until when" is 30 days after delivery for a refund and 60 for
// a dispute), and the sections that state them share most of their words
// with the question ("처리 기간", "plazo"), so the section of the wrong
// process often reads closest. The subject the buyer names decides
// between them: a section whose heading or policy names another process,
// and not the one asked about, does not answer.

// subject is a process a policy question can be about.
type subject int

const (
	subjectRefund subject = 1 << iota
	subjectDispute
	subjectCancel
)

// subjectWords are the buyers' and the policies' words for each subject in
// the four languages, lower-cased fragments.
var subjectWords = []struct {
	s     subject
	words []string
}{
	{subjectDispute, []string{"dispute", "disput", "분쟁", "спор"}},
	{subjectRefund, []string{"refund", "return", "money back", "money to come back", "money come back", "my money", "send it back", "send back", "send them back", "reembols", "devol", "devuelv", "환불", "반품", "돈 돌려", "돌려받", "돌려보", "돌려 보", "возврат", "вернуть", "вернут", "верните", "вернёте", "вернете", "вернул"}},
	{subjectCancel, []string{"cancel", "취소", "anul", "отмен"}},
}

// notSubjectWords hold a subject's word without naming its process:
// "спорт" (sport) is no dispute.
var notSubjectWords = []string{"спорт",
	// A card payment reversed ("카드로 취소되나요?") is a refund to the
	// card, no cancelled order; the refund's own words name it.
	"카드로 취소", "카드 취소", "카드결제 취소", "승인 취소", "승인취소"}

// subjectsOf returns the subjects text names.
func subjectsOf(text string) subject {
	low := buyerNames.Replace(strings.ToLower(nlu.Cyrillic(text)))
	for _, w := range notSubjectWords {
		low = strings.ReplaceAll(low, w, " ")
	}
	var out subject
	for _, g := range subjectWords {
		if containsAny(low, g.words) {
			out |= g.s
		}
	}
	return out
}

// askedSubjects returns the subjects question names or, naming none,
// implies: an item that arrived broken, or one the buyer no longer wants,
// is a question about getting the money back, which the refund policy
// answers before the dispute policy (a dispute is for what a refund
// cannot settle).
func askedSubjects(question string) subject {
	if s := subjectsOf(question); s != 0 {
		return s
	}
	for _, t := range topicTerms(nlu.Cyrillic(question)) {
		if impliesRefund[t] {
			return subjectRefund
		}
		if impliesDispute[t] {
			return subjectDispute
		}
	}
	return 0
}

// impliesDispute are policyTerms' words for a complaint or claim the
// buyer files ("a claim", "이의신청", "reclamo", "претензия"): a
// dispute, which the buyer names in their own words.
var impliesDispute = map[string]bool{"open a dispute": true, "분쟁을 제기": true, "abrir una disputa": true, "открыть спор": true}

// impliesRefund are policyTerms' words for topics that ask for the money
// back.
var impliesRefund = map[string]bool{
	"damaged": true, "파손": true, "dañado": true, "повреждённым": true,
	"change of mind": true, "단순 변심": true, "cambio de opinión": true, "передумали": true,
}

// subjectFit is how much a section's subject (named in its heading, or
// else by its policy's title) should move its score for a question about
// asked: up when it names a subject asked about, down when it names only
// others. A question that names no subject, or a section that names none,
// is left as it is.
func subjectFit(asked subject, heading, title string) float64 {
	if asked == 0 {
		return 0
	}
	has := subjectsOf(heading)
	if has == 0 {
		has = subjectsOf(title)
	}
	switch {
	case has == 0:
		return 0
	case has&asked != 0:
		return 0.1
	default:
		return -0.15
	}
}

// subjectKindTerms are the policies' words for a kind of fact about one
// subject: the heading of the section that states it ("Refund timing",
// "Decision time"), which a buyer's "how long does it take" shares no
// word with.
var subjectKindTerms = map[subject]map[askKind]map[string]string{
	subjectRefund: {
		askDuration: {"en": "refund timing", "ko": "환불 처리 기간", "es": "plazo de acreditación del reembolso", "ru": "сроки поступления средств"},
		askDeadline: {"en": "refund window", "ko": "환불 신청 기간", "es": "plazo para solicitar un reembolso", "ru": "срок запроса возврата средств"},
		askHowTo:    {"en": "how to request a refund", "ko": "환불 신청 방법", "es": "cómo solicitar un reembolso", "ru": "как запросить возврат средств"},
		// What happens with a broken item is what a refund request
		// leads to (only for an implied refund: subjectConcepts).
		askWhatIf: {"en": "how to request a refund", "ko": "환불 신청 방법", "es": "cómo solicitar un reembolso", "ru": "как запросить возврат средств"},
	},
	subjectDispute: {
		askDuration: {"en": "decision time decides", "ko": "결정 기한", "es": "plazo de decisión decide", "ru": "срок принятия решения"},
		askDeadline: {"en": "time limits for opening a dispute", "ko": "분쟁 제기 기한", "es": "plazos para abrir una disputa", "ru": "сроки открытия спора"},
		askWhatIf:   {"en": "seller response time decision time", "ko": "판매자 응답 기한 결정 기한", "es": "plazo de respuesta del vendedor plazo de decisión", "ru": "срок ответа продавца срок принятия решения"},
	},
}

// subjectConcepts are subjectKindTerms' words for what question asks
// about each subject it names, in locale. A question about a refund and
// a dispute both ("how long does the refund take after a dispute?") gets
// neither: the search words of its topic decide.
//
// A time limit's words are added only when the question asks until when
// the buyer may act: "the seller has 48 hours to answer, is that how it
// works?" asks about a time, but not the buyer's limit for opening one;
// nor is the seller's time to respond the time a decision takes.
func subjectConcepts(question string, kind askKind, locale string) string {
	s := askedSubjects(question)
	if s == subjectRefund|subjectCancel && kind == askDuration {
		// "After I cancel, how long until the refund reaches me?": a
		// cancelled paid order is refunded, and the refund's timing is
		// what the wait is.
		s = subjectRefund
	}
	if s != subjectRefund && s != subjectDispute {
		return ""
	}
	if kind == askDeadline && !asksBuyerLimit(question) {
		return ""
	}
	if s == subjectRefund && lateParcel(question) {
		// "The order is two weeks late, what can I do, do I get my money
		// back?": the money is the outcome hoped for; the time limits of
		// a parcel that has not come are the ones asked about, which the
		// topic's own words find.
		return ""
	}
	if kind == askWhatIf && s == subjectRefund && subjectsOf(question) != 0 {
		// "What happens if it never arrives, do I get my money back?"
		// asks what becomes of the order, the refund being the outcome
		// hoped for; with a broken item and no process named, what
		// happens is the refund's request.
		return ""
	}
	if low := strings.ToLower(question); s == subjectDispute && containsAny(low, sellerWords) && containsAny(low, responseWords) {
		// "How long does the seller have to respond?" asks the
		// seller's time, which the question's own words find.
		return ""
	}
	return subjectKindTerms[s][kind][locale]
}

// limitFit is how much a section's kind of time should move its score
// for a question that asks until when the buyer may act ("until when can
// I return them?", "спор открыть можно сколько дней после …"): down when
// the section states times but none as a limit on what someone may do
// ("approved refunds are sent within 5 business days"), which answers
// how long something takes instead. sectionScore does the converse for a
// question about how long something takes.
func limitFit(question string, kind askKind, s section) float64 {
	if kind != askDeadline {
		return 0
	}
	if !asksBuyerLimit(question) {
		return 0
	}
	spans := false
	for i := range s.units {
		u := &s.units[i]
		if (u.span && u.may) || u.until {
			return 0
		}
		spans = spans || u.span
	}
	if spans {
		return -0.2
	}
	return 0
}

// asksBuyerLimit reports whether question asks what the buyer may do or
// how long they have.
func asksBuyerLimit(question string) bool {
	q := " " + nlu.Fold(strings.ToLower(nlu.Cyrillic(question))) + " "
	return containsAny(q, foldedMayAsk) || containsAny(q, foldedBuyerLimit)
}

// foldedBuyerLimit ask how long the buyer has, besides foldedMayAsk's
// "can I".
var foldedBuyerLimit = foldAll([]string{"do i have", "have i got", "dispongo", "tengo para", "tengo pa", "기한", "언제까지", "у меня есть",
	// Whether the buyer's time has run out: "is it too late to send
	// them back?", "what's the cutoff?", "am I still allowed to?".
	"too late", "cutoff", "cut-off", "cut off", "did i miss", "have i missed", "allowed to", "permitted to", "너무 늦", "늦었", "demasiado tarde", "es tarde", "ya se me pas", "поздно", "опоздал"})

// chatSpelling spells out the short forms buyers type in chat, so the cues
// of a kind of question match them: Spanish "q" for "que" ("q hago?",
// "tengo q mandar fotos?"), "xq" and "pq" for "porque". Each is a whole
// word, padded with the spaces classify puts around the question; a
// replacer does not match overlapping words, so a question is padded
// once more where one short form follows another.
var chatSpelling = strings.NewReplacer(" q ", " que ", " xq ", " porque ", " pq ", " porque ", "¿q ", "¿que ", " q?", " que?")

// notArrivedTerms are policyTerms' words for a parcel that has not come.
var notArrivedTerms = []string{"order has not arrived not received shipped", "도착하지 않으면 미수령 발송 후", "pedido no ha llegado no recibido enviado", "заказ не пришёл не получен после отправки"}

// lateParcel reports whether question is about a parcel that has not
// come (late, lost, stuck).
func lateParcel(question string) bool {
	return slices.ContainsFunc(topicTerms(nlu.Cyrillic(question)), func(t string) bool { return slices.Contains(notArrivedTerms, t) })
}

// notArrivedWords are the policies' words, in a heading, for an order
// that has not come.
var notArrivedWords = []string{"not arrived", "not received", "미도착", "미수령", "도착하지 않은", "no ha llegado", "no han llegado", "no recibido", "не пришёл", "не получен"}

// arrivalFit is how much a section should move for question: up when the
// question is about a parcel that has not come and the section's heading
// is about one, since the refund the buyer hopes for ("me devuelven la
// plata?") names another section's process.
func arrivalFit(question, heading string) float64 {
	if containsAny(strings.ToLower(heading), notArrivedWords) && lateParcel(question) {
		return 0.15
	}
	return 0
}
