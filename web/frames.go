package web

import (
	"encoding/json"
	"time"

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
	// confirm
	ActionID string `json:"action_id"`
	Approved bool   `json:"approved"`
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
