package local

import (
	"encoding/json"
	"strings"
)

// PolicyAnswer is the answer to a policy question composed from
// search_policy's passages, as the built-in model answers a buyer: the
// sentences of the one section that carries the kind of fact asked for,
// in the policy's own words, and the passages it rests on.
type PolicyAnswer struct {
	Text    string
	Sources []PolicySource
}

// PolicySource is a passage a PolicyAnswer rests on.
type PolicySource struct {
	DocID       string
	Title       string
	HeadingPath string
	// Heading is the innermost heading of HeadingPath, the section's own.
	Heading string
	// Citation is the search's citation, like "[refunds §Refund window]".
	Citation string
}

// AnswerPolicy composes the answer to question, asked in locale, from a
// search_policy result (its JSON: {"hits": [...]}). ok is false when no
// passage answers the kind of question asked; then there is nothing to
// state.
func AnswerPolicy(question, locale string, searchResult json.RawMessage) (a PolicyAnswer, ok bool) {
	var res struct {
		Hits []policyHit `json:"hits"`
	}
	if json.Unmarshal(searchResult, &res) != nil || len(res.Hits) == 0 {
		return PolicyAnswer{}, false
	}
	text, hits, ok := answerPolicy(question, locale, res.Hits)
	if !ok {
		return PolicyAnswer{}, false
	}
	a.Text = strings.TrimSpace(text)
	for _, h := range hits {
		a.Sources = append(a.Sources, PolicySource{DocID: h.DocID, Title: h.Title, HeadingPath: h.HeadingPath,
			Heading: innermost(h.HeadingPath), Citation: h.Citation})
	}
	return a, true
}
