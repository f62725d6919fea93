package web_test

import (
	"context"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/guardrails"
	"github.com/csagent/csagent/tools/demo"
)

// llmStub plays the LLM: it counts its calls and answers in text.
type llmStub struct {
	mu    sync.Mutex
	calls int
}

func (m *llmStub) Generate(_ context.Context, req agent.Request, onDelta func(string) error) (agent.Response, error) {
	m.mu.Lock()
	m.calls++
	m.mu.Unlock()
	text := "I can help with that. What else would you like to know?"
	if onDelta != nil {
		if err := onDelta(text); err != nil {
			return agent.Response{}, err
		}
	}
	return agent.Response{Message: agent.Message{Role: agent.RoleAssistant, Content: text}, Model: "stub-llm",
		Usage: agent.Usage{PromptTokens: 100, CompletionTokens: 10}}, nil
}

func (m *llmStub) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.calls
}

// Local-first routing over a real websocket: a routine turn the local model
// is sure of never reaches the LLM; a routine turn the local model can only
// answer with "I don't know" goes to the LLM in the same turn — one buyer
// message stored, one reply, none of the local model's text streamed; a
// turn the local model is unsure of goes to the LLM; and each turn's route
// is on record in its usage and in the metrics.
func TestRoutingOverTheWebsocket(t *testing.T) {
	t.Parallel()
	llm := &llmStub{}
	e := newEnvWith(t, func(agent.Model) agent.Model { return llm }, agent.Config{Routing: agent.Routing{Enabled: true}})
	o := orderWithKind(t, demo.InTransit)
	c := e.dial(t, o.BuyerID)
	ready := c.hello("", 0)

	// 1. Routine and sure: the local model answers, with the order's data.
	msg, _ := c.ask("m1", "where is my order "+o.ID+"?")
	if !strings.Contains(msg.Text, o.ID) || llm.count() != 0 {
		t.Fatalf("routine turn: reply %q after %d LLM calls; want the local model's answer naming %s and no LLM call", msg.Text, llm.count(), o.ID)
	}

	// 2. Routine and sure, but the local model cannot answer (no policy
	// search here): the same turn goes to the LLM, once.
	msg, before := c.ask("m2", "what is your refund policy for damaged items?")
	if llm.count() != 1 || !strings.Contains(msg.Text, "I can help with that") {
		t.Fatalf("escalated turn: reply %q after %d LLM calls; want the LLM's reply after one call", msg.Text, llm.count())
	}
	var streamed strings.Builder
	for _, f := range before {
		if f.Type == "delta" {
			streamed.WriteString(f.Text)
		}
	}
	if streamed.String() != msg.Text {
		t.Errorf("escalated turn streamed %q, want exactly the reply %q (nothing of the local model's)", streamed.String(), msg.Text)
	}

	// 3. Not a routine request the local model is sure of: the LLM.
	c.ask("m3", "hmm so about that thing with the blue jacket I mentioned, what do you reckon")
	if llm.count() != 2 {
		t.Fatalf("unsure turn: %d LLM calls in all, want 2", llm.count())
	}

	rows, err := e.pool.Query(t.Context(), `SELECT role, coalesce(usage ->> 'route', ''), coalesce(usage ->> 'route_reason', '')
		FROM messages WHERE conversation_id = $1 ORDER BY seq`, ready.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var role, route, reason string
		if err := rows.Scan(&role, &route, &reason); err != nil {
			t.Fatal(err)
		}
		got = append(got, role+":"+route+":"+reason)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{"user::", "assistant:local:routine", "user::", "assistant:escalated:local_abstained:unknown", "user::", "assistant:llm:"}
	if len(got) != len(want) {
		t.Fatalf("transcript %v, want %v (one buyer message and one reply a turn)", got, want)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("message %d = %s, want %s…", i, got[i], want[i])
		}
	}
	if n := metric(t, e.metrics, "csagent_route_turns_total", "route", "local", "reason", "routine"); n != 2 {
		t.Errorf("csagent_route_turns_total{route=local} = %v, want 2 (the answered turn and the escalated one)", n)
	}
	if n := metric(t, e.metrics, "csagent_route_turns_total", "route", "escalated", "reason", "unknown"); n != 1 {
		t.Errorf("csagent_route_turns_total{route=escalated} = %v, want 1", n)
	}
}

// The policy answer cache over a real websocket: a grounded policy answer is
// stored; the same question again, and another wording that finds the same
// passages and asks the same kind of fact, are answered from the cache with
// the same citations; storing the policy again (a re-ingest) invalidates it;
// and an answer about the buyer's order is never stored.
func TestPolicyCacheOverTheWebsocket(t *testing.T) {
	t.Parallel()
	e := newEnvOpts(t, envOptions{policies: true, cfg: agent.Config{PolicyCache: true}})
	o := orderWithKind(t, demo.InTransit)
	c := e.dial(t, o.BuyerID)
	ready := c.hello("", 0)
	routes := func() []string {
		t.Helper()
		rows, err := e.pool.Query(t.Context(), `SELECT coalesce(usage ->> 'route', '') || ':' || coalesce(usage ->> 'route_reason', '')
			FROM messages WHERE conversation_id = $1 AND role = 'assistant' ORDER BY seq`, ready.ConversationID)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	const q = "How many days do I have to return an item?"
	first, _ := c.ask("p1", q)
	if len(first.Citations) < 3 || first.Guardrail != "pass" {
		t.Fatalf("first answer %q, citations %s, guardrail %s: want a cited, passed answer", first.Text, first.Citations, first.Guardrail)
	}
	again, _ := c.ask("p2", "how many days do I have to return an item")
	var c1, c2 []agent.Citation
	json.Unmarshal(first.Citations, &c1)
	json.Unmarshal(again.Citations, &c2)
	if again.Text != first.Text || !reflect.DeepEqual(c1, c2) {
		t.Errorf("the same question again: %q %s, want the first answer %q %s", again.Text, again.Citations, first.Text, first.Citations)
	}
	if r := routes(); len(r) != 2 || r[1] != "cache:question" {
		t.Fatalf("routes %v, want the second answer from the cache by its question", r)
	}

	// Re-ingesting the policy the answer rests on invalidates it.
	if _, err := e.pool.Exec(t.Context(), `UPDATE policy_documents SET updated_at = now() WHERE audience IN ('buyer', 'both')`); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := e.pool.QueryRow(t.Context(), `SELECT count(*) FROM policy_answers`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("after a re-ingest %d cached answers are left (%v), want none", left, err)
	}
	c.ask("p3", q)
	if r := routes(); r[2] == "cache:question" {
		t.Errorf("after a re-ingest the answer still came from the cache: %v", r)
	}

	// An answer naming the buyer's order or an amount is never stored.
	const before = 2 // the answer to p3, by its question and by its passages
	eventually(t, "the answer to p3 is cached", func() bool {
		var n int
		return e.pool.QueryRow(t.Context(), `SELECT count(*) FROM policy_answers`).Scan(&n) == nil && n == before
	})
	c.ask("p4", "where is my order "+o.ID+"?")
	c.ask("p5", "what is the refund window for "+o.ID+"?")
	rows, err := e.pool.Query(t.Context(), `SELECT answer, question FROM policy_answers`)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		var answer, question string
		if err := rows.Scan(&answer, &question); err != nil {
			t.Fatal(err)
		}
		n++
		if strings.Contains(answer, "ORD-") || strings.Contains(strings.ToLower(question), strings.ToLower(o.ID)) {
			t.Errorf("a cached answer is about an order: %q (question %q)", answer, question)
		}
	}
	if n != before {
		t.Errorf("%d cached answers after two questions about an order, want %d as before", n, before)
	}
}

// orderLLM plays an LLM that looks the named order up and then answers,
// spending 60 tokens a call.
type orderLLM struct{ calls int }

func (m *orderLLM) Generate(_ context.Context, req agent.Request, onDelta func(string) error) (agent.Response, error) {
	m.calls++
	u := agent.Usage{PromptTokens: 50, CompletionTokens: 10}
	last := req.Messages[len(req.Messages)-1]
	if last.Role == agent.RoleUser {
		if id := orderRef.FindString(last.Content); id != "" {
			return agent.Response{Model: "stub-llm", Usage: u, Message: agent.Message{Role: agent.RoleAssistant,
				ToolCalls: []agent.ToolCall{{ID: "c1", Name: "get_order", Arguments: json.RawMessage(`{"order_id":"` + id + `"}`)}}}}, nil
		}
	}
	text := "Thanks, I have looked at it."
	if onDelta != nil {
		onDelta(text)
	}
	return agent.Response{Model: "stub-llm", Usage: u, Message: agent.Message{Role: agent.RoleAssistant, Content: text}}, nil
}

var orderRef = regexp.MustCompile(`ORD-\d{5}`)

// A shop's daily budget: once the LLM tokens of the shop's conversations
// today reach it, the local model answers that shop's buyers, and a turn
// that starts at 80 % or more of it counts a warning.
func TestShopBudgetHandsOverToTheLocalModel(t *testing.T) {
	t.Parallel()
	llm := &orderLLM{}
	e := newEnvWith(t, func(agent.Model) agent.Model { return llm }, agent.Config{ShopDailyTokens: 200})
	o := orderWithKind(t, demo.InTransit)
	c := e.dial(t, o.BuyerID)
	ready := c.hello("", 0)
	c.ask("b1", "where is my order "+o.ID+"?") // 120 tokens for the shop: 60 %
	c.ask("b2", "where is my order "+o.ID+"?") // starts at 60 %: no warning; 240 tokens
	if n := metric(t, e.metrics, "csagent_budget_warnings_total", "budget", "shop_daily"); n != 0 {
		t.Errorf("warnings under 80 %%: %v, want 0", n)
	}
	calls := llm.calls
	msg, _ := c.ask("b3", "where is my order "+o.ID+"?")
	if llm.calls != calls || !strings.Contains(msg.Text, o.ID) {
		t.Errorf("past the shop's budget the LLM was called %d more times and replied %q; want the local model's answer", llm.calls-calls, msg.Text)
	}
	var fallback string
	if err := e.pool.QueryRow(t.Context(), `SELECT usage ->> 'fallback' FROM messages WHERE conversation_id = $1 AND role = 'assistant'
		ORDER BY seq DESC LIMIT 1`, ready.ConversationID).Scan(&fallback); err != nil || fallback != "shop_budget" {
		t.Errorf("the last reply's fallback = %q (%v), want shop_budget", fallback, err)
	}
	var shopTokens int
	if err := e.pool.QueryRow(t.Context(), `SELECT coalesce(sum(tokens), 0) FROM shop_token_usage WHERE shop_id = $1`, o.ShopID).Scan(&shopTokens); err != nil || shopTokens != 240 {
		t.Errorf("shop_token_usage of %s = %d (%v), want 240", o.ShopID, shopTokens, err)
	}
	if n := metric(t, e.metrics, "csagent_budget_handovers_total", "budget", "shop_daily"); n != 1 {
		t.Errorf("csagent_budget_handovers_total{shop_daily} = %v, want 1", n)
	}

	// Another shop's buyer still gets the LLM.
	other := o
	for _, p := range demo.Plan() {
		if p.ShopID != o.ShopID && p.Kind == demo.InTransit {
			other = p
			break
		}
	}
	if other.ShopID == o.ShopID {
		t.Fatal("the demo has no in-transit order of another shop")
	}
	c2 := e.dial(t, other.BuyerID)
	c2.hello("", 0)
	calls = llm.calls
	c2.ask("x1", "tell me about "+other.ID)
	if llm.calls == calls {
		t.Error("another shop's buyer got no LLM answer: the budget is not per shop")
	}
}

// A turn that starts at 80 % of the shop's budget counts a warning.
func TestShopBudgetWarnsAt80Percent(t *testing.T) {
	t.Parallel()
	llm := &orderLLM{}
	e := newEnvWith(t, func(agent.Model) agent.Model { return llm }, agent.Config{ShopDailyTokens: 150})
	o := orderWithKind(t, demo.InTransit)
	c := e.dial(t, o.BuyerID)
	c.hello("", 0)
	c.ask("b1", "where is my order "+o.ID+"?") // 120 of 150: 80 %
	c.ask("b2", "where is my order "+o.ID+"?")
	if n := metric(t, e.metrics, "csagent_budget_warnings_total", "budget", "shop_daily"); n != 1 {
		t.Errorf("csagent_budget_warnings_total{shop_daily} = %v, want 1", n)
	}
}

// Routing and the policy answer cache together: a policy question the
// cache has not seen is routed on the cache's own reading and answered by
// the local model from the cache's search (no LLM call, one search), and
// the same question again comes from the cache.
func TestRoutingWithThePolicyCache(t *testing.T) {
	t.Parallel()
	llm := &llmStub{}
	e := newEnvOpts(t, envOptions{policies: true, brain: func(agent.Model) agent.Model { return llm },
		cfg: agent.Config{PolicyCache: true, Routing: agent.Routing{Enabled: true}}})
	o := orderWithKind(t, demo.InTransit)
	c := e.dial(t, o.BuyerID)
	ready := c.hello("", 0)
	const q = "How many days do I have to return an item?"
	first, _ := c.ask("p1", q)
	if llm.count() != 0 || len(first.Citations) < 3 {
		t.Fatalf("first answer %q with citations %s after %d LLM calls: want the local model's cited answer, no LLM call", first.Text, first.Citations, llm.count())
	}
	eventually(t, "the answer is cached", func() bool {
		var n int
		return e.pool.QueryRow(t.Context(), `SELECT count(*) FROM policy_answers`).Scan(&n) == nil && n > 0
	})
	again, _ := c.ask("p2", q)
	if again.Text != first.Text || llm.count() != 0 {
		t.Errorf("the same question again: %q after %d LLM calls, want the first answer from the cache", again.Text, llm.count())
	}
	var routes []string
	rows, err := e.pool.Query(t.Context(), `SELECT coalesce(usage ->> 'route', '') || ':' || coalesce(usage ->> 'route_reason', '')
		FROM messages WHERE conversation_id = $1 AND role = 'assistant' ORDER BY seq`, ready.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		routes = append(routes, s)
	}
	if !reflect.DeepEqual(routes, []string{"local:routine", "cache:question"}) {
		t.Errorf("routes %v, want [local:routine cache:question]", routes)
	}
	var searches int
	if err := e.pool.QueryRow(t.Context(), `SELECT count(*) FROM tool_calls WHERE conversation_id = $1 AND tool = 'search_policy'`, ready.ConversationID).Scan(&searches); err != nil {
		t.Fatal(err)
	}
	if searches != 1 {
		t.Errorf("%d policy searches for two questions, want 1 (the cache's, used by the local model; none on the hit)", searches)
	}
}

// A cached policy answer is checked by the guardrails once per version of
// their rules: served again against the same passages, to any buyer, it
// keeps the verdict it had; after a reload that bans its wording, the next
// buyer it would be served to is checked again under the new rules and
// never sees it.
func TestCachedAnswerIsCheckedAgainAfterAGuardReload(t *testing.T) {
	t.Parallel()
	g, err := guardrails.New(guardrails.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvOpts(t, envOptions{policies: true, cfg: agent.Config{PolicyCache: true}, guard: g})
	var buyers []string // English-speaking ones: a verdict is the locale's
	for n := 0; len(buyers) < 4; n++ {
		if demo.BuyerLocale(n) == "en" {
			buyers = append(buyers, demo.BuyerID(n))
		}
	}
	const q = "How many days do I have to return an item?"
	ask := func(i int, id string) (frame, []frame) {
		t.Helper()
		c := e.dial(t, buyers[i])
		c.hello("", 0) // a fresh conversation: the evidence is the answer's passages alone
		return c.ask(id, q)
	}
	first, _ := ask(0, "p1")
	if first.Guardrail != "pass" || first.Text == "" {
		t.Fatalf("first answer %q, guardrail %s: want a passed answer to cache", first.Text, first.Guardrail)
	}
	eventually(t, "the first answer is cached", func() bool {
		var n int
		return e.pool.QueryRow(t.Context(), `SELECT count(*) FROM policy_answers`).Scan(&n) == nil && n > 0
	})
	counts := func() (checked, known float64) {
		return metric(t, e.metrics, "csagent_policy_cache_total", "result", "guard_checked"),
			metric(t, e.metrics, "csagent_policy_cache_total", "result", "guard_known")
	}
	for i, id := range []string{"p2", "p3"} {
		r, _ := ask(1+i, id)
		if r.Text != first.Text || r.Guardrail != "pass" {
			t.Fatalf("%s: %q (guardrail %s), want the cached answer %q, passed", id, r.Text, r.Guardrail, first.Text)
		}
	}
	if checked, known := counts(); checked != 1 || known != 1 {
		t.Fatalf("after two answers from the cache: checked %v, known %v; want the first checked and the second's verdict kept", checked, known)
	}
	memory := func() float64 { return metric(t, e.metrics, "csagent_policy_cache_total", "result", "memory") }
	if n := memory(); n != 1 {
		t.Fatalf("%v answers from the process's memory, want 1 (p3; p2 found the answer in the table)", n)
	}

	// A reload that bans the answer's own wording.
	words := strings.Fields(first.Text)
	phrase := strings.Join(words[:min(4, len(words))], " ")
	cfg := guardrails.DefaultConfig()
	cfg.Rules = append(cfg.Rules, guardrails.Rule{ID: "test_cached_wording", Category: "other", Locale: "any", Phrases: []string{phrase}})
	before := g.Version()
	if err := g.Reload(cfg); err != nil {
		t.Fatal(err)
	}
	if g.Version() == before {
		t.Fatal("a reload kept the guardrails' version")
	}
	r, deltas := ask(3, "p4")
	if r.Guardrail == "pass" || strings.Contains(r.Text, phrase) {
		t.Errorf("after the reload: %q (guardrail %s), want the banned wording %q caught", r.Text, r.Guardrail, phrase)
	}
	for _, d := range deltas {
		if strings.Contains(d.Text, phrase) {
			t.Errorf("after the reload a delta showed the banned wording: %q", d.Text)
		}
	}
	if checked, known := counts(); checked < 2 || known != 1 {
		t.Errorf("after the reload: checked %v, known %v; want the answer checked again, no kept verdict used", checked, known)
	}
	if n := memory(); n != 2 {
		t.Errorf("%v answers from the process's memory, want 2: p4's came from memory too and was still checked again", n)
	}
}
