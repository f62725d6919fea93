// Package agent runs csagent's chat turns: the loop that asks a model, runs
// the tools it asks for and stores the transcript, with the conversation
// memory it reads and writes, the model interface and its providers (an
// OpenAI-compatible LLM and, in package local, the built-in model), the
// system prompt, and the usage each turn records.
//
// The loop is one typed function that reads top to bottom: model, tools,
// repeat, store. Safety does not depend on the model: tools are scoped to the
// caller in the context, and a step limit and a repeat detector end a turn
// that goes nowhere.
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
	// Call runs one call for the Caller in ctx. Failures come back as an
	// Outcome with a coded Err, never as a Go error.
	Call(ctx context.Context, call tools.Call) tools.Outcome
}

// Config tunes the loop.
type Config struct {
	// MaxSteps bounds the model calls of one turn.
	MaxSteps int
	// TurnTimeout bounds one turn, model and tools together.
	TurnTimeout time.Duration
	// HistoryMessages is how many stored messages the model sees.
	HistoryMessages int
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
	return c
}

// Agent runs chat turns. It is safe for concurrent use.
type Agent struct {
	model   Model
	tools   Tools
	store   *Store
	logger  *slog.Logger
	metrics *Metrics
	cfg     Config
}

// New returns an Agent that answers with model, acts through tools and keeps
// transcripts in store. metrics may be nil.
func New(logger *slog.Logger, model Model, tools Tools, store *Store, metrics *Metrics, cfg Config) *Agent {
	return &Agent{
		model:   model,
		tools:   tools,
		store:   store,
		logger:  logger.With("component", "agent"),
		metrics: metrics,
		cfg:     cfg.withDefaults(),
	}
}

// Store returns the agent's conversation store.
func (a *Agent) Store() *Store { return a.store }

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
	EventTool  EventKind = "tool"
	EventDelta EventKind = "delta"
)

// Event is progress of a running turn, for the client to show.
type Event struct {
	Kind   EventKind
	TurnID string
	Text   string
	// Tool and Status describe a tool event: "started", "done" or "error".
	Tool   string
	Status string
}

// Reply is what a turn leaves in the transcript.
type Reply struct {
	TurnID    string
	User      StoredMessage
	Assistant StoredMessage
	// Duplicate is set when the message was seen before. Assistant is then
	// the earlier reply, or empty (HasReply false) while that turn still runs.
	Duplicate bool
	HasReply  bool
}

// TurnUsage is the record every turn keeps with its reply.
type TurnUsage struct {
	Model            string `json:"model"`
	PromptTokens     int    `json:"prompt_tokens"`
	CompletionTokens int    `json:"completion_tokens"`
	Steps            int    `json:"steps"`
	ToolCalls        int    `json:"tool_calls"`
	TotalMS          int64  `json:"total_ms"`
	Fallback         string `json:"fallback,omitempty"`
}

// MaxMessageBytes bounds the text of one buyer message.
const MaxMessageBytes = 4000

// ErrInvalid wraps a turn the agent refuses before doing anything.
var ErrInvalid = errors.New("invalid turn")

// Run answers one buyer message in t. The buyer is the tools.Caller in ctx.
// Progress goes to emit as it happens; the stored user message and reply
// come back in Reply. Run returns an error only when nothing could be stored
// (bad input, the database down); a model or tool failure still ends in a
// stored reply the buyer can read.
func (a *Agent) Run(ctx context.Context, t Turn, emit func(Event) error) (Reply, error) {
	caller, ok := tools.CallerFrom(ctx)
	if !ok || caller.Role != tools.RoleBuyer {
		return Reply{}, fmt.Errorf("%w: no buyer in context", ErrInvalid)
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

	// ctx is the turn's own lifetime (the server's, not the connection's), so
	// a buyer who goes away still finds the reply on return. Whatever cut the
	// loop short, the reply is stored.
	tctx, cancel := context.WithTimeout(ctx, a.cfg.TurnTimeout)
	defer cancel()

	text, usage := a.loop(tctx, caller, t, turnID, emit)
	usage.TotalMS = time.Since(start).Milliseconds()
	ub, _ := json.Marshal(usage)
	reply, _, err := a.store.Append(context.WithoutCancel(tctx), t.ConversationID, StoredMessage{
		TurnID: turnID, Role: "assistant", AuthorID: "agent", Text: text, Usage: ub,
	})
	if err != nil {
		return Reply{}, err
	}
	a.metrics.observeTurn(usage, time.Since(start))
	return Reply{TurnID: turnID, User: user, Assistant: reply, HasReply: true}, nil
}

// loop asks the model, runs the tools it calls and repeats until the model
// answers in text, the step limit is reached or the model goes in circles.
func (a *Agent) loop(ctx context.Context, caller tools.Caller, t Turn, turnID string, emit func(Event) error) (string, TurnUsage) {
	usage := TurnUsage{}
	specs := a.tools.Specs(caller.Role)
	req := Request{Tools: toolSpecs(specs), Locale: t.Locale}
	history, err := a.history(ctx, t)
	if err != nil {
		a.logger.ErrorContext(ctx, "load history", "turn_id", turnID, "err", err)
		usage.Fallback = "history"
		return Fallback(t.Locale), usage
	}
	req.Messages = history
	seen := map[string]bool{}

	for step := 1; step <= a.cfg.MaxSteps; step++ {
		usage.Steps = step
		resp, err := a.model.Generate(ctx, req, func(string) error { return nil })
		if err != nil {
			a.logger.WarnContext(ctx, "model failed", "turn_id", turnID, "step", step, "err", err)
			usage.Fallback = "model_error"
			return Fallback(t.Locale), usage
		}
		usage.Model = resp.Model
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
		results := a.runTools(ctx, specs, t, turnID, msg.ToolCalls, emit)
		usage.ToolCalls += len(results)
		req.Messages = append(req.Messages, results...)
	}
	a.logger.WarnContext(ctx, "turn reached the step limit", "turn_id", turnID, "steps", a.cfg.MaxSteps)
	usage.Fallback = "step_limit"
	return Fallback(t.Locale), usage
}

// runTools runs one step's tool calls concurrently and returns the tool
// messages that answer them, in the order the model asked.
func (a *Agent) runTools(ctx context.Context, specs []tools.Spec, t Turn, turnID string, calls []ToolCall, emit func(Event) error) []Message {
	out := make([]Message, len(calls))
	var wg sync.WaitGroup
	var emitMu sync.Mutex
	send := func(e Event) {
		emitMu.Lock()
		defer emitMu.Unlock()
		if err := emit(e); err != nil {
			a.logger.DebugContext(ctx, "emit event", "turn_id", turnID, "err", err)
		}
	}
	for i, c := range calls {
		wg.Go(func() {
			send(Event{Kind: EventTool, TurnID: turnID, Tool: c.Name, Status: "started"})
			var o tools.Outcome
			si := slices.IndexFunc(specs, func(s tools.Spec) bool { return s.Name == c.Name })
			if si >= 0 && specs[si].Consequential {
				// Consequential tools run only on the buyer's explicit
				// confirmation, never on the model's word alone.
				o.Err = tools.Errorf(tools.CodeNotEligible, "this action needs the customer's confirmation")
			} else {
				o = a.tools.Call(ctx, tools.Call{ID: c.ID, Name: c.Name, Arguments: c.Arguments, ConversationID: t.ConversationID, TurnID: turnID})
			}
			status := "done"
			if o.Err != nil {
				status = "error"
			}
			label := c.Name
			if si < 0 {
				label = "unknown" // model-made names stay out of metric labels
			}
			a.metrics.observeTool(label, o)
			send(Event{Kind: EventTool, TurnID: turnID, Tool: c.Name, Status: status})
			out[i] = Message{Role: RoleTool, ToolCallID: c.ID, Name: c.Name, Content: toolContent(o)}
		})
	}
	wg.Wait()
	return out
}

// ToolResult is how a tool's outcome is shown to a model: the JSON content of
// a tool message.
type ToolResult struct {
	OK      bool            `json:"ok"`
	Data    json.RawMessage `json:"data,omitempty"`
	Summary string          `json:"summary,omitempty"`
	Error   *ToolError      `json:"error,omitempty"`
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

// history builds the messages the model sees: the system prompt and the
// newest stored messages, which end with the buyer's message of this turn.
func (a *Agent) history(ctx context.Context, t Turn) ([]Message, error) {
	stored, err := a.store.Recent(ctx, t.ConversationID, a.cfg.HistoryMessages)
	if err != nil {
		return nil, err
	}
	msgs := make([]Message, 0, len(stored)+1)
	msgs = append(msgs, Message{Role: RoleSystem, Content: SystemPrompt(t.Locale)})
	for _, m := range stored {
		switch m.Role {
		case "user":
			msgs = append(msgs, Message{Role: RoleUser, Content: m.Text})
		case "assistant", "agent":
			msgs = append(msgs, Message{Role: RoleAssistant, Content: m.Text})
		}
	}
	return msgs, nil
}
