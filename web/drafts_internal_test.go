package web

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// Every language of the drafts has every sentence, with the same verbs.
func TestDraftPhrasesInEveryLanguage(t *testing.T) {
	t.Parallel()
	verbs := func(s string) int { return strings.Count(s, "%") }
	for lang, p := range draftPhrases {
		for key, en := range draftPhrases["en"] {
			got, ok := p[key]
			if !ok {
				t.Errorf("%s lacks %q", lang, key)
				continue
			}
			if verbs(got) != verbs(en) {
				t.Errorf("%s %q has %d verbs, English %d", lang, key, verbs(got), verbs(en))
			}
		}
	}
}

func date(s string) *time.Time {
	d, _ := time.Parse(time.DateOnly, s)
	return &d
}

// The drafts state the order's own facts and the next step its situation
// allows, and nothing from another situation.
func TestTemplateDrafts(t *testing.T) {
	t.Parallel()
	now, _ := time.Parse(time.DateOnly, "2026-06-20")
	usd := func(n int64) tools.Money { return tools.Money{Minor: n, Currency: "USD"} }
	base := tools.Order{ID: "ORD-10001", Total: usd(4250), Refunded: usd(0), PlacedAt: *date("2026-05-01"), PaidAt: date("2026-05-01")}
	tests := []struct {
		name     string
		order    func(o *tools.Order)
		want     []string
		dont     []string
		policies string
	}{
		{"delivered recently", func(o *tools.Order) {
			o.Status, o.ShippedAt, o.DeliveredAt = "delivered", date("2026-06-01"), date("2026-06-05")
		}, []string{"delivered on June 5, 2026", "refund in this chat until July 5, 2026"}, []string{"dispute"}, "refunds"},
		{"delivered long ago", func(o *tools.Order) {
			o.Status, o.ShippedAt, o.DeliveredAt = "delivered", date("2026-04-01"), date("2026-05-01")
		}, []string{"window ended on May 31, 2026", "dispute until June 30, 2026"}, nil, "refunds disputes"},
		{"in transit", func(o *tools.Order) {
			o.Status, o.ShippedAt, o.Carrier, o.TrackingNumber = "shipped", date("2026-06-15"), "UPS", "1Z999"
		}, []string{"shipped on June 15, 2026 with UPS", "1Z999", "arrived by June 30, 2026"}, []string{"refund"}, "disputes"},
		{"overdue", func(o *tools.Order) {
			o.Status, o.ShippedAt, o.Carrier, o.TrackingNumber = "shipped", date("2026-05-20"), "UPS", "1Z999"
		}, []string{"not been marked as delivered", "more than 15 days ago"}, nil, "disputes"},
		{"paid", func(o *tools.Order) { o.Status = "paid" }, []string{"being prepared", "2 business days"}, nil, "shipping refunds"},
		// Before, an order refunded in full inside the refund window
		// was told "The 30-day refund window ended on July 10".
		{"refunded in full", func(o *tools.Order) {
			o.Status, o.ShippedAt, o.DeliveredAt, o.Refunded = "delivered", date("2026-06-01"), date("2026-06-10"), usd(4250)
		}, []string{"$42.50 has been refunded", "5 business days"}, []string{"window ended", "dispute until"}, "refunds"},
		{"partially refunded", func(o *tools.Order) {
			o.Status, o.ShippedAt, o.DeliveredAt, o.Refunded = "delivered", date("2026-06-01"), date("2026-06-10"), usd(1000)
		}, []string{"$10.00 has been refunded", "5 business days"}, nil, "refunds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := base
			tt.order(&o)
			drafts, err := TemplateDrafter{}.Draft(context.Background(), DraftInput{
				SellerName: "Dana", ShopName: "Maple", SellerLocale: "en", BuyerName: "Avery Collins", BuyerLocale: "en",
				Status: statusOpen, Orders: []tools.ShopOrder{{Order: o}}, Now: now,
				Transcript: []agent.StoredMessage{{Role: "user", Text: "hi"}},
			})
			if err != nil || len(drafts) != 3 {
				t.Fatalf("Draft = %d drafts, %v", len(drafts), err)
			}
			first := drafts[0].Text
			for _, w := range tt.want {
				if !strings.Contains(first, w) {
					t.Errorf("draft %q lacks %q", first, w)
				}
			}
			for _, w := range tt.dont {
				if strings.Contains(first, w) {
					t.Errorf("draft %q says %q", first, w)
				}
			}
			if got := strings.Join(drafts[0].Policies, " "); got != tt.policies {
				t.Errorf("policies %q, want %q", got, tt.policies)
			}
			if !strings.HasPrefix(first, "Hi Avery, this is Dana from Maple.") || drafts[0].Gloss != "" {
				t.Errorf("draft %q (gloss %q)", first, drafts[0].Gloss)
			}
		})
	}
}

func TestPrintable(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{"hello\nworld\t!": true, "환불해 주세요": true, "a\x00b": false, "bell\a": false, "del\x7f": false} {
		if got := printable(s); got != want {
			t.Errorf("printable(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestChatAncestors(t *testing.T) {
	t.Parallel()
	got := chatAncestors([]string{"https://shop.example", " https://b.example:8443 ", "x; script-src *", "", "'unsafe-inline'"})
	if got != "'self' https://shop.example https://b.example:8443" {
		t.Errorf("chatAncestors = %q", got)
	}
}

// errChecker fails every check.
type errChecker struct{}

func (errChecker) CheckReply(context.Context, string, string, []string) (ReplyCheck, error) {
	return ReplyCheck{}, errors.New("checker down")
}

// A draft the checker could not decide on is not shown: a seller sends a
// draft as it is, so an unchecked one must not reach the panel.
func TestCheckDraftsDropsUncheckedDrafts(t *testing.T) {
	t.Parallel()
	drafts := []Draft{{Text: "Your order ORD-10001 has shipped."}, {Text: "Thanks for waiting."}}
	if got := checkDrafts(t.Context(), errChecker{}, drafts, "en", nil, slog.New(slog.DiscardHandler)); len(got) != 0 {
		t.Errorf("checkDrafts with a failing checker = %+v, want no drafts", got)
	}
}

// Each problem on each kind of order, in each language, drafts complete
// sentences: its acknowledgement, and a step with its dates filled that
// fits the order (no refund offered for a non-refundable item, a dispute
// date only where one applies).
func TestProblemDrafts(t *testing.T) {
	t.Parallel()
	now, _ := time.Parse(time.DateOnly, "2026-06-20")
	usd := func(n int64) tools.Money { return tools.Money{Minor: n, Currency: "USD"} }
	item := tools.Item{Line: 1, Name: "Rain jacket", Quantity: 1, UnitPrice: usd(4250), Refundable: true}
	orders := map[string]tools.Order{
		"pending":          {Status: "pending"},
		"paid":             {Status: "paid", PaidAt: date("2026-06-19")},
		"in transit":       {Status: "shipped", ShippedAt: date("2026-06-15")},
		"overdue":          {Status: "shipped", ShippedAt: date("2026-05-20")},
		"refundable":       {Status: "delivered", ShippedAt: date("2026-06-01"), DeliveredAt: date("2026-06-05")},
		"disputable":       {Status: "delivered", ShippedAt: date("2026-04-01"), DeliveredAt: date("2026-05-01")},
		"long ago":         {Status: "delivered", ShippedAt: date("2026-01-01"), DeliveredAt: date("2026-01-05")},
		"non-refundable":   {Status: "delivered", ShippedAt: date("2026-06-01"), DeliveredAt: date("2026-06-05")},
		"refunded in full": {Status: "delivered", ShippedAt: date("2026-06-01"), DeliveredAt: date("2026-06-10")},
	}
	for name, o := range orders {
		o.ID, o.Total, o.Refunded, o.PlacedAt = "ORD-10001", usd(4250), usd(0), *date("2026-01-01")
		o.Items = []tools.Item{item}
		if name == "non-refundable" {
			o.Items[0].Refundable = false
		}
		if name == "refunded in full" {
			o.Refunded = usd(4250)
		}
		for prob, pname := range problemNames {
			for lang := range draftPhrases {
				ack, step, docs := problemSentences(phrasebook(lang), prob, tools.ShopOrder{Order: o}, now)
				all := ack + " " + strings.Join(step, " ")
				if ack == "" || strings.Contains(all, "%!") || strings.Contains(all, "?)") {
					t.Errorf("%s on a %s order in %s: %q", pname, name, lang, all)
				}
				if step != nil && len(docs) == 0 {
					t.Errorf("%s on a %s order: a step resting on no policy", pname, name)
				}
				if lang != "en" {
					continue
				}
				switch {
				case name == "non-refundable" && strings.Contains(all, "request a refund"):
					t.Errorf("%s on a non-refundable order offers a refund: %q", pname, all)
				case name == "disputable" && prob == probDamaged && !strings.Contains(all, "dispute, which you can open in this chat until June 30, 2026"):
					t.Errorf("a defect past the refund window: %q, want the dispute route until June 30, 2026", all)
				case name == "paid" && prob == probCancel && !strings.Contains(all, "can be cancelled"):
					t.Errorf("cancel a paid order: %q", all)
				case name == "refunded in full" && prob != probNotReceived && prob != probCancel &&
					(!strings.Contains(all, "nothing left to refund") || strings.Contains(all, "window ended")):
					t.Errorf("%s on an order refunded in full: %q, want nothing left to refund", pname, all)
				}
			}
		}
	}
}
