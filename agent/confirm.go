package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/csagent/csagent/tools"
)

// The buyer's decisions on pending actions: a confirm frame, or a typed yes
// or no when exactly one action waits.
//
// A decision takes two short transactions and runs the tool between them,
// holding no lock: claim (the action becomes executing, or declined), run
// the tool under the action's stored plan, record what came of it. A runner
// that dies between claim and record leaves the action executing under its
// name; once its heartbeat stops, the next decision or the sweeper claims it
// again and runs the tool once more, which the idempotency key makes safe.

// typedDecision recognises a typed "yes" or "no" as the answer to the one
// pending action. With two or more pending, a bare yes is ambiguous and goes
// to the model like any message.
func (a *Agent) typedDecision(t Turn, st *turnState) (Action, bool, bool) {
	if a.confirm == nil {
		return Action{}, false, false
	}
	yes, no := a.confirm.Confirmation(t.Text, t.Locale)
	if !yes && !no {
		no = a.dropsWaiting(t, st) // "hold on, cancel that" (pendingdrop.go)
	}
	if !yes && !no && len(st.pending) == 1 {
		// "ок, открывайте", "vale, hazlo": the learned reading of an
		// answer to the one card (pendingfollowup.go). Only its go-ahead:
		// its no's are read above, where "погодите" holds the card
		// (holdcard.go) and "담요는 괜찮아요" (the blanket is fine) is no
		// no to it.
		switch a.followUp(t).Act {
		case FollowAccept, FollowAll:
			yes = true
		}
	}
	if !yes && !no {
		return Action{}, false, false
	}
	pending := st.pending
	if len(pending) != 1 {
		return Action{}, false, false
	}
	return pending[0], yes, true
}

// Confirm carries the buyer's decision on a pending action: approved runs
// the action's stored plan (exactly once, whoever asks how often), declined
// drops it. The decision and the reply that narrates its outcome are stored
// as a turn. A second decision on the same action gets the first one's
// reply with Duplicate set (HasReply false while that one runs). A missing
// or foreign action is ErrNotFound; a late one ErrExpired, every time.
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
	// The decision is stored as the buyer's message of a turn registered
	// as running, with the claim: whatever stops this runner from here on,
	// the sweeper finds the turn and narrates what was recorded.
	say := func(act Action) string { return decisionText(locale, approved, a.Describe(act, locale)) }
	d, err := a.execute(tctx, caller, t, NewID("t_"), actionID, approved, say, nil, emit)
	if err != nil {
		return Reply{}, err
	}
	turnID := d.act.DecisionTurnID
	if !d.claimed || !d.recorded {
		prev, has, err := a.store.Reply(ctx, convID, turnID)
		return Reply{TurnID: turnID, Assistant: prev, Duplicate: true, HasReply: has}, err
	}
	if d.takenOver {
		// A decision taken over from a dead runner already has its
		// message, and maybe its reply.
		if prev, has, err := a.store.Reply(ctx, convID, turnID); err != nil || has {
			return Reply{TurnID: turnID, Assistant: prev, Duplicate: true, HasReply: has}, err
		}
	}
	user := d.user
	text, usage := a.narrate(tctx, caller, t, turnID, d, emit)
	reply, err := a.finish(tctx, t, turnID, text, usage, start)
	if err != nil {
		return Reply{}, err
	}
	return Reply{TurnID: turnID, User: user, Assistant: reply, HasReply: true}, nil
}

// TookEffect reports whether the pending action act already took effect:
// its refund, dispute or cancellation exists although its decision was
// lost. Such an action is executed by confirming it (the tool returns what
// was made), never asked about again as if nothing had happened.
func (a *Agent) TookEffect(ctx context.Context, act Action) bool {
	if a.effects == nil || act.Status != ActionPending {
		return false
	}
	done, err := a.effects.TookEffect(ctx, act.ID)
	if err != nil {
		a.logger.WarnContext(ctx, "check the effect of an action", "action_id", act.ID, "err", err)
	}
	return done
}

// decide applies a decision typed as text inside turn turnID, whose state
// st was read with the message: the narration reads nothing again.
func (a *Agent) decide(ctx context.Context, caller tools.Caller, t Turn, turnID string, act Action, approved bool, st *turnState, emit func(Event) error) (string, TurnUsage) {
	d, err := a.execute(ctx, caller, t, turnID, act.ID, approved, nil, st, emit)
	switch {
	case errors.Is(err, ErrExpired):
		return expiredText(t.Locale), TurnUsage{Model: "none", Fallback: "action_expired"}
	case err != nil:
		a.logger.ErrorContext(ctx, "decide action", "turn_id", turnID, "err", err)
		return Fallback(t.Locale), TurnUsage{Model: "none", Fallback: "action_error"}
	case !d.claimed || !d.recorded:
		// Decided meanwhile through the button: say so rather than act again.
		return alreadyDecidedText(t.Locale), TurnUsage{Model: "none"}
	}
	return a.narrate(ctx, caller, t, turnID, d, emit)
}

// decision is what came of a buyer's decision on an action.
type decision struct {
	act Action
	// claimed is false when another decision came first.
	claimed bool
	// takenOver: the action was claimed again from a runner that died.
	takenOver bool
	// overruled: the buyer declined an action that had already taken
	// effect, so it was executed instead.
	overruled bool
	// recorded is false when the outcome could not be recorded as ours.
	recorded bool
	out      tools.Outcome
	// user is the buyer's decision message stored with the claim, for a
	// decision that is a turn of its own.
	user StoredMessage
	// st is the turn's state for the narration, the decided action no
	// longer pending in it; nil reads it then.
	st *turnState
}

// execute records the buyer's decision on actionID and, when approved, runs
// the action's stored plan: claim, run, record. say, for a decision that
// is a turn of its own, words the buyer's message the claim stores, and
// the claim reads the turn's state with it. st is the state of a turn
// that read it with its message (a typed decision).
func (a *Agent) execute(ctx context.Context, caller tools.Caller, t Turn, turnID, actionID string, approved bool, say func(Action) string, st *turnState, emit func(Event) error) (decision, error) {
	var d decision
	if !approved && a.effects != nil {
		// Declining what already happened would be a lie ("I haven't done
		// it") while the refund stands: such an action is executed, and the
		// buyer told the truth.
		done, err := a.effects.TookEffect(ctx, actionID)
		if err != nil {
			return d, fmt.Errorf("check the effect of action %s: %w", actionID, err)
		}
		approved, d.overruled = done, done
	}
	var q *stateQuery
	if say != nil {
		sq := a.stateQuery()
		q = &sq
	}
	act, claimed, user, claimedSt, err := a.store.claim(ctx, caller.ID, t.ConversationID, actionID, turnID, a.lease(), approved, say, q)
	d.act, d.claimed, d.user, d.st = act, claimed, user, claimedSt
	if st != nil {
		rest := *st
		rest.pending = slices.DeleteFunc(slices.Clone(st.pending), func(p Action) bool { return p.ID == actionID })
		d.st = &rest
	}
	if err != nil || !claimed {
		return d, err
	}
	d.takenOver = act.DecisionTurnID != turnID
	if act.Status == ActionDeclined {
		d.recorded = true
		return d, nil
	}
	d.act, d.out = a.run(ctx, t.ConversationID, d.act, emit)
	// The outcome is recorded whatever cut the turn short: the tool ran.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), replyStoreWindow)
	defer cancel()
	d.recorded, err = a.store.record(rctx, d.act, a.runner)
	if err != nil {
		// The action stays executing under our name; once we are gone or
		// the turn is long over, it is claimed again and recorded then.
		a.logger.ErrorContext(ctx, "record action outcome", "action_id", act.ID, "err", err)
		d.recorded = true // the effect is real: narrate it now
	}
	return d, nil
}

// run executes act, claimed for execution, under its approval and stored
// plan, and returns it with its outcome. An action without a stored plan
// (proposed before plans were kept) is not run: it counts as changed.
func (a *Agent) run(ctx context.Context, convID string, act Action, emit func(Event) error) (Action, tools.Outcome) {
	var out tools.Outcome
	emitQuietly(a, ctx, emit, Event{Kind: EventTool, TurnID: act.DecisionTurnID, Tool: act.Tool, Status: "started"})
	call := tools.Call{ID: act.ID, Name: act.Tool, Arguments: act.Arguments, ConversationID: convID, TurnID: act.DecisionTurnID}
	switch {
	case act.Plan != nil:
		out = a.tools.Call(tools.ApprovePlan(ctx, act.ID, *act.Plan), call)
		a.metrics.observeTool(act.Tool, out)
	case a.TookEffect(ctx, Action{ID: act.ID, Status: ActionPending}):
		// Proposed before plans were kept, and done: the call returns what
		// was made under its key, and changes nothing.
		out = a.tools.Call(tools.Approve(ctx, act.ID), call)
		a.metrics.observeTool(act.Tool, out)
	default:
		out.Err = tools.Errorf(tools.CodePlanChanged, "this request was prepared before plans were kept; nothing was done")
	}
	status := "done"
	act.Status, act.Result, act.ErrorCode = ActionExecuted, out.Data, ""
	if out.Err != nil {
		status = "error"
		act.Status, act.ErrorCode = ActionFailed, string(out.Err.Code)
	}
	emitQuietly(a, ctx, emit, Event{Kind: EventTool, TurnID: act.DecisionTurnID, Tool: act.Tool, Status: status})
	return act, out
}

// narrate produces the reply to a decision: a fixed line for a decline; for
// a plan that changed since the buyer saw it, what changed and a new
// confirmation; for an executed action the model's account of the result.
func (a *Agent) narrate(ctx context.Context, caller tools.Caller, t Turn, turnID string, d decision, emit func(Event) error) (string, TurnUsage) {
	act := d.act
	if act.Status == ActionDeclined {
		// The line names the action's order and amount: the guardrails
		// check them against its preview, as for several declined at once.
		u := a.pendingUsage(t, turnID, []Action{act})
		windowEvidence(&u, act) // the window's days the line gives (pendingdrop.go)
		return declinedText(t.Locale, a.Describe(act, t.Locale), refundableUntil(act)), u
	}
	if d.out.Err != nil && d.out.Err.Code == tools.CodePlanChanged {
		if text, ok := a.replan(ctx, caller, t, turnID, act, emit); ok {
			return text, TurnUsage{Model: "none", Fallback: "plan_changed"}
		}
	}
	extra := []Message{
		{Role: RoleAssistant, ToolCalls: []ToolCall{{ID: act.ID, Name: act.Tool, Arguments: act.Arguments}}},
		{Role: RoleTool, ToolCallID: act.ID, Name: act.Tool, Content: toolContent(d.out)},
	}
	text, usage := a.loop(ctx, caller, t, turnID, d.st, extra, emit)
	if d.overruled {
		text = line("already_done", t.Locale) + "\n\n" + text
	}
	return text, usage
}

// replan answers a confirmation whose plan changed before it ran: it plans
// the request again and, if it is still possible, proposes the new plan as
// a new action (a new confirmation card) and says, in the buyer's language,
// what changed. false means the request is no longer possible at all; the
// model then explains why from the tool's error.
func (a *Agent) replan(ctx context.Context, caller tools.Caller, t Turn, turnID string, old Action, emit func(Event) error) (string, bool) {
	call := tools.Call{ID: NewID("c_"), Name: old.Tool, Arguments: old.Arguments, ConversationID: t.ConversationID, TurnID: turnID}
	p, perr := a.tools.Preview(ctx, call)
	if perr != nil {
		return "", false
	}
	act, err := a.proposal(ctx, caller, t, turnID, call, p, func(e Event) { emitQuietly(a, ctx, emit, e) })
	if err != nil {
		a.logger.ErrorContext(ctx, "propose the changed action", "turn_id", turnID, "err", err)
		return "", false
	}
	return changedText(t.Locale, old, act, a.Describe(act, t.Locale)), true
}

// changedText tells the buyer what changed between the action they
// confirmed and the new one they are asked to confirm instead.
func changedText(locale string, old, now Action, summary string) string {
	var was, is tools.Plan
	if old.Plan != nil {
		was = *old.Plan
	}
	if now.Plan != nil {
		is = *now.Plan
	}
	var parts []string
	if was.OrderID != is.OrderID {
		parts = append(parts, fmt.Sprintf(line("changed_order", locale), is.OrderID, was.OrderID))
	}
	if money(was.Amount) != money(is.Amount) {
		parts = append(parts, fmt.Sprintf(line("changed_amount", locale), money(is.Amount), money(was.Amount)))
	}
	if w, n := itemsText(was.Items, old.Details), itemsText(is.Items, now.Details); w != n {
		parts = append(parts, fmt.Sprintf(line("changed_items", locale), n, w))
	}
	if was.Reason != is.Reason {
		parts = append(parts, fmt.Sprintf(line("changed_reason", locale), strings.ReplaceAll(is.Reason, "_", " "), strings.ReplaceAll(was.Reason, "_", " ")))
	}
	if len(parts) == 0 {
		parts = append(parts, line("changed_other", locale))
	}
	return fmt.Sprintf(line("plan_changed", locale), strings.Join(parts, "; "), summary)
}

func money(m *tools.Money) string {
	if m == nil {
		return "—"
	}
	return m.String()
}

// itemsText lists a plan's lines with the names the action's details give
// them: "2 × Trail boots, 1 × Socks".
func itemsText(items []tools.PlanItem, details json.RawMessage) string {
	if len(items) == 0 {
		return "—"
	}
	var d tools.ActionPreview
	json.Unmarshal(details, &d) //nolint:errcheck // without names, lines are shown by number
	names := map[int]string{}
	for _, it := range d.Items {
		names[it.Line] = it.Name
	}
	out := make([]string, len(items))
	for i, it := range items {
		name := names[it.Line]
		if name == "" {
			name = fmt.Sprintf("#%d", it.Line)
		}
		out[i] = fmt.Sprintf("%d × %s", it.Quantity, name)
	}
	return strings.Join(out, ", ")
}
