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
// database: the guardrails' injection check of the message and the local
// model's parse of it. It runs while the round trip that stores the
// message and reads the turn's state is in flight, so a turn's time to its
// answer is the round trip or this work, whichever is longer, rather than
// both. Both are functions of the text and locale alone; a turn whose
// message or guard turns out to be other than prepared for (an experiment
// variant's guard) checks again as before.
type turnPrep struct {
	text, locale string
	guard        Guard
	input        guardrails.InputResult
	took         time.Duration
	done         chan struct{}
}

// prepare starts t's message's preparation; nil when there is nothing to
// prepare. The caller waits for it (wait) before it returns: the goroutine
// belongs to the turn.
func (a *Agent) prepare(t Turn) *turnPrep {
	var warm Preparer
	if p, ok := a.reader.(Preparer); ok && (a.cfg.PolicyCache || a.cfg.Routing.Enabled) {
		warm = p
	}
	if a.guard == nil && warm == nil {
		return nil
	}
	p := &turnPrep{text: t.Text, locale: t.Locale, guard: a.guard, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		if p.guard != nil {
			start := time.Now()
			p.input = p.guard.CheckInput(p.text, p.locale)
			p.took = time.Since(start)
		}
		if warm != nil {
			warm.Prepare(p.text, p.locale)
		}
	}()
	return p
}

// wait waits for the preparation to end.
func (p *turnPrep) wait() {
	if p != nil {
		<-p.done
	}
}

// inputCheck returns g's CheckInput of text in locale when it was
// prepared, once the preparation has ended, and how long the check took;
// ok is false when it was not prepared.
func (p *turnPrep) inputCheck(g Guard, text, locale string) (r guardrails.InputResult, took time.Duration, ok bool) {
	if p == nil || p.guard == nil || p.guard != g || p.text != text || p.locale != locale {
		return guardrails.InputResult{}, 0, false
	}
	p.wait()
	return p.input, p.took, true
}
