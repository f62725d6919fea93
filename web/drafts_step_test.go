package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/csagent/csagent/agent/local"
	"github.com/csagent/csagent/retrieval"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

// The policy step beside the drafts is the rule that applies, cited from
// its own section, in each seller's language, with the policy search serve
// runs (search_policy with the local model's query expansion). Before, a
// Spanish and a Korean seller got "how to request a refund" for a parcel
// marked delivered, an English, Spanish and Russian seller the "not
// received" rule for a damaged item's dispute, a Russian seller the refund
// timing for the refund window and the shipped orders' rule for an order
// awaiting payment.
func TestPolicyStepIsTheRuleThatApplies(t *testing.T) {
	t.Parallel()
	e := newEnvOpts(t, envOptions{policies: true, web: servedSearch(t, nil)})
	shops := map[string]string{"en": "shop-maple", "ko": "shop-hangang", "es": "shop-sol", "ru": "shop-taiga"}
	sellers := map[string]string{"en": "seller-maple", "ko": "seller-hangang", "es": "seller-sol", "ru": "seller-taiga"}
	tests := []struct {
		step string
		kind demo.Kind
		say  string // %s is the order id
		// section is, by the seller's language, the heading the step
		// cites first.
		section map[string]string
	}{
		{"refund_reason", demo.DeliveredRecently, "My order %s arrived broken.",
			map[string]string{"en": "Refund window", "ko": "환불 신청 기간", "es": "Plazo para solicitar un reembolso", "ru": "Срок запроса возврата средств"}},
		{"dispute_route", demo.DeliveredLongAgo, "My order %s arrived broken.",
			map[string]string{"en": "All other reasons", "ko": "그 밖의 사유", "es": "Otros motivos", "ru": "Другие причины"}},
		{"refund_mind", demo.DeliveredRecently, "I changed my mind about %s, can I send it back?",
			map[string]string{"en": "Return shipping costs", "ko": "반품 배송비", "es": "Costo del envío de devolución", "ru": "Оплата обратной доставки"}},
		{"mind_late", demo.DeliveredLongAgo, "I changed my mind about %s, can I send it back?",
			map[string]string{"en": "Refund window", "ko": "환불 신청 기간", "es": "Plazo para solicitar un reembolso", "ru": "Срок запроса возврата средств"}},
		{"nr_dispute", demo.Overdue, "My order %s has not arrived.",
			map[string]string{"en": "Not received", "ko": "미수령", "es": "No recibido", "ru": "Не получен"}},
		{"nr_delivered", demo.DeliveredRecently, "Order %s says delivered but I never got it",
			map[string]string{"en": "Delivery confirmation", "ko": "배송 완료 확인", "es": "Confirmación de entrega", "ru": "Подтверждение доставки"}},
		{"cancel_pending", demo.Pending, "Please cancel %s",
			map[string]string{"en": "Orders awaiting payment", "ko": "결제 대기 중인 주문", "es": "Pedidos no pagados", "ru": "Заказы, ожидающие оплаты"}},
		{"cancel_paid", demo.Paid, "Please cancel %s",
			map[string]string{"en": "Paid orders that have not shipped", "ko": "결제 완료 후 발송 전인 주문", "es": "Pedidos pagados que aún no se han enviado", "ru": "Оплаченные, но ещё не отправленные заказы"}},
		{"cancel_shipped", demo.InTransit, "Please cancel %s",
			map[string]string{"en": "Shipped orders", "ko": "발송된 주문", "es": "Pedidos enviados", "ru": "Отправленные заказы"}},
	}
	for _, tt := range tests {
		for lang, shop := range shops {
			t.Run(tt.step+"/"+lang, func(t *testing.T) {
				o := anyShopOrder(t, shop, tt.kind)
				conv := e.startChat(t, o.BuyerID, strings.Replace(tt.say, "%s", o.ID, 1))
				r := e.call(t, http.MethodGet, "/v1/seller/conversations/"+conv+"/suggestions", e.sellerToken(t, sellers[lang]), nil)
				var out suggestionsWithStep
				r.json(t, &out)
				if r.status != http.StatusOK || out.PolicyStep == nil || len(out.PolicyStep.Citations) == 0 {
					t.Fatalf("suggestions = %d %s, want a policy step", r.status, r.body)
				}
				if got, want := out.PolicyStep.Citations[0].URL, "/"+lang+"#"; !strings.Contains(got, want) {
					t.Errorf("step cites %s, want the %s page", got, lang)
				}
				var titles []string
				for _, c := range out.PolicyStep.Citations {
					titles = append(titles, c.Title)
				}
				if first := titles[0]; !strings.HasSuffix(first, "§ "+tt.section[lang]) {
					t.Errorf("step cites %q first, want § %s:\n%s", titles, tt.section[lang], out.PolicyStep.Text)
				}
			})
		}
	}
}

// anyShopOrder returns an order of shop in situation kind, whoever placed it.
func anyShopOrder(t testing.TB, shop string, kind demo.Kind) demo.Order {
	t.Helper()
	for _, o := range demo.Plan() {
		if o.ShopID == shop && o.Kind == kind {
			return o
		}
	}
	t.Fatalf("no %s order in %s", kind, shop)
	return demo.Order{}
}

// servedSearch returns the server options of a test whose seller tools
// search the policies as serve wires search_policy (with the local
// model's query expansion, which ranks passages differently from the
// plain search the tests' agent uses), with checker holding the drafts
// when it is not nil.
func servedSearch(t testing.TB, checker web.ReplyChecker) func(*web.Options) {
	t.Helper()
	return func(o *web.Options) {
		reg, err := tools.NewRegistry(discard(), tools.NewAudit(o.Pool),
			append(tools.All(tools.NewStore(o.Pool), nil), retrieval.SearchToolMulti(retrieval.NewStore(o.Pool), local.PolicyQueries))...)
		if err != nil {
			t.Fatal(err)
		}
		o.Tools = reg
		if checker != nil {
			o.Checker = checker
		}
	}
}
