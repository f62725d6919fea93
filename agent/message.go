package agent

import "encoding/json"

// Role is who wrote a Message in the model's view of a conversation.
type Role string

// The roles of the chat-completions format, which every provider speaks.
const (
	RoleSystem    Role = "system"
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
	RoleTool      Role = "tool"
)

// Message is one entry of the conversation a model sees. The agent owns this
// type; providers translate it to their wire format, so no library type
// crosses the package line.
type Message struct {
	Role    Role
	Content string
	// ToolCalls are the calls an assistant message asks for.
	ToolCalls []ToolCall
	// ToolCallID and Name say which call a tool message answers.
	ToolCallID string
	Name       string
	// Staff marks an assistant message a person wrote (support staff or
	// the seller) rather than the model: what they said may back a
	// reply's claims. Providers send it as an assistant message.
	Staff bool
}

// ToolCall is a model's request to run a tool.
type ToolCall struct {
	ID        string
	Name      string
	Arguments json.RawMessage
}

// ToolSpec describes a tool to a model: what it is for and the JSON Schema of
// its arguments.
type ToolSpec struct {
	Name        string
	Description string
	Parameters  json.RawMessage
}
