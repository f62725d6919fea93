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
// for a policy fact rather than for something to be done.
func asksPolicy(text string, r nlu.Result) bool {
	s := r.Slots
	if s.OrderID != "" || s.RefundID != "" || s.DisputeID != "" || s.Language != "" || s.LastOrder || s.Amount != nil {
		return false // something of the buyer's to act on, or a translation
	}
	if r.Intent == nlu.PolicyQuestion && r.Confidence >= minConfidence {
		return false // already read so
	}
	text = nlu.Cyrillic(text)
	if len(topicTerms(text)) == 0 {
		return false // no rule the policies have
	}
	kind := classifyAsk(text)
	fact := kind == askDuration || kind == askDeadline || kind == askWhoPays || kind == askFee
	q := " " + nlu.Fold(strings.ToLower(text)) + " "
	if r.Intent != nlu.PolicyQuestion && states(q, foldedWantCues) {
		// "I want to cancel, is there a fee?" wants the cancellation
		// too, and gets it.
		return false
	}
	switch {
	case r.Intent == nlu.PolicyQuestion, r.Confidence < minConfidence:
		// An unsure reading: a question's shape decides.
		return kind != askOther
	case nlu.Consequential(r.Intent):
		// "Is there a fee for cancelling?" asks. A request the
		// classifier is unsure of that asks what to do about a problem
		// ("two cups are broken, what do I do?") asks for the procedure.
		return fact || (kind == askHowTo && !r.Actionable())
	case kind == askWhatIf && (r.Intent == nlu.RefundStatus || r.Intent == nlu.DisputeStatus || r.Intent == nlu.OrderStatus || r.Intent == nlu.DeliveryProblem):
		// "What happens if the seller doesn't answer my dispute?" asks
		// what the rules say of a case, not where one case stands.
		return true
	case r.Intent == nlu.RefundStatus, r.Intent == nlu.DisputeStatus:
		// "How long does a refund take?" with no refund named: how long
		// refunds take is the answer there is.
		return kind == askDuration || kind == askDeadline
	case r.Intent == nlu.OrderStatus, r.Intent == nlu.DeliveryProblem:
		// "When can I complain about a late order?" asks what the buyer
		// may do, and "who pays to send it back?" what they must; "when
		// will my order arrive?" asks about the order. A problem and
		// "until when?" ask for the time limit to report it.
		return kind == askWhoPays || kind == askFee || (fact && containsAny(q, foldedMayCues)) ||
			(kind == askDeadline && s.Reason != "")
	case r.Intent == nlu.OutOfScope:
		// A problem with what arrived and "what do I do?" is a
		// procedure the policies give.
		return fact || (kind == askHowTo && s.Reason != "")
	}
	return false
}

// wantCues state a want: the buyer asks for something to be done.
var wantCues = []string{
	"i want", "i'd like", "i would like", "i need", "please refund", "please cancel", "refund me", "cancel my", "cancel it", "refund it",
	"원해", "해 주세요", "해주세요", "해줘", "해 줘", "하고 싶", "싶어요", "싶습니다",
	"quiero", "quisiera cancelar", "quisiera un reembolso", "necesito", "cancélame", "cancélenme", "devuélvanme", "reembólsenme",
	"хочу", "верните", "отмените", "оформите", "сделайте", "нужно отменить", "нужен возврат",
}

// mayCues ask what the buyer may or must do: "when can I", "do I have to".
var mayCues = []string{
	"can i", "could i", "may i", "am i able", "am i allowed", "do i have to", "should i", "must i",
	"수 있", "되나요", "돼요", "가능", "해야",
	"puedo", "se puede", "debo", "tengo que", "hay que",
	"можно", "могу", "нужно", "надо", "должен", "должна",
}

var foldedWantCues, foldedMayCues = foldAll(wantCues), foldAll(mayCues)

// states reports whether q states one of cues, not negated: "no quiero
// que me cobren" wants nothing.
func states(q string, cues []string) bool {
	for _, c := range cues {
		for rest := q; ; {
			i := strings.Index(rest, c)
			if i < 0 {
				break
			}
			if !slices.Contains(negations, lastWord(rest[:i])) {
				return true
			}
			rest = rest[i+len(c):]
		}
	}
	return false
}

// negations are the words that negate a want that follows them.
var negations = []string{"no", "not", "don't", "dont", "не", "안"}

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
