package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools/demo"
)

// historyNow is the end of the benchmark's generated month: fixed, so the
// template database the history is written into is built once.
var historyNow = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

// BenchmarkOpsDashboard answers the 30-day dashboard (two periods, plots,
// tables) over CSAGENT_OPS_BENCH_N generated conversations of one turn
// each (default 50,000; the figure in docs/performance.md is for
// 1,000,000) over 60 days, through the handler and real Postgres: from
// the rollups, and from the raw rows (source=live, what every view did
// before the rollups). It also times the drill-downs, which read raw rows,
// and the rebuild of one day's rollups, what the refresher does for the
// open day.
func BenchmarkOpsDashboard(b *testing.B) {
	n := 50000
	if s := os.Getenv("CSAGENT_OPS_BENCH_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	pool := pgtest.New(b, pgtest.Seed{Name: "ops_rollup_history_" + strconv.Itoa(n), Run: func(ctx context.Context, pool *pgxpool.Pool) error {
		if err := demo.Seed(ctx, pool, historyNow); err != nil {
			return err
		}
		start := time.Now()
		if err := demo.History(ctx, pool, n, 60, historyNow); err != nil {
			return err
		}
		generated := time.Now()
		// History asked for a rebuild of every day.
		if _, err := (&opsRollup{db: pool, logger: logger}).Refresh(ctx); err != nil {
			return err
		}
		b.Logf("history of %d conversations written in %s, rolled up in %s", n, generated.Sub(start).Round(time.Second), time.Since(generated).Round(time.Second))
		_, err := pool.Exec(ctx, `ANALYZE`)
		return err
	}})
	var count, rows int
	if err := pool.QueryRow(b.Context(), `SELECT (SELECT count(*) FROM messages WHERE role = 'assistant' AND created_at >= $1), (SELECT count(*) FROM ops_daily)`,
		historyNow.Add(-30*24*time.Hour)).Scan(&count, &rows); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d turns in the 30-day view, %d generated over 60 days; %d rollup rows", count, n, rows)
	s := &Server{logger: logger}
	for _, c := range []struct{ name, path string }{
		{"dashboard_30d", "/v1/ops/dashboard?from=2026-10-31&to=2026-11-29"},
		{"dashboard_30d_model", "/v1/ops/dashboard?from=2026-10-31&to=2026-11-29&model=gpt-4o-mini"},
		{"dashboard_30d_live", "/v1/ops/dashboard?from=2026-10-31&to=2026-11-29&source=live"},
		{"drilldown_unresolved_1d", "/v1/ops/conversations?metric=unresolved&from=2026-11-20&to=2026-11-20"},
		{"drilldown_unresolved_1d_shop", "/v1/ops/conversations?metric=unresolved&from=2026-11-20&to=2026-11-20&shop=shop-sol"},
		{"drilldown_unresolved_30d", "/v1/ops/conversations?metric=unresolved&from=2026-10-31&to=2026-11-29"},
	} {
		if os.Getenv("CSAGENT_OPS_BENCH_SKIP_SLOW") != "" && (strings.HasSuffix(c.name, "_live") || strings.HasSuffix(c.name, "_30d") && strings.HasPrefix(c.name, "drilldown")) {
			continue
		}
		h := s.handleOpsDashboard(pool)
		if strings.HasPrefix(c.name, "drilldown") {
			h = s.handleOpsConversations(pool)
		}
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequestWithContext(b.Context(), http.MethodGet, c.path, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s = %d %s", c.path, rec.Code, rec.Body)
				}
			}
		})
	}
	b.Run("rollup_one_day", func(b *testing.B) {
		r := &opsRollup{db: pool, logger: logger}
		day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
		for b.Loop() {
			if err := r.Rebuild(b.Context(), day, day); err != nil {
				b.Fatal(err)
			}
		}
	})
}
