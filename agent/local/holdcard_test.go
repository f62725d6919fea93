package local

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// genPending is gen with actions waiting for the buyer's confirmation.
func genPending(t *testing.T, m *Model, locale string, pending []agent.PendingAction, msgs ...agent.Message) agent.Message {
	t.Helper()
	resp, err := m.Generate(t.Context(), agent.Request{Messages: msgs, Tools: allTools, Locale: locale, Pending: pending}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return resp.Message
}

// waiting is one card waiting: the tool's preview of action on order,
// for amount minor units of cur.
func waiting(t *testing.T, tool, action, order string, minor int64, cur string) []agent.PendingAction {
	t.Helper()
	p, err := json.Marshal(tools.ActionPreview{Action: action, OrderID: order, Amount: &tools.Money{Minor: minor, Currency: cur}})
	if err != nil {
		t.Fatal(err)
	}
	return []agent.PendingAction{{ID: "a_1", Tool: tool, Details: p}}
}

// "Wait", "un momento", "погодите", "잠깐만요" while a card waits keep the
// card: the reply says nothing was done and names the card's order and
// amount, and calls no tool; a hold that also calls the request off, and
// a hold with nothing waiting, are not answered so.
func TestHoldKeepsTheCard(t *testing.T) {
	m := newModel(t)
	tests := []struct {
		name, locale, text, tool, action, order string
		minor                                   int64
		cur, amount                             string
		hold                                    bool
	}{
		{"en hold on", "en", "hold on a sec", "cancel_order", "cancel", "ORD-20310", 11350, "USD", "$113.50", true},
		{"en let me ask", "en", "wait, let me ask my husband first", "request_refund", "refund", "ORD-20311", 2400, "USD", "$24.00", true},
		{"es momento", "es", "un momento porfa", "cancel_order", "cancel", "ORD-20312", 4800, "EUR", "48,00", true},
		{"es pensar", "es", "espere, déjeme pensarlo", "request_refund", "refund", "ORD-20313", 3200, "EUR", "32,00", true},
		{"ru погодите", "ru", "погодите", "cancel_order", "cancel", "ORD-20314", 890000, "RUB", "8 900", true},
		{"ru latin", "ru", "podozhdite minutku", "request_refund", "refund", "ORD-20315", 180000, "RUB", "1 800", true},
		{"ko 잠깐", "ko", "잠깐만요", "cancel_order", "cancel", "ORD-20316", 59000, "KRW", "59,000", true},
		{"ko 물어볼게", "ko", "잠시만요 남편한테 물어볼게요", "request_refund", "refund", "ORD-20317", 39000, "KRW", "39,000", true},
		{"en hold and drop", "en", "wait no, don't cancel it", "cancel_order", "cancel", "ORD-20318", 11350, "USD", "", false},
		{"ru hold and drop", "ru", "погодите, не отменяйте", "cancel_order", "cancel", "ORD-20319", 890000, "RUB", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pending := waiting(t, tt.tool, tt.action, tt.order, tt.minor, tt.cur)
			asked := map[string]string{"en": "please cancel %s", "es": "cancele el pedido %s por favor", "ru": "отмените заказ %s", "ko": "%s 주문 취소해 주세요"}[tt.locale]
			if tt.action == "refund" {
				asked = map[string]string{"en": "refund %s please", "es": "quiero el reembolso del pedido %s", "ru": "верните деньги за заказ %s", "ko": "%s 환불해 주세요"}[tt.locale]
			}
			msg := genPending(t, m, tt.locale, pending, user(fmt.Sprintf(asked, tt.order)), agent.Message{Role: agent.RoleAssistant, Content: "card"}, user(tt.text))
			held := len(msg.ToolCalls) == 0 && strings.Contains(msg.Content, tt.order) && tt.amount != "" && strings.Contains(msg.Content, tt.amount)
			if held != tt.hold {
				t.Errorf("%q with %s %s waiting: %s; want the card kept (%v)", tt.text, tt.tool, tt.order, describe(msg), tt.hold)
			}
		})
	}
	// Nothing waiting: "wait" is no hold.
	d := &dialogue{locale: "en", text: "wait"}
	if d.holdsCard() {
		t.Errorf("holdsCard(%q) with nothing waiting = true, want false", d.text)
	}
}

// A Russian "не" typed without its space still calls the card off
// ("неотменяйте", "неоформляйте возврат"); words that only begin with
// "не" do not.
func TestGluedNotWithdraws(t *testing.T) {
	c := NewConfirmations(newModel(t).nlu)
	for _, tt := range []struct {
		text string
		no   bool
	}{
		{"неотменяйте", true},
		{"неоформляйте возврат пожалуйста", true},
		{"ненадо ничего", true},
		{"неделю назад пришёл", false},
		{"нет, всё верно, оформляйте", false},
	} {
		if _, no := c.Confirmation(tt.text, "ru"); no != tt.no {
			t.Errorf("Confirmation(%q) no = %v, want %v (unglued %q)", tt.text, no, tt.no, unglued(tt.text))
		}
	}
}

// A cancellation asked by the order's number with goods named only in the
// reason ("my wife already bought the same jacket") cancels the whole
// order; goods named in the clause that cancels, or restricted, still get
// "only a whole order can be cancelled". Dictated punctuation parts the
// clauses.
func TestReasonOnlyGoodsCancelsTheOrder(t *testing.T) {
	m := newModel(t)
	o := tools.Order{ID: "ORD-20320", Status: "paid", Total: tools.Money{Minor: 11350, Currency: "USD"}, Items: []tools.Item{
		{Line: 1, Name: "Waterproof rain jacket", Quantity: 1}, {Line: 2, Name: "Merino wool socks (3 pack)", Quantity: 1}}}
	data, _ := json.Marshal(o)
	tests := []struct {
		locale, text string
		whole        bool
	}{
		{"en", "please cancel order ORD-20320 period my sister gave me the same jacket period", true},
		{"en", "I want to cancel order ORD-20320, my brother got me the same jacket for my birthday", true},
		{"es", "quiero cancelar el pedido ORD-20320, ya me regalaron la chaqueta", true},
		{"ru", "прошу отменить заказ ORD-20320, куртку уже купила жена", true},
		{"en", "cancel the jacket from order ORD-20320", false},
		{"en", "cancel order ORD-20320 but only the jacket", false},
	}
	for _, tt := range tests {
		history := append([]agent.Message{user(tt.text)}, toolMsgs("get_order", `{"order_id":"ORD-20320"}`, agent.ToolResult{OK: true, Data: data})...)
		msg := gen(t, m, tt.locale, history...)
		whole := len(msg.ToolCalls) == 1 && msg.ToolCalls[0].Name == "cancel_order" && orderIDIn(msg.ToolCalls[0].Arguments) == "ORD-20320"
		if whole != tt.whole {
			t.Errorf("%s %q: %s; want the whole order cancelled: %v", tt.locale, tt.text, describe(msg), tt.whole)
		}
	}
}

// A "no" beside an instruction to go ahead answers something else, not
// the card: it is no clear no, in any language; a no alone still is.
func TestNoBesideGoAhead(t *testing.T) {
	c := NewConfirmations(newModel(t).nlu)
	for _, tt := range []struct {
		locale, text string
		no           bool
	}{
		{"en", "no no, all fine, go ahead", false},
		{"es", "no, todo bien, adelante", false},
		{"ru", "нет-нет, всё правильно, оформляйте", false},
		{"ru", "нет, всё верно, оформляйте", false},
		{"en", "no", true},
		{"ru", "нет", true},
		{"es", "no, gracias", true},
		{"en", "no, don't go ahead", true},
	} {
		if _, no := c.Confirmation(tt.text, tt.locale); no != tt.no {
			t.Errorf("Confirmation(%q, %s) no = %v, want %v", tt.text, tt.locale, no, tt.no)
		}
	}
}
