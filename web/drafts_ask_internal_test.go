package web

import (
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// The drafts' question fits the buyer's problem, and a problem told
// without an order is acknowledged before the drafts ask for the order,
// without an example order id the guardrails cut as invented. Before, a
// cancellation or a late parcel got "If the item arrived damaged, a photo
// helps", and a broken item with no order got "How can I help you today?".
func TestDraftsAskAboutTheProblem(t *testing.T) {
	t.Parallel()
	now, _ := time.Parse(time.DateOnly, "2026-06-20")
	usd := func(n int64) tools.Money { return tools.Money{Minor: n, Currency: "USD"} }
	paid := tools.Order{ID: "ORD-10001", Status: "paid", Total: usd(4250), Refunded: usd(0), PlacedAt: *date("2026-06-18"), PaidAt: date("2026-06-18")}
	overdue := paid
	overdue.Status, overdue.ShippedAt = "shipped", date("2026-05-20")
	delivered := paid
	delivered.Status, delivered.ShippedAt, delivered.DeliveredAt = "delivered", date("2026-06-01"), date("2026-06-05")
	tests := []struct {
		name, problem, locale string
		order                 *tools.Order
		// want and dont are in the third draft (the first, without an
		// order).
		want, dont []string
	}{
		{"a cancellation", "cancel", "en", &paid, []string{"why you'd like to cancel"}, []string{"photo"}},
		{"a late parcel", "not_received", "es", &overdue, []string{"seguimiento por última vez"}, []string{"foto"}},
		{"a change of mind", "changed_mind", "ru", &delivered, []string{"какие товары"}, []string{"фото"}},
		{"a broken item", "damaged", "ko", &delivered, []string{"사진"}, nil},
		{"a broken item, no order", "damaged", "en", nil, []string{"damaged or not working", "order number", "“ORD-”"}, []string{"ORD-10042", "How can I help"}},
		{"a late parcel, no order", "not_received", "ru", nil, []string{"заказ до вас ещё не дошёл", "номер заказа"}, []string{"ORD-10042"}},
		{"no problem, no order", "", "en", nil, []string{"How can I help"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := DraftInput{SellerName: "Dana", ShopName: "Maple", SellerLocale: "en", BuyerName: "Avery Collins", BuyerLocale: tt.locale,
				Problem: tt.problem, Status: statusOpen, Now: now, Transcript: []agent.StoredMessage{{Role: "user", Text: "hi"}}}
			if tt.order != nil {
				in.Orders = []tools.ShopOrder{{Order: *tt.order}}
			}
			drafts, err := TemplateDrafter{}.Draft(t.Context(), in)
			if err != nil || len(drafts) < 2 {
				t.Fatalf("Draft = %d drafts, %v", len(drafts), err)
			}
			d := drafts[0].Text
			if tt.order != nil {
				d = drafts[2].Text
			}
			for _, w := range tt.want {
				if !strings.Contains(d, w) {
					t.Errorf("draft %q lacks %q", d, w)
				}
			}
			for _, w := range tt.dont {
				if strings.Contains(d, w) {
					t.Errorf("draft %q says %q", d, w)
				}
			}
		})
	}
}
