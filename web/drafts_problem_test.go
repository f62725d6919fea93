package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/tools/l10n"
)

// suggestionsWithStep is the suggestions endpoint's answer with the buyer's
// problem and the rule behind the drafts' step.
type suggestionsWithStep struct {
	suggestionsBody
	Problem    string `json:"problem"`
	PolicyStep *struct {
		Text      string `json:"text"`
		Citations []struct {
			DocID string `json:"doc_id"`
			Title string `json:"title"`
			URL   string `json:"url"`
		} `json:"citations"`
	} `json:"policy_step"`
}

// Suggested replies answer the buyer's latest problem on the order it is
// about, with the policy step that applies and its date, in the buyer's
// language with the seller's beside it, and the rule in the policy's own
// words for the seller. Before, a broken zipper got "It was delivered on
// …", and an order the buyer mentioned in passing afterwards became the
// subject.
func TestSellerSuggestionsAnswerTheBuyersProblem(t *testing.T) {
	t.Parallel()
	e := newEnvOpts(t, envOptions{policies: true})
	tests := []struct {
		name, buyer, seller string
		say                 []string
		order, problem      string
		// want in the first draft, its gloss and the rule; a date
		// placeholder is filled by deadline.
		want, gloss []string
		deadline    func(delivered time.Time) time.Time
		rule, doc   string
	}{{
		name: "a defect after the refund window: the dispute route", buyer: "buyer-002", seller: "seller-maple",
		say:   []string{"ORD-10202 재킷 지퍼가 2주 만에 고장 났어요", "ORD-10002 주문은 문제없어요"},
		order: "ORD-10202", problem: "damaged",
		want:     []string{"죄송합니다", "'파손' 사유로 분쟁", "{date}까지"},
		gloss:    []string{"“damaged” dispute", "until {date}"},
		deadline: func(d time.Time) time.Time { return d.Add(60 * 24 * time.Hour) },
		rule:     "60", doc: "disputes",
	}, {
		name: "a cancellation before shipping", buyer: "buyer-043", seller: "seller-hangang",
		say:   []string{"Hola, ya no necesito el pedido ORD-10093, ¿lo pueden cancelar?"},
		order: "ORD-10093", problem: "cancel",
		want:  []string{"puedes cancelarlo", "reembolsará el importe completo"},
		gloss: []string{"취소하실 수 있으며", "전액"},
		doc:   "refunds",
	}, {
		name: "a change of mind inside the window: who pays the return", buyer: "buyer-001", seller: "seller-maple",
		say:   []string{"I changed my mind about ORD-10201, can I send it back?"},
		order: "ORD-10201", problem: "changed_mind",
		want:     []string{"until {date}", "return shipping is paid by you"},
		deadline: func(d time.Time) time.Time { return d.Add(30 * 24 * time.Hour) },
		rule:     "", doc: "refunds",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conv := e.startChat(t, tt.buyer, tt.say...)
			r := e.call(t, http.MethodGet, "/v1/seller/conversations/"+conv+"/suggestions", e.sellerToken(t, tt.seller), nil)
			var out suggestionsWithStep
			r.json(t, &out)
			if r.status != http.StatusOK || len(out.Suggestions) == 0 {
				t.Fatalf("suggestions = %d %s", r.status, r.body)
			}
			var buyerLocale, sellerLocale string
			var delivered *time.Time
			if err := e.pool.QueryRow(t.Context(), `SELECT b.locale, s.locale, o.delivered_at FROM orders o JOIN buyers b ON b.id = o.buyer_id
				JOIN sellers s ON s.shop_id = o.shop_id WHERE o.id = $1`, tt.order).Scan(&buyerLocale, &sellerLocale, &delivered); err != nil {
				t.Fatal(err)
			}
			fill := func(s, locale string) string {
				if tt.deadline == nil || delivered == nil {
					return s
				}
				return strings.ReplaceAll(s, "{date}", l10n.Date(locale, tt.deadline(*delivered)))
			}
			first := out.Suggestions[0]
			if out.Problem != tt.problem || first.OrderID != tt.order {
				t.Errorf("problem %q on %s, want %q on %s", out.Problem, first.OrderID, tt.problem, tt.order)
			}
			for _, w := range tt.want {
				if w = fill(w, buyerLocale); !strings.Contains(first.Text, w) {
					t.Errorf("first draft %q lacks %q", first.Text, w)
				}
			}
			for _, w := range tt.gloss {
				if w = fill(w, sellerLocale); !strings.Contains(first.Gloss, w) {
					t.Errorf("gloss %q lacks %q", first.Gloss, w)
				}
			}
			if out.PolicyStep == nil || !strings.Contains(out.PolicyStep.Text, tt.rule) || len(out.PolicyStep.Citations) == 0 ||
				!strings.Contains(out.PolicyStep.Citations[0].URL, "/"+sellerLocale+"#") {
				t.Fatalf("policy step %+v, want the rule (%q) in the seller's language (%s), cited by section", out.PolicyStep, tt.rule, sellerLocale)
			}
			if len(first.Citations) == 0 || first.Citations[0].DocID != tt.doc {
				t.Errorf("citations %+v, want the %s policy first", first.Citations, tt.doc)
			}
			t.Logf("%s\n%s\n%s", first.Text, first.Gloss, out.PolicyStep.Text)
		})
	}
}
