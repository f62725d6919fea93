package agent

import (
	"hash/maphash"
	"sync"
)

// A conversation's long texts go to the model again on every call: the
// system prompt twice a turn, and each tool result of the window on every
// turn that keeps it (a get_order result is 1 to 1.5 KB of JSON, a quote
// to escape every few bytes). Escaping them was most of writing a
// request (encodeChat, 5 % of the server's CPU a turn). escapedTexts keeps
// the escaping of such texts, so each is escaped once per process and
// copied after that.

// Bounds of the escaping cache: which texts it keeps (shorter ones cost
// less to escape than to look up; longer ones are rare) and how many bytes
// of texts and escapings it holds before it starts over.
const (
	minEscapedText   = 256
	maxEscapedText   = 64 << 10
	maxEscapedMemory = 8 << 20
)

// escapeCache maps a text to its JSON string (quotes included). Texts are
// compared in full on a hit: a hash collision never gives another text's
// escaping. It is safe for concurrent use.
type escapeCache struct {
	mu   sync.Mutex
	seed maphash.Seed
	m    map[uint64]escapedText
	size int
}

type escapedText struct {
	text string
	enc  []byte
}

var escapedTexts = &escapeCache{seed: maphash.MakeSeed(), m: map[uint64]escapedText{}}

// appendJSONText is appendJSONString for a text the model may read again
// (a message's content): a long one's escaping comes from the cache.
func appendJSONText(b []byte, s string) []byte {
	if len(s) < minEscapedText || len(s) > maxEscapedText {
		return appendJSONString(b, s)
	}
	return escapedTexts.append(b, s)
}

func (c *escapeCache) append(b []byte, s string) []byte {
	key := maphash.String(c.seed, s)
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	if ok && e.text == s {
		return append(b, e.enc...)
	}
	start := len(b)
	b = appendJSONString(b, s)
	enc := append([]byte(nil), b[start:]...)
	c.mu.Lock()
	if c.size+len(s)+len(enc) > maxEscapedMemory {
		clear(c.m)
		c.size = 0
	}
	if old, ok := c.m[key]; ok {
		c.size -= len(old.text) + len(old.enc)
	}
	c.m[key] = escapedText{text: s, enc: enc}
	c.size += len(s) + len(enc)
	c.mu.Unlock()
	return b
}
