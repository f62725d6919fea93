package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// The dashboard's daily rollups (ops_daily, migrations/00011_ops_rollups.sql):
// one row per day × locale × shop × set of models × experiment arm, built
// by the same
// per-conversation SQL as the live numbers (opsConvSQL), so a period read
// from the rollups has exactly the numbers the raw rows give. A day's rows
// are rebuilt whole, which makes every refresh idempotent.
//
// What can change a day after it closed, and how the refresher sees it:
//   - a late turn in one of its conversations: its messages' created_at
//     (the turn does not touch conversations.updated_at, which only a
//     status change sets, so that numbering a message stays a HOT update);
//   - a rating given later (ratings.updated_at) or a handoff opened later
//     (handoffs.created_at);
//   - its resolution: a conversation stops being resolved when the same
//     buyer starts another conversation about the same order within 72 h
//     of its last message, which can be days after it started. So for
//     every conversation changed since the last refresh, the days of the
//     same buyer's earlier conversations whose last activity is within
//     72 h before it are rebuilt too.
//
// Rows written with a past timestamp (an import, the history generator)
// are not seen by time: whoever writes them rebuilds their days
// (opsRollup.Rebuild, which `csagent seed --history` calls, or POST
// /v1/ops/rollups with from and to). Deleted rows likewise.

// opsRollupSQL rebuilds the rollup rows of the conversations started in
// [$1, $2) (whole UTC days).
//
// The arm is the variant filter's name for it, "experiment/variant" (null:
// in no experiment); below, the key columns hold the empty string for none,
// so the joins on them match.
const opsRollupSQL = `INSERT INTO ops_daily (day, locale, shop_id, models, variant, conversations, resolved, handoffs, rated, csat_sum,
    thumbs_up, thumbs_down, turns, pass, rewritten, fallback, injections, llm_fallbacks, tokens, cost, tool_calls, tool_errors,
    first_ms, first_n, total_ms, total_n, violations, tool_error_codes)
WITH ` + opsConvSQL + `,
grp AS (
    SELECT id, (created_at AT TIME ZONE 'UTC')::date AS day, locale, coalesce(shop_id, '') AS shop_id, models,
        coalesce(arm, '') AS arm FROM per
),
sums AS (
    SELECT (created_at AT TIME ZONE 'UTC')::date AS day, locale, coalesce(shop_id, '') AS shop_id, models,
        coalesce(arm, '') AS arm, count(*) AS n,
        count(*) FILTER (WHERE NOT handed_off AND NOT returned) AS resolved,
        count(*) FILTER (WHERE handed_off) AS handoffs,
        count(csat) AS rated, coalesce(sum(csat), 0) AS csat_sum,
        count(*) FILTER (WHERE thumbs = 'up') AS up, count(*) FILTER (WHERE thumbs = 'down') AS down,
        sum(turns) AS turns, sum(pass) AS pass, sum(rewritten) AS rewritten, sum(fallback) AS fallback,
        sum(injections) AS injections, sum(llm_fallbacks) AS llm_fallbacks,
        sum(tokens) AS tokens, sum(cost) AS cost, sum(tool_calls) AS tool_calls, sum(tool_errors) AS tool_errors
    FROM per GROUP BY 1, 2, 3, 4, 5
),
-- The replies, read once by conversation (the index), for the latencies
-- and violations: joined to grp directly, the planner (misled by per's
-- estimate) scanned every message of the table twice.
replies AS MATERIALIZED (
    SELECT m.conversation_id, m.usage FROM conv JOIN messages m ON m.conversation_id = conv.id
    WHERE m.role = 'assistant' AND m.usage IS NOT NULL
),
lat AS (
    SELECT g.day, g.locale, g.shop_id, g.models, g.arm, x.kind, x.v, count(*) AS n
    FROM replies m JOIN grp g ON g.id = m.conversation_id,
        LATERAL (VALUES ('first', CASE WHEN m.usage ? 'first_token_ms' THEN ops_latency_bucket((m.usage ->> 'first_token_ms')::float8) END),
                        ('total', ops_latency_bucket((m.usage ->> 'total_ms')::float8))) AS x(kind, v)
    WHERE x.v IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7
),
hist AS (
    SELECT day, locale, shop_id, models, arm,
        coalesce(array_agg(v ORDER BY v) FILTER (WHERE kind = 'first'), '{}') AS first_ms,
        coalesce(array_agg(n ORDER BY v) FILTER (WHERE kind = 'first'), '{}') AS first_n,
        coalesce(array_agg(v ORDER BY v) FILTER (WHERE kind = 'total'), '{}') AS total_ms,
        coalesce(array_agg(n ORDER BY v) FILTER (WHERE kind = 'total'), '{}') AS total_n
    FROM lat GROUP BY 1, 2, 3, 4, 5
),
viol AS (
    SELECT day, locale, shop_id, models, arm, jsonb_object_agg(code, n) AS codes
    FROM (SELECT g.day, g.locale, g.shop_id, g.models, g.arm, v AS code, count(*) AS n
          FROM replies m JOIN grp g ON g.id = m.conversation_id,
              jsonb_array_elements_text(coalesce(m.usage -> 'guardrail' -> 'violations', '[]')) AS v
          GROUP BY 1, 2, 3, 4, 5, 6) x
    GROUP BY 1, 2, 3, 4, 5
),
terr AS (
    SELECT day, locale, shop_id, models, arm, jsonb_object_agg(code, n) AS codes
    FROM (SELECT g.day, g.locale, g.shop_id, g.models, g.arm, tc.error_code AS code, count(*) AS n
          FROM grp g JOIN tool_calls tc ON tc.conversation_id = g.id
          WHERE tc.error_code IS NOT NULL
          GROUP BY 1, 2, 3, 4, 5, 6) x
    GROUP BY 1, 2, 3, 4, 5
)
SELECT s.day, s.locale, s.shop_id, s.models, nullif(s.arm, ''), s.n, s.resolved, s.handoffs, s.rated, s.csat_sum, s.up, s.down,
    s.turns, s.pass, s.rewritten, s.fallback, s.injections, s.llm_fallbacks, s.tokens, s.cost, s.tool_calls, s.tool_errors,
    coalesce(h.first_ms, '{}'), coalesce(h.first_n, '{}'), coalesce(h.total_ms, '{}'), coalesce(h.total_n, '{}'),
    coalesce(v.codes, '{}'), coalesce(t.codes, '{}')
FROM sums s
LEFT JOIN hist h USING (day, locale, shop_id, models, arm)
LEFT JOIN viol v USING (day, locale, shop_id, models, arm)
LEFT JOIN terr t USING (day, locale, shop_id, models, arm)`

// opsTouchedDaysSQL lists the days whose rollups may have changed since
// $1: the start days of the conversations changed since (a message, a
// status change, a rating, a handoff), and of the same buyers' earlier
// conversations whose resolution those may have turned (their last
// activity, a status change or a message, within 72 h before the changed
// one started).
const opsTouchedDaysSQL = `WITH touched AS (
    SELECT id, buyer_id, created_at FROM conversations WHERE updated_at >= $1
    UNION
    SELECT c.id, c.buyer_id, c.created_at FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.created_at >= $1
    UNION
    SELECT c.id, c.buyer_id, c.created_at FROM ratings r JOIN conversations c ON c.id = r.conversation_id WHERE r.updated_at >= $1
    UNION
    SELECT c.id, c.buyer_id, c.created_at FROM handoffs h JOIN conversations c ON c.id = h.conversation_id WHERE h.created_at >= $1
)
SELECT (created_at AT TIME ZONE 'UTC')::date FROM touched
UNION
SELECT (a.created_at AT TIME ZONE 'UTC')::date FROM touched b
    JOIN conversations a ON a.buyer_id = b.buyer_id AND a.created_at <= b.created_at
        AND (a.updated_at >= b.created_at - interval '72 hours'
            OR EXISTS (SELECT 1 FROM messages am WHERE am.conversation_id = a.id
                AND am.created_at >= b.created_at - interval '72 hours'))
ORDER BY 1`

// opsRefreshSlack is how far before the oldest running transaction the
// next refresh looks again: rows are stamped when their transaction
// starts (now()), and some with a time taken in Go a moment before.
const opsRefreshSlack = time.Minute

// opsRollup keeps ops_daily current. Refreshes of one server run one at a
// time; replicas serialise per day on an advisory lock.
type opsRollup struct {
	db     querier
	logger *slog.Logger
	mu     sync.Mutex
}

// Refresh rebuilds the days changed since the last refresh (every day,
// the first time) and returns how many it rebuilt.
func (r *opsRollup) Refresh(ctx context.Context) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var watermark *time.Time
	var next time.Time
	var resets int64
	// The next watermark is taken before anything is read: a row committed
	// later was stamped after the oldest transaction now running began.
	err := r.db.QueryRow(ctx, `SELECT s.watermark, s.resets, least(clock_timestamp(), coalesce(
            (SELECT min(xact_start) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL),
            clock_timestamp())) - make_interval(secs => $1)
        FROM ops_rollup_state s`, opsRefreshSlack.Seconds()).Scan(&watermark, &resets, &next)
	if err != nil {
		return 0, fmt.Errorf("read the rollup watermark: %w", err)
	}
	var days []time.Time
	if watermark == nil {
		rows, err := r.db.Query(ctx, `SELECT DISTINCT (created_at AT TIME ZONE 'UTC')::date FROM conversations
            UNION SELECT day FROM ops_daily ORDER BY 1`)
		if err != nil {
			return 0, fmt.Errorf("list the days to roll up: %w", err)
		}
		days, err = pgx.CollectRows(rows, pgx.RowTo[time.Time])
		if err != nil {
			return 0, fmt.Errorf("list the days to roll up: %w", err)
		}
	} else {
		rows, err := r.db.Query(ctx, opsTouchedDaysSQL, *watermark)
		if err != nil {
			return 0, fmt.Errorf("list the changed days: %w", err)
		}
		days, err = pgx.CollectRows(rows, pgx.RowTo[time.Time])
		if err != nil {
			return 0, fmt.Errorf("list the changed days: %w", err)
		}
	}
	if err := r.rebuildDays(ctx, days); err != nil {
		return 0, err
	}
	// Unless a rebuild of every day was asked for meanwhile.
	if _, err := r.db.Exec(ctx, `UPDATE ops_rollup_state SET watermark = greatest(watermark, $1), refreshed_at = now()
        WHERE resets = $2`, next, resets); err != nil {
		return 0, fmt.Errorf("advance the rollup watermark: %w", err)
	}
	return len(days), nil
}

// Rebuild rebuilds the rollups of the days from through to (inclusive,
// UTC), as after rows were written with past timestamps.
func (r *opsRollup) Rebuild(ctx context.Context, from, to time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var days []time.Time
	for d := from.UTC().Truncate(24 * time.Hour); !d.After(to); d = d.Add(24 * time.Hour) {
		days = append(days, d)
	}
	if err := r.rebuildDays(ctx, days); err != nil {
		return err
	}
	if _, err := r.db.Exec(ctx, `UPDATE ops_rollup_state SET refreshed_at = now()`); err != nil {
		return fmt.Errorf("stamp the rollups: %w", err)
	}
	return nil
}

// opsRebuildSpan is the most consecutive days one statement rebuilds: a
// statement pays for a few whole-table reads (ratings, tool calls) once,
// so a full rebuild goes by weeks; a refresh usually touches one day.
const opsRebuildSpan = 7

// rebuildDays replaces the rows of days, in runs of consecutive days, one
// transaction per run.
func (r *opsRollup) rebuildDays(ctx context.Context, days []time.Time) error {
	for i := 0; i < len(days); {
		first := time.Date(days[i].Year(), days[i].Month(), days[i].Day(), 0, 0, 0, 0, time.UTC)
		end := first.Add(24 * time.Hour)
		for i++; i < len(days) && end.Sub(first) < opsRebuildSpan*24*time.Hour && days[i].Equal(end); i++ {
			end = end.Add(24 * time.Hour)
		}
		err := pgx.BeginFunc(ctx, r.db, func(tx pgx.Tx) error {
			// Another replica rebuilding one of these days waits here;
			// the statements below then see what it wrote.
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('ops_daily'), d - date '2000-01-01')
                FROM generate_series($1::date, $2::date - 1, interval '1 day') AS g(t), LATERAL (SELECT t::date AS d) x ORDER BY d`, first, end); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `SET LOCAL jit = off; SET LOCAL work_mem = '64MB'`); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM ops_daily WHERE day >= $1::date AND day < $2::date`, first, end); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, opsRollupSQL, first, end, "", "", "", "", "")
			return err
		})
		if err != nil {
			return fmt.Errorf("roll up %s to %s: %w", first.Format(time.DateOnly), end.Add(-24*time.Hour).Format(time.DateOnly), err)
		}
	}
	return nil
}

// run refreshes every interval until ctx ends, then closes done.
func (r *opsRollup) run(ctx context.Context, every time.Duration, done chan<- struct{}) {
	defer close(done)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if _, err := r.Refresh(ctx); err != nil && ctx.Err() == nil {
			r.logger.WarnContext(ctx, "refresh the ops rollups", "err", err)
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return
		}
	}
}

// opsRollupFilter is the WHERE clause of ops_daily for a filter: $1 and
// $2 the period, $3 locale, $4 shop, $5 model, $6 experiment or
// experiment/variant, matched against the row's "experiment/variant" part
// by part exactly as opsConvSQL matches the conversation's two columns.
const opsRollupFilter = `day >= $1::date AND day < $2::date AND ($3 = '' OR locale = $3)
    AND ($4 = '' OR shop_id = $4) AND ($5 = '' OR $5 = ANY (models))
    AND ($6 = '' OR (split_part(variant, '/', 1) = split_part($6, '/', 1)
        AND (strpos($6, '/') = 0 OR split_part(variant, '/', 2) = split_part($6, '/', 2))))`

// opsRollupDays is opsDays read from the rollups: the additive numbers
// summed per day in SQL, the latency histograms merged per day here.
func opsRollupDays(ctx context.Context, db querier, f opsFilter) ([]opsDay, error) {
	rows, err := db.Query(ctx, `SELECT day, sum(conversations), sum(resolved), sum(handoffs), sum(rated),
        sum(csat_sum), sum(thumbs_up), sum(thumbs_down), sum(turns), sum(pass), sum(rewritten), sum(fallback),
        sum(injections), sum(llm_fallbacks), sum(tokens), sum(cost)::float8, sum(tool_calls), sum(tool_errors),
        NULL::float8, NULL::float8, NULL::float8, NULL::float8
    FROM ops_daily WHERE `+opsRollupFilter+`
    GROUP BY day HAVING sum(conversations) > 0 ORDER BY day`, opsRollupArgs(f)...)
	if err != nil {
		return nil, fmt.Errorf("query daily rollups: %w", err)
	}
	days, err := collectDays(rows)
	if err != nil {
		return nil, err
	}
	byDay := make(map[time.Time]*opsDay, len(days))
	for i := range days {
		days[i].first, days[i].total = latHist{}, latHist{}
		byDay[days[i].Day] = &days[i]
	}
	rows, err = db.Query(ctx, `SELECT day, first_ms, first_n, total_ms, total_n FROM ops_daily WHERE `+opsRollupFilter, opsRollupArgs(f)...)
	if err != nil {
		return nil, fmt.Errorf("query latency rollups: %w", err)
	}
	var day time.Time
	var fms, fn, tms, tn []int32
	_, err = pgx.ForEachRow(rows, []any{&day, &fms, &fn, &tms, &tn}, func() error {
		if d := byDay[day]; d != nil {
			d.first.add(fms, fn)
			d.total.add(tms, tn)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read latency rollups: %w", err)
	}
	for i := range days {
		d := &days[i]
		d.FirstP50, d.FirstP95 = d.first.percentile(0.5), d.first.percentile(0.95)
		d.TotalP50, d.TotalP95 = d.total.percentile(0.5), d.total.percentile(0.95)
		d.hasLatency = len(d.total) > 0
	}
	return days, nil
}

// latHist counts latencies (bucketed by ops_latency_bucket) by value: a
// histogram that merges by adding counts.
type latHist map[int32]int64

func (h latHist) add(values, counts []int32) {
	for i, v := range values {
		if i < len(counts) {
			h[v] += int64(counts[i])
		}
	}
}

func (h latHist) merge(o latHist) {
	for v, n := range o {
		h[v] += n
	}
}

// percentile is what Postgres's percentile_cont(p) gives over the values
// counted, to the last bit: the values at ranks floor and ceil of
// p × (n − 1), interpolated the way float8_lerp does; NaN when empty.
func (h latHist) percentile(p float64) float64 {
	var total int64
	values := make([]int32, 0, len(h))
	for v, n := range h {
		values = append(values, v)
		total += n
	}
	if total == 0 {
		return math.NaN()
	}
	slices.Sort(values)
	at := func(rank int64) float64 {
		var below int64
		for _, v := range values {
			below += h[v]
			if rank < below {
				return float64(v)
			}
		}
		return float64(values[len(values)-1])
	}
	pos := p * float64(total-1)
	lo, hi := math.Floor(pos), math.Ceil(pos)
	a := at(int64(lo))
	if lo == hi {
		return a
	}
	// The explicit conversion keeps the compiler from fusing the multiply
	// and add, which would round differently from Postgres.
	return a + float64((at(int64(hi))-a)*(pos-lo))
}

// collectDays reads the rows of opsDays and opsRollupDays.
func collectDays(rows pgx.Rows) ([]opsDay, error) {
	days, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (opsDay, error) {
		var d opsDay
		var f50, f95, t50, t95 *float64
		err := r.Scan(&d.Day, &d.Conversations, &d.Resolved, &d.Handoffs, &d.Rated, &d.CSATSum, &d.ThumbsUp, &d.ThumbsDown,
			&d.Turns, &d.Pass, &d.Rewritten, &d.Fallback, &d.Injections, &d.LLMFallbacks, &d.Tokens, &d.Cost,
			&d.ToolCalls, &d.ToolErrors, &f50, &f95, &t50, &t95)
		d.FirstP50, d.FirstP95, d.TotalP50, d.TotalP95 = orNaN(f50), orNaN(f95), orNaN(t50), orNaN(t95)
		d.hasLatency = t50 != nil
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("read daily numbers: %w", err)
	}
	return days, nil
}

// opsRollupPeriod is opsPeriodNumbers read from the rollups: days are
// the period's, as opsRollupDays returned them, histograms included.
func opsRollupPeriod(ctx context.Context, db querier, f opsFilter, days []opsDay) (opsPeriod, error) {
	var p opsPeriod
	for _, d := range days {
		p.add(d)
	}
	first, total := latHist{}, latHist{}
	for _, d := range days {
		first.merge(d.first)
		total.merge(d.total)
	}
	p.FirstP50, p.FirstP95 = first.percentile(0.5), first.percentile(0.95)
	p.TotalP50, p.TotalP95 = total.percentile(0.5), total.percentile(0.95)
	var viol, terr []byte
	err := db.QueryRow(ctx, `WITH sel AS MATERIALIZED (
    SELECT violations, tool_error_codes FROM ops_daily WHERE `+opsRollupFilter+`
)
SELECT (SELECT coalesce(jsonb_agg(jsonb_build_array(code, n) ORDER BY n DESC, code), '[]') FROM
        (SELECT code, sum(n::bigint) AS n FROM sel, jsonb_each_text(sel.violations) AS x(code, n) GROUP BY code ORDER BY 2 DESC, 1 LIMIT 10) v),
    (SELECT coalesce(jsonb_agg(jsonb_build_array(code, n) ORDER BY n DESC, code), '[]') FROM
        (SELECT code, sum(n::bigint) AS n FROM sel, jsonb_each_text(sel.tool_error_codes) AS x(code, n) GROUP BY code ORDER BY 2 DESC, 1 LIMIT 20) t)`,
		opsRollupArgs(f)...).Scan(&viol, &terr)
	if err != nil {
		return p, fmt.Errorf("query period rollups: %w", err)
	}
	p.ResolvedCost = ratio(p.Cost, float64(p.Resolved))
	p.ResolvedTokens = ratio(float64(p.Tokens), float64(p.Resolved))
	if p.Violations, err = codeCounts(viol, p.Turns); err != nil {
		return p, fmt.Errorf("read violation codes: %w", err)
	}
	if p.ToolErrors, err = codeCounts(terr, p.ToolCalls); err != nil {
		return p, fmt.Errorf("read tool error codes: %w", err)
	}
	return p, nil
}

// codeCounts reads [[code, count], …] with each count's share of total.
func codeCounts(raw []byte, total int) ([]opsCount, error) {
	var pairs [][2]json.RawMessage
	if err := json.Unmarshal(raw, &pairs); err != nil {
		return nil, err
	}
	var out []opsCount
	for _, p := range pairs {
		var c opsCount
		if err := json.Unmarshal(p[0], &c.Code); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(p[1], &c.Count); err != nil {
			return nil, err
		}
		c.Share = ratio(float64(c.Count), float64(total))
		out = append(out, c)
	}
	return out, nil
}

// opsRollupChoices are the filter choices from the rollups: reading the
// raw rows for them scanned every message of 90 days.
func opsRollupChoices(ctx context.Context, db querier) (opsChoices, error) {
	var c opsChoices
	err := db.QueryRow(ctx, `SELECT
        ARRAY(SELECT DISTINCT locale FROM ops_daily ORDER BY 1),
        ARRAY(SELECT id FROM shops ORDER BY 1),
        ARRAY(SELECT 'local' UNION SELECT DISTINCT unnest(models) FROM ops_daily WHERE day > current_date - 90 ORDER BY 1)`).
		Scan(&c.Locales, &c.Shops, &c.Models)
	if err != nil {
		return c, fmt.Errorf("query filter choices: %w", err)
	}
	c.Models = slices.DeleteFunc(c.Models, func(s string) bool { return s == "" })
	c.Routes = opsRoutes
	return c, nil
}

// opsRefreshedAt is when the rollups were last refreshed, zero if never.
func opsRefreshedAt(ctx context.Context, db querier) (time.Time, error) {
	var at *time.Time
	if err := db.QueryRow(ctx, `SELECT refreshed_at FROM ops_rollup_state`).Scan(&at); err != nil {
		return time.Time{}, fmt.Errorf("read when the rollups were refreshed: %w", err)
	}
	if at == nil {
		return time.Time{}, nil
	}
	return *at, nil
}

type rollupRequest struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// handleOpsRollups refreshes the rollups now: the days changed since the
// last refresh, or, given from and to, every day of that range (after an
// import of past rows).
func (s *Server) handleOpsRollups() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := decode[rollupRequest](w, r, 0)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var n int
		if req.From != "" || req.To != "" {
			from, errF := time.Parse(time.DateOnly, req.From)
			to, errT := time.Parse(time.DateOnly, req.To)
			if errors.Join(errF, errT) != nil || to.Before(from) || to.Sub(from) > maxOpsDays*24*time.Hour {
				writeError(w, r, codeInvalid, fmt.Sprintf("from and to must be dates (YYYY-MM-DD), in order, at most %d days apart", maxOpsDays))
				return
			}
			err, n = s.rollup.Rebuild(r.Context(), from, to), int(to.Sub(from).Hours()/24)+1
		} else {
			n, err = s.rollup.Refresh(r.Context())
		}
		if err != nil {
			opsFail(w, r, s.logger, err)
			return
		}
		encode(w, r, http.StatusOK, map[string]int{"days": n})
	})
}

// opsRollupArgs are the SQL arguments of opsRollupFilter for f: those of
// opsConvSQL but the route, which the rollups are not kept by (a route
// filter reads the raw rows).
func opsRollupArgs(f opsFilter) []any { return opsArgs(f)[:6] }
