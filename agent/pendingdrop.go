package agent

import (
	"context"
	"fmt"
	"time"

	"github.com/csagent/csagent/tools"
)

// windowDays is a refund window as its days, in locale's words ("30
// days", "30일", "30 días", "30 дней"): a buyer who called a refund off
// and may ask again later is told the rule, not only the last day.
func windowDays(locale string, window time.Duration) string {
	n := int(window.Hours() / 24)
	switch locale {
	case "ko":
		return fmt.Sprintf("%d일", n)
	case "es":
		if n == 1 {
			return "1 día"
		}
		return fmt.Sprintf("%d días", n)
	case "ru":
		// Genitive, as "в течение" wants it: 1 дня, 2 дней, 30 дней.
		if n%10 == 1 && n%100 != 11 {
			return fmt.Sprintf("%d дня", n)
		}
		return fmt.Sprintf("%d дней", n)
	}
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// "Hold on, cancel that", "cancélalo", "отмените это", "그거 취소해 주세요"
// said while a refund or a dispute waits for the buyer calls that card
// off: the words of a cancellation point at the proposal, not at an
// order. Which they mean depends on what waits, which only the agent
// knows: the same words while a cancellation waits could as well confirm
// it, so they are left to the model there. A Confirmations that can read
// such an answer says so by implementing DropReader.

// DropReader is implemented by Confirmations that read, knowing the kind of
// action waiting, a message that calls it off in words Confirmation alone
// cannot take for a no.
type DropReader interface {
	// DropsAction reports whether text calls off the one action waiting,
	// a call of tool.
	DropsAction(text, locale, tool string) bool
}

// dropsWaiting reports whether the buyer's message calls off the one
// action waiting, read by the Confirmations' DropReader.
func (a *Agent) dropsWaiting(t Turn, st *turnState) bool {
	dr, ok := a.confirm.(DropReader)
	if !ok || len(st.pending) != 1 {
		return false
	}
	return dr.DropsAction(t.Text, t.Locale, st.pending[0].Tool)
}

// windowEvidence adds the refund window's days to the evidence the
// guardrails check a declined refund's line against: the line gives them
// (declinedText), from the same rule the refund tool applies
// (tools.RefundWindow), which the action's preview only gives as a date.
func windowEvidence(u *TurnUsage, act Action) {
	if u.guard == nil || refundableUntil(act) == nil {
		return
	}
	u.guard.ev.Texts = append(u.guard.ev.Texts, fmt.Sprintf("Refunds can be requested within %d days of delivery.", int(tools.RefundWindow.Hours()/24)))
}

// shownAgain makes act, a pending action proposed again in turn turnID
// (the buyer gave the order number its card was already for), the
// proposal of that turn: the turn shows the card, so the history shows
// the call there, with its fate, and a reader of the turn's calls (the
// audit view, an eval) finds the call the turn made. The action, its id
// and its button stay the same, so the buyer still confirms once.
func (s *Store) shownAgain(ctx context.Context, act Action, turnID string) (Action, error) {
	if turnID == "" || act.TurnID == turnID {
		return act, nil
	}
	if _, err := s.pool.Exec(ctx, `UPDATE pending_actions SET turn_id = $2 WHERE id = $1 AND status = 'pending'`, act.ID, turnID); err != nil {
		return Action{}, fmt.Errorf("show pending action %s again: %w", act.ID, err)
	}
	act.TurnID = turnID
	return act, nil
}
