package local

import (
	"strings"

	"github.com/csagent/csagent/agent/local/nlu"
)

// A rule question is often told as a case: "what happens if my package
// never shows up?", "Что делать, если посылка так и не пришла?", "it's been
// a month and still no parcel, what are my options?", "how long does this
// normally take?". The classifier reads such messages by their topic words
// (a parcel that has not come, a dispute) as the buyer's own lookup or
// request; what tells them apart is the frame around the topic: a case
// supposed ("if", "si", "если", "-면", "in such a case"), the buyer's
// options or what they are owed asked for, or what usually happens. The
// rule is the answer to all of them: the buyer who then wants their own
// order looked up or acted on says so.

// asksCaseRule reports whether text, which the classifier read as r and
// which asks for a fact of kind (classifyAsk), asks what the rules say of a
// case rather than for one of the buyer's own things to be looked up or
// done; asks says the message is put as a question. asksPolicy calls it
// once the message names nothing of the buyer's and states no want.
func asksCaseRule(text string, r nlu.Result, kind askKind, asks bool) bool {
	if kind == askOther || !asks && kind != askWhatIf && kind != askHowTo {
		return false
	}
	if nlu.Consequential(r.Intent) && r.Confidence >= nlu.ActionThreshold {
		return false // a request the classifier is sure of: its card asks
	}
	q := " " + softSigns.Replace(nlu.Fold(strings.ToLower(nlu.Cyrillic(text)))) + " "
	switch {
	case supposesCase(q):
		// "What do I do if it never arrives?": the case supposed is the
		// rule's to answer.
		return true
	case containsAny(q, softOptionCues) && (r.Slots.Reason == "" || r.Slots.Reason == nlu.ReasonNotReceived) && lookup(r.Intent):
		// "Still no parcel, what are my options?": what the buyer may do
		// about a late parcel is the rule's (a problem with goods that
		// came is ownProblem's, which looks up the order holding them).
		return true
	case asksTypical(text) && (kind == askDuration || kind == askDeadline || kind == askWhatIf):
		// "How long does this normally take?" asks what usually
		// happens, not where one case stands.
		return true
	}
	return false
}

// supposesCase reports whether q (folded, softSigns read) supposes a case
// in a clause of its own: "what happens if", "si", "если", "а если",
// "в случае", "-면", "이런 경우".
func supposesCase(q string) bool {
	for _, c := range softCaseCues {
		for rest := q; ; {
			i := strings.Index(rest, c)
			if i < 0 {
				break
			}
			if !containsWord(whetherVerbs, lastWord(rest[:i])) {
				return true
			}
			rest = rest[i+len(c):]
		}
	}
	// Korean: a word ending in the conditional -면 ("안 오면", "취소하면").
	for _, w := range strings.Fields(q) {
		if strings.HasSuffix(strings.TrimRight(w, ",.?!"), "면") {
			return true
		}
	}
	return false
}

// whetherVerbs take "if" and "si" for "whether": "check if it shipped",
// "saber si llegó" ask about the buyer's own order, supposing nothing.
var whetherVerbs = []string{"check", "see", "know", "tell", "wonder", "wondering", "ask", "confirm", "sure", "verify", "out",
	"ver", "saber", "comprobar", "revisar", "decir", "decirme", "confirmar", "preguntar", "mirar", "checar", "chequear"}

// caseCues suppose a case; optionCues ask what the buyer may do or is
// owed; typicalCues ask what usually happens. Folded and read without
// soft signs, like the question.
var (
	softCaseCues = softAll(foldAll([]string{" if ", "what if", " in case ", " in such a case", " in that case",
		" si ", "¿si ", " en caso de", " en ese caso",
		" если ", " а если", " в случае", " в таком случае",
		"이런 경우", "그런 경우", "이럴 때", "이럴 땐", "그럴 때"}))
	softOptionCues = softAll(foldAll([]string{"what are my options", "what options", "what can i do", "what can be done", "anything i can do", "what are my rights",
		"qué opciones", "que opciones", "qué puedo hacer", "que puedo hacer", "qué se puede hacer", "que se puede hacer",
		"할 수 있는 게", "할 수 있는 것", "할 수 있는 방법", "어떤 방법",
		"что мне положено", "что-то положено", "что-нибудь положено", "что можно сделать", "какие варианты", "какие у меня варианты", "какие права"}))
	typicalCues = foldAll([]string{"usually", "normally", "typically", "generally", "on average", "in general",
		"보통", "일반적으로", "대개", "평균",
		"suele", "suelen", "normalmente", "por lo general", "en general", "generalmente",
		"обычно", "как правило", "в среднем"})
)

// asksTypical reports whether text asks what usually happens.
func asksTypical(text string) bool {
	return containsAny(" "+nlu.Fold(strings.ToLower(nlu.Cyrillic(text)))+" ", typicalCues)
}

// nextCues ask what comes next in a process under way.
var softNextCues = softAll(foldAll([]string{"what happens next", "what next", "what's next", "whats next", "then what", "what happens now", "what now",
	"qué pasa después", "que pasa despues", "y luego qué", "y después qué", "qué sigue", "que sigue",
	"그다음", "그 다음", "다음엔", "다음에는", "이제 어떻게",
	"что дальше", "чё дальше", "че дальше", "что потом", "а дальше", "что будет дальше"}))

// asksProcess reports whether text, told with an action the buyer took
// ("I opened a dispute 4 days ago"), asks how that process goes rather
// than where the buyer's own case stands: what usually happens or how
// long it usually takes, or what comes next. toldDone leaves such a
// message to the policy answer it was read as.
func asksProcess(text string) bool {
	q := " " + softSigns.Replace(nlu.Fold(strings.ToLower(nlu.Cyrillic(text)))) + " "
	k := classifyAsk(text)
	return containsAny(q, softNextCues) || asksTypical(text) && (k == askDuration || k == askDeadline || k == askWhatIf)
}

// clitics are the object pronouns that stand between a negation and its
// verb ("no la quiero", "не его хочу"): the negation two words back still
// negates the want.
var clitics = []string{"la", "lo", "las", "los", "le", "les", "me", "te", "se", "ее", "его", "её", "это"}

// negatedWant reports whether the words before a want negate it: the last
// one, or the one before an object pronoun.
func negatedWant(before string) bool {
	f := strings.Fields(before)
	if len(f) == 0 {
		return false
	}
	if containsWord(negations, f[len(f)-1]) {
		return true
	}
	return len(f) > 1 && containsWord(clitics, f[len(f)-1]) && containsWord(negations, f[len(f)-2])
}

func containsWord(words []string, w string) bool {
	for _, x := range words {
		if x == w {
			return true
		}
	}
	return false
}

// askingEndings end a Korean question typed without a question mark
// ("제가 할 수 있는 게 뭐가 있나요", "취소 가능한가요").
var askingEndings = []string{"나요", "까요", "가요", "니까", "는지요", "은지요", "ㄴ가요", "을까", "ㄹ까", "냐"}

// endsAsking reports whether text ends the way a question does though it
// has no question mark: a Korean interrogative ending.
func endsAsking(text string) bool {
	t := strings.TrimRight(strings.TrimSpace(text), ".!~ㅠㅜㅎ ")
	for _, e := range askingEndings {
		if strings.HasSuffix(t, e) {
			return true
		}
	}
	return false
}
