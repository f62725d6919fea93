package web_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local"
	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/retrieval"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

// cacheAgent is an Agent with the policy answer cache on, the local model
// as its brain and the built-in guardrails, on pool: what one csagent
// process runs. Two of them on one pool share nothing but the database.
func cacheAgent(tb testing.TB, pool *pgxpool.Pool, cache bool) (*agent.Agent, *prometheus.Registry) {
	tb.Helper()
	c, err := classifier()
	if err != nil {
		tb.Fatal(err)
	}
	g, err := guard()
	if err != nil {
		tb.Fatal(err)
	}
	store := tools.NewStore(pool)
	reg, err := tools.NewRegistry(discard(), tools.NewAudit(pool), append(tools.All(store, nil), retrieval.SearchTool(retrieval.NewStore(pool)))...)
	if err != nil {
		tb.Fatal(err)
	}
	lm := local.New(c)
	metrics := prometheus.NewRegistry()
	return agent.New(agent.Options{
		Logger: discard(), Model: lm, Tools: reg, Store: agent.NewStore(pool), Effects: store,
		Config: agent.Config{PolicyCache: cache}, Confirmations: local.NewConfirmations(c), Summaries: local.Summaries{},
		Metrics: agent.NewMetrics(metrics), Guard: g, Reader: lm,
	}), metrics
}

// A process's memory of policy answers follows the database: two Agents on
// one database (two processes) each answer a policy question from memory
// once they have found its answer in the table, a re-ingest of the policy
// by a third party (`csagent ingest`) stops both from serving the old
// answer at their next turn, and so does an operator deleting the cached
// answers. Every hit, from memory or not, is counted in the table.
func TestPolicyAnswerMemoFollowsTheDatabase(t *testing.T) {
	t.Parallel()
	pool := pgtest.New(t, demoPoliciesSeed)
	a, am := cacheAgent(t, pool, true)
	b, bm := cacheAgent(t, pool, true)
	buyer := demo.BuyerID(0)
	ctx := tools.NewContext(t.Context(), tools.Caller{Role: tools.RoleBuyer, ID: buyer, Locale: "en"})
	const q = "How many days do I have to return an item?"
	n := 0
	ask := func(ag *agent.Agent) (string, string) {
		t.Helper()
		conv, err := agent.NewStore(pool).Open(t.Context(), buyer, "", "en")
		if err != nil {
			t.Fatal(err)
		}
		n++
		res, err := ag.Run(ctx, agent.Turn{ConversationID: conv.ID, ClientID: fmt.Sprint("m", n), Text: q, Locale: "en"}, func(agent.Event) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		var u agent.TurnUsage
		if err := json.Unmarshal(res.Assistant.Usage, &u); err != nil {
			t.Fatal(err)
		}
		return res.Assistant.Text, u.Route
	}
	memory := func(reg *prometheus.Registry) float64 {
		return metric(t, reg, "csagent_policy_cache_total", "result", "memory")
	}
	cached := func(what string) {
		t.Helper()
		eventually(t, what, func() bool {
			var n int
			return pool.QueryRow(t.Context(), `SELECT count(*) FROM policy_answers`).Scan(&n) == nil && n > 0
		})
	}

	old, route := ask(a)
	if route == agent.RouteCache || !strings.Contains(old, "30 days") {
		t.Fatalf("first answer %q by route %q: want the local model's answer naming the 30-day window", old, route)
	}
	cached("the first answer is cached")
	for i, ag := range []*agent.Agent{a, a, b, b} {
		if text, route := ask(ag); text != old || route != agent.RouteCache {
			t.Fatalf("hit %d: %q by route %q, want the cached answer", i+1, text, route)
		}
	}
	if memory(am) != 1 || memory(bm) != 1 {
		t.Fatalf("answers from memory: %v and %v, want one each (each process's second hit)", memory(am), memory(bm))
	}
	var hits int
	if err := pool.QueryRow(t.Context(), `SELECT coalesce(sum(hits), 0) FROM policy_answers WHERE kind = 'question'`).Scan(&hits); err != nil || hits != 4 {
		t.Errorf("hits counted in the table: %d (%v), want 4, from memory or not", hits, err)
	}

	// `csagent ingest` in another process: a new version of the refunds
	// policy with another window.
	docs, errs := retrieval.LoadDir(retrieval.DemoPolicies())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var refunds retrieval.Document
	for _, d := range docs {
		if d.ID == "refunds" && d.Locale == "en" {
			refunds = d
		}
	}
	if !strings.Contains(refunds.Body, "30 days") {
		t.Fatalf("the demo refunds policy does not name the 30-day window: %q", refunds.Body)
	}
	refunds.Body = strings.ReplaceAll(refunds.Body, "30 days", "45 days")
	refunds.Version++
	refunds.Effective = time.Now().UTC().AddDate(0, 0, -1)
	refunds.Hash = ""
	if written, err := retrieval.NewStore(pool).PutDocument(t.Context(), refunds); err != nil || !written {
		t.Fatalf("re-ingest the refunds policy: written %v, %v", written, err)
	}
	// a answers anew and caches the answer; b finds that one in the table.
	for i, ag := range []*agent.Agent{a, b} {
		text, route := ask(ag)
		if (i == 0 && route == agent.RouteCache) || strings.Contains(text, "30 days") || !strings.Contains(text, "45 days") {
			t.Errorf("process %d after the re-ingest: %q by route %q, want a new answer naming the 45-day window", i+1, text, route)
		}
	}
	if memory(am) != 1 || memory(bm) != 1 {
		t.Errorf("answers from memory after the re-ingest: %v and %v, want none more", memory(am), memory(bm))
	}

	// The new answer is cached and served from memory again; an operator
	// deleting the cached answers stops that in every process.
	cached("the new answer is cached")
	for _, ag := range []*agent.Agent{a, a, b} { // a from the table, then both from memory
		if text, route := ask(ag); route != agent.RouteCache || !strings.Contains(text, "45 days") {
			t.Fatalf("the new answer again: %q by route %q, want it from the cache", text, route)
		}
	}
	if memory(am) != 2 || memory(bm) != 2 {
		t.Fatalf("answers from memory: %v and %v, want two each", memory(am), memory(bm))
	}
	if _, err := pool.Exec(t.Context(), `DELETE FROM policy_answers`); err != nil {
		t.Fatal(err)
	}
	if _, route := ask(a); route == agent.RouteCache {
		t.Error("process a served an answer from the cache after the cache was emptied")
	}
	ask(b) // finds what a just stored, if anything, in the table
	if memory(am) != 2 || memory(bm) != 2 {
		t.Errorf("answers from memory after the cache was emptied: %v and %v, want none more", memory(am), memory(bm))
	}
}
