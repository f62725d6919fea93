package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/experiment"
	"github.com/csagent/csagent/agent/local"
	"github.com/csagent/csagent/guardrails"
	"github.com/csagent/csagent/web"
)

// Experiments as serve, eval and bench wire them: the file named by
// --experiments, built into an experiment.Set over the server's
// guardrails and brains, reloaded on SIGHUP; and the `csagent experiment`
// command that reads one out.

// loadExperiments reads and validates the experiments file at path.
func loadExperiments(path string) (experiment.Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return experiment.Config{}, fmt.Errorf("open experiments file: %w", err)
	}
	defer f.Close()
	cfg, err := experiment.LoadConfig(f)
	if err != nil {
		return experiment.Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// experimentSet builds the Set of c's experiments file over guard, with
// variants' brains made as the server makes its own; nil without a file.
func (c *agentConfig) experimentSet(logger *slog.Logger, getenv func(string) string, guard *guardrails.Checker, localModel agent.Model) (*experiment.Set, error) {
	if c.experimentsFile == "" {
		return nil, nil
	}
	cfg, err := loadExperiments(c.experimentsFile)
	if err != nil {
		return nil, err
	}
	set, err := experiment.NewSet(experiment.Options{Guard: guard, Models: c.variantModels(logger, getenv, localModel)}, cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.experimentsFile, err)
	}
	return set, nil
}

// variantModels builds the brain a variant names: the local model, or an
// LLM on the configured API (its key from the environment), falling back
// to the local model as the server's own LLM does.
func (c *agentConfig) variantModels(logger *slog.Logger, getenv func(string) string, localModel agent.Model) func(experiment.ModelSpec) (agent.Model, error) {
	return func(s experiment.ModelSpec) (agent.Model, error) {
		if s.Brain == "local" {
			return localModel, nil
		}
		key := getenv("CSAGENT_LLM_API_KEY")
		if key == "" {
			key = getenv("OPENAI_API_KEY")
		}
		llm := agent.NewOpenAI(agent.OpenAIConfig{BaseURL: c.llm.baseURL, APIKey: key, Model: s.Name, RequestTimeout: c.llm.timeout,
			MaxRetries: c.llm.retries, Temperature: s.Temperature})
		return agent.NewChain(logger, []agent.Model{llm, localModel}, []string{s.Name, local.Name}), nil
	}
}

// experimentsFor returns what the agent is built with: for an eval run on
// one variant, every conversation in it; otherwise the file's experiments
// (nil without a file).
func (c *agentConfig) experimentsFor(set *experiment.Set) (agent.Experiments, error) {
	if c.variant == "" {
		if set == nil {
			return nil, nil
		}
		return set, nil
	}
	if set == nil && c.variant != experiment.Control {
		return nil, usageError{"--variant needs --experiments FILE (or CSAGENT_EXPERIMENTS), the file that declares it"}
	}
	v, ok := set.Overrides(c.variant)
	if !ok {
		return nil, usageError{fmt.Sprintf("--variant %q: no such variant in %s", c.variant, c.experimentsFile)}
	}
	return onlyVariant{name: c.variant, v: v}, nil
}

// onlyVariant puts every conversation in one variant, under the
// experiment name "eval": `csagent eval run --variant NAME`.
type onlyVariant struct {
	name string
	v    agent.Variant
}

const evalExperiment = "eval"

func (o onlyVariant) Arms(string, string) []agent.Arm {
	return []agent.Arm{{Experiment: evalExperiment, Variant: o.name}}
}

func (o onlyVariant) Variant(exp, variant string) (agent.Variant, bool) {
	return o.v, exp == evalExperiment && variant == o.name
}

// reloadExperimentsOnHangup reloads the experiments file into set on every
// SIGHUP until ctx ends, logging each outcome: an invalid file leaves the
// one in force. Stopping an experiment in the file and sending SIGHUP is
// the kill switch.
func reloadExperimentsOnHangup(ctx context.Context, logger *slog.Logger, set *experiment.Set, path string) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	reloadExperimentsOn(ctx, hup, logger, set, path)
}

func reloadExperimentsOn(ctx context.Context, hup <-chan os.Signal, logger *slog.Logger, set *experiment.Set, path string) {
	logger = logger.With("component", "experiments")
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			cfg, err := loadExperiments(path)
			if err == nil {
				err = set.Reload(cfg)
			}
			if err != nil {
				logger.Error("SIGHUP: experiments file not reloaded; the one in force stays", "file", path, "err", err)
				continue
			}
			logger.Info("SIGHUP: experiments file reloaded", "file", path, "experiments", len(cfg.Experiments), "variants", len(cfg.Variants))
		}
	}
}

const experimentUsage = `usage:
  csagent experiment check FILE          validate an experiments file and list what it runs now
  csagent experiment report [--json] NAME   read out an experiment (--experiments FILE or CSAGENT_EXPERIMENTS)`

func runExperiment(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{experimentUsage}
	}
	switch args[0] {
	case "check":
		return runExperimentCheck(args[1:], getenv, stdout, stderr)
	case "report":
		return runExperimentReport(ctx, args[1:], getenv, stdout, stderr)
	}
	return usageError{experimentUsage}
}

func runExperimentCheck(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newFlags("experiment check", getenv, stderr)
	if err := f.Parse(args); err != nil {
		return err
	}
	if f.NArg() != 1 {
		return usageError{experimentUsage}
	}
	cfg, err := loadExperiments(f.Arg(0))
	if err != nil {
		return err
	}
	now := time.Now()
	fmt.Fprintf(stdout, "%s: %d variants, %d experiments\n", f.Arg(0), len(cfg.Variants), len(cfg.Experiments))
	for _, e := range cfg.Experiments {
		state := "not running"
		if e.Running(now) {
			state = "running"
		}
		fmt.Fprintf(stdout, "  %s (%s): horizon %d per arm;", e.Name, state, e.Horizon)
		for _, a := range e.Arms {
			fmt.Fprintf(stdout, " %s %g%%", a.Variant, a.Share)
		}
		fmt.Fprintln(stdout)
	}
	return nil
}

func runExperimentReport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var c common
	var file string
	var asJSON bool
	f := newFlags("experiment report", getenv, stderr)
	c.register(f)
	f.string(&file, "experiments", "", "the experiments file that declares the experiment (its arms, shares and horizon)", "CSAGENT_EXPERIMENTS")
	f.BoolVar(&asJSON, "json", false, "print the readout as JSON")
	if err := f.Parse(args); err != nil {
		return err
	}
	if f.NArg() != 1 {
		return usageError{experimentUsage}
	}
	if file == "" {
		return usageError{"csagent experiment report needs --experiments FILE (or CSAGENT_EXPERIMENTS)"}
	}
	cfg, err := loadExperiments(file)
	if err != nil {
		return err
	}
	name := f.Arg(0)
	e, ok := cfg.Experiment(name)
	if !ok {
		return fmt.Errorf("no experiment %q in %s", name, file)
	}
	pool, err := c.openPool(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	from, to := web.ExperimentPeriod(e, time.Now())
	outs, err := web.ExperimentOutcomes(ctx, pool, name, from, to)
	if err != nil {
		return err
	}
	r := experiment.Analyze(e, outs, experiment.AnalyzeOptions{Seed: web.ReadoutSeed(name)})
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return experiment.WriteText(stdout, r)
}
