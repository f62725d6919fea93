package agent

import "github.com/prometheus/client_golang/prometheus"

// routeMetrics counts local-first routing's decisions, the policy answer
// cache and the budgets' warnings.
type routeMetrics struct {
	routes      *prometheus.CounterVec
	cache       *prometheus.CounterVec
	budgetWarn  *prometheus.CounterVec
	budgetSpent *prometheus.CounterVec
}

func newRouteMetrics(reg prometheus.Registerer) *routeMetrics {
	m := &routeMetrics{
		routes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "csagent_route_turns_total",
			Help: "Local-first routing's decisions, by route and reason: local (the turn went to the local model), llm (to the LLM), escalated (a turn sent to the local model, which gave it up, went on to the LLM: it also counts once as local), cache (the policy answer cache answered).",
		}, []string{"route", "reason"}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "csagent_policy_cache_total",
			Help: "Policy answer cache lookups and stores: result hit_exact, hit_similar, miss, stored, skipped (an answer that may not be cached); memory (a hit served from the process's own copy under the policy generation the turn read with its message, with no lookup round trip: also counted as hit_exact or hit_similar); and the guardrails on an answer served: guard_checked (checked, under rules it had not passed under before), guard_known (passed before under the same rules against the same evidence: not checked again).",
		}, []string{"result"}),
		budgetWarn: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "csagent_budget_warnings_total",
			Help: "Turns that started with an LLM token budget at 80 % or more of its limit (but not spent), by budget: conversation, daily, shop_daily.",
		}, []string{"budget"}),
		budgetSpent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "csagent_budget_handovers_total",
			Help: "Turns the local model answered because an LLM token budget was spent, by budget: conversation, daily, shop_daily.",
		}, []string{"budget"}),
	}
	reg.MustRegister(m.routes, m.cache, m.budgetWarn, m.budgetSpent)
	return m
}

func (m *Metrics) observeRoute(route, reason string) {
	if m == nil || m.route == nil {
		return
	}
	m.route.routes.WithLabelValues(route, reason).Inc()
}

func (m *Metrics) observeCache(result string) {
	if m == nil || m.route == nil {
		return
	}
	m.route.cache.WithLabelValues(result).Inc()
}

func (m *Metrics) observeBudget(budget string, spent bool) {
	if m == nil || m.route == nil {
		return
	}
	if spent {
		m.route.budgetSpent.WithLabelValues(budget).Inc()
		return
	}
	m.route.budgetWarn.WithLabelValues(budget).Inc()
}
