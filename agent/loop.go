package agent

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/csagent/csagent/guardrails"
	"github.com/csagent/csagent/tools"
)

// brain picks the model for a turn: the configured one (or the
// experiment variant's), or the local model once a budget is spent, as
// the turn's state st counted it.
func (a *Agent) brain(st *turnState) (Model, string) {
	if why := a.spentBudget(st); why != "" {
		return a.local, why
	}
	if e := a.turnExposure(st); e.active && e.v.Model != nil {
		return e.v.Model, ""
	}
	return a.model, ""
}

// loop asks the model, runs the tools it calls and repeats until the model
// answers in text, the step limit is reached or the model goes in circles.
// extra are messages of this turn the model must see after the history (a
// decision's tool call and result). st is what the turn read with its
// message; nil reads it now.
//
// The safe reply is decided here, in one place: a turn that ended for a
// fallback reason without a text of its own gets Fallback in the turn's
// locale, and the reason is recorded in the usage.
func (a *Agent) loop(ctx context.Context, caller tools.Caller, t Turn, turnID string, st *turnState, extra []Message, emit func(Event) error) (string, TurnUsage) {
	text, reason, usage := a.steps(ctx, caller, t, turnID, st, extra, emit)
	if reason == "" {
		return text, usage
	}
	usage.Fallback = reason
	if text == "" {
		text = Fallback(t.Locale)
	}
	return text, usage
}

// steps is the loop itself. It returns the reply, or a fallback reason
// ("history", "model_error", "empty_reply", "guardrails", "repeated_call",
// "invalid_arguments", "step_limit") with the text to send instead if it
// has one (an answer grounded in the turn's tool results), else "".
func (a *Agent) steps(ctx context.Context, caller tools.Caller, t Turn, turnID string, st *turnState, extra []Message, emit func(Event) error) (text, reason string, usage TurnUsage) {
	start := time.Now()
	if st == nil {
		var err error
		if st, err = a.store.loadState(ctx, t.ConversationID, a.stateQuery()); err != nil {
			a.logger.ErrorContext(ctx, "load history", "turn_id", turnID, "err", err)
			return "", "history", TurnUsage{}
		}
	}
	model, why := a.brain(st)
	usage = TurnUsage{Fallback: why}
	exp := a.turnExposure(st)
	exp.stamp(&usage)
	ctx, t = a.applyVariant(ctx, t, st)
	specs, wire := a.specs(caller.Role)
	req := Request{Tools: wire, Locale: t.Locale, Pending: pendingActions(st.pending)}
	req.Messages = append(a.history(t, st), extra...)
	model = a.route(ctx, t, st, req, model, why, &usage)
	guard := a.newTurnGuard(t, turnID) // nil without guardrails
	if guard != nil && exp.active && exp.v.Guard != nil {
		guard.g = exp.v.Guard
	}
	if guard != nil {
		req.Messages = guard.screen(ctx, req.Messages)
		guard.noteActions(extra)
		guard.notePending(ctx, req.Pending)
		usage.guard = guard
	}
	seen := map[string]bool{}
	invalid := 0
	firstDelta := func(string) error {
		if usage.FirstTokenMS == 0 {
			usage.FirstTokenMS = max(time.Since(start).Milliseconds(), 1)
		}
		return nil
	}

	limit := a.cfg.MaxSteps
	for step := 1; step <= limit; step++ {
		usage.Steps = step
		onDelta, flush := firstDelta, func() {}
		if guard != nil {
			if m, ok := model.(*answerModel); ok && m.calls == 0 {
				guard.expectCached(m.hit.text)
			}
			// Only checked sentences stream; without guardrails the reply
			// arrives whole.
			onDelta, flush = guard.stream(ctx, emit, firstDelta)
		}
		resp, err := model.Generate(ctx, req, onDelta)
		flush()
		if err != nil {
			a.logger.WarnContext(ctx, "model failed", "turn_id", turnID, "step", step, "err", err)
			return "", "model_error", usage
		}
		usage.Model = resp.Model
		if resp.Fallback != "" && usage.Fallback == "" {
			usage.Fallback = resp.Fallback
		}
		usage.PromptTokens += resp.Usage.PromptTokens
		usage.CompletionTokens += resp.Usage.CompletionTokens
		msg := resp.Message
		msg.Role = RoleAssistant
		if len(msg.ToolCalls) == 0 {
			if llm, ok := a.escalate(ctx, resp, &usage); ok {
				// The same turn, once more, by the LLM: it sees what the
				// local model's tools found, not its give-up text.
				model, seen = llm, map[string]bool{}
				limit++
				continue
			}
			if msg.Content == "" {
				return "", "empty_reply", usage
			}
			if guard == nil {
				return msg.Content, "", usage
			}
			r, ok := guard.check(ctx, msg.Content, &usage)
			if !ok && !guard.rec.Regenerated {
				// One more model call, with what was wrong as feedback.
				req.Messages = append(req.Messages, guard.regenerate(ctx, msg.Content, r)...)
				limit++
				continue
			}
			usage.Guardrail = guard.decided(ctx, r)
			if !ok {
				text, _ = a.grounded(ctx, req, guard)
				return text, "guardrails", usage
			}
			guard.releaseHeld(ctx, emit, r.Text)
			return r.Text, "", usage
		}

		for _, c := range msg.ToolCalls {
			key := c.Name + "\x00" + string(c.Arguments)
			if seen[key] {
				a.logger.WarnContext(ctx, "model repeated a tool call", "turn_id", turnID, "tool", c.Name)
				return "", "repeated_call", usage
			}
			seen[key] = true
		}
		req.Messages = append(req.Messages, msg)
		results := a.runTools(ctx, caller, specs, t, turnID, msg.ToolCalls, req.Messages, emit)
		usage.ToolCalls += len(results)
		for _, r := range results {
			if r.invalid {
				invalid++
			}
			if r.refusal != nil {
				usage.refusals = append(usage.refusals, *r.refusal)
			}
			if guard != nil {
				r.msg = guard.addResult(ctx, r.msg)
			}
			req.Messages = append(req.Messages, r.msg)
		}
		if invalid > maxInvalidArguments {
			a.logger.WarnContext(ctx, "model kept sending invalid arguments", "turn_id", turnID)
			return "", "invalid_arguments", usage
		}
	}
	a.logger.WarnContext(ctx, "turn reached the step limit", "turn_id", turnID, "steps", a.cfg.MaxSteps)
	return "", "step_limit", usage
}

type toolResult struct {
	msg     Message
	invalid bool
	// refusal is set when the policy refused the call.
	refusal *turnRefusal
}

// runTools runs one step's tool calls concurrently and returns the tool
// messages that answer them, in the order the model asked. A consequential
// call is not run: it becomes a pending action the buyer must confirm.
// seen is what the model saw of the conversation, from which a handoff's
// brief is read (handoff.go).
func (a *Agent) runTools(ctx context.Context, caller tools.Caller, specs []tools.Spec, t Turn, turnID string, calls []ToolCall, seen []Message, emit func(Event) error) []toolResult {
	out := make([]toolResult, len(calls))
	var wg sync.WaitGroup
	var emitMu sync.Mutex
	send := func(e Event) {
		emitMu.Lock()
		defer emitMu.Unlock()
		emitQuietly(a, ctx, emit, e)
	}
	for i, c := range calls {
		wg.Go(func() {
			call := tools.Call{ID: c.ID, Name: c.Name, Arguments: c.Arguments, ConversationID: t.ConversationID, TurnID: turnID}
			if c.Name == handoffTool {
				call.Brief = handoffBrief(seen)
			}
			si := slices.IndexFunc(specs, func(s tools.Spec) bool { return s.Name == c.Name })
			label := c.Name
			if si < 0 {
				label = "unknown" // model-made names stay out of metric labels
			}
			var content string
			var code tools.Code
			var refusal *turnRefusal
			if si >= 0 && specs[si].Consequential {
				content, code, refusal = a.propose(ctx, caller, t, turnID, call, send)
			} else {
				send(Event{Kind: EventTool, TurnID: turnID, Tool: c.Name, Status: "started"})
				o := a.tools.Call(ctx, call)
				a.metrics.observeTool(label, o)
				status := "done"
				if o.Err != nil {
					status, code = "error", o.Err.Code
				}
				send(Event{Kind: EventTool, TurnID: turnID, Tool: c.Name, Status: status})
				// Announced on every successful call, a repeat too: the
				// event is the conversation's state (it waits for a
				// person), which the widget sets idempotently; the tool
				// keeps one open handoff and alerts people once.
				if o.Err == nil && c.Name == handoffTool {
					send(Event{Kind: EventHandoff, TurnID: turnID, Text: handoffReason(c.Arguments)})
				}
				content = toolContent(o)
			}
			out[i] = toolResult{
				msg:     Message{Role: RoleTool, ToolCallID: c.ID, Name: c.Name, Content: content},
				invalid: code == tools.CodeInvalidArgument,
				refusal: refusal,
			}
		})
	}
	wg.Wait()
	return out
}

// handoffTool is the tool that puts a conversation in the queue for a
// person; its success is announced to the client as a handoff.
const handoffTool = "handoff_to_human"

func handoffReason(args json.RawMessage) string {
	var a struct {
		Reason string `json:"reason"`
	}
	if json.Unmarshal(args, &a) != nil || a.Reason == "" {
		return "other"
	}
	return a.Reason
}

// propose turns a consequential call into a pending action: the tool checks
// it without side effects, the buyer is asked to confirm, and the model is
// told that it waits for the buyer — never that it is done. A call the
// policy refuses gets the alternative the policy allows prepared instead,
// when there is one (refused).
func (a *Agent) propose(ctx context.Context, caller tools.Caller, t Turn, turnID string, call tools.Call, send func(Event)) (string, tools.Code, *turnRefusal) {
	p, perr := a.tools.Preview(ctx, call)
	if perr != nil && perr.Refusal != nil {
		content, tr := a.refused(ctx, caller, t, turnID, call, perr, send)
		return content, perr.Code, &tr
	}
	if perr != nil {
		return toolContent(tools.Outcome{Err: perr}), perr.Code, nil
	}
	act, err := a.proposal(ctx, caller, t, turnID, call, p, send)
	if err != nil {
		a.logger.ErrorContext(ctx, "propose action", "turn_id", turnID, "err", err)
		return toolContent(tools.Outcome{Err: tools.Errorf(tools.CodeUnavailable, "the action could not be prepared; please try again")}), tools.CodeUnavailable, nil
	}
	b, _ := json.Marshal(ToolResult{
		OK: true, Data: act.Details, PendingConfirmation: true, ActionID: act.ID,
		Summary: "Not done yet: the customer has been asked to confirm: " + act.Summary +
			". Tell them to confirm with the button or by replying yes. Do not say it is done.",
	})
	return string(b), "", nil
}

// proposal stores call, previewed as p, as a pending action with p's plan,
// and asks the buyer to confirm it.
func (a *Agent) proposal(ctx context.Context, caller tools.Caller, t Turn, turnID string, call tools.Call, p tools.Preview, send func(Event)) (Action, error) {
	details, err := json.Marshal(p.Data)
	if err != nil {
		details = json.RawMessage("{}")
	}
	plan := p.Plan
	act, err := a.store.Propose(ctx, Action{
		ID: NewID("a_"), ConversationID: t.ConversationID, BuyerID: caller.ID, TurnID: turnID,
		Tool: call.Name, Arguments: call.Arguments, Summary: p.Summary, Details: details, Plan: &plan,
		ExpiresAt: time.Now().Add(a.cfg.ActionTTL),
	})
	if err != nil {
		return Action{}, err
	}
	send(Event{Kind: EventConfirm, TurnID: turnID, Tool: call.Name, ActionID: act.ID, Text: a.Describe(act, t.Locale)})
	return act, nil
}

func emitQuietly(a *Agent, ctx context.Context, emit func(Event) error, e Event) {
	if err := emit(e); err != nil {
		a.logger.DebugContext(ctx, "emit event", "turn_id", e.TurnID, "err", err)
	}
}

// grounded returns the local model's answer from this turn's tool results,
// for a turn whose LLM reply the guardrails rejected: the buyer learns
// what the tools said ("Order ORD-10003 shipped on 2026-12-03 with UPS,
// tracking …") rather than a bare apology. It reports false when there is
// no local model, no tool answered this turn, the local model would rather
// call a tool, or its answer does not pass the guardrails either.
func (a *Agent) grounded(ctx context.Context, req Request, guard *turnGuard) (string, bool) {
	if a.local == nil || !hasTurnResults(req.Messages) {
		return "", false
	}
	resp, err := a.local.Generate(ctx, req, nil)
	if err != nil || resp.Message.Content == "" || len(resp.Message.ToolCalls) > 0 {
		return "", false
	}
	r := guard.g.CheckOutput(resp.Message.Content, guard.locale, audienceBuyer, guard.ev)
	if r.Verdict == guardrails.Fallback || r.Text == "" {
		return "", false
	}
	a.logger.InfoContext(ctx, "answered from the turn's tool results with the local model", "turn_id", guard.turnID)
	return r.Text, true
}

// hasTurnResults reports whether a tool answered after the buyer's last
// message.
func hasTurnResults(msgs []Message) bool {
	for i := len(msgs) - 1; i >= 0; i-- {
		switch msgs[i].Role {
		case RoleUser:
			return false
		case RoleTool:
			return true
		}
	}
	return false
}
