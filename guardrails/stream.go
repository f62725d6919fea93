package guardrails

import (
	"math"
	"strings"
)

// Stream checks a reply while it is generated and releases it sentence by
// sentence, each only after it passed the checks CheckOutput makes, so
// nothing unchecked is ever shown. A sentence is complete once the first
// character of the next one has arrived (or at Flush); a sentence that
// fails is held back, and a sentence that only repeats personal data is
// released masked. Once the first sentence failed with an unsupported
// claim the reply is lost (the verdict will be Fallback) and nothing more
// is released.
//
// A Stream belongs to one reply and is not safe for concurrent use. It
// keeps the rules it started with across a Reload.
type Stream struct {
	rs       *ruleset
	e        *evidence
	locale   string
	audience string

	buf    string // received, not yet a complete sentence
	offset int    // where buf starts in the reply
	// scanned is where in buf the next split resumes: what comes before
	// it holds no sentence's end (splitSentencesFrom).
	scanned int
	done    bool

	released strings.Builder
	text     strings.Builder // the whole reply received
	segs     []segment
	res      []segResult
	dropCite bool // the last sentence was held back; so is its citation
	lost     bool
	// orders are the orders the reply is about so far.
	orders []string
	// holdJudged: a sentence a judge may still decide, and everything
	// after it, is not released (see HoldForJudge); held says one was met.
	holdJudged bool
	held       bool
	// views are the sentence views checkSegment reuses.
	views views
}

// NewStream starts checking a reply for audience in locale against ev.
func (c *Checker) NewStream(locale, audience string, ev Evidence) *Stream {
	return &Stream{rs: c.load(), e: newEvidence(ev, locale, c.texts), locale: locale, audience: audience}
}

// HoldForJudge makes the stream keep back, from the first one on, the
// sentences a judge may still decide: policy statements the support score
// could not judge (a judge may reject them) or found weak (a judge may
// clear them). Only what no judgement can change is released early; the
// caller shows the rest once judged.
func (s *Stream) HoldForJudge() { s.holdJudged = true }

// Write adds a delta of the reply and returns the text it releases now:
// the sentences the delta completed that passed, or "". After Flush it
// releases nothing.
func (s *Stream) Write(delta string) string {
	if s.done || delta == "" {
		return ""
	}
	s.text.WriteString(delta)
	// buf is the unfinished end of the reply's text, which the builder
	// holds: a view of it, not a copy per delta (the bytes a builder has
	// written never change, even as it grows).
	s.buf = s.text.String()[s.offset:]
	segs, rest, resume := splitSentencesFrom(s.buf, s.scanned, false)
	out := s.settle(segs)
	s.buf = s.buf[rest:]
	s.offset += rest
	s.scanned = resume - rest
	return out
}

// Flush ends the reply: it checks what remains and returns what of it
// passes.
func (s *Stream) Flush() string {
	if s.done {
		return ""
	}
	segs, rest := splitSentences(s.buf, true)
	out := s.settle(segs)
	s.buf = s.buf[rest:]
	s.offset += rest
	s.done = true
	return out
}

// settle checks complete sentences of buf and returns what it releases.
func (s *Stream) settle(segs []segment) string {
	var out strings.Builder
	for _, sg := range segs {
		s.orders = sentenceOrders(s.buf[sg.start:sg.end], s.orders)
		r := checkSegment(s.rs, s.e, &s.views, s.buf, sg, s.locale, s.audience, s.orders)
		// Offsets of violations are in the whole reply.
		for i := range r.violations {
			r.violations[i].Start += s.offset
			r.violations[i].End += s.offset
		}
		s.segs = append(s.segs, segment{sg.start + s.offset, sg.end + s.offset})
		s.res = append(s.res, r)
		text := s.buf[sg.start:sg.end]
		switch {
		case r.content && s.firstContent() == len(s.res)-1 && r.answer:
			s.lost = true
		case !r.content && s.dropCite && onlyCitations(text):
			continue
		}
		m := r.masked
		if s.dropCite {
			m = stripLeadingCitations(m)
		}
		s.dropCite = r.removable
		if s.holdJudged && (r.unjudged || r.policy && r.removable) {
			s.held = true
		}
		if s.lost || s.held || r.removable {
			continue
		}
		out.WriteString(m)
	}
	s.released.WriteString(out.String())
	return out.String()
}

func (s *Stream) firstContent() int {
	for i, r := range s.res {
		if r.content {
			return i
		}
	}
	return -1
}

// Released returns everything released so far.
func (s *Stream) Released() string { return s.released.String() }

// Result returns the verdict on the reply so far (call it after Flush),
// with every violation, offsets in the whole reply. Text is what was
// released, which the buyer has seen; on Fallback the caller follows it
// with its safe reply, or with nothing more when Text is "". When
// sentences were held for a judge (HoldForJudge), Text is the whole reply
// as the checks leave it, released or not.
func (s *Stream) Result() OutputResult {
	out := OutputResult{Score: 1}
	for _, r := range s.res {
		out.Violations = append(out.Violations, r.violations...)
		if r.policy {
			out.Score = math.Min(out.Score, r.score)
		}
	}
	whole := s.text.String()
	var text string
	out.Verdict, text = verdictOf(whole, s.segs, s.res)
	out.Unjudged = unjudged(whole, s.segs, s.res)
	if s.lost {
		out.Verdict = Fallback
	}
	out.Text = s.released.String()
	if s.held && out.Verdict != Fallback {
		// Sentences kept back for a judge are part of the reply.
		out.Text = text
	}
	return out
}
