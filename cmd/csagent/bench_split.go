package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/internal/proccpu"
)

// This file splits a turn's CPU over the machine's parts: the two cores are
// shared by the bench client, the fake model, the server and Postgres, so
// throughput follows the sum of their CPU per turn, and the server's share
// alone (processCPU with --server-process) does not say where the rest
// goes. The Postgres backends serving the bench database are read from
// /proc, as pgtest.CPUClock reads them for the agent's benchmarks.

// cpuSplit is the CPU of the machine's parts at one moment.
type cpuSplit struct {
	// bench is this process's CPU: the client and the fake, and the server
	// too unless it runs in a process of its own.
	bench time.Duration
	// backends is each Postgres backend's CPU, by pid; nil when they are
	// not visible (another machine, or /proc hides them).
	backends map[int32]time.Duration
}

// splitCPU reads this process's CPU and that of the backends connected to
// db's database.
func splitCPU(ctx context.Context, db *pgxpool.Pool) cpuSplit {
	s := cpuSplit{bench: processCPU()}
	if db == nil {
		return s
	}
	rows, err := db.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)
	if err != nil {
		return s
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return s
	}
	s.backends = make(map[int32]time.Duration, len(pids))
	for _, pid := range pids {
		cpu, ok := proccpu.Of(pid)
		if !ok {
			return cpuSplit{bench: s.bench}
		}
		s.backends[pid] = cpu
	}
	return s
}

// postgresSince is the backends' CPU between a and b, or -1 when it is not
// visible. A backend that connected in between counts from its start; one
// that left in between is lost (the server's pool keeps its connections).
func (b cpuSplit) postgresSince(a cpuSplit) time.Duration {
	if a.backends == nil || b.backends == nil {
		return -1
	}
	var d time.Duration
	for pid, cpu := range b.backends {
		d += cpu - a.backends[pid]
	}
	return d
}

// cpuPerTurn is the split of a run's CPU per turn, in milliseconds.
type cpuPerTurn struct {
	// Postgres is the bench database's backends'; absent when not visible.
	Postgres *float64 `json:"postgres_cpu_ms_per_turn,omitempty"`
	// Bench is the bench process's own when the server runs in another
	// (--server-process): the client and the fake. Absent otherwise (the
	// process's CPU is then process_cpu_ms_per_turn).
	Bench *float64 `json:"bench_process_cpu_ms_per_turn,omitempty"`
}

// perTurn fills the split from two readings over n turns; separate says
// the server runs in a process of its own.
func (c *cpuPerTurn) perTurn(a, b cpuSplit, n int, separate bool) {
	if n == 0 {
		return
	}
	if pg := b.postgresSince(a); pg >= 0 {
		v := round3(msOf(pg) / float64(n))
		c.Postgres = &v
	}
	if separate {
		v := round3(msOf(b.bench-a.bench) / float64(n))
		c.Bench = &v
	}
}

// describe reads the split in the report's words.
func (c cpuPerTurn) describe() string {
	var parts []string
	if c.Postgres != nil {
		parts = append(parts, fmt.Sprintf("Postgres backends %.2f ms", *c.Postgres))
	}
	if c.Bench != nil {
		parts = append(parts, fmt.Sprintf("bench client and fake %.2f ms", *c.Bench))
	}
	if len(parts) == 0 {
		return "not visible"
	}
	return strings.Join(parts, ", ")
}
