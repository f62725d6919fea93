package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/csagent/csagent/internal/fakellm"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

// An angry buyer whose delivered parcel never came asks for a person. The
// summaries the people taking over read are written from the
// conversation's state — the order, the missing delivery, what was tried,
// that the buyer is upset — in each reader's language: Korean for the
// Korean shop, English for platform support. Whichever brain answered and
// whatever the model put in its summary ("customer wants a human"), never
// only the buyer's last message; another shop reads none of it. The buyer
// is told sorry and what happens next.
func TestEscalationSummaryFromState(t *testing.T) {
	t.Parallel()
	o, seller := shopOrder(t, "shop-hangang", "ko", demo.DeliveredRecently)
	said := []string{"배송완료라는데 이어폰 못 받았어요 " + o.ID, "아니 그건 이미 다 확인했다고요 진짜 화나네", "상담원 연결해 주세요"}
	read := func(t *testing.T, e *env, conv, tok string) (conversationBody, int) {
		t.Helper()
		r := e.call(t, http.MethodGet, "/v1/seller/conversations/"+conv, tok, nil)
		var out conversationBody
		if r.status == http.StatusOK {
			r.json(t, &out)
		}
		return out, r.status
	}
	check := func(t *testing.T, e *env, conv string) {
		t.Helper()
		shop, status := read(t, e, conv, e.sellerToken(t, seller))
		if status != http.StatusOK || shop.Conversation.HandoffReason == "" {
			t.Fatalf("conversation = %d, want an escalated one", status)
		}
		s := shop.Conversation.HandoffSummary
		for _, w := range []string{"주문 " + o.ID, "받지 못했습니다", "배송 조회: 완료", "화가 났습니다"} {
			if !strings.Contains(s, w) {
				t.Errorf("the shop's summary lacks %q: %s", w, s)
			}
		}
		for _, w := range []string{"customer wants a human", "Reason:", "The customer wrote"} {
			if strings.Contains(s, w) {
				t.Errorf("the shop's summary has %q, not the state: %s", w, s)
			}
		}
		support, _ := read(t, e, conv, e.token(t, tools.RoleSupport, demo.SupportID))
		s = support.Conversation.HandoffSummary
		for _, w := range []string{"Order " + o.ID, "has not received the order", "Tried by the assistant: shipment tracked: done", "upset"} {
			if !strings.Contains(s, w) {
				t.Errorf("support's summary lacks %q: %s", w, s)
			}
		}
		other, status := read(t, e, conv, e.sellerToken(t, "seller-taiga"))
		if status == http.StatusOK && strings.Contains(other.Conversation.HandoffSummary, o.ID) {
			t.Errorf("another shop reads the summary: %+v", other.Conversation)
		}
	}

	t.Run("local", func(t *testing.T) {
		e := newEnv(t)
		c := e.dial(t, o.BuyerID)
		ready := c.hello("", 0)
		var last frame
		for i, text := range said {
			last, _ = c.ask(string(rune('a'+i)), text)
		}
		reply := last.Text
		if !strings.Contains(reply, "죄송") || !strings.Contains(reply, "최대한 빨리") {
			t.Errorf("handoff reply = %q, want an apology and what happens next", reply)
		}
		check(t, e, ready.ConversationID)
	})

	t.Run("llm", func(t *testing.T) {
		e, fake := scriptedLLMEnv(t)
		fake.Push(
			fakellm.Call("track_shipment", map[string]any{"order_id": o.ID}),
			fakellm.Text("배송 완료로 표시되어 있습니다."),
			fakellm.Text("확인해 보겠습니다."),
			fakellm.Call("handoff_to_human", map[string]any{"reason": "customer_request", "summary": "customer wants a human"}),
			fakellm.Text("상담원을 연결해 드렸습니다."),
		)
		check(t, e, e.startChat(t, o.BuyerID, said...))
	})
}
