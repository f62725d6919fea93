package agent

import "github.com/jackc/pgx/v5"

// Budgets: past a conversation's, the day's or the shop's day's LLM token
// budget, the local model answers. A turn that starts with a budget at 80 %
// or more counts a warning (csagent_budget_warnings_total), so operators
// see a budget coming before it bites.

// budgetWarnAt is the share of a budget from which a turn counts a warning.
const budgetWarnAt = 0.8

// spentBudget returns the budget st shows spent ("conversation_budget",
// "daily_budget", "shop_budget"), or "" while every budget lasts. It counts
// the spent budget, or each budget at 80 % or more, in the metrics.
func (a *Agent) spentBudget(st *turnState) string {
	q := a.stateQuery()
	budgets := []struct {
		on          bool
		used, limit int
		name, why   string
	}{
		{q.convTokens, st.convTokens, a.cfg.ConversationTokens, "conversation", "conversation_budget"},
		{q.tokens, st.dailyTokens, a.cfg.DailyTokens, "daily", "daily_budget"},
		{q.shopTokens, st.shopTokens, a.cfg.ShopDailyTokens, "shop_daily", "shop_budget"},
	}
	why := ""
	for _, b := range budgets {
		switch {
		case !b.on:
		case b.used >= b.limit:
			if why == "" {
				why = b.why
				a.metrics.observeBudget(b.name, true)
			}
		case float64(b.used) >= budgetWarnAt*float64(b.limit):
			a.metrics.observeBudget(b.name, false)
		}
	}
	return why
}

// queueShopTokens queues the read of the day's tokens of convID's shop
// (migrations/00013_routing.sql): 0 for a conversation no shop's order
// has come up in yet.
func queueShopTokens(b *pgx.Batch, convID string) {
	b.Queue(`SELECT coalesce(sum(u.tokens), 0) FROM shop_token_usage u
		WHERE u.day = (now() AT TIME ZONE 'UTC')::date AND u.shop_id = (SELECT c.shop_id FROM conversations c WHERE c.id = $1)`, convID)
}
