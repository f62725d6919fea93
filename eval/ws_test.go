package eval

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// fakeChatServer speaks the server side of protocol v1 just enough for the
// websocket target: hello → ready, a user_message "refund" → tool, a
// confirm_request and the reply; a confirm → tool and the reply; "boom" →
// an error frame. It records the frames it read and the bearer tokens.
type fakeChatServer struct {
	mu      sync.Mutex
	frames  []map[string]any
	auth    []string
	limited int
}

func (s *fakeChatServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.auth = append(s.auth, r.Header.Get("Authorization"))
	s.mu.Unlock()
	up := websocket.Upgrader{}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer ws.Close()
	turn := 0
	for {
		var f map[string]any
		if err := ws.ReadJSON(&f); err != nil {
			return
		}
		s.mu.Lock()
		s.frames = append(s.frames, f)
		s.mu.Unlock()
		turn++
		tid := "t_" + strings.Repeat("x", turn)
		switch f["type"] {
		case "hello":
			ws.WriteJSON(map[string]any{"type": "ready", "conversation_id": "c_fake", "seq": 0, "status": "open"})
		case "user_message":
			text, _ := f["text"].(string)
			ws.WriteJSON(map[string]any{"type": "message", "role": "user", "text": text, "turn_id": tid, "id": f["id"]})
			switch text {
			case "slow down":
				if s.limited < 1 {
					s.limited++
					ws.WriteJSON(map[string]any{"type": "error", "code": "rate_limited", "message": "wait", "id": f["id"]})
					continue
				}
				ws.WriteJSON(map[string]any{"type": "message", "role": "assistant", "turn_id": tid, "text": "after the wait"})
			case "boom":
				ws.WriteJSON(map[string]any{"type": "error", "code": "unavailable", "message": "try later", "id": f["id"]})
			case "refund":
				ws.WriteJSON(map[string]any{"type": "tool", "turn_id": tid, "name": "get_order", "status": "started"})
				ws.WriteJSON(map[string]any{"type": "tool", "turn_id": tid, "name": "get_order", "status": "done"})
				ws.WriteJSON(map[string]any{"type": "confirm_request", "turn_id": tid, "action_id": "a_1", "tool": "request_refund", "summary": "a refund of 5 USD"})
				ws.WriteJSON(map[string]any{"type": "delta", "turn_id": tid, "text": "Please "})
				ws.WriteJSON(map[string]any{"type": "message", "role": "assistant", "turn_id": tid, "text": "Please confirm", "citations": []any{}, "guardrail": "pass"})
			default:
				ws.WriteJSON(map[string]any{"type": "handoff", "reason": "customer_request"})
				ws.WriteJSON(map[string]any{"type": "message", "role": "assistant", "turn_id": tid, "text": "A person will answer [refunds §Window]",
					"citations": []any{map[string]any{"doc_id": "refunds"}, "shipping"}})
			}
		case "confirm":
			ws.WriteJSON(map[string]any{"type": "tool", "turn_id": tid, "name": "request_refund", "status": "done"})
			ws.WriteJSON(map[string]any{"type": "message", "role": "assistant", "turn_id": tid, "text": "Done: RF-1", "guardrail": "pass"})
		}
	}
}

func TestWebsocketTarget(t *testing.T) {
	fake := &fakeChatServer{}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	b := &WSBackend{
		URL:         "ws" + strings.TrimPrefix(srv.URL, "http") + "/v1/chat/ws",
		Token:       func(buyer string) (string, error) { return "tok-" + buyer, nil },
		Served:      Brain{Name: BrainLocal},
		TurnTimeout: 5 * time.Second,
	}
	if _, err := b.Open(t.Context(), Brain{Name: BrainLLM, Model: "gpt"}); err == nil {
		t.Error("a local server opened a world for an LLM case")
	}
	w, err := b.Open(t.Context(), Brain{Name: BrainLocal})
	if err != nil {
		t.Fatal(err)
	}
	c, err := w.Chat(t.Context(), "buyer-007", "ko")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.ConversationID() != "c_fake" {
		t.Errorf("conversation %q, want c_fake from ready", c.ConversationID())
	}
	if _, err := c.Decide(t.Context(), true); !errors.Is(err, ErrNothingPending) {
		t.Errorf("Decide with nothing pending = %v, want ErrNothingPending", err)
	}

	r, err := c.Send(t.Context(), "refund")
	if err != nil {
		t.Fatal(err)
	}
	if r.Text != "Please confirm" || r.Guardrail != "pass" || !r.has(EventConfirm) || r.confirmAction() != "a_1" {
		t.Errorf("reply = %+v, want the assistant's message with its confirm_request", r)
	}
	names := r.toolNames()
	if len(names) != 2 || names[0].Name != "get_order" || names[1].Name != "request_refund" || names[1].Outcome != "proposed" || names[0].ArgsKnown {
		t.Errorf("tool names = %+v, want get_order then request_refund proposed, no arguments", names)
	}
	done, err := c.Decide(t.Context(), true)
	if err != nil || done.Text != "Done: RF-1" {
		t.Errorf("Decide = %+v, %v", done, err)
	}
	h, err := c.Send(t.Context(), "a person please")
	if err != nil {
		t.Fatal(err)
	}
	if !h.has(EventHandoff) || len(h.Citations) != 2 || h.Citations[0] != "refunds" || h.Citations[1] != "shipping" {
		t.Errorf("reply = %+v, want a handoff and two citations", h)
	}
	if r, err := c.Send(t.Context(), "slow down"); err != nil || r.Text != "after the wait" {
		t.Errorf("a rate-limited message = %+v, %v; want it sent again after a pause and answered", r, err)
	}
	if _, err := c.Send(t.Context(), "boom"); err == nil || !strings.Contains(err.Error(), "unavailable") {
		t.Errorf("an error frame gave %v, want an error naming its code", err)
	}

	fake.mu.Lock()
	defer fake.mu.Unlock()
	if len(fake.auth) != 1 || fake.auth[0] != "Bearer tok-buyer-007" {
		t.Errorf("authorization headers %q", fake.auth)
	}
	hello, _ := json.Marshal(fake.frames[0])
	if !strings.Contains(string(hello), `"locale":"ko"`) || !strings.Contains(string(hello), `"type":"hello"`) {
		t.Errorf("first frame %s, want a hello with the locale", hello)
	}
	var confirm map[string]any
	for _, f := range fake.frames {
		if f["type"] == "confirm" {
			confirm = f
		}
	}
	if confirm["action_id"] != "a_1" || confirm["approved"] != true {
		t.Errorf("confirm frame = %v, want action a_1 approved", confirm)
	}
}
