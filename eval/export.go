package eval

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"go.yaml.in/yaml/v3"

	"github.com/csagent/csagent/tools/demo"
)

// A reviewed conversation becomes a regression case: the buyer's messages
// replayed on the demo fixtures (each order the conversation was about
// replaced by a demo order of the same kind, as a placeholder), with the
// assertions the reviewer stated. The case runs with `csagent eval run` as
// it is written.

// Review is what a reviewer said must hold of a conversation.
type Review struct {
	// Reason is the review's reason code (wrong_answer, wrong_action,
	// missed_handoff, needless_handoff, needless_fallback,
	// unsupported_claim, wrong_language, other); each adds the check that
	// catches it.
	Reason string
	// Comment is the reviewer's own words: the case's description and,
	// for an LLM judge, its rubric.
	Comment string
	// MustContain and MustNotContain are text the last reply must (not)
	// contain, with the conversation's order ids as they were written.
	MustContain, MustNotContain string
	// Tools are the tools the conversation should have called.
	Tools []string
}

// ErrNoConversation is returned by ExportConversation for an id with no
// conversation, or one without a buyer message to replay.
var ErrNoConversation = errors.New("no conversation to export")

// ErrNotReviewed is returned by LoadReview for a conversation nobody has
// labelled yet: a case asserts what its review says.
var ErrNotReviewed = errors.New("the conversation has not been reviewed")

// LoadReview returns the stored review of conversation id (the review
// queue's, see /ops), or ErrNotReviewed.
func LoadReview(ctx context.Context, db DB, id string) (Review, error) {
	var r Review
	var reason *string
	err := db.QueryRow(ctx, `SELECT reason, comment, must_contain, must_not_contain, expect_tools FROM reviews
        WHERE conversation_id = $1 AND label IS NOT NULL`, id).Scan(&reason, &r.Comment, &r.MustContain, &r.MustNotContain, &r.Tools)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, fmt.Errorf("review of %s: %w", id, ErrNotReviewed)
	}
	if err != nil {
		return r, fmt.Errorf("load review of %s: %w", id, err)
	}
	if reason != nil {
		r.Reason = *reason
	}
	return r, nil
}

var orderID = regexp.MustCompile(`ORD-[0-9]{5}`)

// ExportConversation reads conversation id from db and returns a suite of
// one case reproducing it with the checks of r, as YAML that Parse accepts.
func ExportConversation(ctx context.Context, db DB, id string, r Review) ([]byte, error) {
	var buyer, locale, status string
	err := db.QueryRow(ctx, `SELECT buyer_id, locale, status FROM conversations WHERE id = $1`, id).Scan(&buyer, &locale, &status)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("export %s: %w", id, ErrNoConversation)
	}
	if err != nil {
		return nil, fmt.Errorf("export %s: load conversation: %w", id, err)
	}
	rows, err := db.Query(ctx, `SELECT text FROM messages WHERE conversation_id = $1 AND role = 'user' ORDER BY seq`, id)
	if err != nil {
		return nil, fmt.Errorf("export %s: load messages: %w", id, err)
	}
	texts, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("export %s: read messages: %w", id, err)
	}
	if len(texts) == 0 {
		return nil, fmt.Errorf("export %s: %w", id, ErrNoConversation)
	}
	var brain, model string
	err = db.QueryRow(ctx, `SELECT coalesce(usage ->> 'model', '') FROM messages
        WHERE conversation_id = $1 AND role = 'assistant' AND usage IS NOT NULL ORDER BY seq LIMIT 1`, id).Scan(&model)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("export %s: load usage: %w", id, err)
	}
	switch model {
	case "", "local":
		brain, model = "local", ""
	default:
		brain = "llm"
	}
	rows, err = db.Query(ctx, `SELECT tool, coalesce(arguments ->> 'order_id', '') FROM tool_calls WHERE conversation_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("export %s: load tool calls: %w", id, err)
	}
	type call struct{ tool, order string }
	calls, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (call, error) {
		var c call
		return c, r.Scan(&c.tool, &c.order)
	})
	if err != nil {
		return nil, fmt.Errorf("export %s: read tool calls: %w", id, err)
	}

	// The orders, in the order they first came up.
	var orders []string
	note := func(o string) {
		if o != "" && !slices.Contains(orders, o) {
			orders = append(orders, o)
		}
	}
	for _, t := range texts {
		for _, o := range orderID.FindAllString(t, -1) {
			note(o)
		}
	}
	for _, c := range calls {
		note(c.order)
	}
	fx, vars, err := exportFixture(ctx, db, buyer, orders)
	if err != nil {
		return nil, fmt.Errorf("export %s: %w", id, err)
	}
	subst := func(s string) string {
		for i := len(orders) - 1; i >= 0; i-- {
			s = strings.ReplaceAll(s, orders[i], vars[i])
		}
		return s
	}

	c := exportCase{ID: "conv-" + strings.TrimPrefix(id, "c_"), Description: reviewDescription(id, r), Tags: []string{"regression", "from-review"}}
	for _, t := range texts {
		c.Turns = append(c.Turns, exportStep{User: subst(t)})
	}
	last := &c.Turns[len(c.Turns)-1].Expect
	// A needless fallback or an unsupported claim shows in the verdict:
	// every reply must pass.
	for i := range c.Turns {
		if r.Reason == "needless_fallback" || r.Reason == "unsupported_claim" {
			c.Turns[i].Expect.Guardrail = "pass"
		}
	}
	switch r.Reason {
	case "missed_handoff":
		t := true
		c.Expect.Handoff = &t
	case "needless_handoff":
		f := false
		c.Expect.Handoff = &f
	case "wrong_language":
		last.Language = locale
	}
	if s := strings.TrimSpace(r.MustContain); s != "" {
		last.Contains = []string{subst(s)}
	}
	if s := strings.TrimSpace(r.MustNotContain); s != "" {
		last.NotContains = []string{subst(s)}
	}
	if len(r.Tools) > 0 {
		te := &exportTools{}
		for _, name := range r.Tools {
			te.Calls = append(te.Calls, exportCall{Name: name})
		}
		c.Expect.Tools = te
	}
	c.Expect.Rubric = subst(strings.TrimSpace(r.Comment))

	s := exportSuite{
		Name:        "review-" + strings.TrimPrefix(id, "c_"),
		Description: "Regression case saved from conversation " + id + " in the review queue.",
		Defaults:    exportDefaults{Brain: brain, Model: model, Locale: locale, Fixture: fx},
		Cases:       []exportCase{c},
	}
	out, err := yaml.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("export %s: encode: %w", id, err)
	}
	out = append([]byte("# Saved from conversation "+id+" (csagent eval export).\n"), out...)
	// What we write must load: a case that does not is no case.
	if _, err := Parse(s.Name+".yaml", out); err != nil {
		return nil, fmt.Errorf("export %s: the case does not load: %w", id, err)
	}
	return out, nil
}

func reviewDescription(id string, r Review) string {
	d := "Reviewed as incorrect"
	if r.Reason != "" {
		d += " (" + r.Reason + ")"
	}
	if c := strings.TrimRight(strings.TrimSpace(r.Comment), "."); c != "" {
		d += ": " + c
	}
	return d + " (from " + id + ")."
}

// exportFixture picks the demo fixture for buyer's orders: each order's
// kind, from the demo plan when it is a demo order of this buyer (and then
// that buyer), else from its status. It returns the placeholders that
// stand for the orders, in order.
func exportFixture(ctx context.Context, db DB, buyer string, orders []string) (exportFixtureYAML, []string, error) {
	var fx exportFixtureYAML
	plan := map[string]demo.Order{}
	for _, o := range demo.Plan() {
		plan[o.ID] = o
	}
	demoBuyer := len(orders) > 0
	var kinds []string
	for _, id := range orders {
		if o, ok := plan[id]; ok && o.BuyerID == buyer {
			kinds = append(kinds, o.Kind.String())
			continue
		}
		demoBuyer = false
		var status string
		var refunded, total int64
		err := db.QueryRow(ctx, `SELECT status, refunded_minor, total_minor FROM orders WHERE id = $1`, id).Scan(&status, &refunded, &total)
		if errors.Is(err, pgx.ErrNoRows) {
			// Not an order at all: the buyer's words stay as written.
			kinds = append(kinds, "")
			continue
		}
		if err != nil {
			return fx, nil, fmt.Errorf("load order %s: %w", id, err)
		}
		kinds = append(kinds, kindOfStatus(status, refunded, total))
	}
	vars := make([]string, len(orders))
	n := 0
	for i, k := range kinds {
		if k == "" {
			vars[i] = orders[i]
			continue
		}
		n++
		if n == 1 {
			fx.Order, vars[i] = k, "{{order}}"
			continue
		}
		fx.Extra = append(fx.Extra, k)
		vars[i] = fmt.Sprintf("{{order%d}}", n)
	}
	if demoBuyer {
		fx.Buyer = buyer
	}
	return fx, vars, nil
}

// kindOfStatus is the demo kind nearest to an order in status.
func kindOfStatus(status string, refunded, total int64) string {
	switch status {
	case "pending", "paid":
		return status
	case "shipped":
		return demo.InTransit.String()
	case "cancelled":
		if refunded > 0 {
			return demo.CancelledPaid.String()
		}
		return demo.CancelledUnpaid.String()
	}
	switch {
	case total > 0 && refunded >= total:
		return demo.FullyRefunded.String()
	case refunded > 0:
		return demo.PartiallyRefunded.String()
	}
	return demo.DeliveredRecently.String()
}

// The written form of a suite: the fields an exported case uses, empty
// ones left out so the file reads like a hand-written one.
type exportSuite struct {
	Name        string         `yaml:"name"`
	Description string         `yaml:"description"`
	Defaults    exportDefaults `yaml:"defaults"`
	Cases       []exportCase   `yaml:"cases"`
}

type exportDefaults struct {
	Brain   string            `yaml:"brain"`
	Model   string            `yaml:"model,omitempty"`
	Locale  string            `yaml:"locale"`
	Fixture exportFixtureYAML `yaml:"fixture,omitempty"`
}

type exportFixtureYAML struct {
	Buyer string   `yaml:"buyer,omitempty"`
	Order string   `yaml:"order,omitempty"`
	Extra []string `yaml:"extra,omitempty,flow"`
}

type exportCase struct {
	ID          string       `yaml:"id"`
	Description string       `yaml:"description"`
	Tags        []string     `yaml:"tags,flow"`
	Turns       []exportStep `yaml:"turns"`
	Expect      exportExpect `yaml:"expect,omitempty"`
}

type exportStep struct {
	User   string       `yaml:"user"`
	Expect exportExpect `yaml:"expect,omitempty"`
}

type exportExpect struct {
	Contains    []string     `yaml:"contains,omitempty"`
	NotContains []string     `yaml:"not_contains,omitempty"`
	Tools       *exportTools `yaml:"tools,omitempty"`
	Handoff     *bool        `yaml:"handoff,omitempty"`
	Guardrail   string       `yaml:"guardrail,omitempty"`
	Language    string       `yaml:"language,omitempty"`
	Rubric      string       `yaml:"rubric,omitempty"`
}

type exportTools struct {
	Calls []exportCall `yaml:"calls"`
}

type exportCall struct {
	Name string `yaml:"name"`
}
