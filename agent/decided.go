package agent

import (
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// A consequential call is not run when the model makes it: it becomes an
// action the buyer confirms or calls off, kept in pending_actions, not in
// the audit log of calls that ran. A model reading the conversation again
// must still see it, and what became of it: without it a buyer's "so
// nothing got cancelled?" after calling a cancellation off reads as a new
// question about an order nothing was proposed for, and the request the
// action served as still open, to be proposed again. So each action
// proposed in the history's window is shown in its turn as the call it
// was, with its fate as stored (waiting, called off, expired, carried out,
// failed) as the call's result; never as the model's own account of it.

// turnActionsSQL reads, for a turn, the actions of conversation $1 still
// waiting for a decision and not expired (as pendingSQL does), and those
// proposed in the turns of its newest $2 messages that the model
// answered, whatever became of them; each row is flagged with the lists it
// belongs to. One statement and one scan of the conversation's actions
// instead of two. Oldest first; actions created at the same instant come
// by id, an order pendingSQL's ORDER BY created_at allows too.
const turnActionsSQL = `SELECT ` + actionColumns + `, pending, proposed FROM (SELECT pa.*,
		coalesce(pa.status = 'pending' AND pa.expires_at > now(), false) AS pending,
		coalesce(pa.turn_id IN (SELECT w.turn_id FROM (SELECT turn_id, role FROM messages
			WHERE conversation_id = $1 ORDER BY seq DESC LIMIT $2) w WHERE w.role = 'assistant'), false) AS proposed
	FROM pending_actions pa WHERE pa.conversation_id = $1) a
	WHERE pending OR proposed ORDER BY created_at, id`

// readActions reads the rows of turnActionsSQL into st: its pending
// actions, and the actions its window proposed, each added to the calls
// of the turn that proposed it, after the calls that ran.
func (st *turnState) readActions(rows pgx.Rows) error {
	defer rows.Close()
	var proposed []Action
	for rows.Next() {
		var a Action
		var pending, inWindow bool
		if err := rows.Scan(append(a.fields(), &pending, &inWindow)...); err != nil {
			return fmt.Errorf("load the conversation's actions: %w", err)
		}
		if pending {
			st.pending = append(st.pending, a)
		}
		if inWindow {
			proposed = append(proposed, a)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load the conversation's actions: %w", err)
	}
	if len(proposed) > 0 && st.calls == nil {
		st.calls = map[string][]pastCall{}
	}
	st.proposed = proposed
	for _, act := range proposed {
		st.calls[act.TurnID] = append(st.calls[act.TurnID], pastCall{
			callID: act.ID, tool: act.Tool, args: act.Arguments, result: proposalContent(act),
		})
	}
	return nil
}

// proposalContent is the tool message a proposed action shows in a later
// turn: what the buyer was asked to confirm (the tool's preview) and, as
// Decision, what became of it.
func proposalContent(act Action) string {
	r := ToolResult{OK: true, Data: act.Details, PendingConfirmation: true, ActionID: act.ID}
	if !json.Valid(r.Data) {
		r.Data = nil
	}
	switch act.Status {
	case ActionPending:
		r.Summary = "Proposed; waiting for the customer's confirmation: " + act.Summary + ". It is not done."
	case ActionDeclined:
		r.Decision = ActionDeclined
		r.Summary = "Proposed, then called off by the customer: it was not done and nothing changed (" + act.Summary + ")."
	case ActionExpired:
		r.Decision = ActionExpired
		r.Summary = "Proposed, then expired without the customer's confirmation: it was not done (" + act.Summary + ")."
	case ActionExecuting, ActionExecuted:
		r.Decision = ActionExecuted
		r.Summary = "Proposed, then confirmed by the customer and carried out (" + act.Summary + ")."
	case ActionFailed:
		r.Decision = ActionFailed
		r.Summary = "Proposed and confirmed by the customer, but it failed (" + act.ErrorCode + "): it was not done (" + act.Summary + ")."
	}
	return toolContentOf(r)
}
