package fakellm

import (
	"bytes"
	"sync"
)

// This file spares the fake from decoding the same tool list again and
// again. An agent sends the same tools in every request (csagent's twelve
// are 14 KB of a 15 KB body), and decoding them was most of the fake's CPU
// in `csagent bench turn`, where the fake shares the machine's two cores
// with the server it measures; the peers' fake (../shared/peers/fakellm)
// decodes no JSON at all. A request whose "tools" bytes equal the last
// decoded ones reuses their decoding, which depends on those bytes alone,
// and the rest of the body is decoded and validated as before.

// toolCache remembers the last tool list decoded, by its exact bytes.
type toolCache struct {
	mu    sync.Mutex
	raw   []byte
	tools []ToolDef
	// tokens is the tools' share of promptTokens.
	tokens int
}

// lookup returns the decoded tools and their tokens when raw is the list
// last stored.
func (c *toolCache) lookup(raw []byte) ([]ToolDef, int, bool) {
	if c == nil || len(raw) == 0 {
		return nil, 0, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !bytes.Equal(c.raw, raw) {
		return nil, 0, false
	}
	return c.tools, c.tokens, true
}

// store remembers tools as the decoding of raw. Callers must not modify
// tools afterwards: later requests share the slice.
func (c *toolCache) store(raw []byte, tools []ToolDef) {
	if c == nil || len(raw) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.raw, c.tools, c.tokens = bytes.Clone(raw), tools, toolTokens(tools)
}

// topLevelValue finds the value of key in the JSON object body, returning
// its start and end offsets, or ok false when body is not an object this
// scan understands or has no such key. It checks no more syntax than it
// needs to find the value's end: the caller decodes what it cuts out of
// the body, and Unmarshal rejects what is not JSON.
func topLevelValue(body []byte, key string) (start, end int, ok bool) {
	i := skipSpace(body, 0)
	if i >= len(body) || body[i] != '{' {
		return 0, 0, false
	}
	i++
	for {
		i = skipSpace(body, i)
		if i >= len(body) || body[i] != '"' {
			return 0, 0, false
		}
		ks := i
		i = skipString(body, i)
		if i < 0 {
			return 0, 0, false
		}
		name := body[ks+1 : i-1]
		i = skipSpace(body, i)
		if i >= len(body) || body[i] != ':' {
			return 0, 0, false
		}
		vs := skipSpace(body, i+1)
		ve := skipValue(body, vs)
		if ve < 0 {
			return 0, 0, false
		}
		if string(name) == key {
			return vs, ve, true
		}
		i = skipSpace(body, ve)
		if i >= len(body) || body[i] != ',' {
			return 0, 0, false
		}
		i++
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the offset after the string starting at b[i] ('"'),
// or -1 when it does not end.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// skipValue returns the offset after the value starting at b[i], or -1.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				if i = skipString(b, i); i < 0 {
					return -1
				}
				i-- // the loop's i++ steps past the closing quote
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return -1
	default: // a number, true, false or null
		for ; i < len(b); i++ {
			switch b[i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return i
			}
		}
		return i
	}
}
