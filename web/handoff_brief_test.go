package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

// conversationBody is the seller's view of one conversation, the card's
// fields.
type conversationBody struct {
	Conversation struct {
		HandoffReason  string   `json:"handoff_reason"`
		HandoffSummary string   `json:"handoff_summary"`
		HandoffBrief   []string `json:"handoff_brief"`
	} `json:"conversation"`
}

// The escalation card tells the person taking over, in their own
// language, which order, what the problem is, what the buyer wants, where
// the policy stands and what was tried, with the buyer's words: before, a
// seller read "Reason: customer_request. Order: ORD-…. The customer wrote:
// "상담원 연결해 주세요"" — the last words, in a language the seller may
// not read. Another shop's order the buyer mentions stays out of the
// shop's card.
func TestEscalationCardBriefsTheReader(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		name, buyer, seller string
		say                 []string
		want, dont          []string
	}{{
		name: "a Korean buyer, an English seller", buyer: "buyer-002", seller: "seller-maple",
		say: []string{"ORD-10202 재킷 지퍼가 고장 났어요. 환불해 주세요", "상담원 연결해 주세요"},
		want: []string{"Order ORD-10202.", "Delivered on ", "Problem: the item is damaged or does not work.",
			"The buyer wants: a refund.", "the refund window ended on", "a dispute is possible until", "Tried by the assistant:", "지퍼가 고장"},
	}, {
		name: "a Spanish buyer, a Korean seller", buyer: "buyer-043", seller: "seller-hangang",
		say:  []string{"Me llegó un artículo equivocado en el pedido ORD-10293, quiero un cambio", "quiero hablar con una persona"},
		want: []string{"주문 ORD-10293", "문제: 구매자가 다른 상품을 받았습니다.", "구매자 요청: 교환.", "처리 내역:", "artículo equivocado"},
		dont: []string{"Problem:", "The buyer wants"},
	}, {
		// Tracking says delivered: the step is the neighbours, then
		// support; before, the card said "inside the refund window".
		name: "a parcel marked delivered that a Russian buyer cannot find, a Korean seller", buyer: "buyer-008", seller: "seller-hangang",
		say:  []string{"Заказ ORD-10208 отмечен как доставленный, но я его не получил", "Позовите оператора"},
		want: []string{"주문 ORD-10208", "'상품 미수령' 분쟁은 신청할 수 없습니다", "이웃이나 건물 관리실"},
		dont: []string{"환불 가능 기간 내"},
	}, {
		// An open dispute is where the order stands; before, the card
		// said the refund window was open and never named it.
		name: "an order in dispute, a Russian buyer and seller", buyer: "buyer-004", seller: "seller-taiga",
		say:  []string{"Товар из заказа ORD-10054 сломан, что там со спором?", "Позовите человека"},
		want: []string{"Заказ ORD-10054", "открыт спор DSP-", "продавец должен ответить до"},
		dont: []string{"срок возврата ещё идёт"},
	}, {
		// A confirmed action is told once: before, "disputa: hecho;
		// disputa: hecho" (the action and its call).
		name: "a dispute the buyer confirmed, a Spanish buyer and seller", buyer: "buyer-007", seller: "seller-sol",
		say:  []string{"Mi pedido ORD-10157 no ha llegado, quiero abrir una disputa", "sí", "quiero hablar con una persona"},
		want: []string{"Lo que hizo el asistente: disputa: hecho.", "la disputa DSP-"},
		dont: []string{"hecho; disputa: hecho"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conv := e.startChat(t, tt.buyer, tt.say...)
			r := e.call(t, http.MethodGet, "/v1/seller/conversations/"+conv, e.sellerToken(t, tt.seller), nil)
			var out conversationBody
			r.json(t, &out)
			if r.status != http.StatusOK || out.Conversation.HandoffReason == "" {
				t.Fatalf("conversation = %d %s, want an escalated one", r.status, r.body)
			}
			brief := strings.Join(out.Conversation.HandoffBrief, "\n")
			for _, w := range tt.want {
				if !strings.Contains(brief, w) {
					t.Errorf("brief lacks %q:\n%s", w, brief)
				}
			}
			for _, w := range tt.dont {
				if strings.Contains(brief, w) {
					t.Errorf("brief says %q, not in the reader's language:\n%s", w, brief)
				}
			}
		})
	}

	// Support reads the brief in their language too, over any shop.
	conv := e.startChat(t, "buyer-001", "ORD-10201 arrived broken, I want my money back", "let me talk to a human")
	tok := e.token(t, tools.RoleSupport, demo.SupportID)
	r := e.call(t, http.MethodGet, "/v1/seller/conversations/"+conv, tok, nil)
	var out conversationBody
	r.json(t, &out)
	if brief := strings.Join(out.Conversation.HandoffBrief, "\n"); !strings.Contains(brief, "Order ORD-10201") || !strings.Contains(brief, "a refund") || !strings.Contains(brief, "refund: waiting for the buyer's confirmation") {
		t.Errorf("support's brief:\n%s\n(%d %s)", brief, r.status, r.body)
	}
}
