package agent

import (
	"context"
	"encoding/json"
)

// Model is a brain: the OpenAI-compatible LLM provider or the built-in local
// model. Both see the same messages and tools and answer the same way.
type Model interface {
	// Generate answers the conversation in req with either text or tool
	// calls. Text may be streamed through onDelta as it is produced; the
	// returned Response always holds the whole message. Errors are the
	// provider's (unreachable, timed out, refused); the agent answers them
	// with its fallback.
	Generate(ctx context.Context, req Request, onDelta func(text string) error) (Response, error)
}

// Request is one call to a Model.
type Request struct {
	Messages []Message
	Tools    []ToolSpec
	// Locale is the buyer's language ("en", "ko", "es", "ru"), for models
	// that reply from templates.
	Locale string
	// Pending are the actions waiting for the buyer's confirmation, oldest
	// first, each with the tool's structured preview: what a model reads
	// a card's items and amount from when the buyer asks "how much will I
	// get back?" while it waits. The transcript holds no call for them.
	Pending []PendingAction
}

// PendingAction is an action waiting for the buyer's confirmation as a
// model sees it.
type PendingAction struct {
	ID   string
	Tool string
	// Details is the tool's preview (tools.ActionPreview as JSON).
	Details json.RawMessage
}

// Response is a Model's answer.
type Response struct {
	// Message is the assistant message: Content, or ToolCalls, or both.
	Message Message
	Usage   Usage
	// Model names the model that answered, e.g. "local" or "gpt-4o-mini".
	Model string
	// Fallback, when set, says why a fallback model answered instead of the
	// first choice.
	Fallback string
	// Abstain, set by the local model, says its text gives the request up:
	// AbstainClarify (it asks what the buyer meant) or AbstainUnknown (it
	// cannot answer). A routed turn then asks the LLM instead.
	Abstain string
}

// Usage counts the tokens of one model call.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
}
