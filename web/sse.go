package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
)

// sseStream writes Server-Sent Events: each event is named for the frame
// type it carries and its data is the frame's JSON, the same as on the
// websocket. It is safe for concurrent use (a turn's tools report from
// several goroutines); after the client goes away, writes are dropped.
type sseStream struct {
	mu     sync.Mutex
	w      http.ResponseWriter
	rc     *http.ResponseController
	broken bool
}

// wantsSSE reports whether the client asked for an event stream.
func wantsSSE(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

// startSSE answers 200 with an event stream and flushes the headers.
func startSSE(w http.ResponseWriter) *sseStream {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	s := &sseStream{w: w, rc: http.NewResponseController(w)}
	s.rc.Flush() //nolint:errcheck // a failed flush shows on the next write
	return s
}

// send writes one event named name with v as its JSON data.
func (s *sseStream) send(name string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.broken {
		return
	}
	// JSON has no raw newlines, so the data is one line.
	if _, err := fmt.Fprintf(s.w, "event: %s\ndata: %s\n\n", name, b); err != nil {
		s.broken = true
		return
	}
	if err := s.rc.Flush(); err != nil {
		s.broken = true
	}
}

// comment writes an SSE comment, which keeps idle proxies from closing the
// stream; it reports whether the client is still there.
func (s *sseStream) comment(text string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.broken {
		return false
	}
	if _, err := fmt.Fprintf(s.w, ": %s\n\n", text); err != nil {
		s.broken = true
		return false
	}
	if err := s.rc.Flush(); err != nil {
		s.broken = true
	}
	return !s.broken
}
