package local_test

import (
	"regexp"
	"strings"
	"testing"
)

// Naming one of two waiting requests by what it does ("just the
// cancellation", "sí, el reembolso", "только возврат", "취소만") confirms
// that one and leaves the other waiting, after a bare yes was asked which
// or with an "only" of its own, in the four languages.
func TestNamingOneOfTwoPendingByItsKind(t *testing.T) {
	picks := map[string][]struct {
		text, order string
	}{
		"en": {{"just the cancellation please", "ORD-31001"}, {"the refund one", "ORD-31002"}},
		"ko": {{"취소만 해 주세요", "ORD-31001"}, {"환불 먼저요", "ORD-31002"}},
		"es": {{"solo la cancelación", "ORD-31001"}, {"el reembolso", "ORD-31002"}},
		"ru": {{"только отмену", "ORD-31001"}, {"возврат", "ORD-31002"}},
	}
	for _, tt := range twoRequestCases {
		for i, p := range picks[tt.locale] {
			t.Run(tt.locale+"/"+p.text, func(t *testing.T) {
				c := newChat(t, tt.locale)
				c.plant("ORD-31001", "buyer-001", tt.shop, tt.currency, "paid", tt.cancel...)
				c.plant("ORD-31002", "buyer-001", tt.shop, tt.currency, "delivered", tt.refund...)
				c.say(tt.message)
				if i == 1 {
					// A bare yes first: the pick answers "which one?".
					c.say(map[string]string{"en": "yes", "ko": "네", "es": "sí", "ru": "да"}[tt.locale])
				}
				c.say(p.text)
				cancelled := func() bool { st, _ := c.status("ORD-31001"); return st == "cancelled" }()
				_, refunded := c.status("ORD-31002")
				acts := c.pending()
				switch p.order {
				case "ORD-31001":
					if !cancelled || refunded != 0 || len(acts) != 1 || acts[0].Plan.OrderID != "ORD-31002" {
						t.Errorf("%q: ORD-31001 cancelled %v, ORD-31002 refunded %d, %d pending; want the cancellation alone done, the refund waiting", p.text, cancelled, refunded, len(acts))
					}
				default:
					if cancelled || refunded != tt.refund[1].price || len(acts) != 1 || acts[0].Plan.OrderID != "ORD-31001" {
						t.Errorf("%q: ORD-31001 cancelled %v, ORD-31002 refunded %d (want %d), %d pending; want the refund alone done, the cancellation waiting", p.text, cancelled, refunded, tt.refund[1].price, len(acts))
					}
				}
			})
		}
	}
}

// A buyer who takes a cancellation back after confirming it is told, in
// the agent's reply (guardrails included), that the order was already
// cancelled, never that nothing was requested; the order stays cancelled.
func TestTakingBackADoneCancellationIsAnsweredHonestly(t *testing.T) {
	for _, tt := range twoRequestCases {
		t.Run(tt.locale, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-31001", "buyer-001", tt.shop, tt.currency, "paid", tt.cancel...)
			c.say(map[string]string{"en": "please cancel ORD-31001", "ko": "ORD-31001 취소해 주세요", "es": "cancela el pedido ORD-31001", "ru": "отмените заказ ORD-31001"}[tt.locale])
			c.say(map[string]string{"en": "yes", "ko": "네", "es": "sí", "ru": "да"}[tt.locale])
			back := c.say(map[string]string{"en": "oh no, never mind, I want to keep it", "ko": "아 잠깐만요 없던 일로 해 주세요", "es": "uy no, olvídalo, me lo quedo", "ru": "ой, стоп, не надо, оставлю себе"}[tt.locale])
			if !strings.Contains(back.text, "ORD-31001") || !regexp.MustCompile(`already cancelled|이미 처리|ya se canceló|уже нельзя`).MatchString(back.text) {
				t.Errorf("taking back a done cancellation got %q, want that ORD-31001 was already cancelled", back.text)
			}
			if st, _ := c.status("ORD-31001"); st != "cancelled" {
				t.Errorf("ORD-31001 is %s, want cancelled", st)
			}
		})
	}
}
