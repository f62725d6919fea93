package web_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

func withLimits(l web.Limits) envOptions {
	return envOptions{web: func(o *web.Options) { o.Limits = l }}
}

// Past the burst, a buyer's messages are refused with rate_limited until
// the bucket refills, on the websocket and the HTTP API alike (one bucket),
// and each refusal is counted.
func TestRateLimitPerBuyer(t *testing.T) {
	t.Parallel()
	e := newEnvOpts(t, withLimits(web.Limits{MessagesPerMinute: 1, MessageBurst: 3}))
	buyer := demo.BuyerID(4)
	c := e.dial(t, buyer)
	ready := c.hello("", 0)
	for i := range 5 {
		c.sendJSON(map[string]any{"type": "user_message", "id": fmt.Sprint("r", i), "text": "hello"})
	}
	var limited, replies int
	for limited+replies < 5 {
		f := c.next()
		switch {
		case f.Type == "error" && f.Code == "rate_limited":
			limited++
			if !strings.Contains(f.Message, "too fast") || f.ID == "" {
				t.Errorf("rate_limited frame %+v, want a clear message and the message's id", f)
			}
		case f.Type == "message" && f.Role == "assistant":
			replies++
		}
	}
	if limited != 2 || replies != 3 {
		t.Errorf("%d refused, %d answered; want 2 and 3", limited, replies)
	}
	// The HTTP API draws on the same bucket.
	r := e.call(t, http.MethodPost, "/v1/conversations/"+ready.ConversationID+"/messages", e.buyerToken(t, buyer),
		map[string]string{"id": "h1", "text": "hello"})
	if r.status != http.StatusTooManyRequests || r.errorCode() != "rate_limited" || r.header.Get("Retry-After") == "" {
		t.Errorf("HTTP message past the limit = %d %s (Retry-After %q), want 429 rate_limited with Retry-After", r.status, r.body, r.header.Get("Retry-After"))
	}
	if got := metric(t, e.metrics, "csagent_web_limited_total", "limit", "messages_per_minute"); got != 3 {
		t.Errorf("counted %v rate-limited messages, want 3", got)
	}
	// Another buyer is not affected.
	other := e.dial(t, demo.BuyerID(5))
	other.hello("", 0)
	if msg, _ := other.ask("1", "hello"); msg.Role != "assistant" {
		t.Errorf("another buyer got %+v", msg)
	}
}

// A buyer may hold a few connections; one more is refused before the
// upgrade with 429 and a clear body, and a closed one makes room.
func TestConnectionLimitPerBuyer(t *testing.T) {
	t.Parallel()
	e := newEnvOpts(t, withLimits(web.Limits{ConnectionsPerBuyer: 2}))
	buyer := demo.BuyerID(7)
	first := e.dial(t, buyer)
	e.dial(t, buyer)
	h := http.Header{"Authorization": {"Bearer " + e.buyerToken(t, buyer)}}
	ws, resp, err := websocket.DefaultDialer.DialContext(t.Context(), e.wsURL(), h)
	if err == nil {
		ws.Close()
		t.Fatal("a third connection was accepted, want it refused")
	}
	if resp == nil || resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("third connection: %v, response %v; want 429", err, resp)
	}
	if got := metric(t, e.metrics, "csagent_web_limited_total", "limit", "connections_per_buyer"); got != 1 {
		t.Errorf("counted %v refused connections, want 1", got)
	}
	// Others are not affected, and closing one makes room.
	e.dial(t, demo.BuyerID(8))
	first.ws.Close()
	eventually(t, "room for a new connection", func() bool {
		ws, _, err := websocket.DefaultDialer.DialContext(t.Context(), e.wsURL(), h)
		if err == nil {
			ws.Close()
		}
		return err == nil
	})
}

// A client that answers no ping is closed after the idle timeout with close
// code 1001 "idle timeout", and the close is counted.
func TestIdleConnectionIsClosed(t *testing.T) {
	// Not t.Parallel: it runs against wall-clock windows (a deadline, a
	// lifetime or a grace period of a second or less), so it runs alone.
	e := newEnvOpts(t, withLimits(web.Limits{IdleTimeout: 300 * time.Millisecond}))
	h := http.Header{"Authorization": {"Bearer " + e.buyerToken(t, demo.BuyerID(9))}}
	ws, _, err := websocket.DefaultDialer.DialContext(t.Context(), e.wsURL(), h)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	// Reading nothing, the client answers no ping.
	eventually(t, "the idle close to be counted", func() bool {
		return metric(t, e.metrics, "csagent_web_limited_total", "limit", "idle_timeout") == 1
	})
	// Now it reads, without answering the pings it finds: the close frame
	// follows them.
	ws.SetPingHandler(func(string) error { return nil })
	ws.SetReadDeadline(time.Now().Add(frameWait))
	var closeErr *websocket.CloseError
	for {
		_, _, err := ws.ReadMessage()
		if err == nil {
			continue
		}
		if !errors.As(err, &closeErr) {
			t.Fatalf("idle connection ended with %v, want a close frame", err)
		}
		break
	}
	if closeErr.Code != websocket.CloseGoingAway || closeErr.Text != "idle timeout" {
		t.Errorf("idle close = %d %q, want 1001 \"idle timeout\"", closeErr.Code, closeErr.Text)
	}
	// A client that reads answers the server's pings and stays.
	c := e.dial(t, demo.BuyerID(10))
	c.hello("", 0)
	var pings atomic.Int32
	c.ws.SetPingHandler(func(data string) error {
		pings.Add(1)
		return c.ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
	})
	frames := make(chan frame, 8)
	go func() {
		for {
			var f frame
			if err := c.ws.ReadJSON(&f); err != nil {
				close(frames)
				return
			}
			frames <- f
		}
	}()
	// Pings come every 2/5 of the idle timeout: five span two timeouts.
	eventually(t, "five pings", func() bool { return pings.Load() >= 5 })
	c.sendJSON(map[string]any{"type": "marker"})
	if f, ok := <-frames; !ok || f.Type != "error" {
		t.Errorf("after %d pings the connection answered %+v (open %v), want the marker's error", pings.Load(), f, ok)
	}
	if got := metric(t, e.metrics, "csagent_web_limited_total", "limit", "idle_timeout"); got != 1 {
		t.Errorf("counted %v idle closes, want only the first client's", got)
	}
}

// An oversized frame and a foreign origin are refused and counted.
func TestFrameSizeAndOriginLimitsAreCounted(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.dial(t, demo.BuyerID(11))
	c.hello("", 0)
	c.sendRaw(websocket.TextMessage, []byte(`{"type":"user_message","id":"x","text":"`+strings.Repeat("a", 70<<10)+`"}`))
	if f := c.next(); f.Type != "error" || f.Code != "invalid" || !strings.Contains(f.Message, "64 KiB") {
		t.Errorf("oversized frame answered %+v", f)
	}
	if got := metric(t, e.metrics, "csagent_web_limited_total", "limit", "frame_size"); got != 1 {
		t.Errorf("counted %v oversized frames, want 1", got)
	}
	// The connection is still usable after the error.
	if msg, _ := c.ask("ok", "hello"); msg.Role != "assistant" {
		t.Errorf("after an oversized frame: %+v", msg)
	}
	// A frame over 8 MiB ends the connection (the websocket library
	// answers with close code 1009), and is counted too.
	c.ws.WriteMessage(websocket.TextMessage, make([]byte, 9<<20)) //nolint:errcheck // the server may hang up mid-write
	c.ws.SetReadDeadline(time.Now().Add(frameWait))
	for {
		if _, _, err := c.ws.ReadMessage(); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatal("the connection stayed open after a 9 MiB frame")
			}
			break
		}
	}
	eventually(t, "the huge frame to be counted", func() bool {
		return metric(t, e.metrics, "csagent_web_limited_total", "limit", "frame_size") == 2
	})
	h := http.Header{"Authorization": {"Bearer " + e.buyerToken(t, demo.BuyerID(11))}, "Origin": {"https://evil.example"}}
	_, resp, _ := websocket.DefaultDialer.DialContext(t.Context(), e.wsURL(), h)
	if resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("foreign origin: response %v, want 403", resp)
	}
	if got := metric(t, e.metrics, "csagent_web_limited_total", "limit", "origin"); got != 1 {
		t.Errorf("counted %v refused origins, want 1", got)
	}
}

// blockingModel answers nothing until its turn is cancelled.
type blockingModel struct{ started chan struct{} }

func (m blockingModel) Generate(ctx context.Context, _ agent.Request, _ func(string) error) (agent.Response, error) {
	select {
	case m.started <- struct{}{}:
	default:
	}
	<-ctx.Done()
	return agent.Response{}, ctx.Err()
}

// A shutdown whose grace ends mid-turn cancels the turn, which still
// stores a reply; the socket closes with 1001, and on reconnecting to
// another replica the buyer gets the reply in the replay.
func TestShutdownMidTurnStoresTheReplyForTheReconnect(t *testing.T) {
	// Not t.Parallel: it runs against wall-clock windows (a deadline, a
	// lifetime or a grace period of a second or less), so it runs alone.
	started := make(chan struct{}, 1)
	e := newEnvWith(t, func(agent.Model) agent.Model { return blockingModel{started: started} }, agent.Config{})
	next := e.replica(t)
	buyer := demo.BuyerID(12)
	c := e.dial(t, buyer)
	ready := c.hello("", 0)
	c.sendJSON(map[string]any{"type": "user_message", "id": "slow", "text": "where is my order?"})
	<-started

	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	if err := e.web.Shutdown(ctx); err == nil {
		t.Error("Shutdown returned no error though its grace ended mid-turn")
	}
	var closeCode int
	c.ws.SetReadDeadline(time.Now().Add(frameWait))
	for {
		_, _, err := c.ws.ReadMessage()
		if ce, ok := err.(*websocket.CloseError); ok {
			closeCode = ce.Code
			break
		}
		if err != nil {
			t.Fatalf("read until close: %v", err)
		}
	}
	if closeCode != websocket.CloseGoingAway {
		t.Errorf("close code %d, want 1001 going away", closeCode)
	}

	c2 := &client{t: t, ws: dialURL(t, "ws"+strings.TrimPrefix(next.srv.URL, "http")+"/v1/chat/ws", e.buyerToken(t, buyer))}
	c2.hello(ready.ConversationID, 1)
	reply := c2.messages(1)[0]
	if reply.Seq != 2 || reply.Role != "assistant" || reply.Text != agent.Fallback("en") {
		t.Errorf("replayed %+v, want the stored safe reply at seq 2", reply)
	}
}

func dialURL(t *testing.T, url, token string) *websocket.Conn {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.DialContext(t.Context(), url, http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

// A connection that floods frames has those past its allowance dropped
// unread with rate_limited, each counted; the connection stays, and frames
// are taken again as the allowance refills.
func TestFrameFloodIsRateLimited(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.dial(t, demo.BuyerID(14))
	c.hello("", 0)
	const sent = 300
	for range sent {
		c.sendJSON(map[string]any{"type": "marker"})
	}
	var taken, dropped int
	for range sent {
		switch f := c.next(); {
		case f.Type == "error" && f.Code == "invalid":
			taken++
		case f.Type == "error" && f.Code == "rate_limited" && strings.Contains(f.Message, "too many frames"):
			dropped++
		default:
			t.Fatalf("flood answered %+v", f)
		}
	}
	// The hello took one of the burst of 60.
	if dropped == 0 || taken < 59 {
		t.Errorf("of %d frames at once, %d were taken and %d dropped; want the rest of the burst of 60 taken and the others mostly dropped", sent, taken, dropped)
	}
	if got := metric(t, e.metrics, "csagent_web_limited_total", "limit", "frames_per_second"); got != float64(dropped) {
		t.Errorf("counted %v dropped frames, want %d", got, dropped)
	}
	eventually(t, "the allowance to refill", func() bool {
		c.sendJSON(map[string]any{"type": "hello"})
		f := c.next()
		return f.Type == "ready"
	})
}

// gatedModel answers "Noted." once gate is closed.
type gatedModel struct {
	started chan struct{}
	gate    chan struct{}
}

func (m gatedModel) Generate(ctx context.Context, _ agent.Request, _ func(string) error) (agent.Response, error) {
	select {
	case m.started <- struct{}{}:
	default:
	}
	select {
	case <-m.gate:
		return agent.Response{Message: agent.Message{Role: "assistant", Content: "Noted."}}, nil
	case <-ctx.Done():
		return agent.Response{}, ctx.Err()
	}
}

// While a turn runs, eight more messages of the connection may wait for
// it; the next is refused with rate_limited, stored nowhere and counted.
// The waiting ones are answered in order once the turn ends.
func TestQueuedTurnsPerConnectionAreBounded(t *testing.T) {
	t.Parallel()
	m := gatedModel{started: make(chan struct{}, 1), gate: make(chan struct{})}
	e := newEnvOpts(t, envOptions{
		brain: func(agent.Model) agent.Model { return m },
		web:   func(o *web.Options) { o.Limits = web.Limits{MessageBurst: 20} },
	})
	opened := false
	t.Cleanup(func() {
		if !opened {
			close(m.gate)
		}
	})
	c := e.dial(t, demo.BuyerID(15))
	ready := c.hello("", 0)
	c.sendJSON(map[string]any{"type": "user_message", "id": "q0", "text": "first"})
	<-m.started
	for i := 1; i <= 9; i++ {
		c.sendJSON(map[string]any{"type": "user_message", "id": fmt.Sprint("q", i), "text": fmt.Sprint("message ", i)})
	}
	f, _ := c.until("error")
	if f.Code != "rate_limited" || f.ID != "q9" || !strings.Contains(f.Message, "wait for the reply") {
		t.Errorf("the tenth message was answered %+v, want rate_limited for q9", f)
	}
	if got := metric(t, e.metrics, "csagent_web_limited_total", "limit", "queued_turns"); got != 1 {
		t.Errorf("counted %v refused queued turns, want 1", got)
	}
	close(m.gate)
	opened = true
	var replies int
	for replies < 9 {
		if f := c.next(); f.Type == "message" && f.Role == "assistant" {
			replies++
		}
	}
	var stored int
	if err := e.pool.QueryRow(t.Context(), `SELECT count(*) FROM messages WHERE conversation_id = $1 AND role = 'user'`, ready.ConversationID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != 9 {
		t.Errorf("stored %d buyer messages, want the 9 accepted", stored)
	}
}
