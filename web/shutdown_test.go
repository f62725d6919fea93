package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/internal/fakellm"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

// loadChat is one buyer's chat during a shutdown, as its client saw it.
type loadChat struct {
	buyer, convID string
	// lastSeq is the highest seq the client received before the close.
	lastSeq   int64
	echoed    bool
	replied   bool
	closeCode int
	// errs are the error frames the server sent, as "code: message".
	errs []string
	err  error
}

// run drives one chat against the server at url: hello, one message, then
// every frame until the server closes the connection. ready is told once
// the message is sent.
func (ch *loadChat) run(ctx context.Context, url, token string, ready func()) {
	ws, _, err := websocket.DefaultDialer.DialContext(ctx, url, http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		ch.err = fmt.Errorf("dial: %w", err)
		ready()
		return
	}
	defer ws.Close()
	var f frame
	err = ws.WriteJSON(map[string]any{"type": "hello"})
	if err == nil {
		ws.SetReadDeadline(time.Now().Add(30 * time.Second)) //nolint:errcheck
		err = ws.ReadJSON(&f)
	}
	if err != nil || f.Type != "ready" {
		ch.err = fmt.Errorf("hello answered %+v: %v", f, err)
		ready()
		return
	}
	ch.convID = f.ConversationID
	err = ws.WriteJSON(map[string]any{"type": "user_message", "id": "m1", "text": "where is my order, please?"})
	ready()
	if err != nil {
		ch.err = fmt.Errorf("send: %w", err)
		return
	}
	for {
		ws.SetReadDeadline(time.Now().Add(60 * time.Second)) //nolint:errcheck
		var f frame
		err := ws.ReadJSON(&f)
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			ch.closeCode = ce.Code
			return
		}
		if err != nil {
			ch.err = fmt.Errorf("read: %w", err)
			return
		}
		if f.Type == "error" {
			ch.errs = append(ch.errs, f.Code+": "+f.Message)
		}
		if f.Type == "message" {
			ch.lastSeq = max(ch.lastSeq, f.Seq)
			ch.echoed = ch.echoed || f.Role == "user"
			ch.replied = ch.replied || f.Role == "assistant"
		}
	}
}

// Shutdown with 200 chats whose turns wait on a slow model: with grace
// enough, every turn finishes with the model's reply; with too little, the
// turns still running are cut and store the safe reply. Either way every
// client is told 1001 "going away", every message has a stored reply, and
// a client that reconnects to a new server on the same database gets, from
// where it was, every reply it missed.
func TestShutdownUnderLoad(t *testing.T) {
	// Not t.Parallel: it runs against wall-clock windows (a deadline, a
	// lifetime or a grace period of a second or less), so it runs alone.
	const chats = 200
	tests := []struct {
		name  string
		ttft  time.Duration
		grace time.Duration
		// complete says every turn must end with the model's own reply.
		complete bool
	}{
		{name: "grace enough", ttft: 1 * time.Second, grace: 20 * time.Second, complete: true},
		{name: "grace too short", ttft: 30 * time.Second, grace: 500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := fakellm.New(fakellm.Options{TimeToFirstToken: tt.ttft, TokensPerSecond: 50})
			up := httptest.NewServer(fake)
			t.Cleanup(up.Close)
			e := newEnvOpts(t, envOptions{
				brain: func(agent.Model) agent.Model {
					return agent.NewOpenAI(agent.OpenAIConfig{BaseURL: up.URL + "/v1", Model: "gpt-test", RequestTimeout: time.Minute})
				},
				web: func(o *web.Options) { o.Limits = web.Limits{ConnectionsPerBuyer: chats} },
			})

			all := make([]*loadChat, chats)
			var sent, done sync.WaitGroup
			for i := range all {
				ch := &loadChat{buyer: demo.BuyerID(i % demo.Buyers)}
				all[i] = ch
				sent.Add(1)
				done.Go(func() { ch.run(t.Context(), e.wsURL(), e.token(t, tools.RoleBuyer, ch.buyer), sent.Done) })
			}
			sent.Wait()
			// Every turn is waiting on the model when the shutdown starts:
			// each buyer message is stored (so its turn is the server's to
			// finish) and the model has been asked. Counting requests alone
			// is not enough: under load some turns ask twice before others
			// have been read off their sockets, and a message the server has
			// not taken in when it drains is refused, not answered.
			deadline := time.Now().Add(60 * time.Second)
			var taken int
			for time.Now().Before(deadline) {
				if err := e.pool.QueryRow(t.Context(), `SELECT count(*) FROM messages WHERE role = 'user'`).Scan(&taken); err != nil {
					t.Fatal(err)
				}
				if taken >= chats && len(fake.Requests()) >= chats {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			if n := len(fake.Requests()); n < chats || taken < chats {
				t.Fatalf("only %d of %d messages taken in and %d turns at the model", taken, chats, n)
			}

			// As serve does on SIGTERM: the HTTP server stops taking
			// connections (draining the chat server on the way), then the
			// chat server finishes its turns and closes its websockets.
			start := time.Now()
			ctx, cancel := context.WithTimeout(context.Background(), tt.grace)
			e.srv.Config.RegisterOnShutdown(e.web.Drain)
			if err := e.srv.Config.Shutdown(ctx); err != nil {
				t.Errorf("http.Server.Shutdown: %v", err)
			}
			shutErr := e.web.Shutdown(ctx)
			cancel()
			took := time.Since(start)
			done.Wait()
			if tt.complete && shutErr != nil {
				t.Errorf("Shutdown with %v of grace: %v", tt.grace, shutErr)
			}

			var replied, llm, fallback int
			for i, ch := range all {
				if ch.err != nil {
					t.Fatalf("chat %d (%s): %v", i, ch.buyer, ch.err)
				}
				if ch.closeCode != websocket.CloseGoingAway {
					t.Errorf("chat %d was closed with %d, want 1001 going away", i, ch.closeCode)
				}
				if ch.replied {
					replied++
				}
				if len(ch.errs) > 0 {
					t.Errorf("chat %d (%s) was sent errors %q", i, ch.buyer, ch.errs)
				}
			}
			var stored int
			rows, err := e.pool.Query(t.Context(), `SELECT coalesce(usage->>'model', ''), coalesce(usage->>'fallback', '') FROM messages WHERE role = 'assistant'`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var model, why string
				if err := rows.Scan(&model, &why); err != nil {
					t.Fatal(err)
				}
				stored++
				if why == "" {
					llm++
				} else {
					fallback++
				}
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			t.Logf("%d chats, %v of grace: shutdown took %v (err %v); %d replies stored (%d by the model, %d safe replies of cut turns), %d reached their client before the close",
				chats, tt.grace, took.Round(time.Millisecond), shutErr, stored, llm, fallback, replied)
			if stored != chats {
				t.Fatalf("%d replies stored for %d messages in flight", stored, chats)
			}
			if tt.complete && llm != chats {
				t.Errorf("with grace enough, %d of %d turns ended with the model's reply", llm, chats)
			}

			// Back on a new server over the same database, each client
			// resumes from the last seq it saw and gets what it missed;
			// every other one as if the reply had been lost on the way.
			next := e.replica(t)
			for i, ch := range all {
				from := ch.lastSeq
				if i%2 == 1 {
					from = min(from, 1)
				}
				c := next.dial(t, ch.buyer)
				c.hello(ch.convID, from)
				if from < 2 {
					missed := c.messages(int(2 - from))
					if last := missed[len(missed)-1]; last.Role != "assistant" || last.Seq != 2 {
						t.Errorf("chat %d resumed from seq %d and got %+v, want the reply at seq 2", i, from, missed)
					}
				}
				c.quiet()
				c.ws.Close()
			}
		})
	}
}
