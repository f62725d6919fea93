package local

import (
	"sync"

	"github.com/csagent/csagent/agent/local/nlu"
)

// parseMemo keeps the classifier's readings of the messages it has read,
// by text and locale hint. Every turn reads the conversation's window of
// buyer messages again (the language it is in, the order it was about,
// recall), and routing's and the policy cache's reading of a turn is one
// of those reads: without the memo the tenth message of a conversation
// costs ten parses, with it one. Parse is a function of its inputs for one
// Classifier (which never changes after training), so a kept reading is
// the reading. It is bounded: when full it starts over.
type parseMemo struct {
	mu sync.Mutex
	m  map[parseKey]nlu.Result
}

type parseKey struct{ text, locale string }

// The memo's bounds: at most maxParses readings of texts of at most
// maxParsedText bytes (a longer one is parsed every time), about 20 MB at
// the very fullest.
const (
	maxParses     = 8192
	maxParsedText = 2048
)

func newParseMemo() *parseMemo { return &parseMemo{m: map[parseKey]nlu.Result{}} }

// parse is m's classifier's Parse of text with locale, read from the memo
// when it was parsed before. The Result is shared: read only (Slots.Amount
// points to one Money for every reader).
func (m *Model) parse(text, locale string) nlu.Result {
	p := m.parses
	if p == nil || len(text) > maxParsedText {
		return m.nlu.Parse(text, locale)
	}
	k := parseKey{text, locale}
	p.mu.Lock()
	r, ok := p.m[k]
	p.mu.Unlock()
	if ok {
		return r
	}
	r = m.nlu.Parse(text, locale)
	p.mu.Lock()
	if len(p.m) >= maxParses {
		clear(p.m)
	}
	p.m[k] = r
	p.mu.Unlock()
	return r
}
