package agent

import (
	"regexp"
	"strings"
)

// "Just the cancellation", "solo el reembolso", "только отмену", "취소만
// 해 주세요": with a cancellation and a refund waiting, the buyer names the
// one they mean by what it does rather than by its order. That picks it as
// surely as its number does when it is the only waiting action of that
// kind; two of the same kind, or a message naming both kinds, pick none.

// kindRefs find the kinds of action a buyer's message names, by the
// preview's action ("cancel", "refund", "dispute").
var kindRefs = map[string]*regexp.Regexp{
	"cancel":  regexp.MustCompile(`(?i)cancel|anul|отмен|취소`),
	"refund":  regexp.MustCompile(`(?i)refund|money back|\breturn|reembols|devoluci|devolver|возврат|вернуть|верните|환불|반품`),
	"dispute": regexp.MustCompile(`(?i)dispute|claim|disputa|reclamaci|спор|претензи|분쟁`),
}

// onlyRef finds a buyer's "only", "just" in the four languages: a choice
// of one of the waiting actions, said without a yes.
var onlyRef = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(?:only|just|solo|sólo|solamente|únicamente|только|лишь)(?:[^\p{L}]|$)|[가-힣]만(?:\s|$|[^가-힣])`)

// kindAction returns the one pending action of the kind text names.
func kindAction(text string, pending []Action) (Action, bool) {
	kind := ""
	for k, re := range kindRefs {
		if re.MatchString(text) {
			if kind != "" {
				return Action{}, false // both kinds: no choice
			}
			kind = k
		}
	}
	if kind == "" {
		return Action{}, false
	}
	var found []Action
	for _, act := range pending {
		if actionKind(act) == kind {
			found = append(found, act)
		}
	}
	if len(found) != 1 {
		return Action{}, false
	}
	return found[0], true
}

// actionKind is what act does: "cancel", "refund" or "dispute".
func actionKind(act Action) string {
	switch act.Tool {
	case "cancel_order":
		return "cancel"
	case "request_refund":
		return "refund"
	case "open_dispute":
		return "dispute"
	}
	return strings.TrimSpace(act.Tool)
}

// choosesKind reports whether text, a short answer while several actions
// wait, picks one of them by its kind: with a yes ("yes, the refund"), as
// the answer to "which one?", or with "only" ("just the cancellation").
func choosesKind(text string, yes, askedWhich bool, pending []Action) (Action, bool) {
	if len(strings.Fields(text)) > 6 || !(yes || askedWhich || onlyRef.MatchString(text)) {
		return Action{}, false
	}
	return kindAction(text, pending)
}
