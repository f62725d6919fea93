package web

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// The operations dashboard's numbers, all computed in SQL from what the
// agent already records: conversations, the transcript (each reply's usage
// record and guardrail verdict), handoffs, ratings and the tool_calls audit.

// opsFilter selects the conversations the dashboard counts: those started
// in [From, To) that match every filter set.
type opsFilter struct {
	From, To time.Time
	Locale   string
	Shop     string
	// Model is the model that answered at least one turn ("local" is the
	// built-in brain).
	Model string
	// Route is a local-first routing route (agent.RouteLocal, RouteLLM,
	// RouteEscalated, RouteCache) at least one turn took.
	Route string
	// Variant is an experiment ("prompt-v2": every arm) or one of its
	// arms ("prompt-v2/concise"): the conversations exposed to it at
	// their first message (agent/experiment).
	Variant string
}

// days is the length of the period in whole days.
func (f opsFilter) days() int { return int(f.To.Sub(f.From).Hours() / 24) }

// previous is the period of the same length just before f.
func (f opsFilter) previous() opsFilter {
	p := f
	p.From, p.To = f.From.Add(-f.To.Sub(f.From)), f.From
	return p
}

// opsConvSQL is the per-conversation row every number is built from, as
// CTEs over the conversations of [$1, $2) matching the filters $3 locale,
// $4 shop, $5 model, $6 experiment (or experiment/variant) and $7 route.
// The final CTE, per, has one row per conversation.
//
// Resolved: the conversation was never handed off (no handoff row, not
// waiting for or taken by a person) and the same buyer did not start
// another conversation about an order this one was about, within 72 hours
// of this one's last message. An order is "about" a conversation when the
// buyer wrote its id or a tool was called with it.
const opsConvSQL = `
conv AS (
    SELECT c.id, c.buyer_id, c.locale, c.shop_id, c.status, c.created_at, c.experiment, c.variant
    FROM conversations c
    WHERE c.created_at >= $1 AND c.created_at < $2
      AND ($3 = '' OR c.locale = $3)
      AND ($4 = '' OR c.shop_id = $4)
      AND ($5 = '' OR EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id
                              AND m.role = 'assistant' AND m.usage ->> 'model' = $5))
      AND ($6 = '' OR (c.experiment = split_part($6, '/', 1) AND (strpos($6, '/') = 0 OR c.variant = split_part($6, '/', 2))))
      AND ($7 = '' OR EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id
                              AND m.role = 'assistant' AND m.usage ->> 'route' = $7))
),
msg AS (
    SELECT m.conversation_id,
        max(m.created_at) AS last_at,
        count(*) FILTER (WHERE m.role = 'assistant') AS turns,
        count(*) FILTER (WHERE m.guardrail = 'pass') AS pass,
        count(*) FILTER (WHERE m.guardrail = 'rewritten') AS rewritten,
        count(*) FILTER (WHERE m.guardrail = 'fallback') AS fallback,
        count(*) FILTER (WHERE m.usage -> 'guardrail' ->> 'input' = 'injection') AS injections,
        count(*) FILTER (WHERE m.usage ->> 'fallback' LIKE 'fallback_from_%') AS llm_fallbacks,
        coalesce(sum((m.usage ->> 'prompt_tokens')::bigint + (m.usage ->> 'completion_tokens')::bigint), 0) AS tokens,
        coalesce(sum((m.usage ->> 'cost_usd')::numeric), 0) AS cost,
        array_agg(DISTINCT m.usage ->> 'model' ORDER BY m.usage ->> 'model')
            FILTER (WHERE m.role = 'assistant' AND m.usage ->> 'model' IS NOT NULL) AS models,
        avg((m.usage ->> 'total_ms')::float8) FILTER (WHERE m.role = 'assistant') AS latency
    FROM messages m JOIN conv ON conv.id = m.conversation_id
    GROUP BY m.conversation_id
),
cand AS (
    SELECT c2.id, c2.buyer_id, c2.created_at
    FROM conversations c2
    WHERE c2.created_at >= $1 AND c2.created_at < $2::timestamptz + interval '72 hours'
      AND c2.buyer_id IN (SELECT buyer_id FROM conv)
),
mention AS (
    SELECT cand.id, cand.buyer_id, cand.created_at, x[1] AS order_id
    FROM cand JOIN messages m ON m.conversation_id = cand.id AND m.role = 'user',
        regexp_matches(m.text, 'ORD-[0-9]{5}', 'g') AS x
    UNION
    SELECT cand.id, cand.buyer_id, cand.created_at, tc.arguments ->> 'order_id'
    FROM cand JOIN tool_calls tc ON tc.conversation_id = cand.id
    WHERE tc.arguments ? 'order_id'
),
-- The next conversation of the same buyer about the same order: one sort
-- (bytewise, which is all a grouping needs) instead of a self-join.
nxt AS (
    SELECT id, lead(created_at) OVER (PARTITION BY buyer_id COLLATE "C", order_id COLLATE "C" ORDER BY created_at, id COLLATE "C") AS next_at
    FROM mention
),
returned AS (
    SELECT DISTINCT nxt.id AS conversation_id
    FROM nxt JOIN msg ON msg.conversation_id = nxt.id
    WHERE nxt.next_at <= msg.last_at + interval '72 hours'
),
tools AS (
    SELECT tc.conversation_id, count(*) AS calls, count(tc.error_code) AS errors
    FROM tool_calls tc JOIN conv ON conv.id = tc.conversation_id
    GROUP BY tc.conversation_id
),
per AS (
    SELECT c.id, c.buyer_id, c.locale, c.shop_id, c.status, c.created_at,
        (c.status IN ('handoff', 'agent') OR EXISTS (SELECT 1 FROM handoffs h WHERE h.conversation_id = c.id)) AS handed_off,
        (c.id IN (SELECT conversation_id FROM returned)) AS returned,
        coalesce(msg.turns, 0) AS turns, coalesce(msg.pass, 0) AS pass, coalesce(msg.rewritten, 0) AS rewritten,
        coalesce(msg.fallback, 0) AS fallback, coalesce(msg.injections, 0) AS injections,
        coalesce(msg.llm_fallbacks, 0) AS llm_fallbacks, coalesce(msg.tokens, 0) AS tokens, coalesce(msg.cost, 0) AS cost,
        coalesce(tools.calls, 0) AS tool_calls, coalesce(tools.errors, 0) AS tool_errors,
        r.csat, r.thumbs, coalesce(msg.models, '{}') AS models, msg.latency, c.variant,
        c.experiment || '/' || c.variant AS arm
    FROM conv c
    LEFT JOIN msg ON msg.conversation_id = c.id
    LEFT JOIN tools ON tools.conversation_id = c.id
    LEFT JOIN ratings r ON r.conversation_id = c.id
)`

// opsDay is the additive numbers of one day (or, summed, of a period).
type opsDay struct {
	Day                          time.Time
	Conversations, Resolved      int
	Handoffs                     int
	Rated, CSATSum               int
	ThumbsUp, ThumbsDown         int
	Turns                        int
	Pass, Rewritten, Fallback    int
	Injections, LLMFallbacks     int
	Tokens                       int64
	Cost                         float64
	ToolCalls, ToolErrors        int
	FirstP50, FirstP95           float64
	TotalP50, TotalP95           float64
	hasLatency                   bool
	ResolvedCost, ResolvedTokens float64
	// first and total are the day's latency histograms, when read from
	// the rollups.
	first, total latHist
}

func (d *opsDay) add(o opsDay) {
	d.Conversations += o.Conversations
	d.Resolved += o.Resolved
	d.Handoffs += o.Handoffs
	d.Rated += o.Rated
	d.CSATSum += o.CSATSum
	d.ThumbsUp += o.ThumbsUp
	d.ThumbsDown += o.ThumbsDown
	d.Turns += o.Turns
	d.Pass += o.Pass
	d.Rewritten += o.Rewritten
	d.Fallback += o.Fallback
	d.Injections += o.Injections
	d.LLMFallbacks += o.LLMFallbacks
	d.Tokens += o.Tokens
	d.Cost += o.Cost
	d.ToolCalls += o.ToolCalls
	d.ToolErrors += o.ToolErrors
}

// ratio is a/b, or NaN when b is 0 (shown as "–", never as 0%).
func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

// opsArgs are the SQL arguments of opsConvSQL for f.
func opsArgs(f opsFilter) []any {
	return []any{f.From, f.To, f.Locale, f.Shop, f.Model, f.Variant, f.Route}
}

// opsDays returns one row per UTC day of f with conversations, in order,
// with each day's latency percentiles.
func opsDays(ctx context.Context, db querier, f opsFilter) ([]opsDay, error) {
	rows, err := db.Query(ctx, `WITH `+opsConvSQL+`,
daily AS (
    SELECT (created_at AT TIME ZONE 'UTC')::date AS day,
        count(*) AS n,
        count(*) FILTER (WHERE NOT handed_off AND NOT returned) AS resolved,
        count(*) FILTER (WHERE handed_off) AS handoffs,
        count(csat) AS rated, coalesce(sum(csat), 0) AS csat_sum,
        count(*) FILTER (WHERE thumbs = 'up') AS up, count(*) FILTER (WHERE thumbs = 'down') AS down,
        sum(turns) AS turns, sum(pass) AS pass, sum(rewritten) AS rewritten, sum(fallback) AS fallback,
        sum(injections) AS injections, sum(llm_fallbacks) AS llm_fallbacks,
        sum(tokens) AS tokens, sum(cost)::float8 AS cost, sum(tool_calls) AS tool_calls, sum(tool_errors) AS tool_errors
    FROM per GROUP BY 1
),
lat AS (
    SELECT (c.created_at AT TIME ZONE 'UTC')::date AS day,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY ops_latency_bucket((m.usage ->> 'first_token_ms')::float8)) FILTER (WHERE m.usage ? 'first_token_ms') AS f50,
        percentile_cont(0.95) WITHIN GROUP (ORDER BY ops_latency_bucket((m.usage ->> 'first_token_ms')::float8)) FILTER (WHERE m.usage ? 'first_token_ms') AS f95,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY ops_latency_bucket((m.usage ->> 'total_ms')::float8)) AS t50,
        percentile_cont(0.95) WITHIN GROUP (ORDER BY ops_latency_bucket((m.usage ->> 'total_ms')::float8)) AS t95
    FROM conv c JOIN messages m ON m.conversation_id = c.id AND m.role = 'assistant' AND m.usage IS NOT NULL
    GROUP BY 1
)
SELECT d.day, d.n, d.resolved, d.handoffs, d.rated, d.csat_sum, d.up, d.down, d.turns, d.pass, d.rewritten,
    d.fallback, d.injections, d.llm_fallbacks, d.tokens, d.cost, d.tool_calls, d.tool_errors,
    lat.f50, lat.f95, lat.t50, lat.t95
FROM daily d LEFT JOIN lat ON lat.day = d.day ORDER BY d.day`, opsArgs(f)...)
	if err != nil {
		return nil, fmt.Errorf("query daily numbers: %w", err)
	}
	return collectDays(rows)
}

func orNaN(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// opsPeriod is the whole period's numbers: the sum of its days, with the
// period's own latency percentiles, violation codes and tool errors.
type opsPeriod struct {
	opsDay
	Violations []opsCount
	ToolErrors []opsCount
}

// opsCount is how often a code occurred.
type opsCount struct {
	Code  string
	Count int
	Share float64
}

// opsPeriodNumbers returns the numbers of the period f.
func opsPeriodNumbers(ctx context.Context, db querier, f opsFilter, days []opsDay) (opsPeriod, error) {
	var p opsPeriod
	for _, d := range days {
		p.add(d)
	}
	var f50, f95, t50, t95 *float64
	err := db.QueryRow(ctx, `WITH `+opsConvSQL+`
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ops_latency_bucket((m.usage ->> 'first_token_ms')::float8)) FILTER (WHERE m.usage ? 'first_token_ms'),
    percentile_cont(0.95) WITHIN GROUP (ORDER BY ops_latency_bucket((m.usage ->> 'first_token_ms')::float8)) FILTER (WHERE m.usage ? 'first_token_ms'),
    percentile_cont(0.5) WITHIN GROUP (ORDER BY ops_latency_bucket((m.usage ->> 'total_ms')::float8)),
    percentile_cont(0.95) WITHIN GROUP (ORDER BY ops_latency_bucket((m.usage ->> 'total_ms')::float8))
FROM conv c JOIN messages m ON m.conversation_id = c.id AND m.role = 'assistant' AND m.usage IS NOT NULL`,
		opsArgs(f)...).Scan(&f50, &f95, &t50, &t95)
	if err != nil {
		return p, fmt.Errorf("query latency: %w", err)
	}
	p.FirstP50, p.FirstP95, p.TotalP50, p.TotalP95 = orNaN(f50), orNaN(f95), orNaN(t50), orNaN(t95)
	// Cost and tokens of the resolved conversations, for "per resolved
	// conversation": the whole spend over the resolved count is the
	// figure a budget holder wants (what one resolution costs), so this
	// is kept apart only for the table.
	p.ResolvedCost = ratio(p.Cost, float64(p.Resolved))
	p.ResolvedTokens = ratio(float64(p.Tokens), float64(p.Resolved))

	if p.Violations, err = opsCounts(ctx, db, `WITH `+opsConvSQL+`
SELECT v, count(*) FROM conv c JOIN messages m ON m.conversation_id = c.id AND m.role = 'assistant',
    jsonb_array_elements_text(coalesce(m.usage -> 'guardrail' -> 'violations', '[]')) AS v
GROUP BY v ORDER BY count(*) DESC, v LIMIT 10`, f, p.Turns); err != nil {
		return p, fmt.Errorf("query violation codes: %w", err)
	}
	if p.ToolErrors, err = opsCounts(ctx, db, `WITH `+opsConvSQL+`
SELECT tc.error_code, count(*) FROM conv c JOIN tool_calls tc ON tc.conversation_id = c.id
WHERE tc.error_code IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 20`, f, p.ToolCalls); err != nil {
		return p, fmt.Errorf("query tool errors: %w", err)
	}
	return p, nil
}

// opsCounts reads (code, count) rows, with each count's share of total.
func opsCounts(ctx context.Context, db querier, sql string, f opsFilter, total int) ([]opsCount, error) {
	rows, err := db.Query(ctx, sql, opsArgs(f)...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (opsCount, error) {
		var c opsCount
		err := r.Scan(&c.Code, &c.Count)
		c.Share = ratio(float64(c.Count), float64(total))
		return c, err
	})
}

// opsMetric names a set of conversations behind a number, for the
// drill-down: the SQL condition on a row of per ($8 is the code of
// violation and tool_error).
var opsMetrics = map[string]struct {
	Title string
	Where string
}{
	"all":          {"All conversations", "true"},
	"resolved":     {"Resolved", "NOT handed_off AND NOT returned"},
	"unresolved":   {"Not resolved", "(handed_off OR returned)"},
	"returned":     {"Buyer came back within 72 h", "returned AND NOT handed_off"},
	"handoff":      {"Handed off", "handed_off"},
	"rated":        {"Rated (CSAT)", "csat IS NOT NULL"},
	"low_csat":     {"CSAT 2 or less", "csat <= 2"},
	"thumbs_up":    {"Thumbs up", "thumbs = 'up'"},
	"thumbs_down":  {"Thumbs down", "thumbs = 'down'"},
	"pass":         {"A reply passed the guardrails", "pass > 0"},
	"rewritten":    {"A reply was rewritten", "rewritten > 0"},
	"fallback":     {"A reply fell back to the safe answer", "fallback > 0"},
	"injection":    {"Injection flagged", "injections > 0"},
	"llm_fallback": {"LLM fell back to the local model", "llm_fallbacks > 0"},
	"tool_error":   {"A tool call failed", "tool_errors > 0"},
	"violation": {"Guardrail violation", `EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = per.id AND m.role = 'assistant'
        AND m.usage -> 'guardrail' -> 'violations' ? $8)`},
	"tool_error_code": {"Tool error", `EXISTS (SELECT 1 FROM tool_calls tc WHERE tc.conversation_id = per.id AND tc.error_code = $8)`},
}

// opsConvRow is one conversation in a drill-down table.
type opsConvRow struct {
	ID, Buyer, Locale, Shop, Status string
	Started                         time.Time
	Turns                           int
	Resolved, HandedOff, Returned   bool
	Fallback, Injections            int
	ToolErrors                      int
	CSAT                            *int
	Thumbs                          *string
	Tokens                          int64
	Cost                            float64
}

// opsSorts are the drill-down's sortable columns and their SQL.
var opsSorts = map[string]string{
	"started": "created_at", "turns": "turns", "tokens": "tokens", "cost": "cost", "csat": "csat",
	"locale": "locale", "shop": "shop_id", "status": "status", "fallback": "fallback", "tool_errors": "tool_errors",
}

// opsDrillLimit bounds a drill-down table; the total is still counted.
const opsDrillLimit = 500

// opsConversations returns the conversations behind metric (with code for
// violation and tool_error_code) in f, sorted, and how many there are.
func opsConversations(ctx context.Context, db querier, f opsFilter, metric, code, sort string, desc bool) ([]opsConvRow, int, error) {
	m, ok := opsMetrics[metric]
	if !ok {
		return nil, 0, fmt.Errorf("%w: no such number %q", errOpsInvalid, metric)
	}
	col, ok := opsSorts[sort]
	if !ok {
		col = "created_at"
	}
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	where := m.Where
	if !strings.Contains(where, "$8") {
		where += " AND $8 = $8"
	}
	rows, err := db.Query(ctx, `WITH `+opsConvSQL+`
SELECT id, buyer_id, locale, coalesce(shop_id, ''), status, created_at, turns, handed_off, returned,
    fallback, injections, tool_errors, csat, thumbs, tokens, cost::float8, count(*) OVER ()
FROM per WHERE `+where+`
ORDER BY `+col+` `+dir+` NULLS LAST, id LIMIT `+fmt.Sprint(opsDrillLimit), append(opsArgs(f), code)...)
	if err != nil {
		return nil, 0, fmt.Errorf("query conversations behind %s: %w", metric, err)
	}
	total := 0
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (opsConvRow, error) {
		var c opsConvRow
		var csat *int16
		err := r.Scan(&c.ID, &c.Buyer, &c.Locale, &c.Shop, &c.Status, &c.Started, &c.Turns, &c.HandedOff, &c.Returned,
			&c.Fallback, &c.Injections, &c.ToolErrors, &csat, &c.Thumbs, &c.Tokens, &c.Cost, &total)
		if csat != nil {
			v := int(*csat)
			c.CSAT = &v
		}
		c.Resolved = !c.HandedOff && !c.Returned
		return c, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("read conversations behind %s: %w", metric, err)
	}
	return list, total, nil
}

// opsChoices are the values the filters offer.
type opsChoices struct {
	Locales, Shops, Models []string
	// Variants are the experiments file's experiments and their arms.
	Variants []string
	// Routes are the routing routes, a fixed list.
	Routes []string
}

func opsFilterChoices(ctx context.Context, db querier) (opsChoices, error) {
	var c opsChoices
	err := db.QueryRow(ctx, `SELECT
        ARRAY(SELECT DISTINCT locale FROM conversations ORDER BY 1),
        ARRAY(SELECT id FROM shops ORDER BY 1),
        ARRAY(SELECT name FROM (VALUES ('local')) v(name)
              UNION SELECT DISTINCT usage ->> 'model' FROM messages
              WHERE role = 'assistant' AND created_at > now() - interval '90 days' AND usage ? 'model' ORDER BY 1)`).
		Scan(&c.Locales, &c.Shops, &c.Models)
	if err != nil {
		return c, fmt.Errorf("query filter choices: %w", err)
	}
	c.Models = slices.DeleteFunc(c.Models, func(s string) bool { return s == "" })
	c.Routes = opsRoutes
	return c, nil
}

// opsRead runs read in one read-only, repeatable-read transaction, so all
// the numbers of a view come from one snapshot, with JIT compilation off:
// these queries are planned as expensive and Postgres would compile them
// on every call, which costs far more (half a second measured) than it
// saves on a dashboard's scans; with custom plans only; and with room to
// sort in memory.
func opsRead(ctx context.Context, db querier, read func(q querier) error) error {
	tx, err := db.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin dashboard read: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only: nothing to undo
	if _, err := tx.Exec(ctx, `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`); err != nil {
		return fmt.Errorf("set dashboard snapshot: %w", err)
	}
	// A generic plan (what a prepared statement gets after five calls)
	// cannot see that a filter is empty or how long the period is, and
	// picked nested loops that took minutes on 50,000 conversations.
	if _, err := tx.Exec(ctx, `SET LOCAL jit = off; SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL work_mem = '32MB'`); err != nil {
		return fmt.Errorf("set dashboard planner settings: %w", err)
	}
	return read(tx)
}
