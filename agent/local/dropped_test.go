package local

import (
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
)

// A request the buyer takes back before anything was proposed (the model
// was still asking what the problem is) is answered as taken back, with
// its order named and nothing called; the buyer's check that nothing
// happened then says nothing was done, and proposes nothing.
func TestRequestTakenBackBeforeAProposal(t *testing.T) {
	m := newModel(t)
	tests := []struct{ locale, ask, back, check string }{
		{"en", "I want to open a dispute for ORD-10001", "eh forget it, I'll keep it", "so nothing was opened?"},
		{"ko", "ORD-10001 분쟁 신청하고 싶어요", "아 그냥 없던 걸로 할게요", "그럼 아무것도 접수 안 된 거죠?"},
		{"es", "quiero abrir una disputa por el ORD-10001", "mejor no, olvídalo", "o sea que no se abrió nada, ¿verdad?"},
		{"ru", "хочу открыть спор по заказу ORD-10001", "хотя нет, забудьте", "значит ничего не открыто?"},
	}
	for _, tt := range tests {
		history := []agent.Message{user(tt.ask), {Role: agent.RoleAssistant, Content: render(tt.locale, "ask_dispute_reason", "ORD-10001")}, user(tt.back)}
		msg := gen(t, m, tt.locale, history...)
		if len(msg.ToolCalls) > 0 || msg.Content != render(tt.locale, "withdrawn_order", "ORD-10001") {
			t.Errorf("%s %q: %s, want it taken back for ORD-10001", tt.locale, tt.back, describe(msg))
		}
		history = append(history, msg, user(tt.check))
		msg = gen(t, m, tt.locale, history...)
		if len(msg.ToolCalls) > 0 || !strings.Contains(msg.Content, "ORD-10001") || msg.Content == render(tt.locale, "clarify") {
			t.Errorf("%s %q: %s, want that nothing was done to ORD-10001", tt.locale, tt.check, describe(msg))
		}
	}
}

// A proposal shown again as declined is no reason to say nothing was done
// about another order, nor to answer a new request with it: "and cancel
// ORD-10002" after calling off ORD-10001's cancellation is served.
func TestCalledOffActionLeavesNewRequestsAlone(t *testing.T) {
	m := newModel(t)
	declined := agent.ToolResult{OK: true, PendingConfirmation: true, Decision: "declined", Data: []byte(`{"order_id":"ORD-10001"}`)}
	for _, tt := range []struct{ locale, next string }{
		{"en", "ok, then please cancel ORD-10002 instead"},
		{"ru", "хорошо, тогда отмените заказ ORD-10002"},
	} {
		history := append([]agent.Message{user("cancel ORD-10001")}, toolMsgs("cancel_order", `{"order_id":"ORD-10001"}`, declined)...)
		history = append(history, agent.Message{Role: agent.RoleAssistant, Content: "Called off."}, user(tt.next))
		msg := gen(t, m, tt.locale, history...)
		if len(msg.ToolCalls) != 1 || msg.ToolCalls[0].Name != "cancel_order" || orderIDIn(msg.ToolCalls[0].Arguments) != "ORD-10002" {
			t.Errorf("%s %q: %s, want cancel_order for ORD-10002", tt.locale, tt.next, describe(msg))
		}
	}
}
