package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/migrations"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/web"
)

type serveConfig struct {
	common
	addr           string
	grace          time.Duration
	maxSteps       int
	turnTimeout    time.Duration
	allowedOrigins string
}

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg serveConfig
	f := newFlags("serve", getenv, stderr)
	cfg.common.register(f)
	f.string(&cfg.addr, "addr", ":8080", "address to listen on", "CSAGENT_ADDR")
	f.duration(&cfg.grace, "shutdown-grace", 25*time.Second, "how long a shutdown waits for in-flight turns", "CSAGENT_SHUTDOWN_GRACE")
	f.int(&cfg.maxSteps, "max-steps", 8, "most model calls in one turn", "CSAGENT_MAX_STEPS")
	f.duration(&cfg.turnTimeout, "turn-timeout", 60*time.Second, "longest a turn may take", "CSAGENT_TURN_TIMEOUT")
	f.string(&cfg.allowedOrigins, "allowed-origins", "", "comma-separated browser origins allowed to open the chat websocket besides the server's own; * for any", "CSAGENT_ALLOWED_ORIGINS")
	if err := f.Parse(args); err != nil {
		return err
	}
	logger, err := cfg.logger(stderr)
	if err != nil {
		return err
	}
	secret, err := cfg.authSecret(getenv)
	if err != nil {
		return err
	}
	auth, err := web.NewAuth(secret)
	if err != nil {
		return err
	}

	pool, err := cfg.openPool(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	migrator, err := migrations.New(pool, logger)
	if err != nil {
		return err
	}
	defer migrator.Close()
	if _, err := migrator.Up(ctx); err != nil {
		return err
	}

	classifier, err := nlu.New()
	if err != nil {
		return fmt.Errorf("train the local model: %w", err)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	store := tools.NewStore(pool)
	registry, err := tools.NewRegistry(logger, tools.NewAudit(pool), tools.GetOrder(store))
	if err != nil {
		return err
	}
	ag := agent.New(logger, local.New(classifier), registry, agent.NewStore(pool), agent.NewMetrics(reg),
		agent.Config{MaxSteps: cfg.maxSteps, TurnTimeout: cfg.turnTimeout})

	srv := web.NewServer(web.Options{
		Logger:         logger,
		Agent:          ag,
		Auth:           auth,
		Directory:      store,
		Ready:          readiness(pool, migrator),
		Registry:       reg,
		AllowedOrigins: splitList(cfg.allowedOrigins),
	})
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	httpSrv := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ErrorLog: nil}
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpSrv.Serve(ln) }()
	logger.Info("serving", "addr", ln.Addr().String(), "model", local.Name)
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
