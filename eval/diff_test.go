package eval

import (
	"bytes"
	"strings"
	"testing"
)

// TestDiffVariantsTurnByTurn: two variants' runs of the same suites are
// compared case by case even where no verdict moved: a reply worded
// differently, another guardrail verdict, other tools, each named with
// its case and turn; identical turns are not listed.
func TestDiffVariantsTurnByTurn(t *testing.T) {
	a, b := sampleReport(), sampleReport()
	b.Variant = "concise"
	turn := &b.Cases[0].Runs[0].Turns[0]
	turn.Reply.Text = "Refund RF-1 approved."
	turn.Reply.Guardrail = "rewritten"
	turn.Reply.ToolCalls = nil
	c := Diff(a, b)
	if len(c.Changed) != 0 {
		t.Errorf("verdicts changed: %+v, want none", c.Changed)
	}
	if c.FromVariant != "" || c.ToVariant != "concise" {
		t.Errorf("variants %q → %q, want defaults → concise", c.FromVariant, c.ToVariant)
	}
	if len(c.Turns) != 1 || c.Turns[0].Case != "refunds/ok" || c.Turns[0].Turn != 1 ||
		strings.Join(c.Turns[0].Changed, ",") != "reply,guardrail,tools" {
		t.Fatalf("turn changes = %+v, want refunds/ok turn 1: reply, guardrail, tools", c.Turns)
	}
	var buf bytes.Buffer
	if err := WriteDiff(&buf, c); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"variant defaults → concise", "refunds/ok turn 1 (reply, guardrail, tools)", "guardrail pass → rewritten",
		"tools [request_refund] → []", "+ Refund RF-1 approved."} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("diff output lacks %q:\n%s", want, buf.String())
		}
	}
	if same := Diff(a, a); len(same.Turns) != 0 {
		t.Errorf("a report against itself lists turns %+v", same.Turns)
	}
}
