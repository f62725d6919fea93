package main

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/experiment"
	"github.com/csagent/csagent/agent/local"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/guardrails"
	"github.com/csagent/csagent/retrieval"
	"github.com/csagent/csagent/tools"
)

// agentConfig is everything that decides how the agent answers: its
// brains, its limits and its tools' upstreams. serve, eval and bench share
// it, so an eval run measures the agent the server runs.
type agentConfig struct {
	maxSteps     int
	turnTimeout  time.Duration
	llm          llmConfig
	embed        embedConfig
	translateURL string
	convBudget   int
	dailyBudget  int
	// guardrailsConfig is the banned-phrase file; empty for the built-in list.
	guardrailsConfig string
	// guardrailsJudge asks the LLM about policy statements the
	// deterministic support score cannot decide.
	guardrailsJudge bool
	// shopDailyBudget is the LLM tokens one shop's conversations may use
	// per UTC day.
	shopDailyBudget int
	route           routeConfig
	// policyCache answers a policy question asked before from the answer
	// stored then.
	policyCache bool
	// experimentsFile declares the variants and experiments; empty runs
	// none. variant, for eval run only, runs every conversation in it.
	experimentsFile string
	variant         string
}

func (c *agentConfig) register(f *flags) {
	f.int(&c.maxSteps, "max-steps", 8, "most model calls in one turn", "CSAGENT_MAX_STEPS")
	f.duration(&c.turnTimeout, "turn-timeout", 60*time.Second, "longest a turn may take", "CSAGENT_TURN_TIMEOUT")
	c.llm.register(f)
	c.embed.register(f)
	f.string(&c.translateURL, "translate-url", "", "LibreTranslate-compatible API root for the translate tool (key in CSAGENT_TRANSLATE_API_KEY); without it an LLM translates, if configured", "CSAGENT_TRANSLATE_URL")
	f.int(&c.convBudget, "budget-conversation-tokens", 0, "LLM tokens one conversation may use before the local model takes over; 0 for no limit", "CSAGENT_BUDGET_CONVERSATION_TOKENS")
	f.int(&c.dailyBudget, "budget-daily-tokens", 0, "LLM tokens per UTC day before the local model takes over; 0 for no limit", "CSAGENT_BUDGET_DAILY_TOKENS")
	f.string(&c.guardrailsConfig, "guardrails-config", "", "banned-phrase and threshold file (YAML) of the guardrails, reloaded on SIGHUP; the built-in list when empty", "CSAGENT_GUARDRAILS_CONFIG")
	f.int(&c.shopDailyBudget, "budget-shop-daily-tokens", 0, "LLM tokens one shop's conversations may use per UTC day before the local model takes over; 0 for no limit", "CSAGENT_BUDGET_SHOP_DAILY_TOKENS")
	c.route.register(f)
	f.bool(&c.policyCache, "policy-cache", false, "answer a policy question asked before (same question, or same retrieved passages and kind of question) from the stored guard-passed answer; re-ingesting a policy invalidates it", "CSAGENT_POLICY_CACHE")
	f.bool(&c.guardrailsJudge, "guardrails-judge", false, "with an LLM configured, let it judge policy statements the guardrails' support score cannot decide (one call per turn at most, 5s timeout)", "CSAGENT_GUARDRAILS_JUDGE")
	f.string(&c.experimentsFile, "experiments", "", "experiments file (YAML): variants and the experiments that assign buyers to them, reloaded on SIGHUP; none when empty", "CSAGENT_EXPERIMENTS")
}

// brain is the wired agent and the parts of it the web server also uses.
type brain struct {
	agent      *agent.Agent
	tools      *tools.Registry
	store      *tools.Store
	translator tools.Translator // nil when nothing can translate
	modelName  string
	guard      *guardrails.Checker
	// experiments is the experiments file in force; nil without one.
	experiments *experiment.Set
	// metrics is the registry serve's admin listener exposes; set by
	// serveConfig.newServer.
	metrics *prometheus.Registry
}

// trainClassifier trains the local model's classifier. The tests train it
// once for the whole test binary (training is deterministic and the
// classifier is read-only once trained): under the race detector one
// training takes tens of seconds, and every serve and eval run builds a
// brain.
var trainClassifier = nlu.New

// build trains the local model and wires the agent with its tools over
// pool, registering its metrics in reg.
func (c *agentConfig) build(logger *slog.Logger, getenv func(string) string, pool *pgxpool.Pool, reg prometheus.Registerer) (*brain, error) {
	if err := c.route.check(); err != nil {
		return nil, err
	}
	classifier, err := trainClassifier()
	if err != nil {
		return nil, fmt.Errorf("train the local model: %w", err)
	}
	if err := local.TrainFollowUps(); err != nil {
		return nil, fmt.Errorf("train the local model's follow-up reader: %w", err)
	}
	localModel := local.New(classifier)
	model, modelName := c.llm.models(logger, getenv, localModel)
	store := tools.NewStore(pool)
	var translator tools.Translator // nil: the translate tool answers unavailable
	switch {
	case c.translateURL != "":
		translator = tools.NewLibreTranslate(c.translateURL, getenv("CSAGENT_TRANSLATE_API_KEY"), nil)
	case modelName != local.Name:
		translator = agent.NewTranslator(model)
	}
	// Both brains answer policy questions through search_policy, over the
	// documents `csagent seed --demo` or `csagent ingest` stored with the
	// same embedder.
	policies, err := c.embed.store(pool, getenv, c.llm.baseURL)
	if err != nil {
		return nil, err
	}
	// The search adds the policies' words for the buyer's, for both brains.
	search := retrieval.SearchToolMulti(policies, local.PolicyQueries)
	registry, err := tools.NewRegistry(logger, tools.NewAudit(pool), append(tools.All(store, translator), search)...)
	if err != nil {
		return nil, err
	}
	guard, err := newGuardrails(c.guardrailsConfig)
	if err != nil {
		return nil, err
	}
	set, err := c.experimentSet(logger, getenv, guard, localModel)
	if err != nil {
		return nil, err
	}
	exps, err := c.experimentsFor(set)
	if err != nil {
		return nil, err
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
		Effects:       store,
		Confirmations: local.NewConfirmations(classifier),
		Summaries:     local.Summaries{},
		Guard:         guard,
		Judge:         c.judge(getenv, modelName),
		Reader:        localModel,
		Experiments:   exps,
		Metrics:       agent.NewMetrics(reg),
		Config: agent.Config{
			MaxSteps: c.maxSteps, TurnTimeout: c.turnTimeout,
			ConversationTokens: c.convBudget, DailyTokens: c.dailyBudget, ShopDailyTokens: c.shopDailyBudget,
			Routing: c.route.routing(), PolicyCache: c.policyCache,
			PriceInPerMTok: c.llm.priceIn, PriceOutPerMTok: c.llm.priceOut,
		},
	})
	return &brain{agent: ag, tools: registry, store: store, translator: translator, modelName: modelName, guard: guard, experiments: set}, nil
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
