package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/csagent/csagent/agent"
)

// Protocol v1 frames. docs/protocol.md is their reference; the names and
// fields here are a contract with every client.

// inFrame is any client frame; Type says which fields matter.
type inFrame struct {
	Type string `json:"type"`
	// hello
	ConversationID string `json:"conversation_id"`
	LastSeq        int64  `json:"last_seq"`
	Locale         string `json:"locale"`
	// user_message
	ID   string `json:"id"`
	Text string `json:"text"`
	// confirm; Approved is a pointer so a decision cannot be taken by
	// leaving it out.
	ActionID string `json:"action_id"`
	Approved *bool  `json:"approved"`
}

// Bounds of the fields of client frames.
const (
	maxConversationIDLen = 64
	maxActionIDLen       = 64
	maxLocaleLen         = 35 // BCP 47 tags a browser sends fit easily
)

// frameError is a client frame decodeFrame refused: what the client is told
// in an invalid error frame, the client id it concerns, if any, and the
// frame's kind for the frames metric.
type frameError struct {
	msg    string
	id     string
	kind   string
	reason reason
}

func (e *frameError) Error() string { return e.msg }

// decodeFrame parses one text frame and checks everything about it that
// does not depend on the connection: valid UTF-8, one JSON object, a known
// type, and that type's fields present, of the right type and in bounds.
// What it accepts is trimmed (a user message's text) and safe to store.
// The connection checks the rest (hello before anything else, the limits).
func decodeFrame(data []byte) (inFrame, *frameError) {
	var f inFrame
	if !utf8.Valid(data) {
		return f, &frameError{msg: "frames must be valid UTF-8", kind: "unknown"}
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return inFrame{}, &frameError{msg: "the frame is not a valid JSON object: " + jsonProblem(err), kind: "unknown"}
	}
	switch f.Type {
	case "hello":
		switch {
		case len(f.ConversationID) > maxConversationIDLen || !printable(f.ConversationID):
			return f, &frameError{msg: "conversation_id is not a conversation id", kind: f.Type}
		case f.LastSeq < 0:
			return f, &frameError{msg: "last_seq must be 0 or more", kind: f.Type}
		case len(f.Locale) > maxLocaleLen:
			return f, &frameError{msg: "locale is too long", kind: f.Type}
		}
	case "user_message":
		f.Text = strings.TrimSpace(f.Text)
		switch {
		case f.ID == "" || len(f.ID) > maxClientIDLen || !printable(f.ID):
			return f, &frameError{msg: fmt.Sprintf("user_message needs an id of 1 to %d characters", maxClientIDLen), kind: f.Type}
		case f.Text == "":
			return f, &frameError{msg: "the message must have some text", id: f.ID, kind: f.Type, reason: reasonEmpty}
		case !agent.MessageLengthOK(f.Text):
			return f, &frameError{msg: fmt.Sprintf("the message must have at most %d characters", agent.MaxMessageChars), id: f.ID, kind: f.Type, reason: reasonTooLong}
		case !printable(f.Text):
			return f, &frameError{msg: "the message must be text, without control characters", id: f.ID, kind: f.Type, reason: reasonNotText}
		}
	case "confirm":
		switch {
		case f.ActionID == "" || len(f.ActionID) > maxActionIDLen || !printable(f.ActionID):
			return f, &frameError{msg: "confirm needs an action_id", kind: f.Type}
		case f.Approved == nil:
			return f, &frameError{msg: "confirm needs approved: true to go ahead, false to decline", kind: f.Type}
		}
	default:
		return inFrame{}, &frameError{msg: "unknown frame type; expected hello, user_message or confirm", kind: "unknown"}
	}
	return f, nil
}

func jsonProblem(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		if typeErr.Field == "" {
			return "a frame is an object"
		}
		return "field " + typeErr.Field + " has the wrong type"
	}
	return "malformed JSON"
}

type readyFrame struct {
	Type           string `json:"type"`
	ConversationID string `json:"conversation_id"`
	Seq            int64  `json:"seq"`
	// Status is the conversation's: open (the assistant answers), handoff
	// (waiting for a person), agent (a person answers) or closed.
	Status string `json:"status"`
}

// statusFrame announces a change of the conversation's status.
type statusFrame struct {
	Type   string `json:"type"`
	Status string `json:"status"`
}

type deltaFrame struct {
	Type   string `json:"type"`
	TurnID string `json:"turn_id"`
	Text   string `json:"text"`
}

type toolFrame struct {
	Type   string `json:"type"`
	TurnID string `json:"turn_id"`
	Name   string `json:"name"`
	Status string `json:"status"`
}

type confirmRequestFrame struct {
	Type     string `json:"type"`
	TurnID   string `json:"turn_id,omitempty"`
	ActionID string `json:"action_id"`
	Tool     string `json:"tool"`
	Summary  string `json:"summary"`
}

type handoffFrame struct {
	Type   string `json:"type"`
	TurnID string `json:"turn_id,omitempty"`
	Reason string `json:"reason"`
}

type messageFrame struct {
	Type      string          `json:"type"`
	Seq       int64           `json:"seq"`
	TurnID    string          `json:"turn_id"`
	Role      string          `json:"role"`
	Text      string          `json:"text"`
	Citations json.RawMessage `json:"citations"`
	Guardrail string          `json:"guardrail,omitempty"`
	// ID is the client's id of a buyer's message, so the tab that sent it
	// can match it to what it already shows.
	ID        string    `json:"id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

type errorFrame struct {
	Type    string `json:"type"`
	Code    code   `json:"code"`
	Message string `json:"message"`
	// Reason tells apart refusals of one code that a client words
	// differently (a message too long, or sent too fast); empty when the
	// code says it all.
	Reason reason `json:"reason,omitempty"`
	// RetryAfter is how many seconds a rate-limited client waits before
	// the same frame can succeed; 0 when unknown or not rate limited.
	RetryAfter int `json:"retry_after,omitempty"`
	// ID echoes the client id of the user_message the error is about.
	ID string `json:"id,omitempty"`
}

func newMessageFrame(m agent.StoredMessage) messageFrame {
	cit := m.Citations
	if len(cit) == 0 {
		cit = json.RawMessage("[]")
	}
	f := messageFrame{Type: "message", Seq: m.Seq, TurnID: m.TurnID, Role: m.Role, Text: m.Text, Citations: cit,
		Guardrail: m.Guardrail, CreatedAt: m.CreatedAt.UTC()}
	if m.Role == "user" {
		f.ID = m.ClientID
	}
	return f
}

func newEventFrame(e agent.Event) any {
	switch e.Kind {
	case agent.EventTool:
		return toolFrame{Type: "tool", TurnID: e.TurnID, Name: e.Tool, Status: e.Status}
	case agent.EventHandoff:
		return handoffFrame{Type: "handoff", TurnID: e.TurnID, Reason: e.Text}
	case agent.EventConfirm:
		return confirmRequestFrame{Type: "confirm_request", TurnID: e.TurnID, ActionID: e.ActionID, Tool: e.Tool, Summary: e.Text}
	default:
		return deltaFrame{Type: "delta", TurnID: e.TurnID, Text: e.Text}
	}
}
