package pgtest

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
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
		raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return self, -1
		}
		// utime and stime, in clock ticks (100 a second on Linux), are the
		// 14th and 15th fields; the command name before them may hold spaces.
		f := strings.Fields(string(raw[bytes.LastIndexByte(raw, ')')+1:]))
		if len(f) < 13 {
			return self, -1
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		s, _ := strconv.ParseInt(f[12], 10, 64)
		pg += time.Duration(u+s) * 10 * time.Millisecond
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
