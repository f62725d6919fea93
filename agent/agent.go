// Package agent runs csagent's chat turns: the loop that asks a model, runs
// the tools it asks for and stores the transcript, with the conversation
// memory it reads and writes, the model interface and its providers (an
// OpenAI-compatible LLM and, in package local, the built-in model), the
// system prompt, budgets, and the usage each turn records.
//
// The loop is one typed function that reads top to bottom: model, tools,
// guardrails, repeat, store. Safety does not depend on the model: tools are
// scoped to the caller in the context, consequential tools run only on the
// buyer's explicit confirmation, the guardrails (a Guard) screen what the
// model reads and check every reply before the buyer sees it, streamed or
// whole, and a step limit and a repeat detector end a turn that goes
// nowhere.
package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/csagent/csagent/tools"
)

// Tools is what the agent needs of the tool registry.
type Tools interface {
	// Specs describes the tools role may call; an Agent asks once per role
	// and keeps the answer.
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

// Effects tells whether a confirmed action took effect: something was made
// under its idempotency key. *tools.Store is one.
type Effects interface {
	// TookEffect reports whether a refund, dispute or cancellation exists
	// under actionID's idempotency key.
	TookEffect(ctx context.Context, actionID string) (bool, error)
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
	// ShopDailyTokens is the LLM budget per UTC day of one shop's
	// conversations (the shop a conversation is routed to); past it, the
	// local model answers that shop's buyers. Zero means no limit.
	ShopDailyTokens int
	// PolicyCache answers a policy question asked before from the stored
	// guard-passed answer (policycache.go).
	PolicyCache bool
	// PriceInPerMTok and PriceOutPerMTok are the LLM's prices in USD per
	// million prompt and completion tokens, for the cost each turn records.
	PriceInPerMTok  float64
	PriceOutPerMTok float64
	// Routing is local-first routing (route.go); off by default.
	Routing Routing
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
	// Effects finds actions that took effect while their decision was
	// lost; nil trusts the stored decision.
	Effects Effects
	// Confirmations reads typed yes/no; nil means only confirm frames count.
	Confirmations Confirmations
	// Summaries localizes action summaries; nil shows the tools' English.
	Summaries Summaries
	// Guard checks what the model reads and what the buyer reads
	// (package guardrails); nil checks nothing and streams no deltas.
	// serve, eval and bench always set it.
	Guard Guard
	// Judge, with an LLM configured, decides policy statements the
	// Guard's support score cannot; nil leaves its verdict alone.
	Judge Judge
	// Reader reads a turn the way the local model would, for local-first
	// routing (Config.Routing); nil routes nothing.
	Reader  Reader
	Metrics *Metrics
	Config  Config

	// Experiments assigns buyers to experiment variants and says what
	// each changes; nil runs every turn with the defaults.
	Experiments Experiments
}

// Agent runs chat turns. It is safe for concurrent use.
type Agent struct {
	model Model
	// local answers once a budget is spent; nil when Model is the only brain.
	local   Model
	tools   Tools
	store   *Store
	effects Effects
	// runner names this Agent in the turns and actions it claims, so
	// another can take them over when its heartbeat stops (see Sweep).
	runner  string
	confirm Confirmations
	summary Summaries
	guard   Guard
	judge   Judge
	reader  Reader
	// experiments is nil without experiments.
	experiments Experiments
	// screened remembers the guardrails' screening of history.
	screened *screenCache
	// verdicts remembers the guardrails' passes of cached policy answers.
	verdicts *verdictCache
	// answers keeps the policy answers found in force (policymemo.go).
	answers *answerMemo
	// roleSpecs holds, by role, the tools' specs and the model's view of
	// them (roleSpecs), built on a role's first turn.
	roleSpecs sync.Map
	logger    *slog.Logger
	metrics   *Metrics
	cfg       Config
}

// New returns an Agent built from o.
func New(o Options) *Agent {
	return &Agent{
		model:   o.Model,
		local:   o.Local,
		tools:   o.Tools,
		store:   o.Store,
		effects: o.Effects,
		runner:  NewID("r_"),
		confirm: o.Confirmations,
		summary: o.Summaries,
		guard:   o.Guard,
		judge:   o.Judge,
		reader:  o.Reader,
		// Experiments is an interface: a nil pointer in it is no Set.
		experiments: o.Experiments,
		// A cache per agent: screening depends on the Guard's rules.
		screened: newScreenCache(),
		verdicts: newVerdictCache(),
		answers:  newAnswerMemo(),
		logger:   o.Logger.With("component", "agent"),
		metrics:  o.Metrics,
		cfg:      o.Config.withDefaults(),
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
	// Stored, when set, is told each message the turn stores as soon as it
	// is committed: the buyer's message (or, for a repeat, the earlier
	// one), then the reply (Seq 0 when it could not be stored). Storing is
	// told just before the reply's write starts. A connection delivers its
	// own turn's messages through them without reading them back.
	Stored  func(StoredMessage)
	Storing func()
	// Routing, when set, overrides the agent's local-first routing for
	// this turn (an experiment variant's).
	Routing *Routing
	// policy is the turn's way through the policy answer cache.
	policy *policyPlan
	// prep is the work on the message done while it is being stored.
	prep *turnPrep
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
	// Route is local-first routing's decision (RouteLocal, RouteLLM,
	// RouteEscalated), empty when routing is off or a budget decided;
	// RouteReason says why.
	Route       string `json:"route,omitempty"`
	RouteReason string `json:"route_reason,omitempty"`
	// Guardrail is what the guardrails decided; nil without a Guard.
	Guardrail *GuardrailRecord `json:"guardrail,omitempty"`
	// Experiment and Variant are the experiment arm the conversation was
	// assigned at its first message; ExperimentStopped says the
	// experiment no longer ran, so the turn got the defaults (and
	// Variant is empty).
	Experiment        string `json:"experiment,omitempty"`
	Variant           string `json:"variant,omitempty"`
	ExperimentStopped bool   `json:"experiment_stopped,omitempty"`
	// Refused are the turn's calls the policy refused: a refused call
	// changes nothing and leaves no audit row, but the person who takes
	// the conversation over needs to know it was tried.
	Refused []RefusedCall `json:"refused,omitempty"`
	// guard is the turn's guardrails, whose input verdict a reply the
	// agent wrote itself still records.
	guard *turnGuard
	// refusals are the turn's calls the policy refused (refusal.go).
	refusals []turnRefusal
}

// MaxMessageChars bounds the text of one buyer message, in characters
// (Unicode code points), not bytes: a Russian or Korean message may be as
// long as an English one although each of its letters takes two or three
// bytes. The messages table holds 16 000 characters.
const MaxMessageChars = 4000

// MessageLengthOK reports whether text has 1 to MaxMessageChars characters.
func MessageLengthOK(text string) bool {
	return text != "" && utf8.RuneCountInString(text) <= MaxMessageChars
}

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
	if !MessageLengthOK(t.Text) {
		return Reply{}, fmt.Errorf("%w: a message must have 1 to %d characters", ErrInvalid, MaxMessageChars)
	}
	start := time.Now()
	turnID := NewID("t_")
	// The message is acknowledged, durably, before the model is asked; the
	// turn's reads ride along in the same round trip.
	t.prep = a.prepare(t)
	q := a.stateQuery()
	q.arms = a.arms(caller.ID, t.Locale)
	q.orders = tools.PrefetchOrders(caller, t.Text)
	user, dup, st, err := a.store.appendUser(ctx, t.ConversationID, StoredMessage{
		TurnID: turnID, Role: "user", AuthorID: caller.ID, Text: t.Text, ClientID: t.ClientID, Runner: a.runner,
	}, q, t.prep.run)
	if err != nil {
		return Reply{}, err
	}
	if t.Stored != nil {
		t.Stored(user)
	}
	if dup {
		prev, has, err := a.store.Reply(ctx, t.ConversationID, user.TurnID)
		if err != nil || has || time.Since(user.CreatedAt) <= a.cfg.TurnTimeout+replyStoreWindow {
			return Reply{TurnID: user.TurnID, User: user, Assistant: prev, Duplicate: true, HasReply: has}, err
		}
		if running, err := a.store.running(ctx, t.ConversationID, user.TurnID); err != nil || running {
			// A registered turn is the sweeper's to answer, once.
			return Reply{TurnID: user.TurnID, User: user, Duplicate: true}, err
		}
		// The turn that stored the message is past any chance of storing
		// its reply (the process died mid-turn, or the database stayed
		// down): without an answer now the client would wait forever.
		a.logger.InfoContext(ctx, "answer a message whose turn left no reply", "conversation", t.ConversationID, "turn", user.TurnID)
		turnID = user.TurnID
	}
	reply, err := a.respond(ctx, caller, t, turnID, st, start, emit)
	if err != nil {
		return Reply{}, err
	}
	return Reply{TurnID: turnID, User: user, Assistant: reply, HasReply: true}, nil
}

// respond answers the buyer's message of t, stored under turnID, and stores
// the reply. st is what the turn read with the message; nil reads it now.
func (a *Agent) respond(ctx context.Context, caller tools.Caller, t Turn, turnID string, st *turnState, start time.Time, emit func(Event) error) (StoredMessage, error) {
	tctx, cancel := context.WithTimeout(ctx, a.cfg.TurnTimeout)
	defer cancel()
	if st == nil {
		var err error
		if st, err = a.store.loadState(tctx, t.ConversationID, a.stateQuery()); err != nil {
			a.logger.ErrorContext(ctx, "load history", "turn_id", turnID, "err", err)
			return a.finish(tctx, t, turnID, Fallback(t.Locale), TurnUsage{Fallback: "history"}, start)
		}
	}
	// The lookups' audit rows are written with the reply (finish), and
	// the orders the message names were read with it.
	tctx = tools.DeferAudit(tctx, &tools.AuditLater{})
	tctx = tools.WithOrderSnapshot(tctx, st.orders)
	var text string
	var usage TurnUsage
	// A typed "yes" or "no" can only answer a pending action: without one,
	// the message is not run through the classifier (about a tenth of a
	// plain turn's CPU).
	var act Action
	var approved, typed bool
	ptext, pusage, chose := a.progress(tctx, t, turnID, st)
	if !chose {
		ptext, pusage, chose = a.pendingChoice(tctx, caller, t, turnID, st, emit)
	}
	if !chose && len(st.pending) > 0 {
		act, approved, typed = a.typedDecision(t, st)
	}
	if !chose && !typed {
		ptext, pusage, chose = a.lapsedDecision(t, turnID, st)
	}
	if chose {
		text, usage = ptext, pusage
	} else if typed {
		text, usage = a.decide(tctx, caller, t, turnID, act, approved, st, emit)
	} else {
		var extra []Message
		// The variant's routing and retrieval settings hold for the
		// cache's search too.
		tctx, t = a.applyVariant(tctx, t, st)
		t, extra = a.policyLookup(tctx, caller, t, turnID, st, emit)
		text, usage = a.loop(tctx, caller, t, turnID, st, extra, emit)
		text = a.stateRefusals(tctx, t, turnID, text, &usage, emit)
	}
	if usage.Experiment == "" {
		a.turnExposure(st).stamp(&usage)
	}
	reply, err := a.finish(tctx, t, turnID, text, usage, start)
	if err == nil && t.policy != nil {
		a.policyStore(context.WithoutCancel(tctx), t.policy, reply, usage, tools.AuditLaterFrom(tctx).Rows())
	}
	return reply, err
}

// replyStoreWindow is how long a reply keeps trying to be stored after its
// turn ends. A message older than the turn timeout plus this window that
// still has no reply never will get one from its own turn.
const replyStoreWindow = 10 * time.Second

// finish stores the turn's reply with its usage and counts the turn.
func (a *Agent) finish(ctx context.Context, t Turn, turnID, text string, usage TurnUsage, start time.Time) (StoredMessage, error) {
	text, usage = a.checkFixed(ctx, t, turnID, text, usage)
	usage.TotalMS = time.Since(start).Milliseconds()
	if usage.PromptVersion == "" {
		usage.PromptVersion = PromptVersion
	}
	usage.CostUSD = (float64(usage.PromptTokens)*a.cfg.PriceInPerMTok + float64(usage.CompletionTokens)*a.cfg.PriceOutPerMTok) / 1e6
	ub, _ := json.Marshal(usage)
	// Whatever cut the turn short, its reply is stored.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), replyStoreWindow)
	defer cancel()
	var audit []tools.AuditRow
	if later := tools.AuditLaterFrom(ctx); later != nil {
		audit = later.Rows()
	}
	if t.Storing != nil {
		t.Storing()
	}
	var counted []byte
	if t.policy != nil {
		counted = t.policy.counted
	}
	reply, err := a.store.appendReply(sctx, t.ConversationID, StoredMessage{
		TurnID: turnID, AuthorID: "agent", Text: text, Usage: ub, Guardrail: usage.Guardrail.verdict(), Runner: a.runner,
		Citations: a.replyCitations(sctx, t, turnID, text, audit),
	}, audit, usage.PromptTokens+usage.CompletionTokens, counted)
	if t.Stored != nil {
		t.Stored(reply) // a zero reply (Seq 0) when none was stored
	}
	if err != nil {
		return StoredMessage{}, err
	}
	a.metrics.observeTurn(usage, time.Since(start))
	return reply, nil
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
	// Alternative, for a call the policy refused, is what the agent
	// prepared instead (refusal.go).
	Alternative *PreparedAction `json:"alternative,omitempty"`
	// Decision, on a proposal shown again in a later turn (decided.go), is
	// what became of it: declined, expired, executed or failed; empty
	// while it waits.
	Decision string `json:"decision,omitempty"`
}

// ToolError is a failed tool call as a model sees it.
type ToolError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Refusal is the policy's refusal as data, when the policy refused.
	Refusal *tools.Refusal `json:"refusal,omitempty"`
}

func toolContent(o tools.Outcome) string {
	r := ToolResult{OK: o.Err == nil, Data: o.Data, Summary: o.Text}
	if o.Err != nil {
		r.Error = &ToolError{Code: string(o.Err.Code), Message: o.Err.Message, Refusal: o.Err.Refusal}
	}
	return toolContentOf(r)
}

func toolContentOf(r ToolResult) string {
	b, _ := json.Marshal(r)
	return string(b)
}

// roleSpecs is what a role's turns offer the model.
type roleSpecs struct {
	specs []tools.Spec
	wire  []ToolSpec
}

// specs returns the tools role may call and the model's view of them. The
// slices are shared by every turn: read only.
func (a *Agent) specs(role tools.Role) ([]tools.Spec, []ToolSpec) {
	if v, ok := a.roleSpecs.Load(role); ok {
		rs := v.(roleSpecs)
		return rs.specs, rs.wire
	}
	specs := a.tools.Specs(role)
	v, _ := a.roleSpecs.LoadOrStore(role, roleSpecs{specs: specs, wire: toolSpecs(specs)})
	rs := v.(roleSpecs)
	return rs.specs, rs.wire
}

func toolSpecs(specs []tools.Spec) []ToolSpec {
	out := make([]ToolSpec, len(specs))
	for i, s := range specs {
		out[i] = ToolSpec{Name: s.Name, Description: s.Description, Parameters: s.Parameters}
	}
	return out
}
