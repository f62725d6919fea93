package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// This file splits the Postgres share of a turn by statement: bench turn
// --pg-statements reads pg_stat_statements (which needs
// shared_preload_libraries = 'pg_stat_statements', so a cluster of one's
// own: the project's dev cluster does not load it), pg_stat_wal and
// pg_stat_database before and after the throughput run, and reports per
// turn what each statement cost, how many rows it touched, and what the
// commits wrote. The backends' CPU (bench_split.go) is the whole; the
// statements' execution and planning times are the part the executor
// sees, and the rest is the protocol, parsing, and the transactions'
// own begin and commit.

// pgStatements is one reading of the bench database's statistics.
type pgStatements struct {
	stmts map[int64]pgStatement
	// The database's and the cluster's WAL counters.
	commits, rollbacks             int64
	walRecords, walFPI, walBytes   int64
	walWrite, walSync, blksWritten int64
}

// pgStatement is one statement's pg_stat_statements counters.
type pgStatement struct {
	query              string
	calls, rows        int64
	execMS, planMS     float64
	walRecords, walB   int64
	sharedHit, dirtied int64
}

// readPGStatements reads the statistics; settle waits for the backends'
// counts to be published (pg_stat_database and pg_stat_wal lag up to a
// second; pg_stat_statements does not).
func readPGStatements(ctx context.Context, db *pgxpool.Pool, settle bool) (*pgStatements, error) {
	if settle {
		time.Sleep(1100 * time.Millisecond)
	}
	r := &pgStatements{stmts: map[int64]pgStatement{}}
	rows, err := db.Query(ctx, `SELECT queryid, query, calls, rows, total_exec_time, total_plan_time, wal_records, wal_bytes::bigint,
			shared_blks_hit, shared_blks_dirtied
		FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`)
	if err != nil {
		return nil, fmt.Errorf("read pg_stat_statements: %w", err)
	}
	for rows.Next() {
		var id int64
		var s pgStatement
		if err := rows.Scan(&id, &s.query, &s.calls, &s.rows, &s.execMS, &s.planMS, &s.walRecords, &s.walB, &s.sharedHit, &s.dirtied); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read pg_stat_statements: %w", err)
		}
		r.stmts[id] = s
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read pg_stat_statements: %w", err)
	}
	if err := db.QueryRow(ctx, `SELECT d.xact_commit, d.xact_rollback, w.wal_records, w.wal_fpi, w.wal_bytes::bigint, w.wal_write, w.wal_sync,
			(SELECT buffers_clean + buffers_backend + buffers_checkpoint FROM pg_stat_bgwriter)
		FROM pg_stat_database d, pg_stat_wal w WHERE d.datname = current_database()`).Scan(
		&r.commits, &r.rollbacks, &r.walRecords, &r.walFPI, &r.walBytes, &r.walWrite, &r.walSync, &r.blksWritten); err != nil {
		return nil, fmt.Errorf("read pg_stat_database and pg_stat_wal: %w", err)
	}
	return r, nil
}

// enablePGStatements creates the extension in the bench database, or says
// why it cannot.
func enablePGStatements(ctx context.Context, db *pgxpool.Pool) error {
	if db == nil {
		return fmt.Errorf("--pg-statements: the bench database is not visible")
	}
	var libs string
	if err := db.QueryRow(ctx, `SHOW shared_preload_libraries`).Scan(&libs); err != nil {
		return err
	}
	if !strings.Contains(libs, "pg_stat_statements") {
		return usageError{"--pg-statements needs a cluster started with shared_preload_libraries = 'pg_stat_statements' (the dev cluster does not load it: start one of your own)"}
	}
	_, err := db.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS pg_stat_statements`)
	return err
}

// pgStatementsReport is the per-turn split of a run's statements.
type pgStatementsReport struct {
	Turns int `json:"turns"`
	// Statements are the run's statements, dearest first.
	Statements []pgStatementPerTurn `json:"statements"`
	// ExecMS and PlanMS sum the statements' times per turn.
	ExecMS float64 `json:"exec_ms_per_turn"`
	PlanMS float64 `json:"plan_ms_per_turn"`
	// Calls is the statements executed per turn.
	Calls float64 `json:"calls_per_turn"`
	// Commits and Rollbacks are the database's transactions per turn.
	Commits   float64 `json:"commits_per_turn"`
	Rollbacks float64 `json:"rollbacks_per_turn"`
	// The cluster's WAL per turn (pg_stat_wal: every database's).
	WALRecords float64 `json:"wal_records_per_turn"`
	WALFPI     float64 `json:"wal_fpi_per_turn"`
	WALBytes   float64 `json:"wal_bytes_per_turn"`
	WALWrites  float64 `json:"wal_writes_per_turn"`
	WALSyncs   float64 `json:"wal_syncs_per_turn"`
}

// pgStatementPerTurn is one statement's share of a turn.
type pgStatementPerTurn struct {
	Query      string  `json:"query"`
	Calls      float64 `json:"calls_per_turn"`
	ExecMS     float64 `json:"exec_ms_per_turn"`
	PlanMS     float64 `json:"plan_ms_per_turn"`
	MeanUS     float64 `json:"mean_exec_us"`
	Rows       float64 `json:"rows_per_turn"`
	WALBytes   float64 `json:"wal_bytes_per_turn"`
	SharedHits float64 `json:"shared_hits_per_turn"`
}

// perTurn is what happened between a and b over n turns.
func (b *pgStatements) perTurn(a *pgStatements, n int) *pgStatementsReport {
	if a == nil || b == nil || n == 0 {
		return nil
	}
	f := float64(n)
	r := &pgStatementsReport{Turns: n,
		Commits: round3(float64(b.commits-a.commits) / f), Rollbacks: round3(float64(b.rollbacks-a.rollbacks) / f),
		WALRecords: round3(float64(b.walRecords-a.walRecords) / f), WALFPI: round3(float64(b.walFPI-a.walFPI) / f),
		WALBytes: round3(float64(b.walBytes-a.walBytes) / f), WALWrites: round3(float64(b.walWrite-a.walWrite) / f),
		WALSyncs: round3(float64(b.walSync-a.walSync) / f)}
	for id, s := range b.stmts {
		p := a.stmts[id]
		calls := s.calls - p.calls
		if calls <= 0 {
			continue
		}
		st := pgStatementPerTurn{Query: strings.Join(strings.Fields(s.query), " "),
			Calls: float64(calls) / f, ExecMS: (s.execMS - p.execMS) / f, PlanMS: (s.planMS - p.planMS) / f,
			MeanUS: 1000 * (s.execMS - p.execMS) / float64(calls), Rows: float64(s.rows-p.rows) / f,
			WALBytes: float64(s.walB-p.walB) / f, SharedHits: float64(s.sharedHit-p.sharedHit) / f}
		r.ExecMS += st.ExecMS
		r.PlanMS += st.PlanMS
		r.Calls += st.Calls
		r.Statements = append(r.Statements, st)
	}
	slices.SortFunc(r.Statements, func(x, y pgStatementPerTurn) int { return cmp.Compare(y.ExecMS+y.PlanMS, x.ExecMS+x.PlanMS) })
	return r
}

// print writes the report's table, its top statements and the rest summed.
func (r *pgStatementsReport) print(w io.Writer, top int) {
	if r == nil {
		return
	}
	fmt.Fprintf(w, "\nPostgres per turn at concurrency (pg_stat_statements, %d turns): %.2f statements, exec %.3f ms, plan %.3f ms; %.2f commits, %.2f rollbacks; WAL %.1f records, %.0f bytes, %.2f full-page images, %.2f writes, %.2f syncs\n",
		r.Turns, r.Calls, r.ExecMS, r.PlanMS, r.Commits, r.Rollbacks, r.WALRecords, r.WALBytes, r.WALFPI, r.WALWrites, r.WALSyncs)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "calls\texec µs\tplan µs\tmean µs\trows\tWAL B\thits\t statement\n")
	for i, s := range r.Statements {
		if i == top {
			var rest pgStatementPerTurn
			for _, s := range r.Statements[i:] {
				rest.Calls += s.Calls
				rest.ExecMS += s.ExecMS
				rest.PlanMS += s.PlanMS
				rest.Rows += s.Rows
				rest.WALBytes += s.WALBytes
				rest.SharedHits += s.SharedHits
			}
			fmt.Fprintf(tw, "%.2f\t%.1f\t%.1f\t\t%.2f\t%.0f\t%.1f\t %s\n", rest.Calls, 1000*rest.ExecMS, 1000*rest.PlanMS, rest.Rows, rest.WALBytes, rest.SharedHits,
				fmt.Sprintf("(%d more statements)", len(r.Statements)-i))
			break
		}
		q := s.Query
		if len(q) > 110 {
			q = q[:110] + "…"
		}
		fmt.Fprintf(tw, "%.2f\t%.1f\t%.1f\t%.1f\t%.2f\t%.0f\t%.1f\t %s\n", s.Calls, 1000*s.ExecMS, 1000*s.PlanMS, s.MeanUS, s.Rows, s.WALBytes, s.SharedHits, q)
	}
	tw.Flush()
}
