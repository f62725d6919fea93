package web_test

import (
	"strings"
	"testing"

	"github.com/csagent/csagent/tools/demo"
)

// "Are you a bot?" is answered honestly — an automated assistant, with a
// person on request — and the chat stays with the assistant: before, the
// question handed the chat to a person, whose card then read "Customer
// wrote: lol ur a bot right?". Asking for a person still hands it over.
func TestBotQuestionIsAnsweredNotHandedOff(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		locale, ask, honest, person string
	}{
		{"en", "hold on, is this a bot I'm chatting with?", "automated assistant", "I want a real person please"},
		{"ko", "혹시 지금 챗봇이랑 대화하는 건가요?", "자동 응답 어시스턴트", "상담원 연결해 주세요"},
		{"es", "oye, ¿tú eres un robot o qué?", "asistente automático", "quiero hablar con una persona"},
		{"ru", "а это вообще бот отвечает?", "автоматический помощник", "позовите, пожалуйста, живого человека"},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			buyer, _ := buyerWith(t, tt.locale, demo.DeliveredRecently)
			c := e.dial(t, buyer)
			ready := c.hello("", 0)
			m, frames := c.ask("q", tt.ask)
			if m.Role != "assistant" || !strings.Contains(m.Text, tt.honest) {
				t.Errorf("%q answered with %s %q, want the honest %q", tt.ask, m.Role, m.Text, tt.honest)
			}
			for _, f := range frames {
				if f.Type == "handoff" || (f.Type == "status" && f.Status != "open") {
					t.Errorf("%q handed the chat over: %+v", tt.ask, f)
				}
			}
			var handoffs int
			if err := e.pool.QueryRow(t.Context(), `SELECT count(*) FROM handoffs WHERE conversation_id = $1`, ready.ConversationID).Scan(&handoffs); err != nil {
				t.Fatal(err)
			}
			if handoffs != 0 {
				t.Errorf("%q queued %d handoffs, want none", tt.ask, handoffs)
			}

			c.ask("p", tt.person)
			if err := e.pool.QueryRow(t.Context(), `SELECT count(*) FROM handoffs WHERE conversation_id = $1`, ready.ConversationID).Scan(&handoffs); err != nil {
				t.Fatal(err)
			}
			if handoffs != 1 {
				t.Errorf("%q queued %d handoffs, want the one asked for", tt.person, handoffs)
			}
		})
	}
}
