// Package agent runs csagent's chat turns: the loop that asks a model, runs
// the tools it asks for and stores the transcript, with the conversation
// memory it reads and writes, the model interface and its providers (an
// OpenAI-compatible LLM and, in package local, the built-in model), the
// system prompt, budgets, and the usage each turn records.
//
// The loop is one typed function that reads top to bottom: model, tools,
// repeat, store. Safety does not depend on the model: tools are scoped to the
// caller in the context, consequential tools run only on the buyer's explicit
// confirmation, and a step limit and a repeat detector end a turn that goes
// nowhere.
package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/csagent/csagent/tools"
)

// Tools is what the agent needs of the tool registry.
type Tools interface {
	// Specs describes the tools role may call.
	Specs(role tools.Role) []tools.Spec
	// Preview checks a consequential call without running it and describes
	// it for the buyer to confirm; an ineligible call is a coded error.
	Preview(ctx context.Context, call tools.Call) (tools.Preview, *tools.Error)
	// Call runs one call for the Caller in ctx. Failures come back as an
	// Outcome with a coded Err, never as a Go error.
	Call(ctx context.Context, call tools.Call) tools.Outcome
}

// Confirmations reads a buyer's typed answer to a pending action.
type Confirmations interface {
	// Confirmation reports whether text says yes or no (neither, for
	// anything else).
	Confirmation(text, locale string) (yes, no bool)
}

// Summaries describes a pending action in the buyer's language, from the
// tool's structured preview.
type Summaries interface {
	Summary(locale, tool string, details json.RawMessage) string
}

// Config tunes the loop.
type Config struct {
	// MaxSteps bounds the model calls of one turn.
	MaxSteps int
	// TurnTimeout bounds one turn, model and tools together.
	TurnTimeout time.Duration
	// HistoryMessages is how many stored messages memory reads.
	HistoryMessages int
	// ContextTokens is the budget of the window the model sees; the oldest
	// messages are dropped to fit.
	ContextTokens int
	// ActionTTL is how long a pending action waits for confirmation.
	ActionTTL time.Duration
	// ConversationTokens and DailyTokens are LLM budgets; past either, the
	// local model answers. Zero means no limit.
	ConversationTokens int
	DailyTokens        int
	// PriceInPerMTok and PriceOutPerMTok are the LLM's prices in USD per
	// million prompt and completion tokens, for the cost each turn records.
	PriceInPerMTok  float64
	PriceOutPerMTok float64
}

func (c Config) withDefaults() Config {
	if c.MaxSteps <= 0 {
		c.MaxSteps = 8
	}
	if c.TurnTimeout <= 0 {
		c.TurnTimeout = 60 * time.Second
	}
	if c.HistoryMessages <= 0 {
		c.HistoryMessages = 40
	}
	if c.ContextTokens <= 0 {
		c.ContextTokens = 6000
	}
	if c.ActionTTL <= 0 {
		c.ActionTTL = 15 * time.Minute
	}
	return c
}

// Options is what an Agent is built from.
type Options struct {
	Logger *slog.Logger
	// Model answers turns: an LLM (or a Chain of them ending in the local
	// model), or the local model alone.
	Model Model
	// Local answers when a budget is spent; nil means Model.
	Local Model
	Tools Tools
	Store *Store
	// Confirmations reads typed yes/no; nil means only confirm frames count.
	Confirmations Confirmations
	// Summaries localizes action summaries; nil shows the tools' English.
	Summaries Summaries
	Metrics   *Metrics
	Config    Config
}

// Agent runs chat turns. It is safe for concurrent use.
type Agent struct {
	model Model
	// local answers once a budget is spent; nil when Model is the only brain.
	local   Model
	tools   Tools
	store   *Store
	confirm Confirmations
	summary Summaries
	logger  *slog.Logger
	metrics *Metrics
	cfg     Config
}

// New returns an Agent built from o.
func New(o Options) *Agent {
	return &Agent{
		model:   o.Model,
		local:   o.Local,
		tools:   o.Tools,
		store:   o.Store,
		confirm: o.Confirmations,
		summary: o.Summaries,
		logger:  o.Logger.With("component", "agent"),
		metrics: o.Metrics,
		cfg:     o.Config.withDefaults(),
	}
}

// Store returns the agent's conversation store.
func (a *Agent) Store() *Store { return a.store }

// Describe returns act's summary in locale, for the buyer to confirm.
func (a *Agent) Describe(act Action, locale string) string {
	if a.summary == nil {
		return act.Summary
	}
	if s := a.summary.Summary(locale, act.Tool, act.Details); s != "" {
		return s
	}
	return act.Summary
}

// Turn is one buyer message to answer.
type Turn struct {
	ConversationID string
	// ClientID is the client's id for the message; a repeat is answered
	// from the transcript, not run again.
	ClientID string
	Text     string
	Locale   string
}

// EventKind says what an Event reports.
type EventKind string

// The events a turn reports while it runs.
const (
	EventTool    EventKind = "tool"
	EventDelta   EventKind = "delta"
	EventConfirm EventKind = "confirm_request"
	// EventHandoff says the conversation now waits for a person; Text is
	// the reason.
	EventHandoff EventKind = "handoff"
)

// Event is progress of a running turn, for the client to show.
type Event struct {
	Kind   EventKind
	TurnID string
	Text   string
	// Tool and Status describe a tool event: "started", "done" or "error".
	Tool   string
	Status string
	// ActionID names the action a confirm_request asks about; Text is then
	// its summary in the buyer's language.
	ActionID string
}

// Reply is what a turn leaves in the transcript.
type Reply struct {
	TurnID    string
	User      StoredMessage
	Assistant StoredMessage
	// Duplicate is set when the message (or decision) was seen before.
	// Assistant is then the earlier reply, or empty (HasReply false) while
	// that turn still runs.
	Duplicate bool
	HasReply  bool
}

// TurnUsage is the record every turn keeps with its reply.
type TurnUsage struct {
	Model            string  `json:"model"`
	PromptVersion    string  `json:"prompt_version"`
	PromptTokens     int     `json:"prompt_tokens"`
	CompletionTokens int     `json:"completion_tokens"`
	CostUSD          float64 `json:"cost_usd,omitempty"`
	Steps            int     `json:"steps"`
	ToolCalls        int     `json:"tool_calls"`
	FirstTokenMS     int64   `json:"first_token_ms,omitempty"`
	TotalMS          int64   `json:"total_ms"`
	// Fallback says why the safe reply or a fallback model answered.
	Fallback string `json:"fallback,omitempty"`
}

// MaxMessageBytes bounds the text of one buyer message.
const MaxMessageBytes = 4000

// maxInvalidArguments is how many arguments a model may get wrong in one
// turn before the turn ends: the error goes back to the model once or twice,
// never to the tool.
const maxInvalidArguments = 2

// ErrInvalid wraps a turn the agent refuses before doing anything.
var ErrInvalid = errors.New("invalid turn")

func buyerFrom(ctx context.Context) (tools.Caller, error) {
	c, ok := tools.CallerFrom(ctx)
	if !ok || c.Role != tools.RoleBuyer {
		return tools.Caller{}, fmt.Errorf("%w: no buyer in context", ErrInvalid)
	}
	return c, nil
}

// Run answers one buyer message in t. The buyer is the tools.Caller in ctx.
// Progress goes to emit as it happens; the stored user message and reply
// come back in Reply. ctx is the turn's own lifetime (the server's, not the
// connection's), so a buyer who goes away still finds the reply on return.
// Run returns an error only when nothing could be stored (bad input, the
// database down); a model or tool failure still ends in a stored reply.
func (a *Agent) Run(ctx context.Context, t Turn, emit func(Event) error) (Reply, error) {
	caller, err := buyerFrom(ctx)
	if err != nil {
		return Reply{}, err
	}
	if t.Text == "" || len(t.Text) > MaxMessageBytes {
		return Reply{}, fmt.Errorf("%w: a message must have 1 to %d bytes", ErrInvalid, MaxMessageBytes)
	}
	start := time.Now()
	turnID := NewID("t_")
	user, dup, err := a.store.Append(ctx, t.ConversationID, StoredMessage{
		TurnID: turnID, Role: "user", AuthorID: caller.ID, Text: t.Text, ClientID: t.ClientID,
	})
	if err != nil {
		return Reply{}, err
	}
	if dup {
		prev, has, err := a.store.Reply(ctx, t.ConversationID, user.TurnID)
		return Reply{TurnID: user.TurnID, User: user, Assistant: prev, Duplicate: true, HasReply: has}, err
	}
	tctx, cancel := context.WithTimeout(ctx, a.cfg.TurnTimeout)
	defer cancel()

	var text string
	var usage TurnUsage
	if act, approved, ok := a.typedDecision(tctx, t); ok {
		text, usage = a.decide(tctx, caller, t, turnID, act, approved, emit)
	} else {
		text, usage = a.loop(tctx, caller, t, turnID, nil, emit)
	}
	reply, err := a.finish(tctx, t, turnID, text, usage, start)
	if err != nil {
		return Reply{}, err
	}
	return Reply{TurnID: turnID, User: user, Assistant: reply, HasReply: true}, nil
}

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

// finish stores the turn's reply with its usage and counts the turn.
func (a *Agent) finish(ctx context.Context, t Turn, turnID, text string, usage TurnUsage, start time.Time) (StoredMessage, error) {
	usage.TotalMS = time.Since(start).Milliseconds()
	usage.PromptVersion = PromptVersion
	usage.CostUSD = (float64(usage.PromptTokens)*a.cfg.PriceInPerMTok + float64(usage.CompletionTokens)*a.cfg.PriceOutPerMTok) / 1e6
	ub, _ := json.Marshal(usage)
	// Whatever cut the turn short, its reply is stored.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	reply, _, err := a.store.Append(sctx, t.ConversationID, StoredMessage{
		TurnID: turnID, Role: "assistant", AuthorID: "agent", Text: text, Usage: ub,
	})
	if err != nil {
		return StoredMessage{}, err
	}
	if n := usage.PromptTokens + usage.CompletionTokens; n > 0 {
		if err := a.store.AddTokens(sctx, time.Now(), n); err != nil {
			a.logger.WarnContext(ctx, "count tokens", "err", err)
		}
	}
	a.metrics.observeTurn(usage, time.Since(start))
	return reply, nil
}

// brain picks the model for a turn: the configured one, or the local model
// once a budget is spent.
func (a *Agent) brain(ctx context.Context, convID string) (Model, string) {
	if a.local == nil || (a.cfg.ConversationTokens <= 0 && a.cfg.DailyTokens <= 0) {
		return a.model, ""
	}
	if a.cfg.ConversationTokens > 0 {
		n, err := a.store.ConversationTokens(ctx, convID)
		if err == nil && n >= a.cfg.ConversationTokens {
			return a.local, "conversation_budget"
		}
	}
	if a.cfg.DailyTokens > 0 {
		n, err := a.store.DailyTokens(ctx, time.Now())
		if err == nil && n >= a.cfg.DailyTokens {
			return a.local, "daily_budget"
		}
	}
	return a.model, ""
}

// loop asks the model, runs the tools it calls and repeats until the model
// answers in text, the step limit is reached or the model goes in circles.
// extra are messages of this turn the model must see after the history (a
// decision's tool call and result).
func (a *Agent) loop(ctx context.Context, caller tools.Caller, t Turn, turnID string, extra []Message, emit func(Event) error) (string, TurnUsage) {
	start := time.Now()
	model, why := a.brain(ctx, t.ConversationID)
	usage := TurnUsage{Fallback: why}
	specs := a.tools.Specs(caller.Role)
	req := Request{Tools: toolSpecs(specs), Locale: t.Locale}
	history, err := a.history(ctx, t)
	if err != nil {
		a.logger.ErrorContext(ctx, "load history", "turn_id", turnID, "err", err)
		usage.Fallback = "history"
		return Fallback(t.Locale), usage
	}
	req.Messages = append(history, extra...)
	seen := map[string]bool{}
	invalid := 0
	firstDelta := func(string) error {
		if usage.FirstTokenMS == 0 {
			usage.FirstTokenMS = max(time.Since(start).Milliseconds(), 1)
		}
		return nil
	}

	for step := 1; step <= a.cfg.MaxSteps; step++ {
		usage.Steps = step
		resp, err := model.Generate(ctx, req, firstDelta)
		if err != nil {
			a.logger.WarnContext(ctx, "model failed", "turn_id", turnID, "step", step, "err", err)
			usage.Fallback = "model_error"
			return Fallback(t.Locale), usage
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
			if msg.Content == "" {
				usage.Fallback = "empty_reply"
				return Fallback(t.Locale), usage
			}
			return msg.Content, usage
		}

		for _, c := range msg.ToolCalls {
			key := c.Name + "\x00" + string(c.Arguments)
			if seen[key] {
				a.logger.WarnContext(ctx, "model repeated a tool call", "turn_id", turnID, "tool", c.Name)
				usage.Fallback = "repeated_call"
				return Fallback(t.Locale), usage
			}
			seen[key] = true
		}
		req.Messages = append(req.Messages, msg)
		results := a.runTools(ctx, caller, specs, t, turnID, msg.ToolCalls, emit)
		usage.ToolCalls += len(results)
		for _, r := range results {
			if r.invalid {
				invalid++
			}
			req.Messages = append(req.Messages, r.msg)
		}
		if invalid > maxInvalidArguments {
			a.logger.WarnContext(ctx, "model kept sending invalid arguments", "turn_id", turnID)
			usage.Fallback = "invalid_arguments"
			return Fallback(t.Locale), usage
		}
	}
	a.logger.WarnContext(ctx, "turn reached the step limit", "turn_id", turnID, "steps", a.cfg.MaxSteps)
	usage.Fallback = "step_limit"
	return Fallback(t.Locale), usage
}

type toolResult struct {
	msg     Message
	invalid bool
}

// runTools runs one step's tool calls concurrently and returns the tool
// messages that answer them, in the order the model asked. A consequential
// call is not run: it becomes a pending action the buyer must confirm.
func (a *Agent) runTools(ctx context.Context, caller tools.Caller, specs []tools.Spec, t Turn, turnID string, calls []ToolCall, emit func(Event) error) []toolResult {
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
			si := slices.IndexFunc(specs, func(s tools.Spec) bool { return s.Name == c.Name })
			label := c.Name
			if si < 0 {
				label = "unknown" // model-made names stay out of metric labels
			}
			var content string
			var code tools.Code
			if si >= 0 && specs[si].Consequential {
				content, code = a.propose(ctx, caller, t, turnID, call, send)
			} else {
				send(Event{Kind: EventTool, TurnID: turnID, Tool: c.Name, Status: "started"})
				o := a.tools.Call(ctx, call)
				a.metrics.observeTool(label, o)
				status := "done"
				if o.Err != nil {
					status, code = "error", o.Err.Code
				}
				send(Event{Kind: EventTool, TurnID: turnID, Tool: c.Name, Status: status})
				if o.Err == nil && c.Name == handoffTool {
					send(Event{Kind: EventHandoff, TurnID: turnID, Text: handoffReason(c.Arguments)})
				}
				content = toolContent(o)
			}
			out[i] = toolResult{
				msg:     Message{Role: RoleTool, ToolCallID: c.ID, Name: c.Name, Content: content},
				invalid: code == tools.CodeInvalidArgument,
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
// told that it waits for the buyer — never that it is done.
func (a *Agent) propose(ctx context.Context, caller tools.Caller, t Turn, turnID string, call tools.Call, send func(Event)) (string, tools.Code) {
	p, perr := a.tools.Preview(ctx, call)
	if perr != nil {
		return toolContent(tools.Outcome{Err: perr}), perr.Code
	}
	details, err := json.Marshal(p.Data)
	if err != nil {
		details = json.RawMessage("{}")
	}
	act, err := a.store.Propose(ctx, Action{
		ID: NewID("a_"), ConversationID: t.ConversationID, BuyerID: caller.ID, TurnID: turnID,
		Tool: call.Name, Arguments: call.Arguments, Summary: p.Summary, Details: details,
		ExpiresAt: time.Now().Add(a.cfg.ActionTTL),
	})
	if err != nil {
		a.logger.ErrorContext(ctx, "propose action", "turn_id", turnID, "err", err)
		return toolContent(tools.Outcome{Err: tools.Errorf(tools.CodeUnavailable, "the action could not be prepared; please try again")}), tools.CodeUnavailable
	}
	send(Event{Kind: EventConfirm, TurnID: turnID, Tool: call.Name, ActionID: act.ID, Text: a.Describe(act, t.Locale)})
	b, _ := json.Marshal(ToolResult{
		OK: true, Data: act.Details, PendingConfirmation: true, ActionID: act.ID,
		Summary: "Not done yet: the customer has been asked to confirm: " + act.Summary +
			". Tell them to confirm with the button or by replying yes. Do not say it is done.",
	})
	return string(b), ""
}

func emitQuietly(a *Agent, ctx context.Context, emit func(Event) error, e Event) {
	if err := emit(e); err != nil {
		a.logger.DebugContext(ctx, "emit event", "turn_id", e.TurnID, "err", err)
	}
}

// ToolResult is how a tool's outcome is shown to a model: the JSON content of
// a tool message.
type ToolResult struct {
	OK      bool            `json:"ok"`
	Data    json.RawMessage `json:"data,omitempty"`
	Summary string          `json:"summary,omitempty"`
	Error   *ToolError      `json:"error,omitempty"`
	// PendingConfirmation is set for a consequential call that now waits
	// for the buyer's confirmation as ActionID.
	PendingConfirmation bool   `json:"pending_confirmation,omitempty"`
	ActionID            string `json:"action_id,omitempty"`
}

// ToolError is a failed tool call as a model sees it.
type ToolError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func toolContent(o tools.Outcome) string {
	r := ToolResult{OK: o.Err == nil, Data: o.Data, Summary: o.Text}
	if o.Err != nil {
		r.Error = &ToolError{Code: string(o.Err.Code), Message: o.Err.Message}
	}
	b, _ := json.Marshal(r)
	return string(b)
}

func toolSpecs(specs []tools.Spec) []ToolSpec {
	out := make([]ToolSpec, len(specs))
	for i, s := range specs {
		out[i] = ToolSpec{Name: s.Name, Description: s.Description, Parameters: s.Parameters}
	}
	return out
}
