package main

import (
	"strings"
	"testing"
)

// perTurn divides what happened between two readings by the turns: a
// statement's calls, times and rows per turn, the commits and the WAL; a
// statement that did not run in between is left out, and the dearest
// comes first.
func TestPGStatementsPerTurn(t *testing.T) {
	t.Parallel()
	a := &pgStatements{stmts: map[int64]pgStatement{
		1: {query: "INSERT  INTO messages", calls: 10, rows: 10, execMS: 5, planMS: 1, walB: 1000},
		2: {query: "SELECT window", calls: 10, rows: 100, execMS: 1},
		3: {query: "SELECT idle", calls: 4, execMS: 9},
	}, commits: 100, walRecords: 1000, walBytes: 50_000}
	b := &pgStatements{stmts: map[int64]pgStatement{
		1: {query: "INSERT  INTO messages", calls: 30, rows: 30, execMS: 45, planMS: 1, walB: 5000},
		2: {query: "SELECT window", calls: 30, rows: 300, execMS: 3},
		3: {query: "SELECT idle", calls: 4, execMS: 9},
		4: {query: "SELECT new", calls: 10, rows: 10, execMS: 10, planMS: 2},
	}, commits: 160, walRecords: 1700, walBytes: 90_000}
	r := b.perTurn(a, 20)
	want := []pgStatementPerTurn{
		{Query: "INSERT INTO messages", Calls: 1, ExecMS: 2, MeanUS: 2000, Rows: 1, WALBytes: 200},
		{Query: "SELECT new", Calls: 0.5, ExecMS: 0.5, PlanMS: 0.1, MeanUS: 1000, Rows: 0.5},
		{Query: "SELECT window", Calls: 1, ExecMS: 0.1, MeanUS: 100, Rows: 10},
	}
	if len(r.Statements) != len(want) {
		t.Fatalf("statements %+v, want %+v", r.Statements, want)
	}
	for i, w := range want {
		if g := r.Statements[i]; g != w {
			t.Errorf("statement %d = %+v, want %+v", i, g, w)
		}
	}
	if r.Commits != 3 || r.WALRecords != 35 || r.WALBytes != 2000 || r.Calls != 2.5 || r.ExecMS != 2.6 || r.PlanMS != 0.1 {
		t.Errorf("totals %+v, want 3 commits, 35 WAL records, 2000 bytes, 2.5 calls, 2.6 ms exec, 0.1 ms plan", r)
	}
	var out strings.Builder
	r.print(&out, 2)
	if !strings.Contains(out.String(), "(1 more statements)") || !strings.Contains(out.String(), "INSERT INTO messages") {
		t.Errorf("print:\n%s", out.String())
	}
	if (*pgStatements)(nil).perTurn(a, 20) != nil || b.perTurn(a, 0) != nil {
		t.Error("a missing reading or no turns gave a report")
	}
}
