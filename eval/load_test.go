package eval

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseReadsAFullSuite(t *testing.T) {
	src := `
name: example
description: every field once
defaults:
  brain: local
  locale: ko
  tags: [smoke]
  fixture: {order: delivered_recently, extra: [in_transit], other: paid, shop: shop-maple, pick: 1}
cases:
  - id: one
    tags: [refunds]
    flaky_ok: true
    setup: ["UPDATE products SET name = name WHERE id = '{{order}}'"]
    turns:
      - user: "refund {{order}}"
        expect:
          contains: ["{{order}}"]
          not_contains: x
          regex: ["RF-\\d+"]
          not_regex: ["done"]
          tools:
            calls: [{name: request_refund, args: {order_id: "{{order}}", amount_minor: 500}}]
            ordered: true
            only: true
            not_called: [cancel_order]
          confirm_request: true
          handoff: false
          citations: [refunds]
          guardrail: pass
          language: ko
          max_latency: 1.5s
          max_tokens: 100
          max_cost_usd: 0.01
          rubric: polite
      - confirm: true
    expect:
      db:
        must_exist: [{kind: refund, amount_minor: 500, status: approved}]
        must_not_exist: [{kind: dispute, order: "{{order2}}"}]
`
	s, err := Parse("example.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	c := s.Cases[0]
	e := c.Turns[0].Expect
	switch {
	case s.Defaults.Fixture.Shop != "shop-maple" || s.Defaults.Fixture.Pick != 1 || s.Defaults.Fixture.Extra[0] != "in_transit":
		t.Errorf("fixture = %+v", s.Defaults.Fixture)
	case len(e.NotContains) != 1 || e.NotContains[0] != "x":
		t.Errorf("a lone string did not become a list of one: %q", e.NotContains)
	case e.Tools == nil || !e.Tools.Ordered || e.Tools.Calls[0].Args["amount_minor"] != 500:
		t.Errorf("tools = %+v", e.Tools)
	case time.Duration(e.MaxLatency) != 1500*time.Millisecond || e.MaxTokens != 100 || e.MaxCostUSD != 0.01:
		t.Errorf("limits = %v %d %v", e.MaxLatency, e.MaxTokens, e.MaxCostUSD)
	case c.Turns[1].Confirm == nil || !*c.Turns[1].Confirm:
		t.Errorf("confirm step = %+v", c.Turns[1])
	case c.Expect.DB == nil || *c.Expect.DB.MustExist[0].AmountMinor != 500:
		t.Errorf("db = %+v", c.Expect.DB)
	case !c.FlakyOK || c.line != 10:
		t.Errorf("flaky_ok %v, line %d; want true, 10", c.FlakyOK, c.line)
	}
	if got := s.brain(&c).String(); got != "local" {
		t.Errorf("brain = %q, want local", got)
	}
}

// Every problem names the file, the line and the field, and all of a
// file's problems are reported at once.
func TestParseErrorsNameFileLineAndField(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"not yaml", "name: [unclosed", []string{"s.yaml:1: not valid YAML"}},
		{"unknown field", "cases:\n  - id: a\n    turns: [{user: hi}]\n    expcet: {}\n", []string{"s.yaml:4: cases[0].expcet: unknown field (known: "}},
		{"wrong type", "cases:\n  - id: a\n    flaky_ok: sometimes\n    turns: [{user: hi}]\n", []string{"s.yaml:3: cases[0].flaky_ok: want a true or false"}},
		{"mapping for a list", "cases: {id: a}\n", []string{"s.yaml:1: cases: want a list, got a mapping"}},
		{"no cases", "name: empty\n", []string{"s.yaml: cases: a suite needs at least one case"}},
		{"missing id", "cases:\n  - turns: [{user: hi}]\n", []string{"s.yaml:2: cases[0].id: every case needs an id"}},
		{"duplicate id", "cases:\n  - {id: a, turns: [{user: hi}]}\n  - {id: a, turns: [{user: hi}]}\n", []string{"s.yaml:3: cases[1].id: \"a\" is also the id of cases[0]"}},
		{"bad locale", "defaults: {locale: fr}\ncases:\n  - {id: a, turns: [{user: hi}]}\n", []string{"s.yaml:1: defaults.locale: \"fr\": want one of en, ko, es, ru"}},
		{"bad kind", "cases:\n  - id: a\n    fixture: {order: lost_at_sea}\n    turns: [{user: hi}]\n", []string{"s.yaml:3: cases[0].fixture.order: \"lost_at_sea\" is not an order kind"}},
		{"bad buyer", "defaults: {fixture: {buyer: buyer-999}}\ncases:\n  - {id: a, turns: [{user: hi}]}\n", []string{"defaults.fixture.buyer: \"buyer-999\" is not a demo buyer"}},
		{"bad shop", "defaults: {fixture: {shop: shop-moon}}\ncases:\n  - {id: a, turns: [{user: hi}]}\n", []string{"defaults.fixture.shop: \"shop-moon\" is not a demo shop"}},
		{"undefined placeholder", "cases:\n  - id: a\n    turns:\n      - user: \"refund {{order}}\"\n", []string{"s.yaml:4: cases[0].turns[0].user: placeholder {{order}} is not defined"}},
		{"bad regex", "cases:\n  - id: a\n    turns:\n      - user: hi\n        expect:\n          regex: [\"(unclosed\"]\n", []string{"s.yaml:6: cases[0].turns[0].expect.regex[0]: not a valid pattern"}},
		{"turn with both", "cases:\n  - id: a\n    turns:\n      - user: hi\n      - {user: yes, confirm: true}\n", []string{"s.yaml:5: cases[0].turns[1]: a turn has either user or confirm"}},
		{"confirm first", "cases:\n  - id: a\n    turns:\n      - confirm: true\n", []string{"s.yaml:4: cases[0].turns[0].confirm: the first turn cannot confirm"}},
		{"db in a turn", "defaults: {fixture: {order: paid}}\ncases:\n  - id: a\n    turns:\n      - user: hi\n        expect: {db: {must_exist: [{kind: refund}]}}\n", []string{"cases[0].turns[0].expect.db: the database is checked at the end of a case"}},
		{"bad db kind", "defaults: {fixture: {order: paid}}\ncases:\n  - id: a\n    turns: [{user: hi}]\n    expect:\n      db: {must_exist: [{kind: refnd}]}\n", []string{"s.yaml:6: cases[0].expect.db.must_exist[0].kind: \"refnd\": want one of refund, dispute, cancellation"}},
		{"bad duration", "cases:\n  - id: a\n    turns:\n      - user: hi\n        expect: {max_latency: soon}\n", []string{"s.yaml:5: cases[0].turns[0].expect.max_latency: \"soon\" is not a duration"}},
		{"bad guardrail", "cases:\n  - id: a\n    turns:\n      - user: hi\n        expect: {guardrail: ok}\n", []string{"cases[0].turns[0].expect.guardrail: \"ok\": want one of pass, rewritten, fallback"}},
		{"empty tools", "cases:\n  - id: a\n    turns:\n      - user: hi\n        expect: {tools: {}}\n", []string{"cases[0].turns[0].expect.tools: give calls, not_called or only"}},
		{"two problems", "cases:\n  - id: a\n    brain: gpt\n    locale: xx\n    turns: [{user: hi}]\n", []string{"s.yaml:3: cases[0].brain", "s.yaml:4: cases[0].locale"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("s.yaml", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse(%q) = nil error, want %q", tt.src, tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Parse error = %q, want it to contain %q", err, w)
				}
			}
			var se *SuiteError
			if !errors.As(err, &se) || se.File != "s.yaml" {
				t.Errorf("error %v is not a *SuiteError naming the file", err)
			}
		})
	}
}

func TestLoadPaths(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("b.yaml", "name: b\ncases: [{id: x, turns: [{user: hi}]}]\n")
	write("a.yml", "cases: [{id: x, turns: [{user: hi}]}]\n")
	write("notes.txt", "not a suite")
	suites, err := LoadPaths(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(suites) != 2 || suites[0].Name != "a" || suites[1].Name != "b" {
		t.Errorf("LoadPaths read %d suites %v, want a (named from its file) then b", len(suites), suites)
	}
	dup := write("c.yaml", "name: b\ncases: [{id: x, turns: [{user: hi}]}]\n")
	if _, err := LoadPaths(dir); err == nil || !strings.Contains(err.Error(), dup+`: name: suite "b" is also defined in`) {
		t.Errorf("duplicate suite name: %v", err)
	}
	if _, err := LoadPaths(t.TempDir()); err == nil {
		t.Error("an empty folder loaded without error")
	}
}

// The starter suites load, and have the coverage the issue asks for.
func TestStarterSuitesLoad(t *testing.T) {
	suites, err := LoadPaths("suites")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range suites {
		for _, c := range s.Cases {
			n++
			if _, err := resolve(s.fixture(&c), s.locale(&c)); err != nil {
				t.Errorf("%s/%s: fixture: %v", s.Name, c.ID, err)
			}
		}
	}
	if n < 60 {
		t.Errorf("%d starter cases, want at least 60", n)
	}
}

// FuzzLoadSuite feeds the loader arbitrary YAML: it must return a suite or
// an error naming the file, never panic.
func FuzzLoadSuite(f *testing.F) {
	seeds, _ := filepath.Glob("suites/*.yaml")
	more, _ := filepath.Glob("testdata/*.yaml")
	for _, p := range append(seeds, more...) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("cases: [{id: a, turns: [{user: \"{{order}}\"}]}]"))
	f.Add([]byte("&a [*a]"))
	f.Add([]byte("cases:\n  - id: a\n    turns:\n      - confirm: yes\n        expect: {tools: {calls: [{args: {x: [1, {y: 2}]}}]}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if len(s.Cases) == 0 {
			t.Fatal("a suite without cases parsed")
		}
		for _, c := range s.Cases {
			if c.ID == "" || len(c.Turns) == 0 {
				t.Fatalf("case %+v parsed without an id or turns", c)
			}
		}
	})
}

// The example in README.md is a suite that loads.
func TestReadmeExampleParses(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "```yaml\n")
	example, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("README.md has no yaml example")
	}
	s, err := Parse("README.md", []byte(example))
	if err != nil {
		t.Fatalf("the README's example does not load: %v", err)
	}
	if len(s.Cases) != 1 || len(s.Cases[0].Turns) != 2 || s.Cases[0].Expect.DB == nil {
		t.Errorf("the README's example read as %+v", s)
	}
}
