package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
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
// tables) over a generated month of CSAGENT_OPS_BENCH_N conversations
// (default 50,000), through the handler and real Postgres.
func BenchmarkOpsDashboard(b *testing.B) {
	n := 50000
	if s := os.Getenv("CSAGENT_OPS_BENCH_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	pool := pgtest.New(b, pgtest.Seed{Name: "ops_history_" + strconv.Itoa(n), Run: func(ctx context.Context, pool *pgxpool.Pool) error {
		if err := demo.Seed(ctx, pool, historyNow); err != nil {
			return err
		}
		if err := demo.History(ctx, pool, n, 60, historyNow); err != nil {
			return err
		}
		_, err := pool.Exec(ctx, `ANALYZE`)
		return err
	}})
	var count int
	if err := pool.QueryRow(b.Context(), `SELECT count(*) FROM conversations WHERE created_at >= $1`, historyNow.Add(-30*24*time.Hour)).Scan(&count); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d conversations in the 30-day view, %d generated over 60 days", count, n)
	s := &Server{logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, c := range []struct{ name, path string }{
		{"dashboard_30d", "/v1/ops/dashboard?from=2026-10-31&to=2026-11-29"},
		{"drilldown_unresolved_30d", "/v1/ops/conversations?metric=unresolved&from=2026-10-31&to=2026-11-29"},
	} {
		h := s.handleOpsDashboard(pool)
		if c.name != "dashboard_30d" {
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
}
