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
	end := historyNow
	var pool *pgxpool.Pool
	if url := os.Getenv("CSAGENT_OPS_BENCH_DB"); url != "" {
		// A database seeded beforehand, as the figure in
		// docs/performance.md was measured: a million conversations take
		// longer to write than pgtest gives a template, and are worth
		// keeping between runs.
		var err error
		if pool, err = pgxpool.New(b.Context(), url); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(pool.Close)
		if err := pool.QueryRow(b.Context(), `SELECT date_trunc('day', max(created_at) AT TIME ZONE 'UTC') FROM conversations`).Scan(&end); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		days, err := (&opsRollup{db: pool, logger: logger}).Refresh(b.Context())
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("refreshed %d days of rollups in %s", days, time.Since(start).Round(time.Millisecond))
	} else {
		pool = pgtest.New(b, pgtest.Seed{Name: "ops_rollup_history_" + strconv.Itoa(n), Run: func(ctx context.Context, pool *pgxpool.Pool) error {
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
	}
	var count, all, rows int
	if err := pool.QueryRow(b.Context(), `SELECT (SELECT count(*) FROM messages WHERE role = 'assistant' AND created_at >= $1),
            (SELECT count(*) FROM messages WHERE role = 'assistant'), (SELECT count(*) FROM ops_daily)`,
		end.Add(-30*24*time.Hour)).Scan(&count, &all, &rows); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d turns in the 30-day view, %d in all; %d rollup rows", count, all, rows)
	from, to := end.Add(-30*24*time.Hour).Format(time.DateOnly), end.Add(-24*time.Hour).Format(time.DateOnly)
	day := end.Add(-10 * 24 * time.Hour)
	oneDay := "from=" + day.Format(time.DateOnly) + "&to=" + day.Format(time.DateOnly)
	month := "from=" + from + "&to=" + to
	s := &Server{logger: logger}
	for _, c := range []struct{ name, path string }{
		{"dashboard_30d", "/v1/ops/dashboard?" + month},
		{"dashboard_30d_model", "/v1/ops/dashboard?" + month + "&model=gpt-4o-mini"},
		{"dashboard_30d_live", "/v1/ops/dashboard?" + month + "&source=live"},
		{"drilldown_unresolved_1d", "/v1/ops/conversations?metric=unresolved&" + oneDay},
		{"drilldown_unresolved_1d_shop", "/v1/ops/conversations?metric=unresolved&" + oneDay + "&shop=shop-sol"},
		{"drilldown_unresolved_30d", "/v1/ops/conversations?metric=unresolved&" + month},
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
		for b.Loop() {
			if err := r.Rebuild(b.Context(), day, day); err != nil {
				b.Fatal(err)
			}
		}
	})
}
