package eval

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Guardrail verdicts a reply can carry.
var guardrailVerdicts = []string{"pass", "rewritten", "fallback"}

// DB row kinds an end-state check can name.
var dbKinds = []string{"refund", "dispute", "cancellation"}

var isoCode = regexp.MustCompile(`^[a-z]{2}$`)

// validate checks what decoding cannot: required fields, names that must
// exist, patterns that must compile, placeholders the fixture defines.
func (d *decoder) validate(s *Suite) {
	if s.Name == "" {
		s.Name = strings.TrimSuffix(filepath.Base(s.File), filepath.Ext(s.File))
	}
	d.checkBrain("defaults.brain", s.Defaults.Brain)
	d.checkLocale("defaults.locale", s.Defaults.Locale)
	d.checkFixture("defaults.fixture", s.Defaults.Fixture)
	if len(s.Cases) == 0 {
		d.fail("cases", "a suite needs at least one case")
	}
	ids := map[string]int{}
	for i := range s.Cases {
		c := &s.Cases[i]
		p := fmt.Sprintf("cases[%d]", i)
		switch {
		case c.ID == "":
			d.fail(p+".id", "every case needs an id")
		case !validID.MatchString(c.ID):
			d.fail(p+".id", "%q: use letters, digits, '-', '_' and '.'", c.ID)
		default:
			if prev, dup := ids[c.ID]; dup {
				d.fail(p+".id", "%q is also the id of cases[%d]", c.ID, prev)
			}
			ids[c.ID] = i
		}
		d.checkBrain(p+".brain", c.Brain)
		d.checkLocale(p+".locale", c.Locale)
		if c.Fixture != nil {
			d.checkFixture(p+".fixture", *c.Fixture)
		}
		have := s.fixture(c).provided()
		for j, q := range c.Setup {
			d.checkPlaceholders(fmt.Sprintf("%s.setup[%d]", p, j), q, have)
		}
		if len(c.Turns) == 0 {
			d.fail(p+".turns", "a case needs at least one turn")
		}
		for j, st := range c.Turns {
			tp := fmt.Sprintf("%s.turns[%d]", p, j)
			switch {
			case st.User == "" && st.Confirm == nil:
				d.fail(tp, "a turn needs user (a message) or confirm (true or false)")
			case st.User != "" && st.Confirm != nil:
				d.fail(tp, "a turn has either user or confirm, not both")
			case st.Confirm != nil && j == 0:
				d.fail(tp+".confirm", "the first turn cannot confirm: nothing is pending yet")
			}
			d.checkPlaceholders(tp+".user", st.User, have)
			d.checkExpect(tp+".expect", st.Expect, have, false)
		}
		d.checkExpect(p+".expect", c.Expect, have, true)
	}
}

var validID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

func (d *decoder) checkBrain(path, b string) {
	if b != "" && b != BrainLocal && b != BrainLLM {
		d.fail(path, "%q: want local or llm", b)
	}
}

func (d *decoder) checkLocale(path, l string) {
	if l != "" && !slices.Contains(Locales, l) {
		d.fail(path, "%q: want one of %s", l, strings.Join(Locales, ", "))
	}
}

func (d *decoder) checkFixture(path string, f Fixture) {
	if f.Buyer != "" && !validBuyer(f.Buyer) {
		d.fail(path+".buyer", "%q is not a demo buyer (buyer-001 … buyer-050)", f.Buyer)
	}
	kinds := OrderKinds()
	check := func(p, k string) {
		if _, ok := kindByName(k); !ok {
			d.fail(p, "%q is not an order kind; want one of %s", k, strings.Join(kinds, ", "))
		}
	}
	if f.Order != "" {
		check(path+".order", f.Order)
	}
	for i, k := range f.Extra {
		check(fmt.Sprintf("%s.extra[%d]", path, i), k)
	}
	if f.Other != "" {
		check(path+".other", f.Other)
	}
	if f.Shop != "" && !slices.Contains(shopIDs(), f.Shop) {
		d.fail(path+".shop", "%q is not a demo shop; want one of %s", f.Shop, strings.Join(shopIDs(), ", "))
	}
	if f.Pick < 0 {
		d.fail(path+".pick", "must not be negative")
	}
	if f.MinItems < 0 || (f.MinItems > 0 && f.Order == "") {
		d.fail(path+".min_items", "must be positive, with an order")
	}
}

func (d *decoder) checkPlaceholders(path, s string, have []string) {
	for _, name := range placeholders(s) {
		if !slices.Contains(have, name) {
			d.fail(path, "placeholder {{%s}} is not defined by the fixture (defined: %s)", name, strings.Join(have, ", "))
		}
	}
}

func (d *decoder) checkExpect(path string, e Expect, have []string, end bool) {
	type named struct {
		field string
		list  []string
	}
	for _, n := range []named{{"contains", e.Contains}, {"not_contains", e.NotContains}, {"regex", e.Regex}, {"not_regex", e.NotRegex}} {
		field, list := n.field, n.list
		for i, s := range list {
			p := fmt.Sprintf("%s.%s[%d]", path, field, i)
			d.checkPlaceholders(p, s, have)
			if s == "" {
				d.fail(p, "an empty string matches everything")
			}
			if strings.HasSuffix(field, "regex") {
				if _, err := compileFold(s); err != nil {
					d.fail(p, "not a valid pattern: %v", err)
				}
			}
		}
	}
	if e.Guardrail != "" && !slices.Contains(guardrailVerdicts, e.Guardrail) {
		d.fail(path+".guardrail", "%q: want one of %s", e.Guardrail, strings.Join(guardrailVerdicts, ", "))
	}
	if e.Language != "" && !isoCode.MatchString(e.Language) {
		d.fail(path+".language", "%q: want an ISO 639-1 code such as en or ko", e.Language)
	}
	if e.MaxTokens < 0 {
		d.fail(path+".max_tokens", "must not be negative")
	}
	if e.MaxCostUSD < 0 {
		d.fail(path+".max_cost_usd", "must not be negative")
	}
	if e.Pending != nil && *e.Pending < 0 {
		d.fail(path+".pending", "must not be negative")
	}
	if h := e.HandoffSummary; h != nil {
		if len(h.Contains)+len(h.NotContains)+len(h.Regex)+len(h.NotRegex) == 0 && h.Language == "" {
			d.fail(path+".handoff_summary", "give contains, not_contains, regex, not_regex or language")
		}
		d.checkExpect(path+".handoff_summary", h.expect(), have, false)
	}
	for i, c := range e.Citations {
		if c == "" {
			d.fail(fmt.Sprintf("%s.citations[%d]", path, i), "empty document id")
		}
	}
	if t := e.Tools; t != nil {
		if len(t.Calls) == 0 && len(t.NotCalled) == 0 && !t.Only {
			d.fail(path+".tools", "give calls, not_called or only")
		}
		for i, c := range t.Calls {
			p := fmt.Sprintf("%s.tools.calls[%d]", path, i)
			if c.Name == "" {
				d.fail(p+".name", "every expected call needs a tool name")
			}
			for k, v := range c.Args {
				if s, ok := v.(string); ok {
					d.checkPlaceholders(p+".args."+k, s, have)
				}
			}
		}
	}
	if e.DB != nil {
		if !end {
			d.fail(path+".db", "the database is checked at the end of a case: move db to the case's expect")
		}
		type named struct {
			field string
			rows  []DBRow
		}
		for _, n := range []named{{"must_exist", e.DB.MustExist}, {"must_not_exist", e.DB.MustNotExist}} {
			field, rows := n.field, n.rows
			for i, r := range rows {
				p := fmt.Sprintf("%s.db.%s[%d]", path, field, i)
				if !slices.Contains(dbKinds, r.Kind) {
					d.fail(p+".kind", "%q: want one of %s", r.Kind, strings.Join(dbKinds, ", "))
				}
				if r.Order == "" && !slices.Contains(have, "order") {
					d.fail(p+".order", "no order given and the fixture defines no {{order}}")
				}
				d.checkPlaceholders(p+".order", r.Order, have)
			}
		}
	}
}
