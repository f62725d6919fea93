package local

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// Amounts are written with the currency's own minor units and the
// language's separators, dates in the language's long form, and Korean
// particles agree with the id or carrier before them: no "286000 KRW",
// "5000.00 RUB", ISO dates, "ORD-10102은(는)" or "Correos(으)로".
func TestRepliesWriteMoneyDatesAndParticlesPerLocale(t *testing.T) {
	m := newModel(t)
	created := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	reply := func(locale, tool string, data any) string {
		t.Helper()
		b, _ := json.Marshal(data)
		res, _ := json.Marshal(agent.ToolResult{OK: true, Data: b})
		return generate(t, m, locale, user("status ORD-10102"),
			agent.Message{Role: agent.RoleAssistant, ToolCalls: []agent.ToolCall{{ID: "c", Name: tool}}},
			agent.Message{Role: agent.RoleTool, Name: tool, ToolCallID: "c", Content: string(res)}).Content
	}
	tests := []struct {
		locale string
		amount tools.Money
		want   []string
	}{
		{"ko", tools.Money{Minor: 286000, Currency: "KRW"}, []string{"₩286,000", "2026년 11월 27일"}},
		{"ru", tools.Money{Minor: 500000, Currency: "RUB"}, []string{"5 000,00 ₽", "27 ноября 2026"}},
		{"es", tools.Money{Minor: 13640, Currency: "EUR"}, []string{"136,40 €", "27 de noviembre de 2026"}},
		{"en", tools.Money{Minor: 6998, Currency: "USD"}, []string{"$69.98", "November 27, 2026"}},
	}
	for _, tt := range tests {
		r := tools.Refund{ID: "RF-AB12CD34", OrderID: "ORD-10102", Amount: tt.amount, Status: "pending", CreatedAt: created}
		got := reply(tt.locale, "get_refund_status", tools.RefundList{OrderID: r.OrderID, Refunds: []tools.Refund{r}})
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s refund status reply = %q, want %q in it", tt.locale, got, w)
			}
		}
		for _, bad := range []string{"KRW", "RUB", "2026-11-27", "(는)", "(가)", "(으)로", "(를)"} {
			if strings.Contains(got, bad) {
				t.Errorf("%s refund status reply = %q, has %q", tt.locale, got, bad)
			}
		}
	}

	shipped := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	o := tools.Order{ID: "ORD-10102", Status: "shipped", ShopName: "Casa Sol", ShippedAt: &shipped, PaidAt: &shipped,
		Carrier: "Correos", TrackingNumber: "PQ1234567890"}
	if got := reply("ko", "get_order", o); !strings.Contains(got, "ORD-10102는") || !strings.Contains(got, "Correos로") {
		t.Errorf("ko order reply = %q, want ORD-10102는 and Correos로", got)
	}
	o.ID, o.Carrier = "ORD-10007", "CJ대한통운"
	if got := reply("ko", "get_order", o); !strings.Contains(got, "ORD-10007은") || !strings.Contains(got, "CJ대한통운으로") {
		t.Errorf("ko order reply = %q, want ORD-10007은 and CJ대한통운으로", got)
	}
}

// The confirmation card's summary writes the amount the buyer's way.
func TestSummariesWriteMoneyPerLocale(t *testing.T) {
	tests := []struct{ locale, want string }{
		{"ko", "₩286,000"},
		{"ru", "2 860,00 ₽"},
	}
	for _, tt := range tests {
		cur := map[string]string{"ko": "KRW", "ru": "RUB"}[tt.locale]
		minor := map[string]int64{"ko": 286000, "ru": 286000}[tt.locale]
		p, _ := json.Marshal(tools.ActionPreview{Action: "refund", OrderID: "ORD-10102", Amount: &tools.Money{Minor: minor, Currency: cur}})
		got := Summaries{}.Summary(tt.locale, "request_refund", p)
		if !strings.Contains(got, tt.want) {
			t.Errorf("Summary(%s) = %q, want %q in it", tt.locale, got, tt.want)
		}
	}
}

// A refund of everything left after an earlier refund of an amount lists
// lines that come to more than its total; the card says the difference in
// the buyer's language, or its items and total would not add up.
func TestSummariesSayWhatWasRefundedBefore(t *testing.T) {
	tests := []struct {
		locale, cur string
		minor, less int64
		want        []string
	}{
		{"en", "USD", 23998, 5000, []string{"$239.98", "less $50.00 already refunded"}},
		{"ko", "KRW", 128000, 20000, []string{"₩128,000", "이미 환불된 ₩20,000 제외"}},
		{"es", "EUR", 9640, 1000, []string{"96,40", "descontados 10,00 € ya reembolsados"}},
		{"ru", "RUB", 650000, 100000, []string{"6 500,00 ₽", "за вычетом уже возвращённых 1 000,00 ₽"}},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			p, err := json.Marshal(tools.ActionPreview{
				Action: "refund", OrderID: "ORD-10102",
				Amount: &tools.Money{Minor: tt.minor, Currency: tt.cur},
				Items:  []tools.ActionItem{{Line: 1, Name: "A", Quantity: 1}, {Line: 2, Name: "B", Quantity: 2}},
				Less:   &tools.Money{Minor: tt.less, Currency: tt.cur},
			})
			if err != nil {
				t.Fatal(err)
			}
			got := Summaries{}.Summary(tt.locale, "request_refund", p)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Summary(%s) = %q, want %q in it", tt.locale, got, w)
				}
			}
			p, _ = json.Marshal(tools.ActionPreview{Action: "refund", OrderID: "ORD-10102", Amount: &tools.Money{Minor: tt.minor, Currency: tt.cur}})
			if got := (Summaries{}).Summary(tt.locale, "request_refund", p); strings.Contains(got, "%!") || strings.Contains(got, tt.want[1]) {
				t.Errorf("Summary(%s) without Less = %q, want no difference named", tt.locale, got)
			}
		})
	}
}

// An order number the buyer's account does not hold is named in the
// reply, so two unknown numbers in one message are not answered with the
// same sentence twice; the reply still counts as one that did not help
// (two of them in a row offer a person).
func TestNotFoundNamesTheOrder(t *testing.T) {
	for _, locale := range []string{"en", "ko", "es", "ru"} {
		got := render(locale, "not_found_order", "ORD-19998")
		if !strings.Contains(got, "ORD-19998") || strings.Contains(got, "%!") {
			t.Errorf("%s: not_found_order = %q, want the order named", locale, got)
		}
		if !unhelpfulText(got) {
			t.Errorf("%s: unhelpfulText(%q) = false, want a reply that did not help", locale, got)
		}
	}
}
