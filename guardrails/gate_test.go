package guardrails

import (
	"regexp"
	"testing"

	"github.com/csagent/csagent/internal/litgate"
)

// TestGateNeverSkipsAMatch runs every gated pattern of the guardrails over
// texts it matches and texts it does not: wherever it matches, the gate
// lets it run. The gates compare the sentence as it is (litgate.Exact), so
// a case-folded pattern must always run.
func TestGateNeverSkipsAMatch(t *testing.T) {
	rs, err := compileRules(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var gated []litgate.Gate
	for _, m := range rs.matchers {
		for _, p := range m.regexes {
			gated = append(gated, p.re)
		}
	}
	gated = append(gated, phoneRES...)
	gated = append(gated, litgate.Exact(regexp.MustCompile(`(?i)refund`)), litgate.Exact(regexp.MustCompile(`x(?:ab)+y|z\d`)))
	texts := []string{
		"we guarantee a full refund", "i promise you the refund", "refunds are fully guaranteed", "refund is guaranteed",
		"call +82 10-1234-5678", "8 (912) 345-67-89", "010-1234-5678", "612 345 678", "(555) 123-4567",
		"REFUND", "xababy", "z7", "nothing here", benchReply, policyText,
	}
	for _, g := range gated {
		for _, s := range texts {
			if g.Regexp().MatchString(s) && !g.MayMatch(s) {
				t.Errorf("%s matches %q but its gate skips it", g.Regexp(), s)
			}
		}
	}
}
