package fakellm

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// This file decodes and validates chat requests. The wire types mirror
// OpenAI's JSON; decoding goes through them, never through map[string]any,
// so a wrongly typed field is a 400, not a panic.

// Request is one chat request as the fake decoded it, recorded so tests can
// assert on what their client sent.
type Request struct {
	// Model is the model the client asked for.
	Model string
	// Messages is the conversation, in order.
	Messages []Message
	// Tools are the function tools offered to the model.
	Tools []ToolDef
	// ToolChoice is the raw tool_choice value, nil when absent.
	ToolChoice json.RawMessage
	// Stream reports whether the client asked for server-sent events.
	Stream bool
	// IncludeUsage reports stream_options.include_usage.
	IncludeUsage bool
	// Temperature is nil when the client did not send one.
	Temperature *float64
	// MaxTokens is max_completion_tokens, or the older max_tokens; 0 when
	// absent. The fake records it but does not truncate replies.
	MaxTokens int
	// Header holds the request's HTTP headers.
	Header http.Header
	// Raw is the request body as received, for fields Request does not
	// decode.
	Raw json.RawMessage

	// toolTokens is the tools' share of promptTokens when known (the tool
	// list came from the cache); promptTokens counts them otherwise.
	toolTokens      int
	toolTokensKnown bool
}

// Message is one message of a chat request.
type Message struct {
	// Role is "system", "developer", "user", "assistant" or "tool".
	Role string
	// Content is the message text; the text parts of multi-part content are
	// joined with newlines.
	Content string
	// Name is the optional participant or tool name.
	Name string
	// ToolCallID links a "tool" message to the call it answers.
	ToolCallID string
	// ToolCalls are the calls an assistant message made.
	ToolCalls []ToolCall
}

// ToolCall is a function call made by the assistant.
type ToolCall struct {
	// ID is the call's id; replies with an empty ID get a generated one.
	ID string
	// Name is the function's name.
	Name string
	// Arguments is the JSON text of the arguments, as OpenAI sends it.
	Arguments string
}

// ToolDef describes a function tool offered in a request.
type ToolDef struct {
	Name        string
	Description string
	// Parameters is the JSON Schema of the arguments, nil when absent.
	Parameters json.RawMessage
}

// LastUser returns the content of the last user message, or "" when there
// is none; most scripted replies key on it.
func (r Request) LastUser() string {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		if r.Messages[i].Role == "user" {
			return r.Messages[i].Content
		}
	}
	return ""
}

type chatRequestWire struct {
	Model         string          `json:"model"`
	Messages      []messageWire   `json:"messages"`
	Tools         []toolWire      `json:"tools"`
	ToolChoice    json.RawMessage `json:"tool_choice"`
	Stream        bool            `json:"stream"`
	StreamOptions *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
	Temperature         *float64 `json:"temperature"`
	MaxTokens           int      `json:"max_tokens"`
	MaxCompletionTokens int      `json:"max_completion_tokens"`
}

type messageWire struct {
	Role       string         `json:"role"`
	Content    wireContent    `json:"content"`
	Name       string         `json:"name"`
	ToolCallID string         `json:"tool_call_id"`
	ToolCalls  []toolCallWire `json:"tool_calls"`
}

type contentPart struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type toolWire struct {
	Type     string `json:"type"`
	Function *struct {
		Name        string          `json:"name"`
		Description string          `json:"description"`
		Parameters  json.RawMessage `json:"parameters"`
	} `json:"function"`
}

// toolCallWire serves both directions. Index is set only in stream chunks,
// and Arguments is never omitted because OpenAI's first chunk of a call
// carries an empty string there.
type toolCallWire struct {
	Index    *int         `json:"index,omitempty"`
	ID       string       `json:"id,omitempty"`
	Type     string       `json:"type,omitempty"`
	Function functionWire `json:"function"`
}

type functionWire struct {
	Name      string `json:"name,omitempty"`
	Arguments string `json:"arguments"`
}

// decodeChat parses and validates a chat request body the way OpenAI does,
// returning the 400 to send when it is not acceptable. A tool list equal
// to the one tools last stored is not decoded again (toolcache.go); tools
// may be nil.
func decodeChat(body []byte, header http.Header, tools *toolCache) (Request, *apiError) {
	var wire chatRequestWire
	doc := body
	ts, te, located := topLevelValue(body, "tools")
	cached, cachedTokens, hit := []ToolDef(nil), 0, false
	if located {
		cached, cachedTokens, hit = tools.lookup(body[ts:te])
	}
	if hit {
		// The same bytes decode to the same tools: decode the rest.
		doc = make([]byte, 0, len(body)-(te-ts)+4)
		doc = append(append(append(doc, body[:ts]...), "null"...), body[te:]...)
	}
	if err := json.Unmarshal(doc, &wire); err != nil {
		return Request{}, invalid("", "invalid_json",
			"We could not parse the JSON body of your request: "+err.Error())
	}
	if wire.Model == "" {
		return Request{}, invalid("model", "missing_required_parameter", "You must provide a model parameter.")
	}
	if len(wire.Messages) == 0 {
		return Request{}, invalid("messages", "missing_required_parameter", "'messages' must contain at least one message.")
	}
	if wire.StreamOptions != nil && !wire.Stream {
		return Request{}, invalid("stream_options", "invalid_value",
			"The 'stream_options' parameter is only allowed when 'stream' is enabled.")
	}
	req := Request{
		Model:        wire.Model,
		ToolChoice:   wire.ToolChoice,
		Stream:       wire.Stream,
		IncludeUsage: wire.StreamOptions != nil && wire.StreamOptions.IncludeUsage,
		Temperature:  wire.Temperature,
		MaxTokens:    wire.MaxCompletionTokens,
		Header:       header.Clone(),
		Raw:          json.RawMessage(body),
	}
	if req.MaxTokens == 0 {
		req.MaxTokens = wire.MaxTokens
	}
	for i, t := range wire.Tools {
		param := "tools[" + strconv.Itoa(i) + "]"
		if t.Type != "function" || t.Function == nil {
			return Request{}, invalid(param, "invalid_value", "Each tool must have type 'function' and a 'function' object.")
		}
		if !validFunctionName(t.Function.Name) {
			return Request{}, invalid(param+".function.name", "invalid_value",
				"Function names must be 1 to 64 characters of a-z, A-Z, 0-9, '_' or '-'.")
		}
		params := bytes.TrimSpace(t.Function.Parameters)
		if len(params) > 0 && params[0] != '{' && string(params) != "null" {
			return Request{}, invalid(param+".function.parameters", "invalid_value", "Function parameters must be a JSON Schema object.")
		}
		req.Tools = append(req.Tools, ToolDef{Name: t.Function.Name, Description: t.Function.Description, Parameters: t.Function.Parameters})
	}
	switch {
	case hit:
		req.Tools, req.toolTokens, req.toolTokensKnown = cached, cachedTokens, true
	case located && len(req.Tools) > 0:
		tools.store(body[ts:te], req.Tools)
	}
	for i, m := range wire.Messages {
		msg, err := decodeMessage(i, m)
		if err != nil {
			return Request{}, err
		}
		req.Messages = append(req.Messages, msg)
	}
	if err := checkToolPairing(req.Messages); err != nil {
		return Request{}, err
	}
	return req, nil
}

func decodeMessage(i int, m messageWire) (Message, *apiError) {
	param := "messages[" + strconv.Itoa(i) + "]"
	switch m.Role {
	case "system", "developer", "user", "assistant", "tool", "function":
	default:
		return Message{}, invalid(param+".role", "invalid_value",
			"Invalid value '"+m.Role+"': role must be system, developer, user, assistant or tool.")
	}
	msg := Message{Role: m.Role, Name: m.Name, ToolCallID: m.ToolCallID}
	content, ok := m.Content.text, !m.Content.bad
	if !ok {
		return Message{}, invalid(param+".content", "invalid_type", "Content must be a string, an array of content parts or null.")
	}
	msg.Content = content
	if m.Role == "tool" && m.ToolCallID == "" {
		return Message{}, invalid(param+".tool_call_id", "missing_required_parameter", "A tool message needs a tool_call_id.")
	}
	if len(m.ToolCalls) > 0 && m.Role != "assistant" {
		return Message{}, invalid(param+".tool_calls", "invalid_value", "Only assistant messages may carry tool_calls.")
	}
	for j, c := range m.ToolCalls {
		cparam := param + ".tool_calls[" + strconv.Itoa(j) + "]"
		if c.ID == "" || c.Function.Name == "" {
			return Message{}, invalid(cparam, "missing_required_parameter", "Each tool call needs an id and a function name.")
		}
		if c.Type != "" && c.Type != "function" {
			return Message{}, invalid(cparam+".type", "invalid_value", "Tool call type must be 'function'.")
		}
		msg.ToolCalls = append(msg.ToolCalls, ToolCall{ID: c.ID, Name: c.Function.Name, Arguments: c.Function.Arguments})
	}
	return msg, nil
}

// wireContent is a message's content as it is decoded: its text, and bad
// when it was neither a string, an array of parts nor null (an absent one
// is ""). It reads a plain string in place rather than keeping the raw
// bytes to decode them again: the fake reads every message of every
// request, and that was most of its allocations.
type wireContent struct {
	text string
	bad  bool
}

func (c *wireContent) UnmarshalJSON(b []byte) error {
	if len(b) >= 2 && b[0] == '"' && utf8.Valid(b) {
		// The decoder checked the value's syntax: without an escape or an
		// invalid byte, the text is what stands between the quotes, and
		// escapes are undone here rather than by a second json.Unmarshal
		// (a tool result's JSON, full of \", was a sixth of the fake's CPU).
		if bytes.IndexByte(b, '\\') < 0 {
			c.text = string(b[1 : len(b)-1])
		} else {
			c.text = unescape(b[1 : len(b)-1])
		}
		return nil
	}
	var ok bool
	c.text, ok = decodeContent(b)
	c.bad = !ok
	return nil
}

// unescape undoes the escapes of a JSON string's valid, valid-UTF-8 body
// as encoding/json does: a lone surrogate becomes U+FFFD.
func unescape(b []byte) string {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			out = append(out, b[i])
			continue
		}
		i++
		switch b[i] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hex4(b[i+1 : i+5])
			i += 4
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if i+6 < len(b) && b[i+1] == '\\' && b[i+2] == 'u' {
					r2 = hex4(b[i+3 : i+7])
				}
				if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
					r = d
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
		default: // '"', '\\' and '/' stand for themselves
			out = append(out, b[i])
		}
	}
	return string(out)
}

// hex4 reads four hex digits the decoder has checked.
func hex4(h []byte) rune {
	var r rune
	for _, c := range h {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		default:
			c = c - 'A' + 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// decodeContent accepts a string, null, or an array of parts whose text
// parts are joined; images and audio parts are skipped since the fake only
// reads text.
func decodeContent(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", true
	}
	var s string
	if raw[0] == '"' {
		return s, json.Unmarshal(raw, &s) == nil
	}
	var parts []contentPart
	if json.Unmarshal(raw, &parts) != nil {
		return "", false
	}
	var texts []string
	for _, p := range parts {
		if p.Type == "text" {
			texts = append(texts, p.Text)
		}
	}
	return strings.Join(texts, "\n"), true
}

// checkToolPairing enforces OpenAI's rule that every tool message answers a
// call of the assistant message just before it, and that every call is
// answered before the conversation moves on. Real OpenAI rejects histories
// that break it, so the fake must too, or an agent that trims history badly
// would pass its tests and fail in production.
func checkToolPairing(msgs []Message) *apiError {
	var (
		open     = -1 // index of the assistant message whose calls are being answered
		pending  []string
		answered map[string]bool
	)
	unanswered := func() *apiError {
		var missing []string
		for _, id := range pending {
			if !answered[id] {
				missing = append(missing, id)
			}
		}
		if len(missing) == 0 {
			return nil
		}
		return invalid("messages["+strconv.Itoa(open)+"].role", "invalid_value",
			"An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. "+
				"The following tool_call_ids did not have response messages: "+strings.Join(missing, ", "))
	}
	for i, m := range msgs {
		if m.Role == "tool" {
			known := false
			for _, id := range pending {
				known = known || id == m.ToolCallID
			}
			if open < 0 || !known {
				return invalid("messages["+strconv.Itoa(i)+"].role", "invalid_value",
					"Messages with role 'tool' must be a response to a preceding message with 'tool_calls'; no call has id '"+m.ToolCallID+"'.")
			}
			answered[m.ToolCallID] = true
			continue
		}
		if open >= 0 {
			if err := unanswered(); err != nil {
				return err
			}
			open, pending = -1, nil
		}
		if len(m.ToolCalls) > 0 {
			open, pending, answered = i, nil, map[string]bool{}
			for _, c := range m.ToolCalls {
				pending = append(pending, c.ID)
			}
		}
	}
	if open >= 0 {
		return unanswered()
	}
	return nil
}

func validFunctionName(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for _, r := range name {
		ok := r == '_' || r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
		if !ok {
			return false
		}
	}
	return true
}
