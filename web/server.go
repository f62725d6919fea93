// Package web is csagent's front door: the chi router, the websocket chat of
// protocol v1 and its HTTP twin, the buyer's chat page and the seller's
// reply-assist panel, authentication by bearer token, per-buyer limits,
// health and readiness, and the Prometheus metrics endpoint.
//
// Every replica serves every conversation: stored messages and status
// changes reach the open chats of all replicas through Postgres LISTEN/NOTIFY
// (hub.go), so nothing about a chat lives in one process between frames.
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

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// Options is what the server is built from.
type Options struct {
	Logger    *slog.Logger
	Agent     *agent.Agent
	Auth      *Auth
	Directory Directory
	// Pool is the database: the seller's inbox, ratings, policy pages, and
	// a dedicated connection of its configuration that listens for new
	// messages.
	Pool *pgxpool.Pool
	// Tools runs the seller-side lookups behind suggested replies
	// (get_shop_order, and search_policy when registered), audited like
	// every tool call.
	Tools ToolRunner
	// Translator translates transcripts for sellers; nil hides translation.
	Translator tools.Translator
	// Drafter writes suggested replies for sellers; nil uses the built-in
	// templates grounded in the order's data.
	Drafter Drafter
	// Checker checks suggested replies before a seller sees them; nil shows
	// them unchecked.
	Checker ReplyChecker
	// Ready reports whether the server can take traffic: the database
	// answers and its schema is current.
	Ready func(context.Context) error
	// Registry gathers the metrics, which NewAdminHandler serves at
	// /metrics; the server registers its own there too.
	Registry *prometheus.Registry
	// PublicOrigin is the scheme and host the server's pages are served
	// from (https://support.example.com), which may always open the chat
	// websocket. Empty admits only AllowedOrigins: the Host header a
	// request brings is never trusted for this.
	PublicOrigin string
	// AllowedOrigins lists the browser origins that may open the chat
	// websocket besides PublicOrigin; "*" allows any.
	AllowedOrigins []string
	// FrameAncestors lists the origins that may embed the buyer's chat page
	// in a frame (the shops' sites); empty allows only the server's own.
	FrameAncestors []string
	// Limits bounds what one buyer may use; zero fields take defaults.
	Limits Limits
	// OpsRefreshEvery is how often the operations dashboard's daily
	// rollups catch up with new rows; zero means every minute, negative
	// never by itself (only POST /v1/ops/rollups refreshes them).
	OpsRefreshEvery time.Duration
	// Dev enables the development login, which mints a token for any demo
	// buyer or seller. Never on in production.
	Dev bool
	// Experiments is the experiments file in force, for the ops readout
	// and the dashboard's variant filter; nil shows no experiment.
	Experiments Experiments
}

// ToolRunner runs a tool call for the tools.Caller in ctx; *tools.Registry
// is one.
type ToolRunner interface {
	// Call never returns a Go error: failures are an Outcome with a coded
	// Err.
	Call(ctx context.Context, call tools.Call) tools.Outcome
	// Lookup reports whether a tool is registered.
	Lookup(name string) (tools.Spec, bool)
}

// Server serves csagent's HTTP and websocket API and its pages. It
// implements http.Handler; Shutdown drains its websockets and in-flight
// turns, which http.Server's own Shutdown does not know about.
type Server struct {
	handler http.Handler
	logger  *slog.Logger
	metrics *metrics
	hub     *hub
	limits  *limiter
	rates   *rates

	// base is the lifetime of turns: it outlives each connection and ends
	// only when a shutdown runs out of grace.
	base     context.Context
	stopBase context.CancelFunc

	mu       sync.Mutex
	conns    map[*conn]struct{}
	draining bool
	turns    sync.WaitGroup
	// stopping is closed by Drain: event streams end, turns are refused.
	stopping  chan struct{}
	drainOnce sync.Once
	// swept is closed when the sweeper has stopped.
	swept chan struct{}
	// rollup keeps the dashboard's rollups current; rolled is closed when
	// its refresher has stopped.
	rollup *opsRollup
	rolled chan struct{}
	// experiments is the experiments file in force; nil for none.
	experiments Experiments
}

// NewServer returns a Server for o and starts its notification listener,
// which Shutdown stops.
func NewServer(o Options) *Server {
	base, stop := context.WithCancel(context.Background())
	logger := o.Logger.With("component", "web")
	m := newMetrics(o.Registry)
	s := &Server{
		logger:   logger,
		metrics:  m,
		base:     base,
		stopBase: stop,
		conns:    map[*conn]struct{}{},
		stopping: make(chan struct{}),
		limits:   newLimiter(o.Limits.withDefaults(), m),
		rates:    newRates(o.Limits.withDefaults(), m),
		// An interface holding a nil *experiment.Set answers an empty file.
		experiments: o.Experiments,
	}
	cfg := o.Pool.Config().ConnConfig.Copy()
	s.hub = newHub(logger, m, func(ctx context.Context) (*pgx.Conn, error) { return pgx.ConnectConfig(ctx, cfg) })
	go s.hub.run(base)
	s.swept = make(chan struct{})
	go s.sweep(o.Agent)
	s.rollup, s.rolled = &opsRollup{db: o.Pool, logger: logger}, make(chan struct{})
	switch every := o.OpsRefreshEvery; {
	case every < 0:
		close(s.rolled)
	case every == 0:
		go s.rollup.run(base, time.Minute, s.rolled)
	default:
		go s.rollup.run(base, every, s.rolled)
	}
	s.handler = s.routes(o)
	return s
}

// sweep keeps the agent's runner alive (its heartbeat) for as long as the
// server may run turns and, on a goroutine of its own so a long recovered
// turn never delays a beat, takes over the turns and confirmed actions that
// dead runners — this replica's predecessors or any other — left
// unanswered. Both stop with the server's base context; a draining server
// keeps beating for its own turns but takes over nothing new.
func (s *Server) sweep(ag *agent.Agent) {
	defer close(s.swept)
	var wg sync.WaitGroup
	wg.Go(func() {
		s.every(func() {
			if err := ag.Heartbeat(s.base); err != nil && s.base.Err() == nil {
				s.logger.WarnContext(s.base, "runner heartbeat", "err", err)
			}
		})
	})
	wg.Go(func() {
		s.every(func() {
			if !s.startTurn() {
				return
			}
			defer s.turns.Done()
			if _, err := ag.Sweep(s.base); err != nil && s.base.Err() == nil {
				s.logger.WarnContext(s.base, "sweep orphaned turns", "err", err)
			}
		})
	})
	wg.Wait()
}

// every runs f now and then every agent.HeartbeatEvery until the base
// context ends.
func (s *Server) every(f func()) {
	tick := time.NewTicker(agent.HeartbeatEvery)
	defer tick.Stop()
	for {
		f()
		select {
		case <-tick.C:
		case <-s.base.Done():
			return
		}
	}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Shutdown stops taking chat messages, waits for in-flight turns to finish
// and be stored, then closes every websocket with "going away" so clients
// reconnect elsewhere, and stops listening for notifications. If ctx ends
// first, running turns are cancelled; each still stores a reply before its
// connection closes.
func (s *Server) Shutdown(ctx context.Context) error {
	s.Drain()

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
	// In parallel: a client that stopped reading holds its close frame
	// for up to a second, and must not hold everyone else's.
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Go(c.goAway)
	}
	wg.Wait()
	s.stopBase()
	<-s.hub.done
	<-s.swept
	<-s.rolled
	return err
}

// Drain stops taking new turns and ends the server's event streams (the
// seller panel's), which would otherwise hold http.Server.Shutdown for its
// whole grace period; register it with http.Server.RegisterOnShutdown.
// Shutdown calls it too.
func (s *Server) Drain() {
	s.drainOnce.Do(func() {
		s.mu.Lock()
		s.draining = true
		s.mu.Unlock()
		close(s.stopping)
	})
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
