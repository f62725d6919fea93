package guardrails

import (
	"hash/maphash"
	"strings"
	"sync"
)

// textCache keeps what a check reads from one evidence text that depends on
// the text alone (and the locale): its fragments by order and the states
// its prose states. A conversation's tool results are evidence for every
// later reply in its window, and each reply's check read them all again;
// with the cache each is read once per process. It is safe for concurrent
// use and bounded: when full it starts over.
type textCache struct {
	mu   sync.Mutex
	seed maphash.Seed
	m    map[uint64]*textFacts
}

// textFacts are one text's facts, each read on first use.
type textFacts struct {
	text, locale string // compared in full: a hash collision never mixes texts

	fragsOnce  sync.Once
	frags      []fragment
	statesOnce sync.Once
	states     []string
	blobOnce   sync.Once
	blob       string
}

// Bounds of the cache: entries, and the longest text it keeps (a longer
// one is read each time, as before).
const (
	maxCachedTexts   = 4096
	maxCachedTextLen = 32 << 10
)

func newTextCache() *textCache {
	return &textCache{seed: maphash.MakeSeed(), m: map[uint64]*textFacts{}}
}

// facts returns the facts of text read in locale; a nil cache or a long
// text gets facts of its own.
func (c *textCache) facts(text, locale string) *textFacts {
	if c == nil || len(text) > maxCachedTextLen {
		return &textFacts{text: text, locale: locale}
	}
	var h maphash.Hash
	h.SetSeed(c.seed)
	h.WriteString(locale)
	h.WriteByte(0)
	h.WriteString(text)
	key := h.Sum64()
	c.mu.Lock()
	defer c.mu.Unlock()
	if f, ok := c.m[key]; ok && f.text == text && f.locale == locale {
		return f
	}
	if len(c.m) >= maxCachedTexts {
		clear(c.m)
	}
	f := &textFacts{text: text, locale: locale}
	c.m[key] = f
	return f
}

// fragments returns the text's fragments by order (splitByOrder). The
// slice is shared: callers do not change it.
func (f *textFacts) fragments() []fragment {
	f.fragsOnce.Do(func() { f.frags = splitByOrder(f.text) })
	return f.frags
}

// proseStates returns the states the text's prose states of a specific
// order, refund or dispute: in a plain text, or in the prose strings of a
// JSON result. A tool's summary or error message states what its fields do
// not hold ("order ORD-10002 is paid but has not shipped yet" comes with no
// data), and a reply that restates it must find the state it restates.
func (f *textFacts) proseStates() []string {
	f.statesOnce.Do(func() {
		x := extractor{locale: f.locale}
		prose := func(t string) {
			lt := lowerSameLen(t)
			if !hasID(lt) {
				return
			}
			segs, _ := splitSentences(t, true)
			for _, sg := range segs {
				if hasID(lt[sg.start:sg.end]) {
					for _, c := range x.states(t[sg.start:sg.end]) {
						f.states = append(f.states, c.key)
					}
				}
			}
		}
		if tt := strings.TrimSpace(f.text); strings.HasPrefix(tt, "{") || strings.HasPrefix(tt, "[") {
			jsonStrings(tt, prose)
			return
		}
		prose(f.text)
	})
	return f.states
}

// idBlob returns the text's ASCII letters and digits in upper case
// (alnumUpper).
func (f *textFacts) idBlob() string {
	f.blobOnce.Do(func() { f.blob = alnumUpper(f.text) })
	return f.blob
}
