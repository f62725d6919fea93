package agent

import (
	"time"

	"github.com/csagent/csagent/guardrails"
)

// Preparer is a Reader that can read a buyer's message ahead of its turn,
// keeping what it found for the turn's own reading (the local model keeps
// its parses). It must be safe to call while other turns run.
type Preparer interface {
	Prepare(text, locale string)
}

// turnPrep is the work on a turn's message that needs nothing from the
// database: the guardrails' injection check of the message, the local
// model's parse of it and whether it asks for the progress of the
// buyer's requests (progress.go). The turn does it once the batch that stores the
// message and reads the turn's state has been sent and before it reads the
// results (Store.appendUser's sent), so this CPU work overlaps the
// database's instead of following it: the time to a turn's answer is the
// round trip or this work, whichever is longer, rather than both, with no
// goroutine of its own. Both are functions of the text and locale alone; a
// turn whose message or guard turns out to be other than prepared for (an
// experiment variant's guard, a message stored earlier under the same
// client id) checks again as before.
type turnPrep struct {
	text, locale string
	guard        Guard
	warm         Preparer
	// progress is the agent's progressReader, nil without one; asks is
	// its reading of the message (progressAsked).
	progress progressReader
	ran      bool
	input    guardrails.InputResult
	took     time.Duration
	asks     bool
}

// prepare returns t's message's preparation, not yet run; nil when there
// is nothing to prepare.
func (a *Agent) prepare(t Turn) *turnPrep {
	var warm Preparer
	if p, ok := a.reader.(Preparer); ok && (a.cfg.PolicyCache || a.cfg.Routing.Enabled) {
		warm = p
	}
	pr, _ := a.confirm.(progressReader)
	if a.guard == nil && warm == nil && pr == nil {
		return nil
	}
	return &turnPrep{text: t.Text, locale: t.Locale, guard: a.guard, warm: warm, progress: pr}
}

// run does the preparation, once. A turn belongs to one goroutine, so
// its preparation needs no lock.
func (p *turnPrep) run() {
	if p == nil || p.ran {
		return
	}
	p.ran = true
	if p.guard != nil {
		start := time.Now()
		p.input = p.guard.CheckInput(p.text, p.locale)
		p.took = time.Since(start)
	}
	if p.warm != nil {
		p.warm.Prepare(p.text, p.locale)
	}
	if p.progress != nil {
		p.asks = p.progress.AsksProgress(p.text, p.locale)
	}
}

// progressAsked returns pr's AsksProgress of text in locale, from the
// preparation when it was made for the same text and locale (a turn
// answered again without one, or whose message is not the one prepared,
// reads it now). The reader is the agent's own (Options.Confirmations),
// which no variant changes, so it is not compared: an implementation need
// not be comparable.
func (p *turnPrep) progressAsked(pr progressReader, text, locale string) bool {
	if p == nil || p.progress == nil || p.text != text || p.locale != locale {
		return pr.AsksProgress(text, locale)
	}
	p.run()
	return p.asks
}

// inputCheck returns g's CheckInput of text in locale when it was
// prepared for (running the preparation if the turn has not yet), and how
// long the check took; ok is false when it was prepared for another
// guard, text or locale.
func (p *turnPrep) inputCheck(g Guard, text, locale string) (r guardrails.InputResult, took time.Duration, ok bool) {
	if p == nil || p.guard == nil || p.guard != g || p.text != text || p.locale != locale {
		return guardrails.InputResult{}, 0, false
	}
	p.run()
	return p.input, p.took, true
}
