package web_test

import (
	"strings"
	"testing"

	"github.com/csagent/csagent/tools/demo"
)

// A "yes" typed after the confirmation card expired does nothing, and the
// reply says so about that request (its order), in the buyer's language,
// rather than a bare "Okay, anything else?" that reads as if the refund
// went ahead.
//
// Known defect, not of web: the turn's pending actions leave out expired
// ones (agent/actions.go, the pending query's expires_at > now()), so
// agent.typedDecision never sees the card the buyer answers and the message
// goes to the model, which (the local one) acknowledges it. The frame
// (TestRepeatedConfirmOfAnExpiredActionIsAnswered) and HTTP confirm answer
// conflict, "that request has expired".
func TestTypedYesToAnExpiredCardSaysItExpired(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, tt := range []struct{ locale, ask, yes string }{
		{"en", "I want a refund for %s, it arrived damaged", "yes"},
		{"ko", "%s 환불해 주세요. 파손되어 도착했어요", "네"},
	} {
		t.Run(tt.locale, func(t *testing.T) {
			buyer, order := buyerWith(t, tt.locale, demo.DeliveredRecently)
			c := e.dial(t, buyer)
			c.hello("", 0)
			_, cards := c.turn("m1", strings.ReplaceAll(tt.ask, "%s", order))
			if len(cards) != 1 {
				t.Fatalf("asking for a refund of %s showed %d cards, want 1", order, len(cards))
			}
			if _, err := e.pool.Exec(t.Context(), `UPDATE pending_actions SET expires_at = now() - interval '1 minute' WHERE id = $1`, cards[0].ActionID); err != nil {
				t.Fatal(err)
			}
			reply, _ := c.ask("m2", tt.yes)
			if n := e.count(t, `SELECT count(*) FROM refunds WHERE idempotency_key IS NOT NULL AND order_id = $1`, order); n != 0 {
				t.Errorf("a yes to an expired card made %d refunds", n)
			}
			if !strings.Contains(reply.Text, order) {
				t.Errorf("a typed %q to the expired card of %s is answered %q, which does not say that request expired", tt.yes, order, reply.Text)
			}
		})
	}
}
