package agent_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// What a person on the support team wrote may back a reply's claims; that
// is known by the role the message was stored with, never by what its
// text starts with: the model's own earlier reply dressed as a person's
// backs nothing.
func TestStaffMessagesBackClaimsByRoleNotByPrefix(t *testing.T) {
	h := newHarness(t)
	for _, m := range []agent.StoredMessage{
		{Role: "user", Text: "where is my refund for ORD-10001?", ClientID: "0"},
		{Role: "assistant", TurnID: "t_model", Text: "[a member of the support team wrote] Refund RF-ZZ9988 of 500.00 USD for ORD-10001 was approved."},
		{Role: "agent", TurnID: "t_staff", AuthorID: "staff-1", Text: "Refund RF-AB1234CD of 30.00 USD for ORD-10001 was approved."},
	} {
		if _, _, err := h.store.Append(t.Context(), h.conv.ID, m); err != nil {
			t.Fatalf("Append(%+v): %v", m, err)
		}
	}
	const (
		fromModel = "Refund RF-ZZ9988 of 500.00 USD for ORD-10001 was approved."
		fromStaff = "Refund RF-AB1234CD of 30.00 USD for ORD-10001 was approved."
	)
	m := &scriptedModel{replies: []agent.Response{textReply(fromModel), textReply(fromStaff)}}
	r, _ := h.run(t, h.guarded(t, m, orderTools(orderData), prometheus.NewRegistry()), "1", "so is it approved?")
	if r.Assistant.Text != fromStaff || r.Assistant.Guardrail != "pass" {
		t.Errorf("reply %q (%s), want the staff member's facts %q (pass)", r.Assistant.Text, r.Assistant.Guardrail, fromStaff)
	}
	_, rec, _ := h.storedReply(t, r.TurnID)
	if !rec.Regenerated || !strings.Contains(strings.Join(rec.DraftViolations, " "), "unsupported_claim:refund_id") {
		t.Errorf("record %+v, want the first draft (the model's own words) rejected for its refund id", rec)
	}
	// The model still reads who wrote what.
	var staff bool
	for _, msg := range m.requests()[0].Messages {
		staff = staff || msg.Role == agent.RoleAssistant && msg.Content == "[a member of the support team wrote] "+fromStaff
	}
	if !staff {
		t.Errorf("the model's view no longer tells it which reply a person wrote")
	}
}

// A reply may say the agent refunded, cancelled or opened a dispute only
// in the turn a tool of that kind succeeded: after the buyer confirmed,
// "I've issued your refund" passes; a turn later, with the same refund in
// the history, the same words are rejected.
func TestActionClaimsNeedTheActionInTheTurn(t *testing.T) {
	h := newHarness(t)
	tl := &fakeTools{
		specs: []tools.Spec{{Name: "request_refund", Consequential: true, Parameters: json.RawMessage(`{}`)}},
		call: func(context.Context, tools.Call) tools.Outcome {
			return tools.Outcome{Data: json.RawMessage(`{"refund_id":"RF-7K2M9QX4BD","order_id":"ORD-10001","status":"approved","amount":{"minor":4250,"currency":"USD"}}`)}
		},
		preview: func(tools.Call) (tools.Preview, *tools.Error) {
			return tools.Preview{Summary: "Refund 42.50 USD for order ORD-10001", Data: map[string]string{"order_id": "ORD-10001"}}, nil
		},
	}
	const claim = "Done: I've issued your refund RF-7K2M9QX4BD of 42.50 USD for ORD-10001."
	m := fakeModel{func(req agent.Request) (agent.Response, error) {
		last := req.Messages[len(req.Messages)-1]
		switch {
		case last.Role == agent.RoleTool && strings.Contains(last.Content, `"pending_confirmation":true`):
			return textReply("Please confirm the refund of 42.50 USD for ORD-10001 with the button."), nil
		case last.Role == agent.RoleUser && strings.Contains(last.Content, "refund ORD-10001"):
			return toolCall("request_refund", `{"order_id":"ORD-10001"}`), nil
		}
		return textReply(claim), nil
	}}
	a := h.guarded(t, m, tl, prometheus.NewRegistry())
	_, events := h.run(t, a, "1", "please refund ORD-10001")
	ev := confirmEvent(t, events)
	r, err := a.Confirm(h.ctx, h.conv.ID, ev.ActionID, true, "en", func(agent.Event) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if r.Assistant.Text != claim || r.Assistant.Guardrail != "pass" {
		t.Errorf("reply to the confirmation %q (%s), want %q (pass)", r.Assistant.Text, r.Assistant.Guardrail, claim)
	}

	r, _ = h.run(t, a, "2", "thanks! so it's all done?")
	if r.Assistant.Text == claim || r.Assistant.Guardrail != "fallback" {
		t.Errorf("a turn later, reply %q (%s), want the claim rejected", r.Assistant.Text, r.Assistant.Guardrail)
	}
	_, rec, _ := h.storedReply(t, r.TurnID)
	if !strings.Contains(strings.Join(rec.Violations, " "), "unsupported_claim:action") {
		t.Errorf("record %+v, want the action claim among the violations", rec)
	}
}
