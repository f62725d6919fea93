package guardrails

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
)

// Verdict is what the output checks decided about a reply.
type Verdict string

// The verdicts.
const (
	// Pass: the reply is shown as written.
	Pass Verdict = "pass"
	// Rewritten: offending sentences were removed or personal data
	// masked; OutputResult.Text is what to show.
	Rewritten Verdict = "rewritten"
	// Fallback: the reply cannot be saved by removing sentences; the
	// caller regenerates it (with Feedback) or shows its safe reply.
	Fallback Verdict = "fallback"
)

// The violation types.
const (
	TypeBanned      = "banned_phrase"
	TypeUnsupported = "unsupported_claim"
	TypeInjection   = "injection"
	TypePII         = "pii"
	TypeLowSupport  = "low_support"
)

// Violation is one thing a check found wrong with a text.
type Violation struct {
	// Type is one of the Type constants.
	Type string `json:"type"`
	// Rule names what was broken: a banned-phrase rule's id, a claim kind
	// ("amount", "date", …), an injection pattern, a kind of personal
	// data ("card", "phone", "email", "address").
	Rule string `json:"rule"`
	// Span is the offending text as written, and Start and End its byte
	// offsets in the checked text.
	Span  string `json:"span"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	// Detail explains the violation for logs and for Feedback.
	Detail string `json:"detail,omitempty"`
}

// Evidence is what a reply may state facts from, kept apart by whose
// words they are: only trusted sources back a claim.
type Evidence struct {
	// Texts are the trusted sources: tool results (the JSON content the
	// model read, or text), retrieved policy passages and what people on
	// the support team or the seller wrote. A claim about an order is
	// backed only by what they say about that order (or about no order
	// in particular, as a policy passage).
	Texts []string
	// Buyer is what the buyer wrote. It never backs an amount, refund,
	// dispute or tracking id, state, date, carrier or policy statement;
	// it only lets a reply repeat the buyer's own personal data (their
	// email, their phone) and name an order by the id the buyer gave
	// ("which item of ORD-10042?"), which states nothing about it.
	Buyer []string
	// Actions are the consequential actions that succeeded in the turn
	// being answered: a reply may say it did only what is here.
	Actions []Action
}

// Action is a consequential action carried out in the turn being
// answered.
type Action struct {
	// Kind is ActionRefund, ActionCancel or ActionDispute.
	Kind string
	// OrderID is the order it acted on, "" when unknown.
	OrderID string
}

// The kinds of Action.
const (
	ActionRefund  = "refund"
	ActionCancel  = "cancel"
	ActionDispute = "dispute"
)

// OutputResult is the verdict on a reply.
type OutputResult struct {
	Verdict Verdict
	// Text is what to show: the reply, its rewrite, or "" when the caller
	// must use its fallback.
	Text       string
	Violations []Violation
	// Score is the support of the reply's policy statements by the
	// evidence, 0 to 1: the lowest of its policy sentences, 1 when it
	// states no policy.
	Score float64
	// Unjudged are the policy statements of Text the support score could
	// not judge, because the evidence has no prose in their language (an
	// English passage behind a Korean reply). They pass; a judge (an LLM
	// asked whether the evidence supports them) may decide them.
	Unjudged []string
}

// InputResult is the verdict on a buyer's message or on text a tool
// returned.
type InputResult struct {
	// Injection says the text tries to instruct the model (prompt
	// injection or jailbreak); it must not reach the model as an
	// instruction.
	Injection bool
	// Score is the injection score, 0 to 1.
	Score      float64
	Violations []Violation
	// Redacted is the text with personal data masked ([CARD], [PHONE],
	// [EMAIL], [ADDRESS]), for logs and for an external LLM.
	Redacted string
}

// Checker runs the guardrails. It is safe for concurrent use; Reload swaps
// its rules while checks run.
type Checker struct {
	rules      atomic.Pointer[ruleset]
	classifier *classifier
	// base, for a Checker made by WithThresholds, is the Checker whose
	// rules it checks with (a Reload of base applies to it too); rules
	// then caches base's ruleset with th's thresholds.
	base *Checker
	th   Thresholds
	// texts keeps what checks read from evidence texts (shared with the
	// WithThresholds Checkers made from this one: it depends on no rule).
	texts *textCache
}

// Thresholds are the two numbers a Checker's strictness turns on; a zero
// field keeps the configured one.
type Thresholds struct {
	// LowSupport is the support score under which a policy sentence is
	// low_support: higher is stricter.
	LowSupport float64
	// Injection is the injection probability from which a text is an
	// injection: lower is stricter.
	Injection float64
}

// WithThresholds returns a Checker that runs c's checks, rules and
// classifier with th's thresholds (an experiment's stricter or looser
// variant). Every check stays on: a threshold outside (0, 1) is refused.
// c's reloads apply to it.
func (c *Checker) WithThresholds(th Thresholds) (*Checker, error) {
	for _, v := range []float64{th.LowSupport, th.Injection} {
		if v < 0 || v >= 1 {
			return nil, fmt.Errorf("guardrails threshold %v: want 0 (keep) or a number between 0 and 1", v)
		}
	}
	if c.base != nil {
		c = c.base
	}
	return &Checker{classifier: c.classifier, base: c, th: th, texts: c.texts}, nil
}

// load returns the ruleset a check runs with.
func (c *Checker) load() *ruleset {
	if c.base == nil {
		return c.rules.Load()
	}
	from := c.base.rules.Load()
	if rs := c.rules.Load(); rs != nil && rs.from == from {
		return rs
	}
	rs := *from
	rs.from = from
	if c.th.LowSupport > 0 {
		rs.lowSupport = c.th.LowSupport
	}
	if c.th.Injection > 0 {
		rs.injection = c.th.Injection
	}
	rs.version = derivedVersion(from.version, c.th)
	c.rules.Store(&rs)
	return &rs
}

// defaultClassifier is the built-in injection classifier, trained on its
// embedded data on first use and shared by every Checker of the process.
// Training is deterministic and the model is only read once trained, so
// one copy serves all; a process builds many Checkers (each eval worker's
// agent, every test's server), and training costs about 0.15 s of CPU, 3 s
// under the race detector.
var defaultClassifier = sync.OnceValues(trainDefault)

// New returns a Checker with cfg's rules and the built-in injection
// classifier (trained once per process, see defaultClassifier).
func New(cfg Config) (*Checker, error) {
	rs, err := compileRules(cfg)
	if err != nil {
		return nil, fmt.Errorf("guardrails config: %w", err)
	}
	cl, err := defaultClassifier()
	if err != nil {
		return nil, fmt.Errorf("train injection classifier: %w", err)
	}
	c := &Checker{classifier: cl, texts: newTextCache()}
	c.rules.Store(rs)
	return c, nil
}

// Reload replaces the rules and thresholds with cfg's. Checks running at
// the time finish with the rules they started with. An invalid cfg is
// refused and the current rules stay.
func (c *Checker) Reload(cfg Config) error {
	if c.base != nil {
		return errors.New("guardrails: reload the Checker a WithThresholds one was made from")
	}
	rs, err := compileRules(cfg)
	if err != nil {
		return fmt.Errorf("guardrails config: %w", err)
	}
	c.rules.Store(rs)
	return nil
}

// Version names the rules and thresholds c checks with. It changes with
// every Reload (of c, or of the Checker a WithThresholds one was made
// from), and a WithThresholds Checker's differs from its base's. Output
// checks are deterministic, so a verdict on a text against an evidence
// holds for the same text and evidence while Version is the same; a caller
// may keep it instead of checking again (the agent does for answers from
// its policy cache).
func (c *Checker) Version() uint64 { return c.load().version }

// derivedVersion names the copy of the ruleset of version base with the
// thresholds th: the same base and thresholds give the same name.
func derivedVersion(base uint64, th Thresholds) uint64 {
	v := base
	for _, f := range []float64{th.LowSupport, th.Injection} {
		// splitmix64's finaliser over each part.
		v ^= math.Float64bits(f)
		v *= 0xbf58476d1ce4e5b9
		v ^= v >> 31
		v *= 0x94d049bb133111eb
		v ^= v >> 29
	}
	return v
}

// RuleCount returns how many banned-phrase rules are in force, for logs
// after a reload.
func (c *Checker) RuleCount() int { return len(c.load().rules) }
