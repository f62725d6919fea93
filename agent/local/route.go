package local

import (
	"encoding/json"
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
)

var _ agent.Reader = (*Model)(nil)

// Read returns the model's reading of req's last buyer message, in the
// light of the conversation, without answering it: the request it would
// serve and its calibrated confidence. Local-first routing decides on it.
func (m *Model) Read(req agent.Request) agent.Reading {
	d, last := m.readMessages(req)
	r := agent.Reading{Intent: string(d.intent), Confidence: d.conf, Carried: d.carried, OfferedHuman: d.offered,
		Locale: d.locale, Question: d.text}
	if last >= 0 {
		r.Answer = &readDialogue{d: *d, msgs: req.Messages[: last+1 : last+1], last: last}
	}
	if d.intent == nlu.PolicyQuestion && d.ownCancelOrder() == "" {
		// Not a question about the buyer's own order (ownrule.go),
		// which no answer cached for others fits.
		r.QuestionType = askKindNames[classifyAsk(d.text)]
		r.Search, _ = json.Marshal(map[string]any{"query": d.text, "k": policySearchK, "locale": d.locale})
	}
	return r
}

// QuestionType returns the kind of fact a policy question asks for ("who
// pays", "duration", …), as Reading.QuestionType names it.
func QuestionType(question string) string { return askKindNames[classifyAsk(question)] }

var askKindNames = map[askKind]string{
	askOther: "other", askWhoPays: "who_pays", askFee: "fee", askHowTo: "how_to", askList: "list",
	askDuration: "duration", askDeadline: "deadline", askWhatIf: "what_if", askAllowed: "allowed",
	askCount: "count",
}

// abstains says whether the model's reply msg, rendered from the template
// key said (empty when no template was), gives the request up: a question
// about what the buyer meant, or an answer that it cannot answer. Asking for
// a detail only the buyer has (which order?) is not giving up: any brain
// would have to ask it.
func abstains(said string, msg agent.Message) string {
	if msg.Content == "" || len(msg.ToolCalls) > 0 {
		return ""
	}
	switch {
	case said == "clarify", strings.HasPrefix(said, "clarify_"):
		return agent.AbstainClarify
	case said == "cannot_help", said == "policy_none", said == "no_policy_search", said == "offer_human":
		return agent.AbstainUnknown
	}
	return ""
}
