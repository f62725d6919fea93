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
