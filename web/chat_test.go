package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/gorilla/websocket"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

// The thin turn: a buyer asks where their order is and gets its status from
// the real order tool; another buyer's order is not found, never shown. The
// turn, its tool call and the reply are stored.
func TestChatOrderStatusIsScopedToTheBuyer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	shipped := orderWithKind(t, demo.InTransit)
	buyer := shipped.BuyerID
	var other demo.Order
	for _, o := range demo.Plan() {
		if o.BuyerID != buyer && o.Kind == demo.InTransit {
			other = o
			break
		}
	}
	var tracking string
	if err := e.pool.QueryRow(t.Context(), "SELECT tracking_number FROM orders WHERE id = $1", shipped.ID).Scan(&tracking); err != nil {
		t.Fatal(err)
	}
	var otherTracking string
	if err := e.pool.QueryRow(t.Context(), "SELECT tracking_number FROM orders WHERE id = $1", other.ID).Scan(&otherTracking); err != nil {
		t.Fatal(err)
	}

	c := e.dial(t, buyer)
	ready := c.hello("", 0)
	if ready.ConversationID == "" || ready.Seq != 0 {
		t.Fatalf("ready = %+v, want a new conversation at seq 0", ready)
	}

	msg, before := c.ask("m1", "Where is my order "+shipped.ID+"?")
	if msg.Role != "assistant" || !strings.Contains(msg.Text, shipped.ID) || !strings.Contains(msg.Text, tracking) {
		t.Errorf("reply = %q, want the status of %s with tracking %s", msg.Text, shipped.ID, tracking)
	}
	if msg.Seq != 2 || string(msg.Citations) != "[]" {
		t.Errorf("reply frame = %+v, want seq 2 with an empty citations list", msg)
	}
	if !hasTool(before, "get_order", "started") || !hasTool(before, "get_order", "done") {
		t.Errorf("frames before the reply = %+v, want get_order started and done", before)
	}

	msg, before = c.ask("m2", "where is my order "+other.ID)
	if strings.Contains(msg.Text, otherTracking) || strings.Contains(msg.Text, "shipped") {
		t.Errorf("reply about another buyer's order = %q: it reveals the order", msg.Text)
	}
	if !hasTool(before, "get_order", "error") {
		t.Errorf("frames before the reply = %+v, want get_order error", before)
	}

	var msgs, calls, notFound int
	if err := e.pool.QueryRow(t.Context(), `SELECT
		(SELECT count(*) FROM messages WHERE conversation_id = $1),
		(SELECT count(*) FROM tool_calls WHERE conversation_id = $1 AND tool = 'get_order' AND actor_id = $2),
		(SELECT count(*) FROM tool_calls WHERE conversation_id = $1 AND error_code = 'not_found')`,
		ready.ConversationID, buyer).Scan(&msgs, &calls, &notFound); err != nil {
		t.Fatal(err)
	}
	if msgs != 4 || calls != 2 || notFound != 1 {
		t.Errorf("stored %d messages, %d get_order calls, %d not_found; want 4, 2, 1", msgs, calls, notFound)
	}
}

func hasTool(frames []frame, name, status string) bool {
	for _, f := range frames {
		if f.Type == "tool" && f.Name == name && f.Status == status {
			return true
		}
	}
	return false
}

// Bad frames get an error frame, and the connection stays usable: the turn
// after them is answered and stored.
func TestChatBadFramesLeaveTheConnectionUsable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	buyer := demo.BuyerID(0)
	c := e.dial(t, buyer)

	// Before hello, a user message is refused.
	c.sendJSON(map[string]any{"type": "user_message", "id": "early", "text": "hi"})
	if f := c.next(); f.Type != "error" || f.Code != "invalid" || f.ID != "early" {
		t.Fatalf("user_message before hello = %+v, want invalid error echoing the id", f)
	}
	ready := c.hello("", 0)

	huge := `{"type":"user_message","id":"big","text":"` + strings.Repeat("a", 1<<20) + `"}`
	tests := []struct {
		name string
		mt   int
		data string
		code string
	}{
		{"not JSON", websocket.TextMessage, "hello there", "invalid"},
		{"JSON but not an object", websocket.TextMessage, `["hello"]`, "invalid"},
		{"unknown type", websocket.TextMessage, `{"type":"launch_missiles"}`, "invalid"},
		{"no type", websocket.TextMessage, `{"text":"hi"}`, "invalid"},
		{"1 MB text", websocket.TextMessage, huge, "invalid"},
		{"invalid UTF-8", websocket.TextMessage, "{\"type\":\"user_message\",\"id\":\"u\",\"text\":\"\xff\xfe\"}", "invalid"},
		{"binary frame", websocket.BinaryMessage, `{"type":"hello"}`, "invalid"},
		{"wrong field type", websocket.TextMessage, `{"type":"user_message","id":7,"text":"hi"}`, "invalid"},
		{"missing id", websocket.TextMessage, `{"type":"user_message","text":"hi"}`, "invalid"},
		{"empty text", websocket.TextMessage, `{"type":"user_message","id":"e","text":"   "}`, "invalid"},
		{"text over 4000 characters", websocket.TextMessage, `{"type":"user_message","id":"l","text":"` + strings.Repeat("b", 4001) + `"}`, "invalid"},
		{"id over 128 chars", websocket.TextMessage, `{"type":"user_message","id":"` + strings.Repeat("i", 129) + `","text":"hi"}`, "invalid"},
		{"deep nesting", websocket.TextMessage, `{"type":"hello","x":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}`, ""},
		{"nesting past the decoder's depth", websocket.TextMessage, `{"type":"hello","x":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`, "invalid"},
		{"empty frame", websocket.TextMessage, ``, "invalid"},
		{"null", websocket.TextMessage, `null`, "invalid"},
		{"empty object", websocket.TextMessage, `{}`, "invalid"},
		{"type not a string", websocket.TextMessage, `{"type":1}`, "invalid"},
		{"trailing garbage", websocket.TextMessage, `{"type":"hello"} {"type":"hello"}`, "invalid"},
		{"text not a string", websocket.TextMessage, `{"type":"user_message","id":"o","text":{"a":1}}`, "invalid"},
		{"control character in id", websocket.TextMessage, "{\"type\":\"user_message\",\"id\":\"a\\u0000b\",\"text\":\"hi\"}", "invalid"},
		{"NUL in text", websocket.TextMessage, `{"type":"user_message","id":"n","text":"hi\u0000there"}`, "invalid"},
		{"last_seq not a number", websocket.TextMessage, `{"type":"hello","last_seq":"5"}`, "invalid"},
		{"last_seq a fraction", websocket.TextMessage, `{"type":"hello","last_seq":1.5}`, "invalid"},
		{"conversation_id not a string", websocket.TextMessage, `{"type":"hello","conversation_id":42}`, "invalid"},
		{"conversation_id too long", websocket.TextMessage, `{"type":"hello","conversation_id":"` + strings.Repeat("c", 65) + `"}`, "invalid"},
		{"confirm without approved", websocket.TextMessage, `{"type":"confirm","action_id":"a1"}`, "invalid"},
		{"approved not a boolean", websocket.TextMessage, `{"type":"confirm","action_id":"a1","approved":"yes"}`, "invalid"},
		{"confirm without action_id", websocket.TextMessage, `{"type":"confirm","approved":true}`, "invalid"},
		{"negative last_seq", websocket.TextMessage, `{"type":"hello","last_seq":-1}`, "invalid"},
		{"someone else's conversation", websocket.TextMessage, `{"type":"hello","conversation_id":"c_doesnotexist0000000"}`, "not_found"},
		{"confirm with nothing pending", websocket.TextMessage, `{"type":"confirm","action_id":"a1","approved":true}`, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.t = t
			c.sendRaw(tt.mt, []byte(tt.data))
			f := c.next()
			if tt.code == "" {
				// A well-formed frame with extra nesting is just a hello.
				if f.Type != "ready" {
					t.Errorf("frame answered with %+v, want ready", f)
				}
				return
			}
			if f.Type != "error" || f.Code != tt.code || f.Message == "" {
				t.Errorf("frame answered with %+v, want an error with code %q and a message", f, tt.code)
			}
		})
	}
	c.t = t

	// Still usable, and still in the conversation of the last good hello.
	c.hello(ready.ConversationID, 0)
	msg, _ := c.ask("after", "hello")
	if msg.Role != "assistant" || msg.Text == "" {
		t.Fatalf("reply after bad frames = %+v", msg)
	}
	var n int
	if err := e.pool.QueryRow(t.Context(), "SELECT count(*) FROM messages WHERE conversation_id = $1", ready.ConversationID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("stored %d messages, want the 2 of the one good turn", n)
	}
}

func TestChatRefusesMissingAndForgedTokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	other, err := web.NewAuth([]byte("another-secret-another-secret-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	forged, _ := other.Mint(tools.RoleBuyer, demo.BuyerID(0), time.Hour, time.Now())
	expired, _ := e.auth.Mint(tools.RoleBuyer, demo.BuyerID(0), time.Minute, time.Now().Add(-time.Hour))
	unknown, _ := e.auth.Mint(tools.RoleBuyer, "buyer-999", time.Hour, time.Now())
	seller, _ := e.auth.Mint(tools.RoleSeller, "seller-maple", time.Hour, time.Now())
	none := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{
		"sub": demo.BuyerID(0), "role": "buyer", "iss": "csagent", "aud": "csagent", "exp": time.Now().Add(time.Hour).Unix(),
	})
	algNone, _ := none.SignedString(jwt.UnsafeAllowNoneSignatureType)
	valid := e.token(t, tools.RoleBuyer, demo.BuyerID(0))
	tampered := valid[:len(valid)-4] + "AAAA"

	tests := []struct {
		name   string
		header string
		query  string
		want   int
	}{
		{"no token", "", "", http.StatusUnauthorized},
		{"not a JWT", "Bearer hello", "", http.StatusUnauthorized},
		{"forged with another secret", "Bearer " + forged, "", http.StatusUnauthorized},
		{"tampered signature", "Bearer " + tampered, "", http.StatusUnauthorized},
		{"alg none", "Bearer " + algNone, "", http.StatusUnauthorized},
		{"expired", "Bearer " + expired, "", http.StatusUnauthorized},
		{"unknown buyer", "Bearer " + unknown, "", http.StatusUnauthorized},
		{"seller on the buyer chat", "Bearer " + seller, "", http.StatusUnauthorized},
		{"basic auth", "Basic dXNlcjpwYXNz", "", http.StatusUnauthorized},
		{"valid header", "Bearer " + valid, "", http.StatusSwitchingProtocols},
		// Tokens never travel in URLs: a browser buys a ticket
		// (TestTicketOpensTheChatOnceOnAnyReplica).
		{"valid token in the query", "", valid, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.header != "" {
				h.Set("Authorization", tt.header)
			}
			url := e.wsURL()
			if tt.query != "" {
				url += "?access_token=" + tt.query
			}
			ws, resp, err := websocket.DefaultDialer.DialContext(t.Context(), url, h)
			if ws != nil {
				ws.Close()
			}
			if resp == nil {
				t.Fatalf("dial: %v", err)
			}
			if resp.StatusCode != tt.want {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
}

func TestChatOriginCheck(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	h := http.Header{
		"Authorization": {"Bearer " + e.token(t, tools.RoleBuyer, demo.BuyerID(0))},
		"Origin":        {"https://evil.example"},
	}
	_, resp, err := websocket.DefaultDialer.DialContext(t.Context(), e.wsURL(), h)
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("dial from a foreign origin: err %v, response %v; want 403", err, resp)
	}
}

// A resent user_message id is not processed twice: the second send gets the
// first reply again and nothing new is stored.
func TestChatDuplicateClientIDIsNotProcessedTwice(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := orderWithKind(t, demo.DeliveredRecently)
	c := e.dial(t, o.BuyerID)
	ready := c.hello("", 0)
	first, _ := c.ask("same-id", "status of "+o.ID+" please")
	second, _ := c.ask("same-id", "status of "+o.ID+" please")
	if second.Seq != first.Seq || second.Text != first.Text {
		t.Errorf("resend answered %+v, want the first reply %+v again", second, first)
	}
	var n, calls int
	if err := e.pool.QueryRow(t.Context(), `SELECT (SELECT count(*) FROM messages WHERE conversation_id = $1),
		(SELECT count(*) FROM tool_calls WHERE conversation_id = $1)`, ready.ConversationID).Scan(&n, &calls); err != nil {
		t.Fatal(err)
	}
	if n != 2 || calls != 1 {
		t.Errorf("stored %d messages and %d tool calls, want 2 and 1", n, calls)
	}
}

// A reconnect with last_seq gets every message it missed, exactly once, and
// another buyer cannot open the conversation.
func TestChatResumeReplaysMissedMessages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := orderWithKind(t, demo.Paid)
	c := e.dial(t, o.BuyerID)
	ready := c.hello("", 0)
	c.ask("a", "hi")
	c.ask("b", "where is "+o.ID)
	c.ws.Close()

	c2 := e.dial(t, o.BuyerID)
	r := c2.hello(ready.ConversationID, 1)
	if r.Seq != 4 {
		t.Fatalf("ready after reconnect = %+v, want seq 4", r)
	}
	var got []int64
	for range 3 {
		f := c2.next()
		if f.Type != "message" {
			t.Fatalf("replay frame = %+v, want message", f)
		}
		got = append(got, f.Seq)
	}
	if got[0] != 2 || got[1] != 3 || got[2] != 4 {
		t.Errorf("replayed seqs %v, want [2 3 4]", got)
	}
	// Nothing more is replayed: the next frame answers the next request.
	c2.sendJSON(map[string]any{"type": "marker"})
	if f := c2.next(); f.Type != "error" {
		t.Errorf("after the replay came %+v, want only the marker's error", f)
	}
	// A hello at the newest seq replays nothing.
	c2.hello(ready.ConversationID, 4)
	c2.sendJSON(map[string]any{"type": "marker"})
	if f := c2.next(); f.Type != "error" {
		t.Errorf("hello at the newest seq was followed by %+v, want only the marker's error", f)
	}

	other := demo.BuyerID(0)
	if other == o.BuyerID {
		other = demo.BuyerID(1)
	}
	intruder := e.dial(t, other)
	intruder.sendJSON(map[string]any{"type": "hello", "conversation_id": ready.ConversationID})
	if f := intruder.next(); f.Type != "error" || f.Code != "not_found" {
		t.Errorf("another buyer's hello = %+v, want not_found", f)
	}
}

func TestHealthReadyAndMetrics(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, tt := range []struct {
		path string
		want int
		body string
	}{
		{"/healthz", 200, `"ok"`},
		{"/readyz", 200, `"ready"`},
		// Metrics are for operators, on the admin listener only.
		{"/metrics", 404, `"not_found"`},
		{"/nope", 404, `"not_found"`},
	} {
		resp, err := http.Get(e.srv.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.want || !strings.Contains(string(b), tt.body) {
			t.Errorf("GET %s = %d %q, want %d containing %s", tt.path, resp.StatusCode, b, tt.want, tt.body)
		}
	}
	admin := httptest.NewServer(web.NewAdminHandler(e.metrics))
	defer admin.Close()
	resp, err := http.Get(admin.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "csagent_ws_connections") {
		t.Errorf("GET /metrics on the admin listener = %d, want 200 with csagent_ws_connections", resp.StatusCode)
	}
	// Not ready once the database is gone.
	e.pool.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.srv.URL+"/readyz", nil)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("GET /readyz with the database closed = %d, want 503", resp.StatusCode)
	}
}
