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
	"github.com/csagent/csagent/agent/experiment"
	"github.com/csagent/csagent/migrations"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/web"
)

type serveConfig struct {
	common
	addr           string
	adminAddr      string
	publicOrigin   string
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
	f.string(&cfg.adminAddr, "admin-addr", "", "address of the operators' listener serving /metrics, e.g. 127.0.0.1:9090; empty serves no metrics. Never the public one", "CSAGENT_ADMIN_ADDR")
	f.string(&cfg.publicOrigin, "public-origin", "", "scheme and host the pages are served from (https://support.example.com), the origin that may open the chat websocket; in --dev, the listen address", "CSAGENT_PUBLIC_ORIGIN")
	f.duration(&cfg.grace, "shutdown-grace", 25*time.Second, "how long a shutdown waits for in-flight turns", "CSAGENT_SHUTDOWN_GRACE")
	f.string(&cfg.allowedOrigins, "allowed-origins", "", "comma-separated browser origins allowed to open the chat websocket besides the server's own; * for any", "CSAGENT_ALLOWED_ORIGINS")
	f.string(&cfg.frameAncestors, "frame-ancestors", "", "comma-separated origins (the shops' sites) allowed to embed the /chat widget in a frame, besides the server's own", "CSAGENT_FRAME_ANCESTORS")
	f.int(&cfg.chatLimits.MessagesPerMinute, "chat-messages-per-minute", 30, "messages one buyer may send per minute, websocket and HTTP together", "CSAGENT_CHAT_MESSAGES_PER_MINUTE")
	f.int(&cfg.chatLimits.ConnectionsPerBuyer, "chat-connections-per-buyer", 5, "chat websockets one buyer may hold open on one server", "CSAGENT_CHAT_CONNECTIONS_PER_BUYER")
	f.int(&cfg.chatLimits.ConversationsPerHour, "chat-conversations-per-hour", 60, "conversations one buyer may start per hour on one server, websocket and HTTP together", "CSAGENT_CHAT_CONVERSATIONS_PER_HOUR")
	f.int(&cfg.chatLimits.ConversationBurst, "chat-conversation-burst", 10, "conversations one buyer may start at once before the hourly rate applies", "CSAGENT_CHAT_CONVERSATION_BURST")
	f.int(&cfg.chatLimits.SellerMessagesPerMinute, "seller-messages-per-minute", 30, "replies one seller may send per minute on one server", "CSAGENT_SELLER_MESSAGES_PER_MINUTE")
	f.int(&cfg.chatLimits.SuggestionsPerMinute, "seller-suggestions-per-minute", 20, "suggested-reply and translation requests one seller may make per minute on one server", "CSAGENT_SELLER_SUGGESTIONS_PER_MINUTE")
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

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	defer ln.Close()
	if cfg.publicOrigin == "" && cfg.dev {
		// Both spellings of a local address, as a developer may open either.
		host := displayAddr(ln.Addr())
		cfg.publicOrigin = "http://" + host
		cfg.allowedOrigins += ",http://" + strings.Replace(host, "localhost:", "127.0.0.1:", 1)
	}
	if cfg.publicOrigin == "" {
		logger.Warn("no --public-origin: only --allowed-origins and clients that send no Origin may open the chat websocket")
	}
	srv, b, err := cfg.newServer(logger, getenv, auth, pool, migrator)
	if err != nil {
		return err
	}
	if cfg.adminAddr != "" {
		stopAdmin, err := serveAdmin(logger, cfg.adminAddr, b.metrics, stdout)
		if err != nil {
			return err
		}
		defer stopAdmin()
	}
	// SIGHUP reloads the guardrails' banned-phrase file, until serve returns.
	hupCtx, stopHUP := context.WithCancel(ctx)
	hupDone := make(chan struct{})
	go func() {
		defer close(hupDone)
		reloadOnHangup(hupCtx, logger, b.guard, cfg.agent.guardrailsConfig)
	}()
	defer func() { stopHUP(); <-hupDone }()
	if b.experiments != nil {
		// The same SIGHUP reloads the experiments file: editing it and
		// sending SIGHUP is how an experiment starts and stops.
		expDone := make(chan struct{})
		go func() {
			defer close(expDone)
			reloadExperimentsOnHangup(hupCtx, logger, b.experiments, cfg.agent.experimentsFile)
		}()
		defer func() { stopHUP(); <-expDone }()
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
	b.metrics = reg
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
		PublicOrigin:   cfg.publicOrigin,
		AllowedOrigins: splitList(cfg.allowedOrigins),
		FrameAncestors: splitList(cfg.frameAncestors),
		Limits:         cfg.chatLimits,
		Dev:            cfg.dev,
		Checker:        replyChecker{c: b.guard, audience: "seller"},
		Experiments:    webExperiments(b.experiments),
	})
	return srv, b, nil
}

// webExperiments is set as the web server takes it: no interface holding
// a nil pointer.
func webExperiments(s *experiment.Set) web.Experiments {
	if s == nil {
		return nil
	}
	return s
}

// serveAdmin serves the operators' endpoints (/metrics) on addr until the
// returned stop is called.
func serveAdmin(logger *slog.Logger, addr string, reg *prometheus.Registry, stdout io.Writer) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on the admin address %s: %w", addr, err)
	}
	srv := &http.Server{Handler: web.NewAdminHandler(reg), ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			logger.Error("admin listener failed", "err", err)
		}
	}()
	logger.Info("serving metrics", "admin_addr", ln.Addr().String())
	fmt.Fprintf(stdout, "csagent metrics on http://%s/metrics\n", displayAddr(ln.Addr()))
	return func() {
		srv.Close() //nolint:errcheck // scrapes in flight may be cut
		<-done
	}, nil
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
