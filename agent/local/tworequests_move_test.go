package local_test

import (
	"testing"
)

// A long message that tells of a move and asks, in the middle, to cancel
// one order and refund another: the move is why, not an address change to
// refuse. Both are prepared, each with its card (the cancellation of the
// unshipped order, the refund of the delivered one's amount), and nothing
// is done before the buyer confirms.
func TestMoveStoryWithCancelAndRefundPreparesBoth(t *testing.T) {
	tests := []struct {
		locale, shop, currency string
		says                   string
		keep, back             plantedLine
	}{
		{"en", "shop-maple", "USD",
			"hey so long story, we just moved into a tiny flat and everything is in boxes lol, anyway I need to cancel order ORD-32201 and refund the lantern from ORD-32202, no room for it. thanks!",
			plantedLine{"p-maple-boots", 1, 12900}, plantedLine{"p-maple-lantern", 1, 3499}},
		{"ko", "shop-hangang", "KRW",
			"안녕하세요 제가 이번에 이사를 가게 돼서 정신이 없는데요, ORD-32201 주문은 취소해 주시고 ORD-32202 텀블러는 환불해 주세요. 새 집에 이미 있어서요",
			plantedLine{"p-hangang-kettle", 1, 45000}, plantedLine{"p-hangang-tumbler", 1, 23000}},
		{"es", "shop-sol", "EUR",
			"Buenas, con la mudanza se me ha juntado todo, así que quiero cancelar el pedido ORD-32201 y que me reembolséis las toallas del ORD-32202, que ya no me hacen falta. Gracias",
			plantedLine{"p-sol-pan", 1, 2750}, plantedLine{"p-sol-towels", 1, 3200}},
		{"ru", "shop-taiga", "RUB",
			"Здравствуйте, мы переезжаем в другой город, поэтому отмените, пожалуйста, заказ ORD-32201, а за шкатулку из заказа ORD-32202 верните деньги, она не понадобится",
			plantedLine{"p-taiga-samovar", 1, 890000}, plantedLine{"p-taiga-box", 1, 180000}},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-32201", "buyer-001", tt.shop, tt.currency, "paid", tt.keep)
			c.plant("ORD-32202", "buyer-001", tt.shop, tt.currency, "delivered", tt.back)
			got := c.say(tt.says)
			acts := c.pending()
			if len(acts) != 2 {
				t.Fatalf("pending %+v, want a cancellation and a refund; reply %q", acts, got.text)
			}
			if a := planOf(t, acts, "ORD-32201"); a.Plan.Action != "cancel" {
				t.Errorf("ORD-32201 plan %+v, want the cancellation", *a.Plan)
			}
			if a := planOf(t, acts, "ORD-32202"); a.Plan.Action != "refund" || a.Plan.Amount == nil || a.Plan.Amount.Minor != tt.back.price {
				t.Errorf("ORD-32202 plan %+v, want a refund of %d", *a.Plan, tt.back.price)
			}
			if st, _ := c.status("ORD-32201"); st != "paid" {
				t.Errorf("ORD-32201 is %s before any yes, want paid", st)
			}
		})
	}
}
