package pgtest

import (
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/internal/proccpu"
)

// CPUClock reads the CPU time of this process and of the Postgres backends
// serving one test database, when Postgres runs on this machine and /proc
// shows its processes. CPU seconds move far less with the machine's load
// than wall-clock times do, so benchmarks on a shared machine compare them.
type CPUClock struct {
	pids     []int32
	self, pg time.Duration
}

// StartCPU starts a CPUClock on the backends connected to pool's database
// now: open the pool's connections (run the work once) before starting it.
func StartCPU(tb testing.TB, pool *pgxpool.Pool) *CPUClock {
	tb.Helper()
	rows, err := pool.Query(tb.Context(), `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)
	if err != nil {
		tb.Fatal(err)
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		tb.Fatal(err)
	}
	c := &CPUClock{pids: pids}
	c.self, c.pg = c.read()
	return c
}

// read returns the CPU time of this process and of c's backends; pg is
// negative when a backend's is unreadable.
func (c *CPUClock) read() (self, pg time.Duration) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		self = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	for _, pid := range c.pids {
		cpu, ok := proccpu.Of(pid)
		if !ok {
			return self, -1
		}
		pg += cpu
	}
	return self, pg
}

// Report reports, as b's metrics cpu-µs/<per> and pg-cpu-µs/<per>, the
// CPU of this process and of the backends per unit of work ("op", "turn")
// over n of them since StartCPU.
func (c *CPUClock) Report(b *testing.B, n int, per string) {
	self, pg := c.read()
	if n == 0 {
		return
	}
	b.ReportMetric(float64((self-c.self).Microseconds())/float64(n), "cpu-µs/"+per)
	if pg >= 0 && c.pg >= 0 && len(c.pids) > 0 {
		b.ReportMetric(float64((pg-c.pg).Microseconds())/float64(n), "pg-cpu-µs/"+per)
	}
}
