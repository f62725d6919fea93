// Package tools holds the actions the agent takes for a buyer or a seller —
// order lookup, refunds, disputes, translation, handoff, policy search — with
// their JSON schemas, their authorization, idempotency and audit, and the
// commerce backend they act on (a Postgres reference implementation).
//
// Safety lives here, not in the model: every tool takes the caller from the
// context, scopes every read and write to that caller in SQL, validates its
// arguments, and writes each call to the audit log. Consequential tools
// (refunds, disputes, cancellations) run only with an approval in the
// context (Approve), whose action id is also their idempotency key; before
// that, Registry.Preview checks them exactly as the real call would, without
// side effects, and describes them for the buyer's confirmation. The policy
// numbers they enforce are in policy.go, and the database enforces the ones
// a schema can (see migrations).
package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"time"
	"unicode/utf8"
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
	// preview is set for consequential tools: it checks a call exactly as
	// run would and describes it, without side effects.
	preview func(ctx context.Context, args json.RawMessage) (Preview, error)
	// args is the Go type the arguments decode into, kept so tests can hold
	// the JSON Schema to it.
	args reflect.Type
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
			args, err := decode[A](raw)
			if err != nil {
				return Result{}, err
			}
			return run(ctx, args)
		},
		args: reflect.TypeFor[A](),
	}
}

// NewAction defines a consequential tool: like New, but Registry.Call runs
// it only with an approval in the context, and preview — which must apply
// every check run applies, and change nothing — describes a call for the
// buyer to confirm.
func NewAction[A any](name, description, schema string, roles []Role,
	preview func(ctx context.Context, args A) (Preview, error),
	run func(ctx context.Context, args A) (Result, error)) Tool {
	t := New(name, description, schema, roles, run)
	t.Consequential = true
	t.preview = func(ctx context.Context, raw json.RawMessage) (Preview, error) {
		args, err := decode[A](raw)
		if err != nil {
			return Preview{}, err
		}
		return preview(ctx, args)
	}
	return t
}

// decode decodes and validates the arguments of one call.
func decode[A any](raw json.RawMessage) (A, error) {
	var args A
	if err := decodeArgs(raw, &args); err != nil {
		return args, err
	}
	if v, ok := any(&args).(Validator); ok {
		if err := v.Validate(); err != nil {
			return args, &Error{Code: CodeInvalidArgument, Message: err.Error()}
		}
	}
	return args, nil
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
	// Brief, on a handoff_to_human call, is what the agent read from the
	// conversation's state for the person taking over; the handoff's
	// summaries are written from it, never from the model's arguments
	// alone. Nil on every other call.
	Brief *HandoffBrief
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

// NewRegistry returns a Registry of tools that audits into audit (nil: no
// audit). Two tools with one name are an error, and so is a tool not made by
// New or NewAction.
func NewRegistry(logger *slog.Logger, audit *Audit, tools ...Tool) (*Registry, error) {
	r := &Registry{tools: make(map[string]Tool, len(tools)), audit: audit, logger: logger.With("component", "tools")}
	for _, t := range tools {
		if _, dup := r.tools[t.Name]; dup {
			return nil, fmt.Errorf("tool %q defined twice", t.Name)
		}
		if !json.Valid(t.Parameters) {
			return nil, fmt.Errorf("tool %q: parameters are not valid JSON", t.Name)
		}
		if t.run == nil || (t.Consequential && t.preview == nil) {
			return nil, fmt.Errorf("tool %q: define it with New or NewAction", t.Name)
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
			out = append(out, t.spec())
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
	return t.spec(), true
}

func (t Tool) spec() Spec {
	return Spec{Name: t.Name, Description: t.Description, Parameters: t.Parameters, Consequential: t.Consequential}
}

// Call runs call for the Caller in ctx and records it in the audit log. It
// never returns a Go error: every failure is an Outcome with a coded Err, so
// the agent can hand it back to the model. A consequential tool runs only
// when ctx carries an approval (Approve); without one the call is refused
// with CodeConfirmationRequired and nothing is changed.
func (r *Registry) Call(ctx context.Context, call Call) Outcome {
	start := time.Now()
	caller, ok := CallerFrom(ctx)
	var out Outcome
	t, err := r.lookup(caller, ok, call.Name)
	_, approved := ApprovalFrom(ctx)
	switch {
	case err != nil:
		out.Err = err
	case t.Consequential && !approved:
		out.Err = Errorf(CodeConfirmationRequired,
			"%s needs the customer's explicit confirmation: describe the action to them and run it only after they confirm", t.Name)
	default:
		// A connection the database dropped (a restart, a failover) leaves
		// dead ones in the pool, each failing once: try again on a fresh
		// one. A transaction that failed so was rolled back, and a
		// consequential tool runs under its action's idempotency key, so a
		// repeat never acts twice.
		if t.Consequential {
			// An approved action changes orders: the turn's snapshot of
			// them (snapshot.go) is not served after it.
			spendSnapshot(ctx)
		}
		var res Result
		err := RetryConnection(ctx, connectionAttempts, nil, func() (bool, error) {
			var err error
			res, err = t.run(withCall(ctx, call), call.Arguments)
			return ConnectionLost(err), err
		})
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
	r.log(ctx, "tool called", call, out.Err, out.Latency)

	if later := AuditLaterFrom(ctx); later != nil && r.audit != nil && err == nil && !t.Consequential {
		later.add(auditRow(caller, call, out))
		return out
	}
	if r.audit != nil {
		// The audit row is written even when the turn was cancelled meanwhile:
		// a call that ran must be on record.
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := r.audit.Record(actx, caller, call, out); err != nil {
			r.logger.ErrorContext(ctx, "audit tool call", "tool", clean(call.Name, 64), "turn_id", clean(call.TurnID, 64), "err", err)
		}
	}
	return out
}

// connectionAttempts bounds the runs of one tool call whose database
// connections keep breaking: enough to get past the dead connections a
// small pool holds after a database restart and, with the waits of
// ConnectionBackoff between them, past a restart of a few seconds; few
// enough that a database that stays down fails the call in about three.
const connectionAttempts = 5

// Preview checks call as Call would — caller, role, arguments, authority and
// every eligibility rule — without running it, and describes it for the
// buyer to confirm. An ineligible call fails here with the same coded error
// the real call would return. Previews change nothing and are not audited;
// tools that are not consequential have no preview.
func (r *Registry) Preview(ctx context.Context, call Call) (Preview, *Error) {
	start := time.Now()
	caller, ok := CallerFrom(ctx)
	t, terr := r.lookup(caller, ok, call.Name)
	var p Preview
	switch {
	case terr != nil:
	case t.preview == nil:
		terr = Errorf(CodeInvalidArgument, "%s runs without confirmation; call it directly", t.Name)
	default:
		var err error
		if p, err = t.preview(withCall(ctx, call), call.Arguments); err != nil {
			terr, p = asToolError(err), Preview{}
		}
	}
	r.log(ctx, "tool previewed", call, terr, time.Since(start))
	return p, terr
}

// lookup finds the tool a caller asked for. A tool the caller's role may not
// use gets the same answer as one that does not exist: a buyer learns nothing
// of seller tools.
func (r *Registry) lookup(caller Caller, ok bool, name string) (Tool, *Error) {
	if !ok {
		return Tool{}, Errorf(CodeUnauthorized, "no authenticated caller")
	}
	t, known := r.tools[name]
	if !known || !slices.Contains(t.Roles, caller.Role) {
		return Tool{}, Errorf(CodeInvalidArgument, "there is no tool named %q", truncate(name, 64))
	}
	return t, nil
}

// log records a call without its arguments or results, which may carry
// personal data: internal failures as errors (their cause names no person),
// unavailable services as warnings, the rest at debug.
func (r *Registry) log(ctx context.Context, msg string, call Call, err *Error, latency time.Duration) {
	name, turn := clean(call.Name, 64), clean(call.TurnID, 64)
	switch {
	case err != nil && err.Code == CodeInternal:
		r.logger.ErrorContext(ctx, "tool failed", "tool", name, "turn_id", turn, "err", err.Err)
	case err != nil && err.Code == CodeUnavailable && err.Err != nil:
		r.logger.WarnContext(ctx, "tool unavailable", "tool", name, "turn_id", turn, "err", err.Err)
	case r.logger.Enabled(ctx, slog.LevelDebug): // every call: no attributes built without debug on
		r.logger.DebugContext(ctx, msg, "tool", name, "turn_id", turn,
			"code", errCode(err), "latency_us", latency.Microseconds())
	}
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
	if ConnectionLost(err) {
		return &Error{Code: CodeUnavailable, Message: "our order system is briefly unavailable; please try again in a moment", Err: err}
	}
	return &Error{Code: CodeInternal, Message: "something went wrong on our side", Err: err}
}

func errCode(e *Error) string {
	if e == nil {
		return ""
	}
	return string(e.Code)
}

// truncate shortens s to at most n bytes, never splitting a character, and
// marks the cut with an ellipsis.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
