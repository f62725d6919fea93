package agent

import (
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"sync"
	"time"

	"github.com/csagent/csagent/guardrails"
)

// versionedGuard is a Guard whose rules carry a version
// (*guardrails.Checker): its output checks are deterministic, so a verdict
// reached under one version stands for the same reply and evidence until
// the version changes.
type versionedGuard interface {
	Version() uint64
}

// verdictCache keeps the guardrails' clean passes of answers the policy
// cache serves, by guard version, reply and evidence: the same answer
// served again against the same passages is not checked again (the check
// was most of a cache hit's time). A reload of the rules changes the
// version, so every answer is checked again under the new rules. It is
// bounded: when full it starts over.
type verdictCache struct {
	mu sync.Mutex
	m  map[[sha256.Size]byte]guardrails.OutputResult
}

// maxVerdicts bounds the verdict cache: a few hundred bytes an entry.
const maxVerdicts = 4096

func newVerdictCache() *verdictCache {
	return &verdictCache{m: map[[sha256.Size]byte]guardrails.OutputResult{}}
}

func (c *verdictCache) get(key [sha256.Size]byte) (guardrails.OutputResult, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.m[key]
	return r, ok
}

func (c *verdictCache) put(key [sha256.Size]byte, r guardrails.OutputResult) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxVerdicts {
		clear(c.m)
	}
	c.m[key] = r
}

// verdictKey names a check: the guard's version, the locale and audience,
// the reply and every part of the evidence, each prefixed with its length
// so no two different checks share a key.
func verdictKey(version uint64, locale, audience, text string, ev guardrails.Evidence) [sha256.Size]byte {
	// The strings go in through one small buffer: a hash.Hash takes only
	// bytes, and converting each string copied the evidence (several KiB
	// of policy passages a cache hit) onto the heap every time.
	kw := keyWriter{h: sha256.New()}
	kw.uint(version)
	for _, s := range []string{locale, audience, text} {
		kw.string(s)
	}
	kw.uint(uint64(len(ev.Texts)))
	for _, s := range ev.Texts {
		kw.string(s)
	}
	kw.uint(uint64(len(ev.Actions)))
	for _, a := range ev.Actions {
		kw.string(a.Kind)
		kw.string(a.OrderID)
	}
	var key [sha256.Size]byte
	kw.h.Sum(key[:0])
	return key
}

// keyWriter writes a key's parts into a hash, each string prefixed with
// its length.
type keyWriter struct {
	h   hash.Hash
	buf [512]byte
}

func (w *keyWriter) uint(n uint64) {
	binary.LittleEndian.PutUint64(w.buf[:8], n)
	w.h.Write(w.buf[:8])
}

func (w *keyWriter) string(s string) {
	w.uint(uint64(len(s)))
	for len(s) > 0 {
		n := copy(w.buf[:], s)
		w.h.Write(w.buf[:n])
		s = s[n:]
	}
}

// knownVerdict returns the verdict on text, an answer the policy cache
// serves, when the guardrails passed it cleanly before under their current
// version against the same evidence; on first sight it checks it now and
// keeps a clean pass. ok is false when the answer did not pass cleanly
// (the caller checks it as any reply, and the model may write it again).
//
// The check leaves the buyer's words out of the evidence. They can only
// allow more (a reply may repeat the buyer's own personal data and the
// order ids they named), so a pass without them is a pass with them,
// whoever asks; and the verdict then holds for every buyer asking.
func (g *turnGuard) knownVerdict(text string) (guardrails.OutputResult, bool) {
	vg, ok := g.g.(versionedGuard)
	if !ok {
		return guardrails.OutputResult{}, false
	}
	ev := guardrails.Evidence{Texts: g.ev.Texts, Actions: g.ev.Actions}
	// The version is read before the check: after a reload, a check may
	// run under rules newer than its key says, never older.
	key := verdictKey(vg.Version(), g.locale, audienceBuyer, text, ev)
	if r, ok := g.a.verdicts.get(key); ok {
		g.a.metrics.observeCache("guard_known")
		return r, true
	}
	start := time.Now()
	r := g.g.CheckOutput(text, g.locale, audienceBuyer, ev)
	g.a.metrics.observeGuardCheck("output", time.Since(start))
	g.a.metrics.observeCache("guard_checked")
	if r.Verdict != guardrails.Pass || len(r.Violations) > 0 || len(r.Unjudged) > 0 || r.Text != text {
		return guardrails.OutputResult{}, false
	}
	g.a.verdicts.put(key, r)
	return r, true
}
