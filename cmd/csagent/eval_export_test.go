package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
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
	t.Parallel()
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

// brokenRule is an operator's mistake in the guardrails file: meant to
// stop the agent naming competitors' delivery services, it bans words
// every honest shipping answer uses, so tracking answers fall back to the
// safe reply.
const brokenRule = `
  - id: competitor-couriers
    category: competitor
    locale: any
    reason: names a competing delivery service
    words:
      - ` + replayBannedWord + `
`

// replayBannedWord is what the broken rule bans; the reply to "where is my
// order?" for an order in transit says it.
const replayBannedWord = "tracking"

// A real defect, end to end through the real commands: a server running
// with a broken guardrails file answers a buyer's "where is my order?"
// with the safe fallback; a reviewer labels the conversation on /ops
// (needless fallback: the reply must pass and name the order); `csagent
// eval export ID` saves it; `csagent eval run` of the saved case fails with
// the broken file, as the conversation did, and passes with the fixed one.
func TestEvalExportReplaysADefect(t *testing.T) {
	t.Parallel()
	pool, dbURL := pgtest.NewWithURL(t)
	getenv := testEnv("DATABASE_URL", dbURL, "CSAGENT_AUTH_SECRET", testSecret)
	var out, errOut bytes.Buffer
	if err := run(t.Context(), []string{"csagent", "seed", "--demo"}, getenv, nil, &out, &errOut); err != nil {
		t.Fatalf("seed --demo: %v\n%s", err, errOut.String())
	}
	var shipped demo.Order
	for _, o := range demo.Plan() {
		if o.Kind == demo.InTransit {
			shipped = o
			break
		}
	}
	dir := t.TempDir()
	builtIn, err := os.ReadFile("../../guardrails/banned.yaml")
	if err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.yaml")
	if err := os.WriteFile(broken, append(builtIn, brokenRule...), 0o644); err != nil {
		t.Fatal(err)
	}

	// The defect, live: a server with the broken file.
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	var serveOut, serveErr syncBuffer
	go func() {
		done <- run(ctx, []string{"csagent", "serve", "--addr", addr, "--guardrails-config", broken}, getenv, nil, &serveOut, &serveErr)
	}()
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			<-done
		}
	}
	t.Cleanup(stop)
	waitHealthy(t, "http://"+addr, done)
	errOut.Reset()
	out.Reset()
	in := strings.NewReader("where is my order " + shipped.ID + "?\n")
	if err := run(t.Context(), []string{"csagent", "chat", shipped.BuyerID, "--server", "http://" + addr}, getenv, in, &out, &errOut); err != nil {
		t.Fatalf("chat: %v\n%s", err, errOut.String())
	}
	m := regexp.MustCompile(`conversation (c_[0-9a-z]+)`).FindStringSubmatch(errOut.String())
	if m == nil {
		t.Fatalf("chat named no conversation: %s", errOut.String())
	}
	conv := m[1]
	var verdict, queued string
	if err := pool.QueryRow(t.Context(), `SELECT m.guardrail, r.queued_for FROM messages m JOIN reviews r ON r.conversation_id = m.conversation_id
        WHERE m.conversation_id = $1 AND m.role = 'assistant'`, conv).Scan(&verdict, &queued); err != nil {
		t.Fatalf("the conversation's reply and review: %v", err)
	}
	if verdict != "fallback" || queued != "fallback" {
		t.Fatalf("with the broken file the reply's verdict is %q (queued for %q), want a fallback queued for review; reply: %s", verdict, queued, out.String())
	}

	// The reviewer's label, through /ops.
	out.Reset()
	if err := run(t.Context(), []string{"csagent", "token", "support", demo.SupportID}, getenv, nil, &out, &errOut); err != nil {
		t.Fatalf("token: %v", err)
	}
	body := `{"label":"incorrect","reason":"needless_fallback","comment":"A tracking answer is not a competitor's name.",
        "must_contain":"` + shipped.ID + `","tools":["get_order"]}`
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, "http://"+addr+"/v1/ops/conversations/"+conv+"/review", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(out.String()))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("review = %d", resp.StatusCode)
	}
	stop()

	// Saved as a case with the real command.
	suite := filepath.Join(dir, "case.yaml")
	if err := run(t.Context(), []string{"csagent", "eval", "export", "-o", suite, conv}, getenv, nil, &out, &errOut); err != nil {
		t.Fatalf("eval export: %v\n%s", err, errOut.String())
	}
	saved, _ := os.ReadFile(suite)
	t.Logf("saved case:\n%s", saved)

	// Replayed: fails on the defect, passes once the file is fixed.
	for _, c := range []struct {
		name  string
		flags []string
		want  eval.Status
	}{
		{"broken guardrails file", []string{"--guardrails-config", broken}, eval.StatusFail},
		{"fixed (built-in) guardrails file", nil, eval.StatusPass},
	} {
		report := filepath.Join(dir, "report.json")
		out.Reset()
		args := append(append([]string{"csagent", "eval", "run", "--json", report}, c.flags...), suite)
		err := run(t.Context(), args, getenv, nil, &out, &errOut)
		if (err == nil) != (c.want == eval.StatusPass) {
			t.Errorf("%s: eval run = %v, want the run to %s\n%s", c.name, err, c.want, out.String())
		}
		r := readReport(t, report)
		if len(r.Cases) != 1 || r.Cases[0].Status != c.want {
			t.Errorf("%s: the saved case = %+v, want %s\n%s", c.name, r.Cases, c.want, out.String())
		}
	}
}
