package agent

import (
	"context"
	"errors"
	"time"

	"github.com/csagent/csagent/tools"
)

// The buyer's decisions on pending actions: a confirm frame, or a typed yes
// or no when exactly one action waits.

// typedDecision recognises a typed "yes" or "no" as the answer to the one
// pending action. With two or more pending, a bare yes is ambiguous and goes
// to the model like any message.
func (a *Agent) typedDecision(ctx context.Context, t Turn) (Action, bool, bool) {
	if a.confirm == nil {
		return Action{}, false, false
	}
	yes, no := a.confirm.Confirmation(t.Text, t.Locale)
	if !yes && !no {
		return Action{}, false, false
	}
	pending, err := a.store.Pending(ctx, t.ConversationID)
	if err != nil {
		a.logger.WarnContext(ctx, "load pending actions", "err", err)
		return Action{}, false, false
	}
	if len(pending) != 1 {
		return Action{}, false, false
	}
	return pending[0], yes, true
}

// Confirm carries the buyer's decision on a pending action: approved runs
// the action (exactly once, whoever asks how often), declined drops it. The
// decision and the reply that narrates its outcome are stored as a turn.
// A second decision on the same action gets the first one's reply with
// Duplicate set. A missing or foreign action is ErrNotFound; a late one
// ErrExpired.
func (a *Agent) Confirm(ctx context.Context, convID, actionID string, approved bool, locale string, emit func(Event) error) (Reply, error) {
	caller, err := buyerFrom(ctx)
	if err != nil {
		return Reply{}, err
	}
	if len(actionID) > 64 {
		return Reply{}, ErrNotFound
	}
	start := time.Now()
	tctx, cancel := context.WithTimeout(ctx, a.cfg.TurnTimeout)
	defer cancel()
	t := Turn{ConversationID: convID, Locale: locale}
	turnID := NewID("t_")
	act, decided, out, err := a.execute(tctx, caller, t, turnID, actionID, approved, emit)
	if err != nil {
		return Reply{}, err
	}
	if !decided {
		prev, has, err := a.store.Reply(ctx, convID, act.DecisionTurnID)
		return Reply{TurnID: act.DecisionTurnID, Assistant: prev, Duplicate: true, HasReply: has}, err
	}
	user, _, err := a.store.Append(tctx, convID, StoredMessage{
		TurnID: turnID, Role: "user", AuthorID: caller.ID, Text: decisionText(locale, approved, a.Describe(act, locale)),
	})
	if err != nil {
		return Reply{}, err
	}
	text, usage := a.narrate(tctx, caller, t, turnID, act, out, emit)
	reply, err := a.finish(tctx, t, turnID, text, usage, start)
	if err != nil {
		return Reply{}, err
	}
	return Reply{TurnID: turnID, User: user, Assistant: reply, HasReply: true}, nil
}

// decide applies a decision typed as text inside turn turnID.
func (a *Agent) decide(ctx context.Context, caller tools.Caller, t Turn, turnID string, act Action, approved bool, emit func(Event) error) (string, TurnUsage) {
	act, decided, out, err := a.execute(ctx, caller, t, turnID, act.ID, approved, emit)
	switch {
	case errors.Is(err, ErrExpired):
		return expiredText(t.Locale), TurnUsage{Model: "none", Fallback: "action_expired"}
	case err != nil:
		a.logger.ErrorContext(ctx, "decide action", "turn_id", turnID, "err", err)
		return Fallback(t.Locale), TurnUsage{Model: "none", Fallback: "action_error"}
	case !decided:
		// Decided meanwhile through the button: say so rather than act again.
		return alreadyDecidedText(t.Locale), TurnUsage{Model: "none"}
	}
	return a.narrate(ctx, caller, t, turnID, act, out, emit)
}

// execute records the buyer's decision on actionID and, when approved, runs
// the tool under the action's approval. decided is false when another
// request decided it first.
func (a *Agent) execute(ctx context.Context, caller tools.Caller, t Turn, turnID, actionID string, approved bool, emit func(Event) error) (Action, bool, tools.Outcome, error) {
	var out tools.Outcome
	act, decided, err := a.store.decide(ctx, caller.ID, t.ConversationID, actionID, func(act Action) Action {
		act.DecisionTurnID = turnID
		if !approved {
			act.Status = ActionDeclined
			return act
		}
		emitQuietly(a, ctx, emit, Event{Kind: EventTool, TurnID: turnID, Tool: act.Tool, Status: "started"})
		out = a.tools.Call(tools.Approve(ctx, act.ID), tools.Call{
			ID: act.ID, Name: act.Tool, Arguments: act.Arguments, ConversationID: t.ConversationID, TurnID: turnID,
		})
		a.metrics.observeTool(act.Tool, out)
		status := "done"
		act.Status, act.Result = ActionExecuted, out.Data
		if out.Err != nil {
			status = "error"
			act.Status, act.ErrorCode = ActionFailed, string(out.Err.Code)
		}
		emitQuietly(a, ctx, emit, Event{Kind: EventTool, TurnID: turnID, Tool: act.Tool, Status: status})
		return act
	})
	return act, decided, out, err
}

// narrate produces the reply to a decision: a fixed line for a decline, and
// for an executed action the model's account of the tool's result.
func (a *Agent) narrate(ctx context.Context, caller tools.Caller, t Turn, turnID string, act Action, out tools.Outcome, emit func(Event) error) (string, TurnUsage) {
	if act.Status == ActionDeclined {
		return declinedText(t.Locale), TurnUsage{Model: "none"}
	}
	extra := []Message{
		{Role: RoleAssistant, ToolCalls: []ToolCall{{ID: act.ID, Name: act.Tool, Arguments: act.Arguments}}},
		{Role: RoleTool, ToolCallID: act.ID, Name: act.Tool, Content: toolContent(out)},
	}
	return a.loop(ctx, caller, t, turnID, extra, emit)
}
