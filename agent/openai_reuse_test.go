package agent

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/csagent/csagent/internal/fakellm"
)

// TestOpenAIReusesItsConnection checks that one model call after another
// travel over one connection to the upstream. The reader stops at [DONE];
// a body closed before its end costs the transport its connection, and
// then every call paid a new one (over TLS, a handshake a call).
func TestOpenAIReusesItsConnection(t *testing.T) {
	tests := []struct {
		name string
		opts fakellm.Options
	}{
		{"unpaced, the stream in one write", fakellm.Options{}},
		{"paced, a write a token", fakellm.Options{TokensPerSecond: 2000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := fakellm.New(tt.opts)
			srv := httptest.NewUnstartedServer(fake)
			var conns atomic.Int32
			srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				if s == http.StateNew {
					conns.Add(1)
				}
			}
			srv.Start()
			t.Cleanup(srv.Close)
			m := NewOpenAI(OpenAIConfig{BaseURL: srv.URL + "/v1", Model: "fake-model", RequestTimeout: 5 * time.Second})
			const calls = 6
			for i := range calls {
				if i%2 == 0 {
					fake.Push(fakellm.Call("get_order", map[string]string{"order_id": "ORD-10042"}))
				} else {
					fake.Push(fakellm.Text("It shipped yesterday."))
				}
				if _, err := m.Generate(t.Context(), ask("where is ORD-10042"), nil); err != nil {
					t.Fatalf("call %d: %v", i, err)
				}
			}
			if n := conns.Load(); n != 1 {
				t.Errorf("%d calls opened %d connections to the upstream, want 1", calls, n)
			}
		})
	}
}

// TestOpenAIDoesNotWaitForAHeldBody checks that an upstream which says
// [DONE] and then holds its body open costs a model call at most drainWait.
func TestOpenAIDoesNotWaitForAHeldBody(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = w.Write([]byte(`data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hello."},"finish_reason":null}]}` + "\n\n" +
			`data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}` + "\n\n" +
			"data: [DONE]\n\n"))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	m := NewOpenAI(OpenAIConfig{BaseURL: srv.URL + "/v1", Model: "m", RequestTimeout: 5 * time.Second})
	start := time.Now()
	resp, err := m.Generate(t.Context(), ask("hi"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); resp.Message.Content != "Hello." || took > drainWait+time.Second {
		t.Errorf("Generate = %q after %v, want Hello. within about %v", resp.Message.Content, took, drainWait)
	}
}
