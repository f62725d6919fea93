package agent

import "fmt"

// lapsedDecision answers a typed "yes" or "no" to a confirmation card that
// expired before the buyer answered it. The expired card is no longer
// pending, so typedDecision does not see it, and a model reading "yes" on
// its own acknowledges it ("Okay, anything else?"), which reads as if the
// refund went ahead. Only the card of the last reply counts: a yes to a
// later question is not about it.
func (a *Agent) lapsedDecision(t Turn, turnID string, st *turnState) (string, TurnUsage, bool) {
	if a.confirm == nil || len(st.pending) > 0 || len(st.proposed) == 0 {
		return "", TurnUsage{}, false
	}
	last := lastReplyTurn(st.recent)
	if last == "" {
		return "", TurnUsage{}, false
	}
	var lapsed []Action
	for _, act := range st.proposed {
		if act.TurnID == last && (act.Status == ActionPending || act.Status == ActionExpired) {
			lapsed = append(lapsed, act)
		}
	}
	if len(lapsed) != 1 {
		return "", TurnUsage{}, false
	}
	if yes, no := a.confirm.Confirmation(t.Text, t.Locale); !yes && !no {
		return "", TurnUsage{}, false
	}
	text := fmt.Sprintf(line("expired_what", t.Locale), a.Describe(lapsed[0], t.Locale))
	// The guardrails check the order and amount named against the card's
	// preview, as for a reply about pending actions.
	usage := a.pendingUsage(t, turnID, lapsed)
	usage.Fallback = "action_expired"
	return text, usage, true
}

// lastReplyTurn is the turn of the newest reply in recent (oldest first)
// when the assistant wrote it, or "": a yes after a person's message
// answers the person.
func lastReplyTurn(recent []StoredMessage) string {
	if m := newestReply(recent); m.Role == "assistant" {
		return m.TurnID
	}
	return ""
}
