package fakellm

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// completion is the answer to one chat request, worked out before any byte
// is written so the streamed and plain encodings say the same thing.
type completion struct {
	id      string
	model   string
	created int64
	text    string
	calls   []ToolCall
	finish  string
	usage   usageWire
	// empty answers with "choices": [], the EmptyChoices fault.
	empty bool
}

type usageWire struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// handleChat validates before it consumes a scripted reply, so a request
// the client got wrong never eats the reply meant for the next one.
func (s *Server) handleChat(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	req, apiErr := decodeChat(body, r.Header, &s.tools)
	if apiErr != nil {
		writeAPIError(w, http.StatusBadRequest, apiErr)
		return
	}
	reply := s.next(req)
	ctx := r.Context()
	if reply.Delay > 0 && sleep(ctx, reply.Delay) != nil {
		return
	}
	if s.writeFault(w, r, reply) {
		return
	}
	c := s.complete(req, reply)
	if req.Stream {
		s.stream(w, r, req, c, reply.Fault == CutStream)
		return
	}
	s.answer(w, r, c, reply.Fault == CutStream)
}

// complete turns a reply into the completion to send, applying the faults
// that change the content rather than the transport.
func (s *Server) complete(req Request, reply Reply) completion {
	c := completion{
		id:      "chatcmpl-" + strconv.FormatUint(s.seq.Add(1), 10),
		model:   req.Model,
		created: time.Now().Unix(),
		text:    reply.Text,
		finish:  "stop",
	}
	calls := reply.ToolCalls
	switch reply.Fault {
	case MalformedToolArgs:
		calls = []ToolCall{malformedCall(req, reply)}
	case UnknownTool:
		calls = []ToolCall{unknownCall(req, reply)}
	case EmptyChoices:
		c.empty = true
	}
	for _, call := range calls {
		if call.ID == "" {
			call.ID = "call_" + strconv.FormatUint(s.seq.Add(1), 10)
		}
		c.calls = append(c.calls, call)
	}
	if len(c.calls) > 0 {
		c.finish = "tool_calls"
	}
	c.usage.PromptTokens = promptTokens(req)
	if !c.empty {
		c.usage.CompletionTokens = completionTokens(c.text, c.calls)
	}
	c.usage.TotalTokens = c.usage.PromptTokens + c.usage.CompletionTokens
	return c
}

type chatResponseWire struct {
	ID                string       `json:"id"`
	Object            string       `json:"object"`
	Created           int64        `json:"created"`
	Model             string       `json:"model"`
	Choices           []choiceWire `json:"choices"`
	Usage             usageWire    `json:"usage"`
	SystemFingerprint string       `json:"system_fingerprint"`
}

type choiceWire struct {
	Index        int                 `json:"index"`
	Message      responseMessageWire `json:"message"`
	Logprobs     *struct{}           `json:"logprobs"`
	FinishReason string              `json:"finish_reason"`
}

// responseMessageWire sends content as null beside tool calls, as OpenAI
// does, hence the pointer.
type responseMessageWire struct {
	Role      string         `json:"role"`
	Content   *string        `json:"content"`
	ToolCalls []toolCallWire `json:"tool_calls,omitempty"`
	Refusal   *string        `json:"refusal"`
}

const fingerprint = "fp_fakellm"

// answer sends c as one JSON body. When cut is set it sends only the first
// half of the body and drops the connection, as a proxy timing out does.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, c completion, cut bool) {
	if sleep(r.Context(), s.pace().at(max(c.usage.CompletionTokens-1, 0))) != nil {
		return
	}
	resp := chatResponseWire{
		ID: c.id, Object: "chat.completion", Created: c.created, Model: c.model,
		Choices: []choiceWire{}, Usage: c.usage, SystemFingerprint: fingerprint,
	}
	if !c.empty {
		msg := responseMessageWire{Role: "assistant"}
		if c.text != "" || len(c.calls) == 0 {
			msg.Content = &c.text
		}
		for _, call := range c.calls {
			msg.ToolCalls = append(msg.ToolCalls, toolCallWire{
				ID: call.ID, Type: "function", Function: functionWire{Name: call.Name, Arguments: call.Arguments},
			})
		}
		resp.Choices = append(resp.Choices, choiceWire{Message: msg, FinishReason: c.finish})
	}
	if !cut {
		writeJSON(w, http.StatusOK, resp)
		return
	}
	body, _ := json.Marshal(resp)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body[:len(body)/2])
	dropConnection(w)
}

// sleep waits for d or until ctx is done, whichever is first, so a client
// giving up never leaves a handler behind.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
