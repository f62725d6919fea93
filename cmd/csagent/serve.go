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
	frameAncestors string
	chatLimits     web.Limits
	llm            llmConfig
	translateURL   string
	convBudget     int
	dailyBudget    int
}

// llmConfig is the OpenAI-compatible upstream; with no model named, the
// local model answers alone.
type llmConfig struct {
	baseURL       string
	model         string
	fallbackModel string
	timeout       time.Duration
	retries       int
	priceIn       float64
	priceOut      float64
}

func (c *llmConfig) register(f *flags) {
	f.string(&c.baseURL, "llm-base-url", "https://api.openai.com/v1", "OpenAI-compatible API root (OpenAI, vLLM, Ollama, llama.cpp, LiteLLM)", "CSAGENT_LLM_BASE_URL")
	f.string(&c.model, "llm-model", "", "LLM model name; empty runs the built-in local model only", "CSAGENT_LLM_MODEL")
	f.string(&c.fallbackModel, "llm-fallback-model", "", "a second model on the same API, tried before the local model", "CSAGENT_LLM_FALLBACK_MODEL")
	f.duration(&c.timeout, "llm-timeout", 30*time.Second, "timeout of one LLM request", "CSAGENT_LLM_TIMEOUT")
	f.int(&c.retries, "llm-retries", 2, "retries of a failed LLM request (429, 5xx, cut streams)", "CSAGENT_LLM_RETRIES")
	f.float(&c.priceIn, "llm-price-in", 0, "USD per million prompt tokens, for cost estimates", "CSAGENT_LLM_PRICE_IN")
	f.float(&c.priceOut, "llm-price-out", 0, "USD per million completion tokens, for cost estimates", "CSAGENT_LLM_PRICE_OUT")
}

// models builds the brains: the LLM chain ending in the local model, or the
// local model alone. The API key is read from the environment only, so it
// never shows in a process list.
func (c *llmConfig) models(logger *slog.Logger, getenv func(string) string, localModel agent.Model) (agent.Model, string) {
	if c.model == "" {
		return localModel, local.Name
	}
	key := getenv("CSAGENT_LLM_API_KEY")
	if key == "" {
		key = getenv("OPENAI_API_KEY")
	}
	models := []agent.Model{agent.NewOpenAI(agent.OpenAIConfig{BaseURL: c.baseURL, APIKey: key, Model: c.model, RequestTimeout: c.timeout, MaxRetries: c.retries})}
	names := []string{c.model}
	if c.fallbackModel != "" {
		models = append(models, agent.NewOpenAI(agent.OpenAIConfig{BaseURL: c.baseURL, APIKey: key, Model: c.fallbackModel, RequestTimeout: c.timeout, MaxRetries: c.retries}))
		names = append(names, c.fallbackModel)
	}
	models = append(models, localModel)
	names = append(names, local.Name)
	return agent.NewChain(logger, models, names), c.model
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
	f.string(&cfg.frameAncestors, "frame-ancestors", "", "comma-separated origins (the shops' sites) allowed to embed the /chat widget in a frame, besides the server's own", "CSAGENT_FRAME_ANCESTORS")
	f.int(&cfg.chatLimits.MessagesPerMinute, "chat-messages-per-minute", 30, "messages one buyer may send per minute, websocket and HTTP together", "CSAGENT_CHAT_MESSAGES_PER_MINUTE")
	f.int(&cfg.chatLimits.ConnectionsPerBuyer, "chat-connections-per-buyer", 5, "chat websockets one buyer may hold open on one server", "CSAGENT_CHAT_CONNECTIONS_PER_BUYER")
	cfg.llm.register(f)
	f.string(&cfg.translateURL, "translate-url", "", "LibreTranslate-compatible API root for the translate tool (key in CSAGENT_TRANSLATE_API_KEY); without it an LLM translates, if configured", "CSAGENT_TRANSLATE_URL")
	f.int(&cfg.convBudget, "budget-conversation-tokens", 0, "LLM tokens one conversation may use before the local model takes over; 0 for no limit", "CSAGENT_BUDGET_CONVERSATION_TOKENS")
	f.int(&cfg.dailyBudget, "budget-daily-tokens", 0, "LLM tokens per UTC day before the local model takes over; 0 for no limit", "CSAGENT_BUDGET_DAILY_TOKENS")
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

	classifier, err := nlu.New()
	if err != nil {
		return fmt.Errorf("train the local model: %w", err)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	localModel := local.New(classifier)
	model, modelName := cfg.llm.models(logger, getenv, localModel)
	store := tools.NewStore(pool)
	var translator tools.Translator // nil: the translate tool answers unavailable
	switch {
	case cfg.translateURL != "":
		translator = tools.NewLibreTranslate(cfg.translateURL, getenv("CSAGENT_TRANSLATE_API_KEY"), nil)
	case modelName != local.Name:
		translator = agent.NewTranslator(model)
	}
	registry, err := tools.NewRegistry(logger, tools.NewAudit(pool), tools.All(store, translator)...)
	if err != nil {
		return err
	}
	var budgetModel agent.Model // answers once a budget is spent; none needed without an LLM
	if modelName != local.Name {
		budgetModel = localModel
	}
	ag := agent.New(agent.Options{
		Logger:        logger,
		Model:         model,
		Local:         budgetModel,
		Tools:         registry,
		Store:         agent.NewStore(pool),
		Confirmations: local.NewConfirmations(classifier),
		Summaries:     local.Summaries{},
		Metrics:       agent.NewMetrics(reg),
		Config: agent.Config{
			MaxSteps: cfg.maxSteps, TurnTimeout: cfg.turnTimeout,
			ConversationTokens: cfg.convBudget, DailyTokens: cfg.dailyBudget,
			PriceInPerMTok: cfg.llm.priceIn, PriceOutPerMTok: cfg.llm.priceOut,
		},
	})

	srv := web.NewServer(web.Options{
		Logger:         logger,
		Agent:          ag,
		Auth:           auth,
		Directory:      store,
		Pool:           pool,
		Tools:          registry,
		Translator:     translator,
		Ready:          readiness(pool, migrator),
		Registry:       reg,
		AllowedOrigins: splitList(cfg.allowedOrigins),
		FrameAncestors: splitList(cfg.frameAncestors),
		Limits:         cfg.chatLimits,
		Dev:            cfg.dev,
	})
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	httpSrv := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ErrorLog: nil}
	httpSrv.RegisterOnShutdown(srv.Drain) // ends the panels' event streams, which would hold Shutdown
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpSrv.Serve(ln) }()
	logger.Info("serving", "addr", ln.Addr().String(), "model", modelName)
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

// The providers fit what their consumers declare.
var (
	_ tools.Translator = (*agent.Translator)(nil)
	_ web.Directory    = (*tools.Store)(nil)
	_ web.ToolRunner   = (*tools.Registry)(nil)
	_ agent.Tools      = (*tools.Registry)(nil)
	_ agent.Model      = (*agent.Chain)(nil)
)
