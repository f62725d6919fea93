package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/migrations"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/web"
)

type serveConfig struct {
	common
	addr           string
	grace          time.Duration
	allowedOrigins string
	frameAncestors string
	chatLimits     web.Limits
	agent          agentConfig
}

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg serveConfig
	f := newFlags("serve", getenv, stderr)
	cfg.common.register(f)
	f.string(&cfg.addr, "addr", ":8080", "address to listen on", "CSAGENT_ADDR")
	f.duration(&cfg.grace, "shutdown-grace", 25*time.Second, "how long a shutdown waits for in-flight turns", "CSAGENT_SHUTDOWN_GRACE")
	f.string(&cfg.allowedOrigins, "allowed-origins", "", "comma-separated browser origins allowed to open the chat websocket besides the server's own; * for any", "CSAGENT_ALLOWED_ORIGINS")
	f.string(&cfg.frameAncestors, "frame-ancestors", "", "comma-separated origins (the shops' sites) allowed to embed the /chat widget in a frame, besides the server's own", "CSAGENT_FRAME_ANCESTORS")
	f.int(&cfg.chatLimits.MessagesPerMinute, "chat-messages-per-minute", 30, "messages one buyer may send per minute, websocket and HTTP together", "CSAGENT_CHAT_MESSAGES_PER_MINUTE")
	f.int(&cfg.chatLimits.ConnectionsPerBuyer, "chat-connections-per-buyer", 5, "chat websockets one buyer may hold open on one server", "CSAGENT_CHAT_CONNECTIONS_PER_BUYER")
	cfg.agent.register(f)
	if err := f.Parse(args); err != nil {
		return err
	}
	logger, err := cfg.logger(stderr)
	if err != nil {
		return err
	}
	auth, err := cfg.auth(getenv)
	if err != nil {
		return err
	}
	pool, migrator, err := cfg.openMigrated(ctx, logger)
	if err != nil {
		return err
	}
	defer pool.Close()
	defer migrator.Close()

	srv, b, err := cfg.newServer(logger, getenv, auth, pool, migrator)
	if err != nil {
		return err
	}
	// SIGHUP reloads the guardrails' banned-phrase file, until serve returns.
	hupCtx, stopHUP := context.WithCancel(ctx)
	hupDone := make(chan struct{})
	go func() {
		defer close(hupDone)
		reloadOnHangup(hupCtx, logger, b.guard, cfg.agent.guardrailsConfig)
	}()
	defer func() { stopHUP(); <-hupDone }()
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	httpSrv := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ErrorLog: nil}
	httpSrv.RegisterOnShutdown(srv.Drain) // ends the panels' event streams, which would hold Shutdown
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpSrv.Serve(ln) }()
	logger.Info("serving", "addr", ln.Addr().String(), "model", b.modelName)
	fmt.Fprintf(stdout, "csagent listening on http://%s\n", displayAddr(ln.Addr()))

	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down", "grace", cfg.grace)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.grace)
	defer cancel()
	// Stop taking new connections, then drain the websockets and the turns
	// they started; hijacked connections are the chat server's to close.
	httpErr := httpSrv.Shutdown(sctx)
	if err := srv.Shutdown(sctx); err != nil {
		logger.Warn("turns still running at the end of the grace period were cancelled", "err", err)
	}
	if httpErr != nil && !errors.Is(httpErr, context.DeadlineExceeded) {
		return fmt.Errorf("shut down: %w", httpErr)
	}
	logger.Info("stopped")
	return nil
}

// newServer wires the agent and the web server over pool as serve runs
// them; bench turn and bench load build theirs here too, so they measure
// what serve serves.
func (cfg *serveConfig) newServer(logger *slog.Logger, getenv func(string) string, auth *web.Auth, pool *pgxpool.Pool, migrator *migrations.Migrator) (*web.Server, *brain, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	b, err := cfg.agent.build(logger, getenv, pool, reg)
	if err != nil {
		return nil, nil, err
	}
	srv := web.NewServer(web.Options{
		Logger:         logger,
		Agent:          b.agent,
		Auth:           auth,
		Directory:      b.store,
		Pool:           pool,
		Tools:          b.tools,
		Translator:     b.translator,
		Ready:          readiness(pool, migrator),
		Registry:       reg,
		AllowedOrigins: splitList(cfg.allowedOrigins),
		FrameAncestors: splitList(cfg.frameAncestors),
		Limits:         cfg.chatLimits,
		Dev:            cfg.dev,
		Checker:        replyChecker{c: b.guard, audience: "seller"},
	})
	return srv, b, nil
}

// readiness reports ready when the database answers and the schema is
// current; once current, the schema check is not repeated.
func readiness(pool *pgxpool.Pool, m *migrations.Migrator) func(context.Context) error {
	var current atomic.Bool
	return func(ctx context.Context) error {
		if err := pool.Ping(ctx); err != nil {
			return fmt.Errorf("ping database: %w", err)
		}
		if current.Load() {
			return nil
		}
		ok, err := m.Current(ctx)
		if err != nil {
			return err
		}
		if !ok {
			return errors.New("database schema is behind: run csagent migrate")
		}
		current.Store(true)
		return nil
	}
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// displayAddr turns a listener's address into one a person can open.
func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || tcp.IP.IsUnspecified() {
		if ok {
			return fmt.Sprintf("localhost:%d", tcp.Port)
		}
	}
	return a.String()
}

// The providers fit what their consumers declare.
var (
	_ tools.Translator = (*agent.Translator)(nil)
	_ web.Directory    = (*tools.Store)(nil)
	_ web.ToolRunner   = (*tools.Registry)(nil)
	_ agent.Tools      = (*tools.Registry)(nil)
	_ agent.Effects    = (*tools.Store)(nil)
	_ agent.Model      = (*agent.Chain)(nil)
)
