package guardrails

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

// localTemplates is a copy of the local model's reply templates
// (agent/local/templates.go), taken so this package does not depend on the
// agent. Refresh it when they change.
type localTemplates struct {
	Templates map[string]map[string]string `json:"templates"`
	Statuses  map[string]map[string]string `json:"statuses"`
}

func loadTemplates(t testing.TB) localTemplates {
	t.Helper()
	b, err := os.ReadFile("testdata/local_templates.json")
	if err != nil {
		t.Fatal(err)
	}
	var lt localTemplates
	if err := json.Unmarshal(b, &lt); err != nil {
		t.Fatal(err)
	}
	return lt
}

// sample is one locale's facts, as a tool would return them.
type sample struct {
	order, shop, refund, dispute, tracking, carrier string
	amount                                          string // Money.String()
	minor                                           int64
	currency                                        string
}

var samples = map[string]sample{
	"en": {"ORD-10042", "Maple Goods", "RF-7K2M9QX4BD", "DSP-3H8N2C5WQ1", "1Z0123456789", "UPS", "42.50 USD", 4250, "USD"},
	"ko": {"ORD-20417", "한강 상회", "RF-9PQ2XK7M4T", "DSP-5W8Z1N3R6C", "CJ4081726354", "CJ Logistics", "15000 KRW", 15000, "KRW"},
	"es": {"ORD-30881", "Casa Sol", "RF-2B6D8F0H1J", "DSP-4K6M8P0R2T", "PQ7712093348", "Correos", "12.50 EUR", 1250, "EUR"},
	"ru": {"ORD-40129", "Тайга", "RF-8V2X4Z6B1D", "DSP-7Q9S1V3X5Z", "RA5531900274", "Почта России", "1500.00 RUB", 150000, "RUB"},
}

func toolJSON(data string, summary string) string {
	return fmt.Sprintf(`{"ok":true,"data":%s,"summary":%q}`, data, summary)
}

func toolError(code, msg string) string {
	return fmt.Sprintf(`{"ok":false,"error":{"code":%q,"message":%q}}`, code, msg)
}

// TestLocalTemplatesPass fills every template of the local model the way
// agent/local/replies.go does, with the facts of a tool result, and checks
// the reply against that tool result: it must pass unchanged.
func TestLocalTemplatesPass(t *testing.T) {
	c := newChecker(t)
	lt := loadTemplates(t)
	for loc, set := range lt.Templates {
		s := samples[loc]
		st := lt.Statuses[loc]
		money := fmt.Sprintf(`{"minor":%d,"currency":%q}`, s.minor, s.currency)
		order := func(status string, extra string) string {
			return toolJSON(fmt.Sprintf(`{"order_id":%q,"status":%q,"shop_id":"shop-1","shop_name":%q,"total":%s,"refunded":{"minor":0,"currency":%q},"placed_at":"2026-04-28T09:12:00Z"%s,"items":[{"line":1,"product_id":"p-1","name":"Boots","quantity":1,"unit_price":%s,"refundable":true,"refunded_quantity":0}]}`,
				s.order, status, s.shop, money, s.currency, extra, money), "")
		}
		refund := fmt.Sprintf(`{"refund_id":%q,"order_id":%q,"amount":%s,"status":"approved","reason":"damaged","created_at":"2026-05-10T08:00:00Z","expected_by":"2026-05-17T08:00:00Z"}`, s.refund, s.order, money)
		dispute := fmt.Sprintf(`{"dispute_id":%q,"order_id":%q,"status":"open","reason":"damaged","description":"","seller_respond_by":"2026-05-13T08:00:00Z","decide_by":"2026-05-20T08:00:00Z","created_at":"2026-05-10T08:00:00Z","evidence":[]}`, s.dispute, s.order)
		shipped := fmt.Sprintf(`,"paid_at":"2026-04-28T09:15:00Z","shipped_at":"2026-04-30T14:00:00Z","carrier":%q,"tracking_number":%q`, s.carrier, s.tracking)
		policy := `{"ok":true,"data":{"hits":[{"doc_id":"refunds","title":"Refunds and returns","heading_path":"Refunds and returns > Refund window","text":"You can request a refund up to 30 days after your order was delivered. The 30 days are counted from the date the order was marked as delivered.","citation":"[refunds §Refund window]","score":0.92}]}}`
		render := func(key string, args ...any) string { return fmt.Sprintf(set[key], args...) }

		cases := map[string]struct {
			text string
			ev   []string
		}{
			"order_pending":       {render("order_pending", s.order, s.shop, "2026-04-28"), []string{order("pending", "")}},
			"order_paid":          {render("order_paid", s.order, s.shop, "2026-04-28"), []string{order("paid", `,"paid_at":"2026-04-28T09:15:00Z"`)}},
			"order_shipped":       {render("order_shipped", s.order, s.shop, "2026-04-30", s.carrier, s.tracking), []string{order("shipped", shipped)}},
			"order_delivered":     {render("order_delivered", s.order, s.shop, "2026-05-06"), []string{order("delivered", shipped+`,"delivered_at":"2026-05-06T10:00:00Z"`)}},
			"order_cancelled":     {render("order_cancelled", s.order, "2026-04-29") + " " + render("order_refunded", s.amount), []string{strings.Replace(order("cancelled", `,"cancelled_at":"2026-04-29T10:00:00Z"`), `"refunded":{"minor":0`, fmt.Sprintf(`"refunded":{"minor":%d`, s.minor), 1)}},
			"shipment_in_transit": {render("shipment_in_transit", s.order, "2026-04-30", s.carrier, s.tracking) + " " + render("shipment_delayed", "2026-06-29"), []string{toolJSON(fmt.Sprintf(`{"order_id":%q,"status":"delayed","carrier":%q,"tracking_number":%q,"shipped_at":"2026-04-30T14:00:00Z","not_received_dispute_from":"2026-05-15T14:00:00Z","not_received_dispute_until":"2026-06-29T14:00:00Z"}`, s.order, s.carrier, s.tracking), "")}},
			"shipment_delivered":  {render("shipment_delivered", s.order, s.carrier, s.tracking, "2026-05-06"), []string{toolJSON(fmt.Sprintf(`{"order_id":%q,"status":"delivered","carrier":%q,"tracking_number":%q,"shipped_at":"2026-04-30T14:00:00Z","delivered_at":"2026-05-06T10:00:00Z"}`, s.order, s.carrier, s.tracking), "")}},
			"refund_done":         {render("refund_done", s.refund, s.amount, s.order, st["approved"]), []string{toolJSON(refund, "")}},
			"refund_status":       {render("refund_status", s.order, "\n- "+render("refund_line", s.refund, s.amount, st["approved"], "2026-05-10")), []string{toolJSON(fmt.Sprintf(`{"order_id":%q,"order_total":%s,"refunded":%s,"refunds":[%s]}`, s.order, money, money, refund), "")}},
			"no_refunds":          {render("no_refunds", s.order), []string{toolJSON(fmt.Sprintf(`{"order_id":%q,"refunds":[]}`, s.order), "")}},
			"dispute_opened":      {render("dispute_opened", s.dispute, s.order, "2026-05-13", "2026-05-20"), []string{toolJSON(dispute, "")}},
			"dispute_status":      {render("dispute_status", s.dispute, s.order, st["open"], "2026-05-20"), []string{toolJSON(dispute, "")}},
			"no_disputes":         {render("no_disputes", s.order), []string{toolJSON(fmt.Sprintf(`{"order_id":%q,"disputes":[]}`, s.order), "")}},
			"cancel_done":         {render("cancel_done", s.order) + " " + render("cancel_refunded", s.amount), []string{toolJSON(fmt.Sprintf(`{"order_id":%q,"status":"cancelled","cancelled_at":"2026-04-29T10:00:00Z","charged":true,"refund":%s}`, s.order, refund), "")}},
			"confirm_prompt":      {render("confirm_prompt", render("sum_refund", s.amount, s.order)+" (Boots ×1)"), []string{fmt.Sprintf(`{"ok":true,"data":{"action":"refund","order_id":%q,"amount":%s,"items":[{"line":1,"name":"Boots","quantity":1}],"reason":"damaged"},"summary":"Not done yet: the customer has been asked to confirm","pending_confirmation":true,"action_id":"a_1"}`, s.order, money)}},
			"confirm_cancel":      {render("confirm_prompt", render("sum_cancel", s.order)+render("sum_cancel_refund", s.amount)), []string{fmt.Sprintf(`{"ok":true,"data":{"action":"cancel","order_id":%q,"amount":%s},"pending_confirmation":true,"action_id":"a_2"}`, s.order, money)}},
			"confirm_dispute":     {render("confirm_prompt", render("sum_dispute", s.order, "damaged")), []string{fmt.Sprintf(`{"ok":true,"data":{"action":"dispute","order_id":%q,"reason":"damaged"},"pending_confirmation":true,"action_id":"a_3"}`, s.order)}},
			"order_list":          {render("order_list", "\n- "+render("order_line", s.order, st["shipped"], s.amount, "2026-04-28")), []string{toolJSON(fmt.Sprintf(`{"orders":[{"order_id":%q,"status":"shipped","shop_name":%q,"total":%s,"placed_at":"2026-04-28T09:12:00Z","items":"Boots ×1"}],"more":false}`, s.order, s.shop, money), "")}},
			"ask_dispute_reason":  {render("ask_dispute_reason", s.order), []string{"I want to open a dispute for " + s.order}},
			"translated":          {render("translated", "Where is my parcel?"), []string{toolJSON(`{"text":"Where is my parcel?","source":"ko","target":"en"}`, "")}},
			"policy_answer":       {render("policy_answer", "You can request a refund up to 30 days after your order was delivered. The 30 days are counted from the date the order was marked as delivered.", "[refunds §Refund window]"), []string{policy}},
			"refund_window_expired": {render("refund_window_expired"), []string{toolError("window_expired",
				"the 30-day refund window of order "+s.order+" ended on 2026-06-05; if the item has a problem (damaged, wrong, not as described, counterfeit), a dispute can still be opened until 2026-07-05 (open_dispute)")}},
			"limit_reached": {render("limit_reached"), []string{toolError("limit_reached",
				"this account has had 5 self-service refunds in the last 30 days, the most the policy allows, so this request cannot be processed automatically; a support specialist will review it instead (handoff_to_human)")}},
			"not_eligible_refund": {render("not_eligible_refund"), []string{toolError("not_eligible",
				"order "+s.order+" is paid but has not shipped, so it is cancelled rather than refunded: cancelling it (cancel_order) refunds the full amount automatically")}},
		}
		for key := range set {
			if _, ok := cases[key]; ok || strings.Contains(set[key], "%") {
				continue
			}
			cases[key] = struct {
				text string
				ev   []string
			}{set[key], nil} // no facts, no evidence needed
		}
		for key, tc := range cases {
			t.Run(loc+"/"+key, func(t *testing.T) {
				got := c.CheckOutput(tc.text, loc, "buyer", Evidence{Texts: tc.ev})
				if got.Verdict != Pass || got.Text != tc.text {
					t.Errorf("CheckOutput(%q) = %s %q, want pass unchanged; violations:\n%s", tc.text, got.Verdict, got.Text, describe(got.Violations))
				}
			})
		}
	}
}

// TestLocalTemplatesCatchWrongFacts fills the same templates with facts
// the tool result does not hold: each must be caught.
func TestLocalTemplatesCatchWrongFacts(t *testing.T) {
	c := newChecker(t)
	lt := loadTemplates(t)
	for loc, set := range lt.Templates {
		s := samples[loc]
		st := lt.Statuses[loc]
		money := fmt.Sprintf(`{"minor":%d,"currency":%q}`, s.minor, s.currency)
		refund := toolJSON(fmt.Sprintf(`{"refund_id":%q,"order_id":%q,"amount":%s,"status":"pending","reason":"damaged","created_at":"2026-05-10T08:00:00Z"}`, s.refund, s.order, money), "")
		wrong := map[string]string{
			"amount": fmt.Sprintf(set["refund_done"], s.refund, "99.00 "+s.currency, s.order, st["pending"]),
			"order":  fmt.Sprintf(set["refund_done"], s.refund, s.amount, "ORD-99999", st["pending"]),
			"refund": fmt.Sprintf(set["refund_done"], "RF-0000000000", s.amount, s.order, st["pending"]),
			"status": fmt.Sprintf(set["refund_done"], s.refund, s.amount, s.order, st["approved"]),
		}
		for what, text := range wrong {
			t.Run(loc+"/"+what, func(t *testing.T) {
				got := c.CheckOutput(text, loc, "buyer", Evidence{Texts: []string{refund}})
				if got.Verdict == Pass {
					t.Errorf("CheckOutput(%q) passed; want the wrong %s caught", text, what)
				}
			})
		}
	}
}

func describe(vs []Violation) string {
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "  %s %s %q: %s\n", v.Type, v.Rule, v.Span, v.Detail)
	}
	return b.String()
}

func newChecker(t testing.TB) *Checker {
	t.Helper()
	c, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return c
}
