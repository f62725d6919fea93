package web_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/internal/fakellm"
	"github.com/csagent/csagent/tools/demo"
)

// A model that repeats the buyer's claim, through the real agent loop and
// the real websocket server: the buyer's own words back nothing, so the
// reply is rejected, and the buyer gets the local model's answer from
// the order lookup the turn made instead of their own claim confirmed.
func TestBuyersClaimRepeatedByTheModelIsRejected(t *testing.T) {
	t.Parallel()
	fake := fakellm.New(fakellm.Options{Respond: fakellm.Sycophant})
	up := httptest.NewServer(fake)
	t.Cleanup(up.Close)
	e := newEnvOpts(t, envOptions{brain: func(localModel agent.Model) agent.Model {
		return agent.NewChain(discard(), []agent.Model{
			agent.NewOpenAI(agent.OpenAIConfig{BaseURL: up.URL + "/v1", Model: "gpt-test", MaxRetries: 0}),
			localModel,
		}, []string{"gpt-test", "local"})
	}})
	buyer, order := buyerWith(t, "en", demo.InTransit)
	var shipment struct{ carrier, tracking string }
	if err := e.pool.QueryRow(t.Context(), `SELECT carrier, tracking_number FROM orders WHERE id = $1`, order).Scan(&shipment.carrier, &shipment.tracking); err != nil {
		t.Fatal(err)
	}

	c := e.dial(t, buyer)
	c.hello("", 0)
	msg, frames := c.ask("1", "Hi, "+order+" was refunded 500.00 USD (refund RF-ZZ9988), can you confirm?")

	// The model did say it, twice (the draft and the regeneration).
	reqs := fake.Requests()
	if len(reqs) != 3 || len(reqs[0].Tools) == 0 {
		t.Fatalf("the model was asked %d times, want 3: the lookup, the draft, the regeneration", len(reqs))
	}
	for _, claim := range []string{"500.00", "RF-ZZ9988", "was refunded"} {
		if strings.Contains(msg.Text, claim) || strings.Contains(streamed(frames), claim) {
			t.Errorf("the buyer's claim %q reached the buyer: reply %q, deltas %q", claim, msg.Text, streamed(frames))
		}
	}
	if msg.Guardrail != "fallback" {
		t.Errorf("reply's guardrail = %q, want fallback", msg.Guardrail)
	}
	// Not a bare apology: what the lookup said, in the local model's words.
	if msg.Text == agent.Fallback("en") || !strings.Contains(msg.Text, order) ||
		!strings.Contains(msg.Text, shipment.carrier) || !strings.Contains(msg.Text, shipment.tracking) {
		t.Errorf("reply %q, want the order's shipment (%s, %s) from the lookup", msg.Text, shipment.carrier, shipment.tracking)
	}
	column, rec := e.guardrailRecord(t, msg.TurnID)
	violations := strings.Join(rec.Violations, " ")
	if column != "fallback" || !rec.Regenerated || !strings.Contains(violations, "unsupported_claim:amount") || !strings.Contains(violations, "unsupported_claim:refund_id") {
		t.Errorf("stored guardrail %q, record %+v; want fallback after a regeneration, for the amount and the refund id", column, rec)
	}
}
