package web_test

import (
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/internal/fakellm"
	"github.com/csagent/csagent/tools/demo"
)

// countFrames counts the frames of type typ.
func countFrames(frames []frame, typ string) int {
	n := 0
	for _, f := range frames {
		if f.Type == typ {
			n++
		}
	}
	return n
}

// A buyer who asks for a person again while the conversation already
// waits for one keeps the one request: one handoff row (one alert to the
// people who take it), and the handoff frame again, which tells the
// client the state it already shows (the conversation waits for a
// person) and which the widget sets idempotently, so a client that
// reconnected between the asks still learns it. Decided in round 9 of
// issue 14: a repeat is state, not a second request. With the local
// brain, in the four languages.
func TestHandoffAskedAgainKeepsOneRequest(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	asks := map[string][2]string{
		"en": {"can I talk to an actual person please", "hello?? still want a human here"},
		"ko": {"상담사님이랑 직접 얘기하고 싶어요", "아직이에요? 사람 연결해 달라니까요"},
		"es": {"quiero hablar con alguien de atención al cliente, una persona", "¿sigue ahí? que me pase con una persona"},
		"ru": {"переключите меня на сотрудника, пожалуйста", "ну что там? я же просил живого человека"},
	}
	for i, locale := range []string{"en", "ko", "es", "ru"} {
		t.Run(locale, func(t *testing.T) {
			c := e.dial(t, demo.BuyerID(44+i))
			ready := c.hello("", 0)
			_, first := c.ask("1", asks[locale][0])
			_, second := c.ask("2", asks[locale][1])
			if n := countFrames(first, "handoff"); n != 1 {
				t.Errorf("%q: %d handoff frames, want 1", asks[locale][0], n)
			}
			if n := countFrames(second, "handoff"); n != 1 {
				t.Errorf("%q while waiting: %d handoff frames, want 1 (the state again)", asks[locale][1], n)
			}
			if n := e.count(t, `SELECT count(*) FROM handoffs WHERE conversation_id = $1`, ready.ConversationID); n != 1 {
				t.Errorf("%d handoffs, want 1", n)
			}
		})
	}
}

// The same with a model that calls handoff_to_human again on its own: the
// call succeeds, the one request stands (its first reason and summary
// kept), and the frame tells the state again.
func TestHandoffCalledAgainByTheLLM(t *testing.T) {
	t.Parallel()
	fake, e := newLLMEnv(t, agent.Config{})
	fake.Push(
		fakellm.Call("handoff_to_human", map[string]any{"reason": "customer_request", "summary": "wants a person"}),
		fakellm.Text("A person will reply here."),
		fakellm.Call("handoff_to_human", map[string]any{"reason": "complaint", "summary": "still waiting, upset"}),
		fakellm.Text("A person will reply here as soon as possible."),
	)
	c := e.dial(t, demo.BuyerID(48))
	ready := c.hello("", 0)
	_, first := c.ask("1", "a person please")
	_, second := c.ask("2", "why is nobody here yet")
	if n := countFrames(first, "handoff"); n != 1 {
		t.Errorf("first handoff: %d handoff frames, want 1", n)
	}
	if !hasTool(second, "handoff_to_human", "done") {
		t.Errorf("second call: frames %+v, want handoff_to_human done", second)
	}
	if n := countFrames(second, "handoff"); n != 1 {
		t.Errorf("second handoff_to_human while waiting: %d handoff frames, want 1", n)
	}
	if n := e.count(t, `SELECT count(*) FROM handoffs WHERE conversation_id = $1 AND reason = 'customer_request'`, ready.ConversationID); n != 1 {
		t.Errorf("%d handoffs kept with the first reason, want 1 (and no second)", n)
	}
	if n := e.count(t, `SELECT count(*) FROM handoffs WHERE conversation_id = $1`, ready.ConversationID); n != 1 {
		t.Errorf("%d handoffs, want 1", n)
	}
}
