package eval

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Backend gives each run of a case a world of its own. cmd/csagent provides
// the in-process one (a fresh copy of the demo database per run and the
// agent the server runs over it); WSBackend is a live server.
type Backend interface {
	// Open prepares a world for one run of a case, answered by brain. It
	// returns an error wrapping ErrNoBrain when brain cannot be had (an
	// LLM asked for and none configured); the case is then skipped.
	Open(ctx context.Context, brain Brain) (World, error)
}

// World is where one run of a case happens.
type World interface {
	// Chat starts a conversation as buyer, in locale.
	Chat(ctx context.Context, buyer, locale string) (Chat, error)
	// DB is the world's database, for end-state checks and the tool-call
	// audit; nil when the runner cannot see it.
	DB() DB
	// Brain says what answers in this world, for reports.
	Brain() Brain
	// Close releases the world (and drops its database).
	Close(ctx context.Context) error
}

// Chat is one conversation with the agent.
type Chat interface {
	// ConversationID is the conversation's id, once started.
	ConversationID() string
	// Send sends a buyer message and returns the agent's reply.
	Send(ctx context.Context, text string) (Reply, error)
	// Decide approves or declines the action the agent last asked the
	// buyer to confirm.
	Decide(ctx context.Context, approved bool) (Reply, error)
	// Close ends the conversation's connection, if it has one.
	Close() error
}

// DB is the narrow view of a database the runner reads: a pool or a
// connection both fit.
type DB interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// Reply is what one turn produced, however it was observed.
type Reply struct {
	TurnID    string     `json:"turn_id,omitempty"`
	Text      string     `json:"text"`
	Citations []string   `json:"citations,omitempty"`
	Guardrail string     `json:"guardrail,omitempty"`
	Events    []Event    `json:"events,omitempty"`
	Usage     *Usage     `json:"usage,omitempty"`
	ToolCalls []ToolCall `json:"tool_calls,omitempty"`
}

// Event is progress a turn reported: a tool's start and end, a confirm
// request, a handoff.
type Event struct {
	Kind     string `json:"kind"`
	Tool     string `json:"tool,omitempty"`
	Status   string `json:"status,omitempty"`
	ActionID string `json:"action_id,omitempty"`
	Text     string `json:"text,omitempty"`
}

// Event kinds, as the agent and protocol v1 name them.
const (
	EventTool    = "tool"
	EventConfirm = "confirm_request"
	EventHandoff = "handoff"
)

// Usage is the turn's model usage, where the target reports it.
type Usage struct {
	Model            string  `json:"model"`
	PromptTokens     int     `json:"prompt_tokens"`
	CompletionTokens int     `json:"completion_tokens"`
	CostUSD          float64 `json:"cost_usd,omitempty"`
	Fallback         string  `json:"fallback,omitempty"`
	// Variant is the experiment variant the turn ran on, when one did.
	Variant string `json:"variant,omitempty"`
	// Route and RouteReason are local-first routing's decision for the
	// turn (agent.TurnUsage's), so a report says which brain spent the
	// tokens and why.
	Route       string `json:"route,omitempty"`
	RouteReason string `json:"route_reason,omitempty"`
}

// ToolCall is one call the model made, with its arguments: run, or (for a
// consequential tool) proposed for the buyer to confirm.
type ToolCall struct {
	Name      string          `json:"name"`
	Arguments json.RawMessage `json:"arguments,omitempty"`
	// Result is what the tool returned (for a proposed call, the preview
	// the buyer was asked to confirm), where the target can see it.
	Result json.RawMessage `json:"result,omitempty"`
	// Outcome is ok, an error code, or "proposed" for a call waiting for
	// the buyer's confirmation.
	Outcome string `json:"outcome,omitempty"`
	// ArgsKnown is false when the target saw only the tool's name (a live
	// server without database access).
	ArgsKnown bool `json:"args_known"`
}

// confirmAction returns the action the last confirm_request of r asked
// about.
func (r Reply) confirmAction() string {
	id := ""
	for _, e := range r.Events {
		if e.Kind == EventConfirm {
			id = e.ActionID
		}
	}
	return id
}

func (r Reply) has(kind string) bool {
	for _, e := range r.Events {
		if e.Kind == kind {
			return true
		}
	}
	return false
}

// toolNames are the tools a reply's events name, for targets that see no
// arguments.
func (r Reply) toolNames() []ToolCall {
	var out []ToolCall
	for _, e := range r.Events {
		switch {
		case e.Kind == EventTool && e.Status == "started":
			out = append(out, ToolCall{Name: e.Tool})
		case e.Kind == EventConfirm:
			out = append(out, ToolCall{Name: e.Tool, Outcome: "proposed"})
		}
	}
	return out
}

// Turn is one step of a case's transcript as run.
type Turn struct {
	// User is the buyer's message, or for a decision "[confirm]" or
	// "[decline]".
	User    string        `json:"user"`
	Reply   Reply         `json:"reply"`
	Latency time.Duration `json:"latency_ns"`
	// Error is set when the turn could not be run at all.
	Error   string            `json:"error,omitempty"`
	Asserts []AssertionResult `json:"assertions,omitempty"`
}
