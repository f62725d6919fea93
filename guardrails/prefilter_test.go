package guardrails

import (
	"regexp"
	"slices"
	"testing"
)

func TestRequiredLiterals(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{`refund`, []string{"refund"}},
		{`\b(guarantee|promise)s? (you )?(a |the |your )?(full )?refund`, []string{"guarantee", "promise"}},
		{`\brefund\w* (is|are) (100% |fully )?guaranteed`, []string{"guaranteed"}},
		{`(?i)refund`, nil},             // case-folded: matches "REFUND"
		{`refund|\d+`, nil},             // a branch without a literal
		{`(?:refund)?\d+`, nil},         // an optional literal
		{`(?:ab){2,}c`, []string{"ab"}}, // a repeat of at least one
		{`\+\d{1,3}`, []string{"+"}},
		{`[6789]\d{2}`, nil},
		{`(`, nil}, // not a pattern
	}
	for _, tt := range tests {
		if got := requiredLiterals(tt.src); !slices.Equal(got, tt.want) {
			t.Errorf("requiredLiterals(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

// TestGateNeverSkipsAMatch runs every gated pattern over texts it matches
// and texts it does not: wherever it matches, the gate lets it run.
func TestGateNeverSkipsAMatch(t *testing.T) {
	rs, err := compileRules(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var gated []gatedRE
	for _, m := range rs.matchers {
		for _, p := range m.regexes {
			gated = append(gated, p.re)
		}
	}
	gated = append(gated, phoneRES...)
	gated = append(gated, gate(regexp.MustCompile(`(?i)refund`)), gate(regexp.MustCompile(`x(?:ab)+y|z\d`)))
	texts := []string{
		"we guarantee a full refund", "i promise you the refund", "refunds are fully guaranteed", "refund is guaranteed",
		"call +82 10-1234-5678", "8 (912) 345-67-89", "010-1234-5678", "612 345 678", "(555) 123-4567",
		"REFUND", "xababy", "z7", "nothing here", benchReply, policyText,
	}
	for _, g := range gated {
		for _, s := range texts {
			if g.re.MatchString(s) && !g.mayMatch(s) {
				t.Errorf("%s matches %q but its gate %q skips it", g.re, s, g.need)
			}
		}
	}
}
