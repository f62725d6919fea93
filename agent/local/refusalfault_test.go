package local_test

import (
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
)

// A refund of food refused by the rules, then the fault told ("the lid
// came cracked", "뚜껑이 깨져서 왔어요"): the dispute the refusal offered is
// prepared on that order as a card, without asking which order, and
// nothing is refunded or opened until the buyer confirms.
func TestFaultAfterRefusalPreparesTheDispute(t *testing.T) {
	tests := []struct {
		locale, shop, currency string
		line                   plantedLine
		says                   []string
	}{
		{"en", "shop-maple", "USD", plantedLine{"p-maple-giftcard", 1, 5000},
			[]string{"I'd like a refund for the gift card in ORD-32001, I don't need it", "well what if I tell you the card came snapped in half?"}},
		{"ko", "shop-hangang", "KRW", plantedLine{"p-hangang-kimchi", 1, 32000},
			[]string{"ORD-32001 김치 환불하고 싶어요 생각보다 많네요", "사실 통이 깨져서 국물이 다 샜어요"}},
		{"es", "shop-sol", "EUR", plantedLine{"p-sol-oil", 1, 2400},
			[]string{"quiero el reembolso del aceite del pedido ORD-32001, ya no lo uso", "bueno, es que además la botella llegó rota"}},
		{"ru", "shop-taiga", "RUB", plantedLine{"p-taiga-honey", 1, 120000},
			[]string{"хочу вернуть деньги за мёд из заказа ORD-32001, не понравился", "а если банка пришла разбитой?"}},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-32001", "buyer-001", tt.shop, tt.currency, "delivered", tt.line)
			disputeAfterRefusal(t, c, tt.says, "ORD-32001")
		})
	}
}

// disputeAfterRefusal says says[0], a refund the policy refuses (no card),
// then says[1], the fault that makes it a dispute: it fails unless exactly
// one open_dispute of order waits, the reply names the order and nothing is
// refunded, and returns that action.
func disputeAfterRefusal(t *testing.T, c *chat, says []string, order string) agent.Action {
	t.Helper()
	if first := c.say(says[0]); len(first.cards) != 0 {
		t.Fatalf("%q brought a card, want the refusal; reply %q", says[0], first.text)
	}
	got := c.say(says[1])
	acts := c.pending()
	if len(acts) != 1 || acts[0].Tool != "open_dispute" {
		t.Fatalf("%q: pending %+v, want one open_dispute; reply %q", says[1], acts, got.text)
	}
	a := planOf(t, acts, order)
	if !strings.Contains(got.text, order) {
		t.Errorf("reply %q does not name %s", got.text, order)
	}
	if _, refunded := c.status(order); refunded != 0 {
		t.Errorf("%d refunded, want nothing", refunded)
	}
	return a
}
