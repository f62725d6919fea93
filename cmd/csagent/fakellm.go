package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/csagent/csagent/internal/fakellm"
)

// fakeConfig is the scripted upstream as the fakellm command configures it.
type fakeConfig struct {
	common
	addr       string
	ttft       time.Duration
	tps        float64
	faultRates string
	script     string
	seed       int
	model      string
}

// runFakeLLM serves internal/fakellm on a port until ctx ends, so anyone can
// benchmark csagent, or another agent framework, against the same upstream.
// Without a script, or once the script is used up, the autopilot answers.
func runFakeLLM(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg fakeConfig
	f := newFlags("fakellm", getenv, stderr)
	f.string(&cfg.logLevel, "log-level", "info", "debug, info, warn or error", "CSAGENT_LOG_LEVEL")
	f.string(&cfg.logFormat, "log-format", "text", "text or json", "CSAGENT_LOG_FORMAT")
	f.string(&cfg.addr, "addr", "127.0.0.1:8090", "address to listen on", "CSAGENT_FAKELLM_ADDR")
	f.duration(&cfg.ttft, "ttft", 0, "time to the first token of every answer", "CSAGENT_FAKELLM_TTFT")
	f.float(&cfg.tps, "tokens-per-second", 0, "pace of streamed tokens after the first; 0 for as fast as possible", "CSAGENT_FAKELLM_TOKENS_PER_SECOND")
	f.string(&cfg.faultRates, "fault-rate", "", "random faults per chat request, e.g. 429=0.01,500=0.01,502=0.01,cut=0.01,hang=0.001", "CSAGENT_FAKELLM_FAULT_RATE")
	f.string(&cfg.script, "script", "", "JSON-lines file of replies to give in order before the autopilot takes over", "CSAGENT_FAKELLM_SCRIPT")
	f.int(&cfg.seed, "seed", 1, "seed of the fault draws, so a run can be repeated", "CSAGENT_FAKELLM_SEED")
	f.string(&cfg.model, "model", "fake-model", "model name /v1/models lists", "CSAGENT_FAKELLM_MODEL")
	if err := f.Parse(args); err != nil {
		return err
	}
	logger, err := cfg.logger(stderr)
	if err != nil {
		return err
	}
	opts, replies, err := cfg.options(getenv)
	if err != nil {
		return err
	}
	srv := fakellm.New(opts)
	srv.Push(replies...)

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	url := "http://" + displayAddr(ln.Addr()) + "/v1"
	logger.Info("fakellm serving", "addr", ln.Addr().String(), "ttft", cfg.ttft, "tokens_per_second", cfg.tps,
		"fault_rate", cfg.faultRates, "scripted_replies", len(replies))
	fmt.Fprintf(stdout, "fakellm listening on %s\n", url)
	return serveUntilDone(ctx, ln, srv, logger)
}

// options turns the flags into the fake's Options and the script's replies.
func (cfg *fakeConfig) options(getenv func(string) string) (fakellm.Options, []fakellm.Reply, error) {
	rates, err := fakellm.ParseFaultRates(cfg.faultRates)
	if err != nil {
		return fakellm.Options{}, nil, usageError{fmt.Sprintf("--fault-rate: %v", err)}
	}
	if cfg.ttft < 0 || cfg.tps < 0 {
		return fakellm.Options{}, nil, usageError{"--ttft and --tokens-per-second cannot be negative"}
	}
	var replies []fakellm.Reply
	if cfg.script != "" {
		f, err := os.Open(cfg.script)
		if err != nil {
			return fakellm.Options{}, nil, fmt.Errorf("open script: %w", err)
		}
		defer f.Close()
		if replies, err = fakellm.ReadScript(f); err != nil {
			return fakellm.Options{}, nil, fmt.Errorf("%s: %w", cfg.script, err)
		}
	}
	return fakellm.Options{
		Model: cfg.model,
		// The key is optional and read from the environment only, like
		// csagent's own secrets.
		APIKey:           getenv("CSAGENT_FAKELLM_API_KEY"),
		TimeToFirstToken: cfg.ttft,
		TokensPerSecond:  cfg.tps,
		FaultRates:       rates,
		Seed:             int64(cfg.seed),
		Respond:          fakellm.Autopilot,
		// A long benchmark must not grow the fake's memory.
		RecordLimit: -1,
	}, replies, nil
}

// serveUntilDone serves h on ln until ctx ends. Requests see ctx as their
// base, so a hanging fault or a slow stream ends with it and shutdown
// never waits on them.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger) error {
	httpSrv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpSrv.Serve(ln) }()
	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := httpSrv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-serveErr; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	logger.Info("fakellm stopped")
	return nil
}
