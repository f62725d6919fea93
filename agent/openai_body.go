package agent

import (
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// The chat request's JSON is written here rather than by encoding/json
// through go-openai's types. Those types re-encode the whole request on
// every model call, and every json.Marshaler inside it (a message, a tool,
// its schema) is validated and compacted again by each level above it: the
// tools' schemas, constant for a process, were scanned three times a call
// and made about 15 % of a turn's CPU. Here the tools are encoded once per
// slice of specs (the agent shares one slice per role and registry), and
// each string of the conversation is escaped once.

// toolsKey identifies a slice of specs by its backing array: the agent's
// role specs are built once and shared read-only by every turn.
type toolsKey struct {
	first *ToolSpec
	n     int
}

// toolsCache holds the encoded "tools" array of each slice of specs seen.
// It stops growing at maxCachedTools slices (a caller building a fresh
// slice per request still works; it is encoded each time).
type toolsCache struct {
	m sync.Map // toolsKey → []byte
	n atomic.Int32
}

const maxCachedTools = 64

func (c *toolsCache) encoded(tools []ToolSpec) ([]byte, error) {
	if len(tools) == 0 {
		return nil, nil
	}
	k := toolsKey{&tools[0], len(tools)}
	if v, ok := c.m.Load(k); ok {
		return v.([]byte), nil
	}
	b, err := encodeTools(tools)
	if err != nil {
		return nil, err
	}
	if c.n.Load() < maxCachedTools {
		if _, loaded := c.m.LoadOrStore(k, b); !loaded {
			c.n.Add(1)
		}
	}
	return b, nil
}

// encodeTools writes tools as the chat API's "tools" array. A schema that
// is not valid JSON is an error: the upstream would refuse the request.
func encodeTools(tools []ToolSpec) ([]byte, error) {
	b := []byte{'['}
	for i, t := range tools {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"type":"function","function":{"name":`...)
		b = appendJSONString(b, t.Name)
		if t.Description != "" {
			b = append(b, `,"description":`...)
			b = appendJSONString(b, t.Description)
		}
		b = append(b, `,"parameters":`...)
		params := []byte(t.Parameters)
		if len(params) == 0 {
			params = []byte("null")
		}
		if !json.Valid(params) {
			return nil, fmt.Errorf("encode tool %s: its parameters are not valid JSON", t.Name)
		}
		b = appendCompactJSON(b, params)
		b = append(b, "}}"...)
	}
	return append(b, ']'), nil
}

// appendCompactJSON appends valid JSON src without insignificant space.
func appendCompactJSON(b, src []byte) []byte {
	inString, escaped := false, false
	for _, c := range src {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			continue
		}
		b = append(b, c)
	}
	return b
}

// chatBody is what one request carries besides its messages.
type chatBody struct {
	model       string
	temperature *float32
	tools       []byte // encoded "tools" array, or nil
}

// encodeChat writes a streamed chat-completions request for msgs, sized by
// hint (the previous request's length).
func encodeChat(c chatBody, msgs []Message, hint int) []byte {
	return appendChat(make([]byte, 0, max(hint, 1024)), c, msgs)
}

// appendChat is encodeChat into b.
func appendChat(b []byte, c chatBody, msgs []Message) []byte {
	b = append(b, `{"model":`...)
	b = appendJSONString(b, c.model)
	b = append(b, `,"stream":true,"stream_options":{"include_usage":true}`...)
	if c.temperature != nil {
		b = append(b, `,"temperature":`...)
		b = strconv.AppendFloat(b, float64(*c.temperature), 'g', -1, 32)
	}
	if c.tools != nil {
		b = append(b, `,"tools":`...)
		b = append(b, c.tools...)
	}
	b = append(b, `,"messages":[`...)
	for i, m := range msgs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendMessage(b, m)
	}
	return append(b, "]}"...)
}

// appendMessage writes m as go-openai's ChatCompletionMessage would: empty
// fields left out, a tool message's name kept.
func appendMessage(b []byte, m Message) []byte {
	b = append(b, `{"role":`...)
	b = appendJSONString(b, string(m.Role))
	if m.Content != "" {
		b = append(b, `,"content":`...)
		b = appendJSONText(b, m.Content)
	}
	if m.Role == RoleTool && m.Name != "" {
		b = append(b, `,"name":`...)
		b = appendJSONString(b, m.Name)
	}
	if len(m.ToolCalls) > 0 {
		b = append(b, `,"tool_calls":[`...)
		for i, c := range m.ToolCalls {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"id":`...)
			b = appendJSONString(b, c.ID)
			b = append(b, `,"type":"function","function":{"name":`...)
			b = appendJSONString(b, c.Name)
			b = append(b, `,"arguments":`...)
			b = appendJSONString(b, string(c.Arguments))
			b = append(b, "}}"...)
		}
		b = append(b, ']')
	}
	if m.ToolCallID != "" {
		b = append(b, `,"tool_call_id":`...)
		b = appendJSONString(b, m.ToolCallID)
	}
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. Like encoding/json it turns
// invalid UTF-8 into U+FFFD and escapes U+2028 and U+2029; unlike it, it
// leaves <, > and & alone (this JSON is never embedded in HTML).
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
