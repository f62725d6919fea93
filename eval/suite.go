package eval

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Suite is one YAML file of cases sharing defaults.
type Suite struct {
	// File is where the suite was read from, for error messages and
	// reports.
	File        string   `yaml:"-" json:"file"`
	Name        string   `yaml:"name" json:"name"`
	Description string   `yaml:"description" json:"description,omitempty"`
	Defaults    Defaults `yaml:"defaults" json:"defaults"`
	Cases       []Case   `yaml:"cases" json:"cases"`
}

// Defaults are the settings every case of a suite starts from.
type Defaults struct {
	// Brain is "local" (the built-in model) or "llm"; empty runs whatever
	// the runner is configured with.
	Brain string `yaml:"brain" json:"brain,omitempty"`
	// Model names the LLM model when Brain is "llm"; empty takes the
	// runner's configured model.
	Model string `yaml:"model" json:"model,omitempty"`
	// Locale is the conversation's locale, sent as the hello's locale and
	// used to pick the fixture's buyer.
	Locale  string  `yaml:"locale" json:"locale,omitempty"`
	Fixture Fixture `yaml:"fixture" json:"fixture"`
	// Tags are added to every case's own.
	Tags []string `yaml:"tags" json:"tags,omitempty"`
}

// Fixture picks the buyer and orders a case talks about from the demo data.
// Every field is optional; a case's fixture overrides the suite's field by
// field.
type Fixture struct {
	// Buyer is a demo buyer's id; empty picks one by Locale and Order.
	Buyer string `yaml:"buyer" json:"buyer,omitempty"`
	// Order is the kind of the buyer's order the case is about, e.g.
	// delivered_recently; it fills {{order}}.
	Order string `yaml:"order" json:"order,omitempty"`
	// Extra are kinds of more orders of the same buyer: {{order2}},
	// {{order3}}, ….
	Extra []string `yaml:"extra" json:"extra,omitempty"`
	// Shop narrows {{order}} and the extra orders to one demo shop (e.g.
	// shop-maple, which sells in USD), for cases that name amounts.
	Shop string `yaml:"shop" json:"shop,omitempty"`
	// Other is the kind of an order of a different buyer, {{other_order}},
	// for cases about orders that are not the buyer's.
	Other string `yaml:"other" json:"other,omitempty"`
	// Pick chooses the Pick-th matching buyer (0-based), so cases can
	// spread over the demo buyers.
	Pick int `yaml:"pick" json:"pick,omitempty"`
	// MinItems narrows {{order}} to orders of at least this many lines,
	// for cases about one item of several; 2 or more defines {{item2}} and
	// {{item2_amount}}, the second line.
	MinItems int `yaml:"min_items" json:"min_items,omitempty"`
}

// Case is one scripted conversation and what must hold of it.
type Case struct {
	ID          string   `yaml:"id" json:"id"`
	Description string   `yaml:"description" json:"description,omitempty"`
	Tags        []string `yaml:"tags" json:"tags,omitempty"`
	Brain       string   `yaml:"brain" json:"brain,omitempty"`
	Model       string   `yaml:"model" json:"model,omitempty"`
	Locale      string   `yaml:"locale" json:"locale,omitempty"`
	Fixture     *Fixture `yaml:"fixture" json:"fixture,omitempty"`
	// Setup are SQL statements run on the case's own database before the
	// conversation starts (placeholders filled), to plant what the demo
	// data lacks: a product name carrying an injection, a changed date.
	// They need a target whose database the runner can reach.
	Setup []string `yaml:"setup" json:"setup,omitempty"`
	// Skip, when set, is why the case does not run.
	Skip string `yaml:"skip" json:"skip,omitempty"`
	// FlakyOK tolerates a case that passes only some of its repeats: it
	// counts as passed when at least one repeat passed.
	FlakyOK bool `yaml:"flaky_ok" json:"flaky_ok,omitempty"`
	// KnownGap, when set, says which behaviour the case asks for is not
	// built yet. The case runs like any other; failing, it is reported as
	// an expected failure (xfail) that does not fail the run; passing, it
	// is an error, so the mark is taken off once the gap is closed.
	KnownGap string `yaml:"known_gap" json:"known_gap,omitempty"`
	Turns    []Step `yaml:"turns" json:"turns"`
	// Expect is checked once the script has run: tools over the whole
	// conversation, the database's end state, a rubric over the whole
	// transcript, totals of latency and tokens, and text checks of the last
	// reply.
	Expect Expect `yaml:"expect" json:"expect"`

	line int
}

// Step is one move of the buyer: a message, or a decision on the action
// waiting for confirmation.
type Step struct {
	User string `yaml:"user" json:"user,omitempty"`
	// Confirm approves (true) or declines (false) the action the agent
	// last asked to confirm, like the chat's confirm button.
	Confirm *bool  `yaml:"confirm" json:"confirm,omitempty"`
	Expect  Expect `yaml:"expect" json:"expect"`

	line int
}

// Expect lists what must hold of a turn's reply (or, at the end of a case,
// of the whole conversation). Unset fields are not checked.
type Expect struct {
	// Contains and NotContains are substrings, matched without regard to
	// case in any script.
	Contains    []string `yaml:"contains" json:"contains,omitempty"`
	NotContains []string `yaml:"not_contains" json:"not_contains,omitempty"`
	// Regex and NotRegex are RE2 patterns, matched case-insensitively.
	Regex    []string `yaml:"regex" json:"regex,omitempty"`
	NotRegex []string `yaml:"not_regex" json:"not_regex,omitempty"`
	// Tools are the tool calls that must (and must not) be made.
	Tools *ToolExpect `yaml:"tools" json:"tools,omitempty"`
	// ConfirmRequest says whether the agent must (true) or must not
	// (false) ask the buyer to confirm an action.
	ConfirmRequest *bool `yaml:"confirm_request" json:"confirm_request,omitempty"`
	// Handoff says whether the conversation must (or must not) be handed
	// to a person.
	Handoff *bool `yaml:"handoff" json:"handoff,omitempty"`
	// Citations are policy document ids the reply must cite.
	Citations []string `yaml:"citations" json:"citations,omitempty"`
	// Guardrail is the verdict the reply must carry: pass, rewritten or
	// fallback.
	Guardrail string `yaml:"guardrail" json:"guardrail,omitempty"`
	// Language is the ISO 639-1 code the reply must be written in.
	Language string `yaml:"language" json:"language,omitempty"`
	// MaxLatency, MaxTokens and MaxCostUSD are ceilings: of one turn, or at
	// the end of a case of the whole conversation.
	MaxLatency Duration `yaml:"max_latency" json:"max_latency,omitempty"`
	MaxTokens  int      `yaml:"max_tokens" json:"max_tokens,omitempty"`
	MaxCostUSD float64  `yaml:"max_cost_usd" json:"max_cost_usd,omitempty"`
	// DB is the database's end state; only at the end of a case.
	DB *DBExpect `yaml:"db" json:"db,omitempty"`
	// Rubric is judged by an LLM, when one is configured.
	Rubric string `yaml:"rubric" json:"rubric,omitempty"`
	// Repeats says whether the reply must (true) or must not (false) be
	// the agent's previous reply again, case and spacing aside: a buyer
	// who says "you told me that already" should not get it a third time.
	Repeats *bool `yaml:"repeats" json:"repeats,omitempty"`
	// Pending is how many actions must still wait for the buyer's decision
	// once the turn is over: 0 after "never mind" drops the one proposed,
	// which a later "yes" must then not carry out. Read from the database.
	Pending *int `yaml:"pending" json:"pending,omitempty"`
	// HandoffSummary is what must hold of the summary the person taking
	// the conversation's latest handoff reads: the shop's summary when it
	// waits in a shop's queue, otherwise platform support's. Read from the
	// database.
	HandoffSummary *TextExpect `yaml:"handoff_summary" json:"handoff_summary,omitempty"`
}

// TextExpect is what must hold of a text other than the reply, matched the
// way the reply's text is.
type TextExpect struct {
	Contains    []string `yaml:"contains" json:"contains,omitempty"`
	NotContains []string `yaml:"not_contains" json:"not_contains,omitempty"`
	Regex       []string `yaml:"regex" json:"regex,omitempty"`
	NotRegex    []string `yaml:"not_regex" json:"not_regex,omitempty"`
	Language    string   `yaml:"language" json:"language,omitempty"`
}

// expect is t as the reply's text checks take it.
func (t TextExpect) expect() Expect {
	return Expect{Contains: t.Contains, NotContains: t.NotContains, Regex: t.Regex, NotRegex: t.NotRegex, Language: t.Language}
}

// ToolExpect is the tool calls a turn (or a case) must make.
type ToolExpect struct {
	// Calls must each be matched by a call of that name whose arguments
	// include Args (a subset match; strings compare case-insensitively).
	Calls []ToolCallExpect `yaml:"calls" json:"calls,omitempty"`
	// Ordered requires the matches to come in the order listed.
	Ordered bool `yaml:"ordered" json:"ordered,omitempty"`
	// Only forbids calls that match none of Calls.
	Only bool `yaml:"only" json:"only,omitempty"`
	// NotCalled names tools that must not be called at all.
	NotCalled []string `yaml:"not_called" json:"not_called,omitempty"`
}

// ToolCallExpect is one expected call.
type ToolCallExpect struct {
	Name string         `yaml:"name" json:"name"`
	Args map[string]any `yaml:"args" json:"args,omitempty"`
}

// DBExpect is the end state of the case's database, tau-bench style: rows
// that must and must not have been created during the case.
type DBExpect struct {
	MustExist    []DBRow `yaml:"must_exist" json:"must_exist,omitempty"`
	MustNotExist []DBRow `yaml:"must_not_exist" json:"must_not_exist,omitempty"`
}

// DBRow describes a row the case created: a refund, a dispute or a
// cancellation of an order. Rows that existed before the case are never
// counted.
type DBRow struct {
	// Kind is refund, dispute or cancellation.
	Kind string `yaml:"kind" json:"kind"`
	// Order is the order id; empty means {{order}}.
	Order string `yaml:"order" json:"order,omitempty"`
	// Status, Reason and AmountMinor narrow the match when set.
	Status      string `yaml:"status" json:"status,omitempty"`
	Reason      string `yaml:"reason" json:"reason,omitempty"`
	AmountMinor *int64 `yaml:"amount_minor" json:"amount_minor,omitempty"`
}

// Duration is a time.Duration written as "1.5s" in YAML and JSON.
type Duration time.Duration

// UnmarshalYAML reads a duration like "2s" or "250ms".
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	var s string
	if err := n.Decode(&s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return fmt.Errorf("line %d: %q is not a duration like 2s", n.Line, s)
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON writes the duration as a string like "2s".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads a duration written by MarshalJSON.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// Brain is what answers a case: the local model, or an LLM model.
type Brain struct {
	Name  string `json:"name"`
	Model string `json:"model,omitempty"`
}

// String names the brain in reports: "local" or "llm:gpt-4o-mini".
func (b Brain) String() string {
	if b.Model == "" {
		if b.Name == "" {
			return "default"
		}
		return b.Name
	}
	return b.Name + ":" + b.Model
}

// The brains a suite can ask for.
const (
	BrainLocal = "local"
	BrainLLM   = "llm"
)

// brain returns the brain c asks for, from its own fields and the suite's
// defaults.
func (s *Suite) brain(c *Case) Brain {
	b := Brain{Name: firstNonEmpty(c.Brain, s.Defaults.Brain), Model: firstNonEmpty(c.Model, s.Defaults.Model)}
	if b.Name == BrainLocal {
		b.Model = ""
	}
	return b
}

// locale returns the case's locale.
func (s *Suite) locale(c *Case) string { return firstNonEmpty(c.Locale, s.Defaults.Locale, "en") }

// fixture returns the case's fixture: its own fields over the suite's.
func (s *Suite) fixture(c *Case) Fixture {
	f := s.Defaults.Fixture
	if c.Fixture == nil {
		return f
	}
	o := *c.Fixture
	if o.Buyer != "" {
		f.Buyer = o.Buyer
	}
	if o.Order != "" {
		f.Order = o.Order
	}
	if o.Extra != nil {
		f.Extra = o.Extra
	}
	if o.Other != "" {
		f.Other = o.Other
	}
	if o.Shop != "" {
		f.Shop = o.Shop
	}
	if o.Pick != 0 {
		f.Pick = o.Pick
	}
	if o.MinItems != 0 {
		f.MinItems = o.MinItems
	}
	return f
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}
