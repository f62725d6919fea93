package web_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

// turnBody is the answer to an HTTP message or decision.
type turnBody struct {
	ConversationID string            `json:"conversation_id"`
	TurnID         string            `json:"turn_id"`
	Duplicate      bool              `json:"duplicate"`
	Status         string            `json:"status"`
	Message        *frame            `json:"message"`
	Reply          *frame            `json:"reply"`
	Events         []json.RawMessage `json:"events"`
}

func (e *env) newConversation(t *testing.T, token string) string {
	t.Helper()
	r := e.call(t, http.MethodPost, "/v1/conversations", token, nil)
	var out struct {
		ConversationID string `json:"conversation_id"`
		Status         string `json:"status"`
	}
	r.json(t, &out)
	if r.status != http.StatusCreated || out.ConversationID == "" || out.Status != "open" {
		t.Fatalf("POST /v1/conversations = %d %s", r.status, r.body)
	}
	return out.ConversationID
}

// The HTTP API runs the same turn as the websocket: a message is answered
// in the response with its tool events, a resent id gets the same reply,
// a refund is confirmed with a decision, and the transcript pages.
func TestHTTPConversation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	buyer, order := buyerWith(t, "en", demo.DeliveredRecently)
	tok := e.buyerToken(t, buyer)
	conv := e.newConversation(t, tok)
	path := "/v1/conversations/" + conv

	r := e.call(t, http.MethodPost, path+"/messages", tok, map[string]string{"id": "m1", "text": "I want a refund for " + order + ", it arrived damaged"})
	var first turnBody
	r.json(t, &first)
	if r.status != http.StatusOK || first.Message == nil || first.Message.Seq != 1 || first.Reply == nil || first.Reply.Seq != 2 {
		t.Fatalf("POST message = %d %s", r.status, r.body)
	}
	var actionID string
	for _, ev := range first.Events {
		var f frame
		json.Unmarshal(ev, &f)
		if f.Type == "confirm_request" {
			actionID = f.ActionID
		}
	}
	if actionID == "" {
		t.Fatalf("events %s, want a confirm_request", r.body)
	}

	again := e.call(t, http.MethodPost, path+"/messages", tok, map[string]string{"id": "m1", "text": "I want a refund for " + order + ", it arrived damaged"})
	var dup turnBody
	again.json(t, &dup)
	if !dup.Duplicate || dup.Reply == nil || dup.Reply.Seq != first.Reply.Seq {
		t.Errorf("resent id answered %s, want the first reply again", again.body)
	}

	r = e.call(t, http.MethodPost, path+"/confirm", tok, map[string]any{"action_id": actionID, "approved": true})
	var done turnBody
	r.json(t, &done)
	if r.status != http.StatusOK || done.Reply == nil || !strings.Contains(done.Reply.Text, "RF-") {
		t.Fatalf("confirm = %d %s, want the refund named", r.status, r.body)
	}
	if n, _ := e.refunds(t, order); n != 1 {
		t.Errorf("%d refunds after one confirmation", n)
	}

	r = e.call(t, http.MethodGet, path+"/messages?after=1&limit=2", tok, nil)
	var page struct {
		ConversationID string  `json:"conversation_id"`
		Seq            int64   `json:"seq"`
		Status         string  `json:"status"`
		Messages       []frame `json:"messages"`
		More           bool    `json:"more"`
		Pending        []frame `json:"pending"`
	}
	r.json(t, &page)
	if r.status != http.StatusOK || len(page.Messages) != 2 || page.Messages[0].Seq != 2 || !page.More || page.Seq != 4 || len(page.Pending) != 0 {
		t.Errorf("transcript page = %d %s", r.status, r.body)
	}
	if page.Messages[0].Role != "assistant" {
		t.Errorf("first message after seq 1 is %+v", page.Messages[0])
	}
}

// With Accept: text/event-stream the turn streams as Server-Sent Events
// carrying the websocket's frames, ending with "done".
func TestHTTPMessageStreamsServerSentEvents(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := orderWithKind(t, demo.InTransit)
	tok := e.buyerToken(t, o.BuyerID)
	conv := e.newConversation(t, tok)
	r := e.call(t, http.MethodPost, "/v1/conversations/"+conv+"/messages", tok,
		map[string]string{"id": "s1", "text": "where is my order " + o.ID}, "Accept", "text/event-stream")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("SSE answer %d %q", r.status, r.header.Get("Content-Type"))
	}
	type event struct {
		name string
		data frame
	}
	var events []event
	sc := bufio.NewScanner(bytes.NewReader(r.body))
	var name string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			var f frame
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &f); err != nil {
				t.Fatalf("event %s data is not JSON: %v", name, err)
			}
			events = append(events, event{name, f})
		}
	}
	// The reply streams first as checked deltas, sentence by sentence;
	// together they are the stored reply.
	var names []string
	var streamed strings.Builder
	for _, ev := range events {
		if ev.name == "delta" {
			streamed.WriteString(ev.data.Text)
			continue
		}
		names = append(names, ev.name)
	}
	events = slices.DeleteFunc(events, func(ev event) bool { return ev.name == "delta" })
	got := strings.Join(names, ",")
	if got != "tool,tool,message,message,done" {
		t.Fatalf("events %s (deltas aside), want tool,tool,message,message,done", got)
	}
	if reply := events[3].data; strings.TrimSpace(streamed.String()) != reply.Text || reply.Guardrail != "pass" {
		t.Errorf("deltas %q, then reply %q with guardrail %q; want the deltas to make the passed reply", streamed.String(), reply.Text, reply.Guardrail)
	}
	if events[0].data.Type != "tool" || events[0].data.Name != "get_order" || events[1].data.Status != "done" {
		t.Errorf("tool events %+v", events[:2])
	}
	if events[2].data.Role != "user" || events[3].data.Role != "assistant" || !strings.Contains(events[3].data.Text, o.ID) {
		t.Errorf("message events %+v, %+v", events[2].data, events[3].data)
	}
}

// Whatever a client sends, the API answers with a coded error, never a
// crash, and stores nothing it refused. Another buyer's conversation is not
// found, the same as one that does not exist.
func TestHTTPRefusesBadInputAndOtherBuyers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	buyer := demo.BuyerID(2)
	tok := e.buyerToken(t, buyer)
	conv := e.newConversation(t, tok)
	mine := "/v1/conversations/" + conv
	theirs := "/v1/conversations/" + e.newConversation(t, e.buyerToken(t, demo.BuyerID(3)))
	seller := e.sellerToken(t, "seller-maple")
	expired, err := e.auth.Mint(tools.RoleBuyer, buyer, time.Minute, time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	otherAuth, err := web.NewAuth([]byte("another-secret-another-secret-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	forged, err := otherAuth.Mint(tools.RoleBuyer, buyer, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, method, path, token string
		body                      any
		header                    []string
		status                    int
		code                      string
	}{
		{"no token", "POST", mine + "/messages", "", `{"id":"a","text":"hi"}`, nil, 401, "unauthorized"},
		{"seller token", "POST", mine + "/messages", seller, `{"id":"a","text":"hi"}`, nil, 401, "unauthorized"},
		{"expired token", "POST", mine + "/messages", expired, `{"id":"a","text":"hi"}`, nil, 401, "unauthorized"},
		{"forged token", "GET", mine + "/messages", forged, nil, nil, 401, "unauthorized"},
		{"seller rating", "POST", mine + "/rating", seller, `{"thumbs":"up"}`, nil, 401, "unauthorized"},
		{"forged rating", "POST", mine + "/rating", forged, `{"thumbs":"up"}`, nil, 401, "unauthorized"},
		{"seller transcript", "GET", mine + "/messages", seller, nil, nil, 401, "unauthorized"},
		{"deep nesting", "POST", mine + "/messages", tok, `{"id":"a","text":` + strings.Repeat("[", 12000) + strings.Repeat("]", 12000) + `}`, nil, 400, "invalid"},
		{"text not a string", "POST", mine + "/messages", tok, `{"id":"a","text":{"t":"hi"}}`, nil, 400, "invalid"},
		{"approved not a boolean", "POST", mine + "/confirm", tok, `{"action_id":"a_x","approved":"yes"}`, nil, 400, "invalid"},
		{"wrong method", "PUT", mine + "/messages", tok, `{"id":"a","text":"hi"}`, nil, 400, "invalid"},
		{"SSE past validation", "POST", mine + "/messages", tok, `{"id":"","text":"hi"}`, []string{"Accept", "text/event-stream"}, 400, "invalid"},
		{"malformed JSON", "POST", mine + "/messages", tok, `{"id":"a",`, nil, 400, "invalid"},
		{"not an object", "POST", mine + "/messages", tok, `["hi"]`, nil, 400, "invalid"},
		{"unknown field", "POST", mine + "/messages", tok, `{"id":"a","text":"hi","admin":true}`, nil, 400, "invalid"},
		{"wrong type", "POST", mine + "/messages", tok, `{"id":1,"text":"hi"}`, nil, 400, "invalid"},
		{"two objects", "POST", mine + "/messages", tok, `{"id":"a","text":"hi"}{"id":"b","text":"hi"}`, nil, 400, "invalid"},
		{"empty body", "POST", mine + "/messages", tok, ``, nil, 400, "invalid"},
		{"oversized body", "POST", mine + "/messages", tok, `{"id":"a","text":"` + strings.Repeat("a", 70<<10) + `"}`, nil, 400, "invalid"},
		{"text over 4000 characters", "POST", mine + "/messages", tok, map[string]string{"id": "a", "text": strings.Repeat("가", 4001)}, nil, 400, "invalid"},
		{"no id", "POST", mine + "/messages", tok, map[string]string{"text": "hi"}, nil, 400, "invalid"},
		{"id too long", "POST", mine + "/messages", tok, map[string]string{"id": strings.Repeat("i", 129), "text": "hi"}, nil, 400, "invalid"},
		{"NUL in text", "POST", mine + "/messages", tok, `{"id":"a","text":"hi\u0000there"}`, nil, 400, "invalid"},
		{"NUL in id", "POST", mine + "/messages", tok, `{"id":"a\u0000b","text":"hi"}`, nil, 400, "invalid"},
		{"NUL in locale", "POST", mine + "/messages", tok, `{"id":"a","text":"hi","locale":"e\u0000n"}`, nil, 400, "invalid"},
		{"text not UTF-8", "POST", mine + "/messages", tok, []byte("{\"id\":\"u\",\"text\":\"\xff\xfe\"}"), nil, 400, "invalid"},
		{"NUL in action_id", "POST", mine + "/confirm", tok, `{"action_id":"a_\u0000","approved":true}`, nil, 400, "invalid"},
		{"NUL in the address", "GET", "/v1/conversations/c%00x/messages", tok, nil, nil, 400, "invalid"},
		{"address not UTF-8", "POST", "/v1/conversations/c%ff/messages", tok, map[string]string{"id": "a", "text": "hi"}, nil, 400, "invalid"},
		{"NUL in a query", "GET", mine + "/messages?after=%00", tok, nil, nil, 400, "invalid"},
		{"form body", "POST", mine + "/messages", tok, `id=a&text=hi`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 400, "invalid"},
		{"decision without approved", "POST", mine + "/confirm", tok, map[string]string{"action_id": "a_x"}, nil, 400, "invalid"},
		{"decision on nothing", "POST", mine + "/confirm", tok, map[string]any{"action_id": "a_nothing0000000", "approved": true}, nil, 404, "not_found"},
		{"bad after", "GET", mine + "/messages?after=-1", tok, nil, nil, 400, "invalid"},
		{"bad limit", "GET", mine + "/messages?limit=100000", tok, nil, nil, 400, "invalid"},
		{"their transcript", "GET", theirs + "/messages", tok, nil, nil, 404, "not_found"},
		{"message to theirs", "POST", theirs + "/messages", tok, map[string]string{"id": "a", "text": "hi"}, nil, 404, "not_found"},
		{"decision in theirs", "POST", theirs + "/confirm", tok, map[string]any{"action_id": "a_x", "approved": true}, nil, 404, "not_found"},
		{"rating theirs", "POST", theirs + "/rating", tok, map[string]any{"thumbs": "up"}, nil, 404, "not_found"},
		{"made-up id", "GET", "/v1/conversations/c_doesnotexist0000000/messages", tok, nil, nil, 404, "not_found"},
		{"hostile id", "GET", "/v1/conversations/%27%3B%20DROP%20TABLE%20messages%3B--/messages", tok, nil, nil, 404, "not_found"},
		{"very long id", "GET", "/v1/conversations/" + strings.Repeat("c", 500) + "/messages", tok, nil, nil, 404, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.call(t, tt.method, tt.path, tt.token, tt.body, tt.header...)
			if r.status != tt.status || r.errorCode() != tt.code {
				t.Errorf("%s %s = %d %s, want %d %s", tt.method, tt.path, r.status, r.body, tt.status, tt.code)
			}
		})
	}
	if got := metric(t, e.metrics, "csagent_web_limited_total", "limit", "body_size"); got != 1 {
		t.Errorf("counted %v oversized bodies, want 1", got)
	}
	var n int
	if err := e.pool.QueryRow(t.Context(), `SELECT count(*) FROM messages`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d messages stored from refused requests", n)
	}
}

// A buyer rates a conversation with thumbs, CSAT and a comment of up to
// 1000 characters (not bytes); rating again replaces the rating.
func TestRating(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	buyer := demo.BuyerID(1)
	tok := e.buyerToken(t, buyer)
	conv := e.newConversation(t, tok)
	path := "/v1/conversations/" + conv + "/rating"
	// Nothing to rate before a reply: ratings cannot be stuffed on empty
	// conversations.
	if r := e.call(t, http.MethodPost, path, tok, map[string]any{"thumbs": "down"}); r.status != http.StatusConflict {
		t.Errorf("rating an unanswered conversation = %d %s, want 409", r.status, r.body)
	}
	if r := e.call(t, http.MethodPost, "/v1/conversations/"+conv+"/messages", tok, map[string]any{"id": "1", "text": "hello"}); r.status >= 300 {
		t.Fatalf("send = %d %s", r.status, r.body)
	}
	tests := []struct {
		name   string
		body   any
		status int
	}{
		{"thumbs, csat and comment", map[string]any{"thumbs": "up", "csat": 5, "comment": "<b>great</b> help"}, 200},
		{"1000 Korean characters", map[string]any{"comment": strings.Repeat("좋", 1000)}, 200},
		{"only csat", map[string]any{"csat": 2}, 200},
		{"1001 characters", map[string]any{"comment": strings.Repeat("좋", 1001)}, 400},
		{"sideways thumbs", map[string]any{"thumbs": "sideways"}, 400},
		{"csat 0", map[string]any{"csat": 0}, 400},
		{"csat 6", map[string]any{"csat": 6}, 400},
		{"csat not a number", `{"csat":"5"}`, 400},
		{"nothing", map[string]any{"comment": "   "}, 400},
		{"control characters", map[string]any{"comment": "hi\u0007"}, 400},
		{"not JSON", `{"thumbs":`, 400},
		{"unknown field", map[string]any{"thumbs": "up", "stars": 5}, 400},
		{"csat a fraction", `{"csat":4.5}`, 400},
		{"thumbs not a string", `{"thumbs":true}`, 400},
		{"array", `[{"thumbs":"up"}]`, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.call(t, http.MethodPost, path, tok, tt.body)
			if r.status != tt.status {
				t.Errorf("rating %v = %d %s, want %d", tt.body, r.status, r.body, tt.status)
			}
		})
	}
	var thumbs *string
	var csat *int
	var comment string
	if err := e.pool.QueryRow(t.Context(), `SELECT thumbs, csat, comment FROM ratings WHERE conversation_id = $1 AND buyer_id = $2`,
		conv, buyer).Scan(&thumbs, &csat, &comment); err != nil {
		t.Fatal(err)
	}
	if thumbs != nil || csat == nil || *csat != 2 || comment != "" {
		t.Errorf("stored rating %v %v %q, want the last one: csat 2 only", thumbs, csat, comment)
	}
	if got := metric(t, e.metrics, "csagent_ratings_total", "thumbs", "up"); got != 1 {
		t.Errorf("counted %v thumbs up, want 1", got)
	}
}

// sseEvent is one Server-Sent Event of a turn's stream.
type sseEvent struct {
	name string
	data frame
}

// sseEvents parses an event stream whose data are frames.
func sseEvents(t *testing.T, body []byte) []sseEvent {
	t.Helper()
	var out []sseEvent
	var name string
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			var f frame
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &f); err != nil {
				t.Fatalf("event %s data %q is not JSON: %v", name, line, err)
			}
			out = append(out, sseEvent{name, f})
		}
	}
	return out
}

// A turn that fails after its stream started ends the stream with an error
// event carrying the code; one refused before it starts is a plain JSON
// error; a resent id streams the first reply marked as a duplicate.
func TestHTTPStreamErrorsAndDuplicates(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := orderWithKind(t, demo.InTransit)
	tok := e.buyerToken(t, o.BuyerID)
	conv := "/v1/conversations/" + e.newConversation(t, tok)
	sse := []string{"Accept", "text/event-stream"}

	r := e.call(t, http.MethodPost, conv+"/confirm", tok, map[string]any{"action_id": "a_nothing0000000", "approved": true}, sse...)
	events := sseEvents(t, r.body)
	if r.status != http.StatusOK || len(events) != 1 || events[0].name != "error" || events[0].data.Code != "not_found" || events[0].data.Message == "" {
		t.Errorf("decision on nothing, streamed = %d %s, want one error event with not_found", r.status, r.body)
	}

	r = e.call(t, http.MethodPost, "/v1/conversations/c_doesnotexist0000000/messages", tok, map[string]string{"id": "x", "text": "hi"}, sse...)
	if r.status != http.StatusNotFound || r.errorCode() != "not_found" || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("stream to a made-up conversation = %d %q %s, want a 404 JSON error", r.status, r.header.Get("Content-Type"), r.body)
	}

	first := sseEvents(t, e.call(t, http.MethodPost, conv+"/messages", tok, map[string]string{"id": "once", "text": "where is my order " + o.ID}, sse...).body)
	raw := e.call(t, http.MethodPost, conv+"/messages", tok, map[string]string{"id": "once", "text": "where is my order " + o.ID}, sse...).body
	again := sseEvents(t, raw)
	var names []string
	for _, ev := range again {
		names = append(names, ev.name)
	}
	if got := strings.Join(names, ","); got != "message,message,done" {
		t.Fatalf("resent id streamed %s, want message,message,done and no tool run", got)
	}
	if len(first) < 2 || again[1].data.Seq != first[len(first)-2].data.Seq || again[1].data.Text != first[len(first)-2].data.Text {
		t.Errorf("resent id streamed %+v, want the first reply", again[1].data)
	}
	if !strings.Contains(string(raw), "event: done\ndata: {\"type\":\"done\"") || !strings.Contains(string(raw), `"duplicate":true`) {
		t.Errorf("resent id's stream %s, want a done event marked duplicate", raw)
	}
}
