package local

import (
	"regexp"
	"strings"

	"github.com/csagent/csagent/agent/local/nlu"
)

// asksRefund reports whether r, read from text, is a complaint about an
// order that asks for the money back: a problem named ("it never came",
// "nothing like the photo", "nothing wrong with it, I just don't need
// it") and the want ("I'd like my money back"). The classifier may read
// the story as a delivery problem or an order lookup, or be unsure of the
// refund among the story's words; the buyer asked for a refund, and the
// refund's card still asks them to confirm it. A general question ("if
// it arrives broken, do I get a refund?") is no such request.
func asksRefund(r nlu.Result, text string) bool {
	if r.Slots.Reason == "" || r.Confidence < minConfidence || r.Act == nlu.ActQuestion {
		return false
	}
	switch r.Intent {
	case nlu.RefundRequest, nlu.DeliveryProblem, nlu.OrderStatus:
		return nlu.AsksMoneyBack(text)
	}
	return false
}

// asksItemRefund reports whether r, read from text, asks for the money
// back for part of an order, saying what the buyer keeps: "можно вернуть
// только за набор? самовар и шкатулку оставлю" is phrased as a question,
// yet a buyer who says which of their goods they keep is talking about
// their own order, not asking about the policy. The card still asks them
// to confirm.
func asksItemRefund(r nlu.Result, text string) bool {
	if r.Intent != nlu.RefundRequest || r.Confidence < minConfidence {
		return false
	}
	asked, kept := splitKept(text)
	return kept != "" && len(nlu.ItemTerms(kept)) > 0 && asked != ""
}

// toldActions are what a buyer says was already done about their order,
// by the status that says where it stands: a cancellation (the order's
// own record shows it, and the money it gave back), a refund, a dispute.
// Matched on the lower-cased message.
var toldActions = []struct {
	intent nlu.Intent
	told   *regexp.Regexp
}{
	{nlu.DisputeStatus, wordRE(`\b(i|we) (already |have )?(opened|filed|raised|started|submitted) (a |the |my )?(dispute|claim|case)\b|` +
		`\b(dispute|claim|case) (is|has been|was) (already )?(open|opened|filed)\b|\bopen dispute\b|` +
		`\babr[ií] (una |la )?(disputa|reclamaci[oó]n)\b|\b(disputa|reclamaci[oó]n) (ya )?(est[aá] |fue |ha sido )?abiert[ao]\b|` +
		`\b(dispute|claim)\S*( \S+){0,3} (is|has been|was|been) (already |still )?(open|opened|filed|pending)\b|` +
		`\b(disputa|reclamaci[oó]n)( \S+){0,3} (ya |sigue |lleva )?(est[aá] |fue |ha sido )?abiert[ao]\b|` +
		`\bспор\S*( \S+){0,3} (уже )?(открыт|открыл[аи]?)\b|\bоткрыл[аи]? (уже )?спор|` +
		`분쟁\S*( \S+){0,2}\s?(을 |를 )?(열었|신청했|제기했|걸었|열어놨|신청해놨|진행 중|신청한|제기한|열어 ?둔|걸어 ?둔)`)},
	{nlu.OrderStatus, wordRE(`\b(i|we) (already |have )?(cancell?ed)\b|\b(was|were|been|got) (already )?cancell?ed\b|` +
		`\b(cancelé|anulé)\b|\b(yo|ya) (lo |la )?(cancele|anule)\b|\b(cancelaron|anularon)\b|\b(fue|est[aá]|ha sido) (cancelad|anulad)[oa]\b|` +
		`\bотменил[аи]?\b|\bотменён\b|\bотменен\b|\bбыл[аи]? отмен|` +
		`취소했|취소됐|취소되었|취소 했|취소 됐|취소처리`)},
	{nlu.RefundStatus, wordRE(`\brefund (already )?(went through|was (approved|issued|processed|sent)|has been (approved|issued|processed|sent))\b|` +
		`\b(i|we) (was|were) (already )?refunded\b|\bme (reembolsaron|devolvieron el dinero)\b|\breembolso (ya )?(fue|est[aá]|ha sido) (aprobado|procesado|hecho|emitido)\b|` +
		`\bвозврат (уже )?(оформлен|одобрен|прош[её]л|сделан)|\bденьги (уже )?вернули\b|` +
		`환불(이 |은 |는 )?(됐|되었|처리됐|처리되었|승인됐|승인되었|받았)`)},
}

// toldDone reads a message that tells what was already done about an
// order — "I cancelled ORD-10157 five days ago and I'm still charged",
// "분쟁 열었는데 판매자가 답이 없어요", "спор по ORD-10186 открыт уже 8
// дней", "my refund went through two weeks ago, nothing on my card" — as
// the question where that stands, not a request to do it again: the
// classifier reads the action's words (a cancellation to make, a dispute
// to open), and doing it again would be refused or answered "that has
// already been done", which tells the buyer nothing. The status shows
// what came of it; a person can take over from there. A message that
// names several orders is left to the several-requests reading.
func (d *dialogue) toldDone(cur nlu.Result) {
	if d.carried {
		return
	}
	switch cur.Intent {
	case nlu.CancelOrder, nlu.RefundRequest, nlu.OpenDispute, nlu.RefundStatus, nlu.DisputeStatus, nlu.OrderStatus,
		nlu.PolicyQuestion, nlu.DeliveryProblem, nlu.OutOfScope:
	default:
		return
	}
	if len(briefOrderRefs.FindAllString(d.text, 2)) > 1 {
		return
	}
	if d.intent == nlu.PolicyQuestion && d.conf >= minConfidence && d.slots.DisputeID == "" && d.slots.RefundID == "" && asksProcess(d.text) {
		// "I opened a dispute 4 days ago, how long does this normally
		// take?": how the process goes, read as the rule (policycase.go).
		return
	}
	if cur.Intent == nlu.OutOfScope && cur.Slots.OrderID != "" && nlu.PlatformTopic(d.text) == "" &&
		(angry(d.text) || containsAny(" "+nlu.Fold(strings.ToLower(d.text))+" ", notHelpedCues)) {
		// "Third time I'm writing about ORD-10156. Twelve days!!": a
		// complaint about that order, whatever else it says; where it
		// stands comes first.
		d.intent, d.conf = nlu.OrderStatus, max(d.conf, minConfidence)
	}
	text := strings.ToLower(d.text)
	for _, a := range toldActions {
		if a.intent == nlu.OrderStatus && cur.Intent == nlu.RefundRequest && cur.Confidence >= nlu.ActionThreshold {
			// "refund the map download please, we cancelled the
			// hike": money asked back, surely, and what was cancelled
			// is the buyer's plan; were it the order, the refund's
			// refusal would say where it stands.
			continue
		}
		if a.told.MatchString(text) {
			// "… Escalate it, please": the status, then a person.
			d.escalateAfter = d.intent == nlu.HumanAgent
			d.intent, d.conf = a.intent, max(d.conf, minConfidence)
			return
		}
	}
}

// wordRE compiles pattern with each \b standing for a word's edge in any
// script: RE2's \b knows ASCII letters only, and "cancelé" or "отменил"
// would never end a word.
func wordRE(pattern string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(pattern, `\b`, `(?:^|$|[^\p{L}\p{N}])`))
}

// briefOrderRefs finds the order numbers a message names.
var briefOrderRefs = regexp.MustCompile(`(?i)\b(?:ord-)?\d{5}\b`)
