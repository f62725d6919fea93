package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/eval"
	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools/demo"
)

// TestEvalExport saves a reviewed conversation as a suite the eval loader
// accepts, and refuses one nobody has reviewed.
func TestEvalExport(t *testing.T) {
	pool, dbURL := pgtest.NewWithURL(t, pgtest.Seed{Name: "demo", Run: func(ctx context.Context, pool *pgxpool.Pool) error {
		return demo.Seed(ctx, pool, time.Now())
	}})
	getenv := testEnv("DATABASE_URL", dbURL)
	for _, q := range []string{
		`INSERT INTO conversations (id, buyer_id, locale, last_seq) VALUES ('c_export00001', 'buyer-002', 'ko', 2)`,
		`INSERT INTO messages (conversation_id, seq, turn_id, role, author_id, text) VALUES ('c_export00001', 1, 't1', 'user', 'buyer-002', 'ORD-10002 취소해 주세요')`,
		`INSERT INTO messages (conversation_id, seq, turn_id, role, author_id, text, guardrail, usage) VALUES ('c_export00001', 2, 't1', 'assistant', 'agent', '죄송합니다', 'fallback', '{"model":"local","total_ms":5}')`,
	} {
		if _, err := pool.Exec(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "case.yaml")
	var stdout, stderr bytes.Buffer
	err := run(t.Context(), []string{"csagent", "eval", "export", "-o", out, "c_export00001"}, getenv, nil, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "not been reviewed") {
		t.Fatalf("export of an unreviewed conversation: %v, want a not-reviewed error", err)
	}
	if _, err := pool.Exec(t.Context(), `UPDATE reviews SET label = 'incorrect', reason = 'needless_fallback', comment = 'Cancel it.',
        expect_tools = '{cancel_order}', reviewed_by = 'support-1', reviewed_at = now() WHERE conversation_id = 'c_export00001'`); err != nil {
		t.Fatal(err)
	}
	if err := run(t.Context(), []string{"csagent", "eval", "export", "-o", out, "c_export00001"}, getenv, nil, &stdout, &stderr); err != nil {
		t.Fatalf("export: %v\n%s", err, stderr.String())
	}
	suites, err := eval.LoadPaths(out)
	if err != nil {
		t.Fatalf("the exported suite does not load: %v", err)
	}
	c := suites[0].Cases[0]
	if c.Turns[0].User != "{{order}} 취소해 주세요" || c.Turns[0].Expect.Guardrail != "pass" || suites[0].Defaults.Locale != "ko" {
		t.Errorf("exported case = %+v, defaults %+v", c, suites[0].Defaults)
	}
}
