package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/tools/l10n"
)

// The drafts' policy step, with its deadline, passes the guardrails the
// server holds every draft to: the deadline is a day of the order's own
// policy window, so the draft is shown as written, with the seller's
// gloss beside it. Before, the guardrails found the deadline in no
// evidence and cut the step out of the first two drafts ("rewritten"),
// which also dropped their gloss, in every language.
func TestSuggestedStepsPassTheGuardrails(t *testing.T) {
	t.Parallel()
	g, err := guard()
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvOpts(t, envOptions{policies: true, web: servedSearch(t, sellerChecker{g})})
	const day = 24 * time.Hour
	tests := []struct {
		name, shop, locale string
		kind               demo.Kind
		say                string // %s is the order id
		problem            string
		// deadline is the day the first draft gives, from the order's
		// shipping and delivery days; nil for none.
		deadline func(shipped, delivered time.Time) time.Time
		// fact, when set, is what else of the order the first draft
		// states: "refunded" (the amount refunded so far) or "dispute"
		// (the open dispute's id).
		fact string
	}{{
		name: "a defect inside the refund window", shop: "shop-maple", locale: "en", kind: demo.DeliveredRecently,
		say: "My order %s arrived broken.", problem: "damaged",
		deadline: func(_, d time.Time) time.Time { return d.Add(tools.RefundWindow) },
	}, {
		name: "a wrong item past the refund window", shop: "shop-maple", locale: "ru", kind: demo.DeliveredLongAgo,
		say: "По заказу %s прислали не тот товар", problem: "wrong_item",
		deadline: func(_, d time.Time) time.Time { return d.Add(tools.DisputeWindow) },
	}, {
		name: "a defect past the refund window", shop: "shop-maple", locale: "ko", kind: demo.DeliveredLongAgo,
		say: "%s 주문한 상품이 2주 만에 고장났어요", problem: "damaged",
		deadline: func(_, d time.Time) time.Time { return d.Add(tools.DisputeWindow) },
	}, {
		name: "a late parcel", shop: "shop-taiga", locale: "es", kind: demo.Overdue,
		say: "Mi pedido %s todavía no ha llegado", problem: "not_received",
		deadline: func(s, _ time.Time) time.Time { return s.Add(tools.DisputeWindow) },
	}, {
		name: "a parcel on its way", shop: "shop-sol", locale: "ko", kind: demo.InTransit,
		say: "%s 주문 상태 알려 주세요", problem: "",
		deadline: func(s, _ time.Time) time.Time { return s.Add(15 * day) },
	}, {
		name: "a change of mind", shop: "shop-hangang", locale: "en", kind: demo.DeliveredRecently,
		say: "I changed my mind about %s, can I send it back?", problem: "changed_mind",
		deadline: func(_, d time.Time) time.Time { return d.Add(tools.RefundWindow) },
	}, {
		name: "a defect on an order partly refunded", shop: "shop-taiga", locale: "ru", kind: demo.PartiallyRefunded,
		say: "Второй товар из заказа %s сломался", problem: "damaged",
		deadline: func(_, d time.Time) time.Time { return d.Add(tools.RefundWindow) }, fact: "refunded",
	}, {
		name: "a defect on an order in dispute", shop: "shop-hangang", locale: "ko", kind: demo.Disputed,
		say: "%s 상품이 고장났어요. 분쟁은 어떻게 되고 있나요?", problem: "damaged", fact: "dispute",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, seller := shopOrder(t, tt.shop, tt.locale, tt.kind)
			conv := e.startChat(t, o.BuyerID, strings.Replace(tt.say, "%s", o.ID, 1))
			r := e.call(t, http.MethodGet, "/v1/seller/conversations/"+conv+"/suggestions", e.sellerToken(t, seller), nil)
			var out suggestionsWithStep
			r.json(t, &out)
			if r.status != http.StatusOK || len(out.Suggestions) == 0 {
				t.Fatalf("suggestions = %d %s", r.status, r.body)
			}
			var sellerLocale string
			var shipped, delivered *time.Time
			if err := e.pool.QueryRow(t.Context(), `SELECT s.locale, o.shipped_at, o.delivered_at FROM orders o
				JOIN sellers s ON s.shop_id = o.shop_id WHERE o.id = $1`, o.ID).Scan(&sellerLocale, &shipped, &delivered); err != nil {
				t.Fatal(err)
			}
			if out.Problem != tt.problem {
				t.Errorf("problem = %q, want %q", out.Problem, tt.problem)
			}
			for i, sg := range out.Suggestions {
				if sg.Guardrail != "pass" {
					t.Errorf("draft %d: guardrail %q, want pass: %s", i, sg.Guardrail, sg.Text)
				}
				if sg.OrderID != o.ID {
					t.Errorf("draft %d is about %q, want %s", i, sg.OrderID, o.ID)
				}
			}
			first := out.Suggestions[0]
			if tt.deadline != nil {
				var s, d time.Time
				if shipped != nil {
					s = *shipped
				}
				if delivered != nil {
					d = *delivered
				}
				due := tt.deadline(s, d)
				if want := l10n.Date(tt.locale, due); !strings.Contains(first.Text, want) {
					t.Errorf("first draft %q lacks the deadline %q", first.Text, want)
				}
				if sellerLocale != tt.locale {
					if want := l10n.Date(sellerLocale, due); !strings.Contains(first.Gloss, want) {
						t.Errorf("first draft's gloss %q lacks the deadline %q", first.Gloss, want)
					}
				}
			}
			var want string
			switch tt.fact {
			case "refunded":
				var minor int64
				var currency string
				if err := e.pool.QueryRow(t.Context(), `SELECT refunded_minor, currency FROM orders WHERE id = $1`, o.ID).Scan(&minor, &currency); err != nil {
					t.Fatal(err)
				}
				want = l10n.Money(tt.locale, minor, currency)
			case "dispute":
				if err := e.pool.QueryRow(t.Context(), `SELECT id FROM disputes WHERE order_id = $1 AND status = 'open'`, o.ID).Scan(&want); err != nil {
					t.Fatal(err)
				}
			}
			if !strings.Contains(first.Text, want) {
				t.Errorf("first draft %q lacks %q", first.Text, want)
			}
		})
	}
}

// A parcel tracking shows as delivered that the buyer cannot find gets the
// shipping policy's step (the neighbours or reception, then support), not
// an "item not received" dispute: the disputes policy keeps those for a
// parcel tracking does not show as delivered, and open_dispute refuses one
// on a delivered order, so the draft promised what the buyer could not do.
func TestSuggestionForAParcelMarkedDelivered(t *testing.T) {
	t.Parallel()
	g, err := guard()
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvOpts(t, envOptions{policies: true, web: servedSearch(t, sellerChecker{g})})
	tests := []struct {
		shop, locale string
		say          string // %s is the order id
		// want is the step's words in the buyer's language, dispute the
		// dispute's name that must not be offered.
		want, dispute string
	}{
		{"shop-maple", "en", "Order %s says delivered but I never got it", "neighbours", "not received"},
		{"shop-sol", "ko", "%s 배송 완료로 나오는데 못 받았어요", "이웃", "미수령"},
		{"shop-taiga", "es", "El pedido %s figura como entregado pero no me ha llegado", "vecinos", "no recibido"},
		{"shop-hangang", "ru", "Заказ %s отмечен как доставленный, но я его не получил", "соседей", "не получен"},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			o, seller := shopOrder(t, tt.shop, tt.locale, demo.DeliveredRecently)
			conv := e.startChat(t, o.BuyerID, strings.Replace(tt.say, "%s", o.ID, 1))
			r := e.call(t, http.MethodGet, "/v1/seller/conversations/"+conv+"/suggestions", e.sellerToken(t, seller), nil)
			var out suggestionsWithStep
			r.json(t, &out)
			if r.status != http.StatusOK || len(out.Suggestions) == 0 {
				t.Fatalf("suggestions = %d %s", r.status, r.body)
			}
			first := out.Suggestions[0]
			if out.Problem != "not_received" || first.OrderID != o.ID || first.Guardrail != "pass" {
				t.Errorf("problem %q on %s (%s), want not_received on %s, passed", out.Problem, first.OrderID, first.Guardrail, o.ID)
			}
			if !strings.Contains(first.Text, tt.want) || strings.Contains(strings.ToLower(first.Text), tt.dispute) {
				t.Errorf("first draft %q: want %q and no %q dispute", first.Text, tt.want, tt.dispute)
			}
			if out.PolicyStep == nil || len(out.PolicyStep.Citations) == 0 || out.PolicyStep.Citations[0].DocID != "shipping" {
				t.Errorf("policy step %+v, want the shipping policy's rule", out.PolicyStep)
			}
		})
	}
}
