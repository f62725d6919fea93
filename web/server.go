// Package web is csagent's front door: the chi router, the websocket chat of
// protocol v1, authentication by bearer token, health and readiness, and the
// Prometheus metrics endpoint.
//
// web wires nothing: cmd/csagent builds the agent, the tools and the stores
// and hands them in through Options.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/csagent/csagent/agent"
)

// Options is what the server is built from.
type Options struct {
	Logger    *slog.Logger
	Agent     *agent.Agent
	Auth      *Auth
	Directory Directory
	// Ready reports whether the server can take traffic: the database
	// answers and its schema is current.
	Ready func(context.Context) error
	// Registry gathers the metrics served at /metrics; the server registers
	// its own there too.
	Registry *prometheus.Registry
	// AllowedOrigins lists the browser origins that may open the chat
	// websocket besides the server's own host; "*" allows any.
	AllowedOrigins []string
}

// Server serves csagent's HTTP and websocket API. It implements http.Handler;
// Shutdown drains its websockets and in-flight turns, which http.Server's
// own Shutdown does not know about.
type Server struct {
	handler http.Handler
	logger  *slog.Logger
	metrics *metrics

	// base is the lifetime of turns: it outlives each connection and ends
	// only when a shutdown runs out of grace.
	base     context.Context
	stopBase context.CancelFunc

	mu       sync.Mutex
	conns    map[*conn]struct{}
	draining bool
	turns    sync.WaitGroup
}

// NewServer returns a Server for o.
func NewServer(o Options) *Server {
	base, stop := context.WithCancel(context.Background())
	s := &Server{
		logger:   o.Logger.With("component", "web"),
		metrics:  newMetrics(o.Registry),
		base:     base,
		stopBase: stop,
		conns:    map[*conn]struct{}{},
	}
	s.handler = s.routes(o)
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Shutdown stops taking chat messages, waits for in-flight turns to finish
// and be stored, then closes every websocket with "going away" so clients
// reconnect elsewhere. If ctx ends first, running turns are cancelled; each
// still stores a reply before its connection closes.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.draining = true
	s.mu.Unlock()

	done := make(chan struct{})
	go func() { s.turns.Wait(); close(done) }()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = ctx.Err()
		s.stopBase()
		// Cancelled turns still store their fallback reply; give them a moment.
		select {
		case <-done:
		case <-time.After(2 * time.Second):
		}
	}
	s.mu.Lock()
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.goAway()
	}
	s.stopBase()
	return err
}

// startTurn registers a turn unless the server is draining.
func (s *Server) startTurn() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.draining {
		return false
	}
	s.turns.Add(1)
	return true
}

func (s *Server) track(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.draining {
		return false
	}
	s.conns[c] = struct{}{}
	return true
}

func (s *Server) untrack(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}
