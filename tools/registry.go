// Package tools holds the actions the agent takes for a buyer or a seller —
// order lookup, refunds, disputes, translation, handoff, policy search — with
// their JSON schemas, their authorization, idempotency and audit, and the
// commerce backend they act on (a Postgres reference implementation).
//
// Safety lives here, not in the model: every tool takes the caller from the
// context, scopes every read and write to that caller in SQL, validates its
// arguments, and writes each call to the audit log.
package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"
)

// MaxArgumentBytes bounds the arguments of one tool call.
const MaxArgumentBytes = 16 << 10

// Tool is one action. Describing a tool (Name, Description, Parameters) is
// separate from running it (run), so a model can be told of tools it may not
// run directly.
type Tool struct {
	Name        string
	Description string
	// Parameters is the JSON Schema of the arguments object.
	Parameters json.RawMessage
	// Consequential tools move money or change an order; the agent runs them
	// only after the buyer's explicit confirmation.
	Consequential bool
	// Roles lists who may call the tool.
	Roles []Role

	run func(ctx context.Context, args json.RawMessage) (Result, error)
}

// Result is what a tool returns: structured data, and a short text for the
// model.
type Result struct {
	Data any
	Text string
}

// Validator is implemented by argument types that check themselves after
// decoding.
type Validator interface {
	Validate() error
}

// New defines a tool whose arguments decode into A. Unknown fields, trailing
// data and oversized arguments are refused before run is called, and so are
// arguments whose Validate method fails.
func New[A any](name, description, schema string, roles []Role, run func(ctx context.Context, args A) (Result, error)) Tool {
	return Tool{
		Name:        name,
		Description: description,
		Parameters:  json.RawMessage(schema),
		Roles:       roles,
		run: func(ctx context.Context, raw json.RawMessage) (Result, error) {
			var args A
			if err := decodeArgs(raw, &args); err != nil {
				return Result{}, err
			}
			if v, ok := any(&args).(Validator); ok {
				if err := v.Validate(); err != nil {
					return Result{}, &Error{Code: CodeInvalidArgument, Message: err.Error()}
				}
			}
			return run(ctx, args)
		},
	}
}

func decodeArgs(raw json.RawMessage, v any) error {
	if len(raw) > MaxArgumentBytes {
		return Errorf(CodeInvalidArgument, "the arguments are too large (%d bytes, at most %d)", len(raw), MaxArgumentBytes)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		raw = json.RawMessage("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return Errorf(CodeInvalidArgument, "the arguments are not valid: %s", describeJSONError(err))
	}
	if dec.More() {
		return Errorf(CodeInvalidArgument, "the arguments must be one JSON object")
	}
	return nil
}

func describeJSONError(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return fmt.Sprintf("field %q must be %s", typeErr.Field, typeErr.Type)
	}
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return "malformed JSON"
	}
	return err.Error()
}

// Spec describes a tool to a model.
type Spec struct {
	Name          string
	Description   string
	Parameters    json.RawMessage
	Consequential bool
}

// Call is a request to run a tool, as a model made it.
type Call struct {
	// ID is the model's id for the call, echoed in the audit log.
	ID             string
	Name           string
	Arguments      json.RawMessage
	ConversationID string
	TurnID         string
}

// Outcome is what came of a Call: either Data and Text, or Err.
type Outcome struct {
	Data    json.RawMessage
	Text    string
	Err     *Error
	Latency time.Duration
}

// Registry holds the tools and runs them for callers, writing each call to
// the audit log.
type Registry struct {
	tools  map[string]Tool
	names  []string
	audit  *Audit
	logger *slog.Logger
}

// NewRegistry returns a Registry of tools that audits into audit. Two tools
// with one name are an error.
func NewRegistry(logger *slog.Logger, audit *Audit, tools ...Tool) (*Registry, error) {
	r := &Registry{tools: make(map[string]Tool, len(tools)), audit: audit, logger: logger.With("component", "tools")}
	for _, t := range tools {
		if _, dup := r.tools[t.Name]; dup {
			return nil, fmt.Errorf("tool %q defined twice", t.Name)
		}
		if !json.Valid(t.Parameters) {
			return nil, fmt.Errorf("tool %q: parameters are not valid JSON", t.Name)
		}
		r.tools[t.Name] = t
		r.names = append(r.names, t.Name)
	}
	return r, nil
}

// Specs describes the tools role may call, in the order they were registered.
func (r *Registry) Specs(role Role) []Spec {
	var out []Spec
	for _, n := range r.names {
		t := r.tools[n]
		if slices.Contains(t.Roles, role) {
			out = append(out, Spec{Name: t.Name, Description: t.Description, Parameters: t.Parameters, Consequential: t.Consequential})
		}
	}
	return out
}

// Lookup returns the description of the tool named name.
func (r *Registry) Lookup(name string) (Spec, bool) {
	t, ok := r.tools[name]
	if !ok {
		return Spec{}, false
	}
	return Spec{Name: t.Name, Description: t.Description, Parameters: t.Parameters, Consequential: t.Consequential}, true
}

// Call runs call for the Caller in ctx and records it in the audit log. It
// never returns a Go error: every failure is an Outcome with a coded Err, so
// the agent can hand it back to the model.
func (r *Registry) Call(ctx context.Context, call Call) Outcome {
	start := time.Now()
	caller, ok := CallerFrom(ctx)
	var out Outcome
	t, known := r.tools[call.Name]
	switch {
	case !ok:
		out.Err = Errorf(CodeUnauthorized, "no authenticated caller")
	case !known:
		out.Err = Errorf(CodeInvalidArgument, "there is no tool named %q", truncate(call.Name, 64))
	case !slices.Contains(t.Roles, caller.Role):
		// The same answer as an unknown tool: a buyer learns nothing of seller tools.
		out.Err = Errorf(CodeInvalidArgument, "there is no tool named %q", truncate(call.Name, 64))
	default:
		res, err := t.run(ctx, call.Arguments)
		if err != nil {
			out.Err = asToolError(err)
			break
		}
		data, err := json.Marshal(res.Data)
		if err != nil {
			out.Err = &Error{Code: CodeInternal, Message: "the tool's result could not be encoded", Err: err}
			break
		}
		out.Data, out.Text = data, res.Text
	}
	out.Latency = time.Since(start)

	if out.Err != nil && out.Err.Code == CodeInternal {
		r.logger.ErrorContext(ctx, "tool failed", "tool", call.Name, "turn_id", call.TurnID, "err", out.Err)
	} else {
		r.logger.DebugContext(ctx, "tool called", "tool", call.Name, "turn_id", call.TurnID,
			"code", errCode(out.Err), "latency_us", out.Latency.Microseconds())
	}
	if r.audit != nil {
		// The audit row is written even when the turn was cancelled meanwhile:
		// a call that ran must be on record.
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := r.audit.Record(actx, caller, call, out); err != nil {
			r.logger.ErrorContext(ctx, "audit tool call", "tool", call.Name, "turn_id", call.TurnID, "err", err)
		}
	}
	return out
}

// asToolError turns any error from a tool into an *Error; an error without a
// code is internal, and its detail stays out of the message.
func asToolError(err error) *Error {
	var te *Error
	if errors.As(err, &te) {
		return te
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &Error{Code: CodeUnavailable, Message: "the request took too long; please try again", Err: err}
	}
	return &Error{Code: CodeInternal, Message: "something went wrong on our side", Err: err}
}

func errCode(e *Error) string {
	if e == nil {
		return ""
	}
	return string(e.Code)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
