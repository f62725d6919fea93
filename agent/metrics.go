package agent

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/csagent/csagent/guardrails"
	"github.com/csagent/csagent/tools"
)

// Metrics counts turns and tool calls for Prometheus. A nil *Metrics counts
// nothing.
type Metrics struct {
	turns     *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	steps     prometheus.Histogram
	tokens    *prometheus.CounterVec
	toolCalls *prometheus.CounterVec
	toolTime  *prometheus.HistogramVec
	cost      *prometheus.CounterVec
	firstTok  *prometheus.HistogramVec

	expTurns    *prometheus.CounterVec
	expDuration *prometheus.HistogramVec

	guardVerdicts   *prometheus.CounterVec
	guardViolations *prometheus.CounterVec
	guardTime       *prometheus.HistogramVec

	route *routeMetrics
}

// NewMetrics registers the agent's metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		turns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "csagent_turns_total", Help: "Chat turns answered, by model and fallback reason (empty when none).",
		}, []string{"model", "fallback"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "csagent_turn_duration_seconds", Help: "Time from a buyer's message to the stored reply.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 14),
		}, []string{"model"}),
		steps: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "csagent_turn_steps", Help: "Model calls per turn.", Buckets: prometheus.LinearBuckets(1, 1, 10),
		}),
		tokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "csagent_model_tokens_total", Help: "Tokens sent to and received from models.",
		}, []string{"model", "direction"}),
		toolCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "csagent_tool_calls_total", Help: "Tool calls, by tool and result code (ok on success).",
		}, []string{"tool", "code"}),
		toolTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "csagent_tool_duration_seconds", Help: "Tool call latency.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 3, 12),
		}, []string{"tool"}),
	}
	m.cost = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "csagent_model_cost_usd_total", Help: "Estimated LLM spend in US dollars, from the configured prices.",
	}, []string{"model"})
	m.firstTok = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "csagent_turn_first_token_seconds", Help: "Time from a buyer's message to the model's first streamed text.",
		Buckets: prometheus.ExponentialBuckets(0.005, 2.5, 12),
	}, []string{"model"})
	m.guardVerdicts = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "csagent_guardrail_verdicts_total",
		Help: "Guardrail verdicts by kind: reply (pass, rewritten, fallback), draft (regenerate), input (clean, injection), tool (withheld), judge (cleared, flagged, confirmed, error).",
	}, []string{"kind", "verdict"})
	m.guardViolations = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "csagent_guardrail_violations_total", Help: "Guardrail violations found, by type and rule.",
	}, []string{"type", "rule"})
	m.guardTime = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "csagent_guardrail_check_seconds", Help: "Time of one guardrail check: output (a reply), input (a buyer's message), tool (a tool result), judge (an LLM judgement).",
		Buckets: prometheus.ExponentialBuckets(0.000005, 2.5, 10),
	}, []string{"check"})
	// Experiment labels take only the names of the experiments file in
	// force (agent/experiment bounds them), never a stored one.
	m.expTurns = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "csagent_experiment_turns_total", Help: "Turns of conversations in a running experiment, by experiment, variant and the reply's guardrail verdict.",
	}, []string{"experiment", "variant", "verdict"})
	m.expDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "csagent_experiment_turn_duration_seconds", Help: "Time from a buyer's message to the stored reply, in a running experiment, by experiment and variant.",
		Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 14),
	}, []string{"experiment", "variant"})
	reg.MustRegister(m.expTurns, m.expDuration)
	reg.MustRegister(m.turns, m.duration, m.steps, m.tokens, m.toolCalls, m.toolTime, m.cost, m.firstTok,
		m.guardVerdicts, m.guardViolations, m.guardTime)
	m.route = newRouteMetrics(reg)
	return m
}

func (m *Metrics) observeTurn(u TurnUsage, d time.Duration) {
	if m == nil {
		return
	}
	model := u.Model
	if model == "" {
		model = "none"
	}
	m.turns.WithLabelValues(model, u.Fallback).Inc()
	m.duration.WithLabelValues(model).Observe(d.Seconds())
	m.steps.Observe(float64(u.Steps))
	m.tokens.WithLabelValues(model, "in").Add(float64(u.PromptTokens))
	m.tokens.WithLabelValues(model, "out").Add(float64(u.CompletionTokens))
	m.cost.WithLabelValues(model).Add(u.CostUSD)
	if u.FirstTokenMS > 0 {
		m.firstTok.WithLabelValues(model).Observe(float64(u.FirstTokenMS) / 1000)
	}
	if u.Experiment != "" && u.Variant != "" {
		m.expTurns.WithLabelValues(u.Experiment, u.Variant, u.Guardrail.verdict()).Inc()
		m.expDuration.WithLabelValues(u.Experiment, u.Variant).Observe(d.Seconds())
	}
}

func (m *Metrics) observeTool(name string, o tools.Outcome) {
	if m == nil {
		return
	}
	code := "ok"
	if o.Err != nil {
		code = string(o.Err.Code)
	}
	m.toolCalls.WithLabelValues(name, code).Inc()
	m.toolTime.WithLabelValues(name).Observe(o.Latency.Seconds())
}

func (m *Metrics) observeGuardVerdict(kind, verdict string) {
	if m == nil {
		return
	}
	m.guardVerdicts.WithLabelValues(kind, verdict).Inc()
}

func (m *Metrics) observeGuardViolation(v guardrails.Violation) {
	if m == nil {
		return
	}
	m.guardViolations.WithLabelValues(v.Type, v.Rule).Inc()
}

func (m *Metrics) observeGuardCheck(check string, d time.Duration) {
	if m == nil {
		return
	}
	m.guardTime.WithLabelValues(check).Observe(d.Seconds())
}
