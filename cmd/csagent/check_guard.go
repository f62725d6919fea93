package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local"
	"github.com/csagent/csagent/guardrails"
	"github.com/csagent/csagent/web"
)

// The guardrails as serve, eval and bench wire them: built from the
// banned-phrase file (--guardrails-config) or the built-in list, reloaded
// on SIGHUP, and checking the seller panel's suggested replies too.

// guardrailsConfig reads the configuration at path, or returns the
// built-in one when path is empty.
func guardrailsConfig(path string) (guardrails.Config, error) {
	if path == "" {
		return guardrails.DefaultConfig(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return guardrails.Config{}, fmt.Errorf("open guardrails config: %w", err)
	}
	defer f.Close()
	cfg, err := guardrails.LoadConfig(f)
	if err != nil {
		return guardrails.Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// newGuardrails builds the checker from the configuration at path.
func newGuardrails(path string) (*guardrails.Checker, error) {
	cfg, err := guardrailsConfig(path)
	if err != nil {
		return nil, err
	}
	return guardrails.New(cfg)
}

// reloadGuardrails reads path again into c. A file that cannot be read or
// is invalid leaves the rules in force and is reported.
func reloadGuardrails(c *guardrails.Checker, path string) error {
	cfg, err := guardrailsConfig(path)
	if err != nil {
		return err
	}
	return c.Reload(cfg)
}

// reloadOnHangup reloads the guardrails' file on every SIGHUP until ctx
// ends, logging each outcome. It returns once ctx is done.
func reloadOnHangup(ctx context.Context, logger *slog.Logger, c *guardrails.Checker, path string) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	reloadOn(ctx, hup, logger, c, path)
}

// reloadOn reloads path into c on every value of hup until ctx ends.
func reloadOn(ctx context.Context, hup <-chan os.Signal, logger *slog.Logger, c *guardrails.Checker, path string) {
	logger = logger.With("component", "guardrails")
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			if path == "" {
				logger.Info("SIGHUP: no --guardrails-config file; the built-in rules stay", "rules", c.RuleCount())
				continue
			}
			if err := reloadGuardrails(c, path); err != nil {
				logger.Error("SIGHUP: guardrails config not reloaded; the previous rules stay", "file", path, "err", err, "rules", c.RuleCount())
				continue
			}
			logger.Info("SIGHUP: guardrails config reloaded", "file", path, "rules", c.RuleCount())
		}
	}
}

// judge returns the guardrails' LLM judge when it is asked for and an LLM
// is configured: the primary model alone, since the local model the chain
// ends in cannot judge. nil otherwise.
func (c *agentConfig) judge(getenv func(string) string, modelName string) agent.Judge {
	if !c.guardrailsJudge || modelName == local.Name {
		return nil
	}
	key := getenv("CSAGENT_LLM_API_KEY")
	if key == "" {
		key = getenv("OPENAI_API_KEY")
	}
	m := agent.NewOpenAI(agent.OpenAIConfig{BaseURL: c.llm.baseURL, APIKey: key, Model: c.llm.model, RequestTimeout: agent.DefaultJudgeTimeout, MaxRetries: 0})
	return agent.NewLLMJudge(m, agent.DefaultJudgeTimeout)
}

// replyChecker holds suggested replies to the guardrails for an audience
// (the seller panel's drafts: "seller").
type replyChecker struct {
	c        *guardrails.Checker
	audience string
}

// CheckReply returns the output check's verdict on text against evidence,
// and the text that may be shown (rewritten when a sentence was removed).
func (r replyChecker) CheckReply(_ context.Context, text, locale string, evidence []string) (web.ReplyCheck, error) {
	res := r.c.CheckOutput(text, locale, r.audience, guardrails.Evidence{Texts: evidence})
	return web.ReplyCheck{Verdict: string(res.Verdict), Text: res.Text}, nil
}

// The guardrails fit what their consumers declare.
var (
	_ agent.Guard      = (*guardrails.Checker)(nil)
	_ web.ReplyChecker = replyChecker{}
)
