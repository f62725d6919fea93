package guardrails

import (
	"strings"
	"testing"
)

func TestCheckOutputActions(t *testing.T) {
	c := newChecker(t)
	ev := Evidence{Texts: []string{refundJSON, orderJSON, policyText}}
	tests := []struct {
		name, text string
		want       Verdict
		wantText   string
	}{
		{"clean", "Refund RF-7K2M9QX4BD of 42.50 USD for order ORD-10042 is pending. Approved refunds are sent back to the original payment method within 5 business days.",
			Pass, ""},
		{"banned sentence removed",
			"Refund RF-7K2M9QX4BD of 42.50 USD for order ORD-10042 is pending. Honestly, that's your fault for ordering the wrong size. Approved refunds are sent back to the original payment method within 5 business days. Anything else?",
			Rewritten, "Refund RF-7K2M9QX4BD of 42.50 USD for order ORD-10042 is pending. Approved refunds are sent back to the original payment method within 5 business days. Anything else?"},
		{"unsupported later sentence removed with its citation",
			"Refund RF-7K2M9QX4BD of 42.50 USD for order ORD-10042 is pending. It will reach your card within 2 business days. [refunds §Refund timing] Is there anything else I can help with?",
			Rewritten, "Refund RF-7K2M9QX4BD of 42.50 USD for order ORD-10042 is pending. Is there anything else I can help with?"},
		{"personal data masked",
			"Refund RF-7K2M9QX4BD for order ORD-10042 is pending. I've noted your card 4111 1111 1111 1111 for it.",
			Rewritten, "Refund RF-7K2M9QX4BD for order ORD-10042 is pending. I've noted your card [CARD] for it."},
		{"unsupported first sentence", "Refund RF-7K2M9QX4BD of 99.00 USD for order ORD-10042 is pending. It goes back to your original payment method. Anything else?",
			Fallback, ""},
		{"one sentence", "We will refund you today.", Fallback, ""},
		{"half the sentences", "Refund RF-7K2M9QX4BD is pending. Damn, sorry about that.", Fallback, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.CheckOutput(tt.text, "en", "buyer", ev)
			want := tt.wantText
			if tt.want == Pass {
				want = tt.text
			}
			if r.Verdict != tt.want || r.Text != want {
				t.Errorf("CheckOutput(%q) = %s %q, want %s %q\n%s", tt.text, r.Verdict, r.Text, tt.want, want, describe(r.Violations))
			}
			if tt.want != Pass && len(r.Violations) == 0 {
				t.Errorf("verdict %s without violations", r.Verdict)
			}
			if r.Verdict == Rewritten {
				again := c.CheckOutput(r.Text, "en", "buyer", ev)
				if again.Verdict != Pass {
					t.Errorf("rewritten text %q does not pass: %s", r.Text, describe(again.Violations))
				}
			}
		})
	}
}

func TestOutputPIIFromEvidence(t *testing.T) {
	c := newChecker(t)
	text := "Thanks! I'll send the update to jane@example.com. Anything else?"
	if r := c.CheckOutput(text, "en", "buyer", Evidence{Texts: []string{"my email is jane@example.com"}}); r.Verdict != Pass {
		t.Errorf("email the buyer gave: %s %v, want pass", r.Verdict, r.Violations)
	}
	if r := c.CheckOutput(text, "en", "buyer", Evidence{}); r.Verdict != Rewritten || !strings.Contains(r.Text, "[EMAIL]") {
		t.Errorf("email from nowhere: %s %q, want it masked", r.Verdict, r.Text)
	}
}

func TestFeedback(t *testing.T) {
	c := newChecker(t)
	r := c.CheckOutput("We guarantee a refund of 99.00 USD for order ORD-10042 today. Call 010-1234-5678.", "en", "buyer", Evidence{Texts: []string{orderJSON}})
	if r.Verdict != Fallback {
		t.Fatalf("verdict %s, want fallback", r.Verdict)
	}
	fb := Feedback(r.Violations)
	for _, want := range []string{"99.00 USD", "not allowed", "Do not promise", "personal data", "customer's language"} {
		if !strings.Contains(fb, want) {
			t.Errorf("Feedback = %q, want it to mention %q", fb, want)
		}
	}
	if Feedback(nil) != "" {
		t.Error("Feedback(nil) is not empty")
	}
}

// An order id the buyer spelled out letter by letter, as voice typing
// writes it, is theirs to be repeated back; one they never wrote in any
// form is still a claim the evidence must hold.
func TestOutputSpelledOrderID(t *testing.T) {
	c := newChecker(t)
	reply := "I'm sorry to hear that about order ORD-10141. Would you like a refund, or should I open a dispute?"
	tests := []struct {
		buyer string
		want  Verdict
	}{
		{"okay so order O R D 10141 period the boots came way too small", Pass},
		{"order o.r.d. 10141 the boots are too small", Pass},
		{"order ORD-10141 the boots are too small", Pass},
		{"order O R D 10142 the boots are too small", Fallback},
		{"the boots are too small", Fallback},
	}
	for _, tt := range tests {
		t.Run(tt.buyer, func(t *testing.T) {
			r := c.CheckOutput(reply, "en", "buyer", Evidence{Buyer: []string{tt.buyer}})
			if r.Verdict != tt.want {
				t.Errorf("buyer %q: %s %v, want %s", tt.buyer, r.Verdict, describe(r.Violations), tt.want)
			}
		})
	}
}
