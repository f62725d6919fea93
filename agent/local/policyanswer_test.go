package local_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/guardrails"
	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/retrieval"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

var (
	classifier = sync.OnceValues(nlu.New)
	guard      = sync.OnceValues(func() (*guardrails.Checker, error) { return guardrails.New(guardrails.DefaultConfig()) })
)

// policiesSeed is the demo data with the demo policies stored and indexed,
// as `csagent seed --demo` leaves them.
var policiesSeed = pgtest.Seed{Name: "demo_policies", Run: func(ctx context.Context, pool *pgxpool.Pool) error {
	if err := demo.Seed(ctx, pool, time.Now()); err != nil {
		return err
	}
	docs, errs := retrieval.LoadDir(retrieval.DemoPolicies())
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	st := retrieval.NewStore(pool)
	for _, d := range docs {
		if _, err := st.PutDocument(ctx, d); err != nil {
			return err
		}
	}
	return nil
}}

// policyAgent is the agent as serve wires it with the local brain: the
// real tools, search_policy over the demo policies on Postgres, and the
// built-in guardrails.
type policyAgent struct {
	agent *agent.Agent
	store *agent.Store
	tools *tools.Registry
	pool  *pgxpool.Pool
}

func newPolicyAgent(t *testing.T) policyAgent {
	t.Helper()
	pool := pgtest.New(t, policiesSeed)
	c, err := classifier()
	if err != nil {
		t.Fatalf("nlu.New: %v", err)
	}
	g, err := guard()
	if err != nil {
		t.Fatalf("guardrails.New: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	all := append(tools.All(tools.NewStore(pool), nil), retrieval.SearchToolMulti(retrieval.NewStore(pool), local.PolicyQueries))
	reg, err := tools.NewRegistry(logger, tools.NewAudit(pool), all...)
	if err != nil {
		t.Fatal(err)
	}
	store := agent.NewStore(pool)
	a := agent.New(agent.Options{Logger: logger, Model: local.New(c), Tools: reg, Store: store,
		Effects: tools.NewStore(pool), Confirmations: local.NewConfirmations(c), Summaries: local.Summaries{}, Guard: g})
	return policyAgent{agent: a, store: store, tools: reg, pool: pool}
}

// ask runs question as the first message of a new conversation of a demo
// buyer and returns the reply the buyer reads, and whether the turn
// searched the policies.
func (p policyAgent) ask(t *testing.T, locale, question string) (string, bool) {
	t.Helper()
	buyer := demo.BuyerID(0)
	ctx := tools.NewContext(t.Context(), tools.Caller{Role: tools.RoleBuyer, ID: buyer, Locale: locale})
	conv, err := p.store.Open(ctx, buyer, "", locale)
	if err != nil {
		t.Fatalf("open conversation: %v", err)
	}
	searched := false
	r, err := p.agent.Run(ctx, agent.Turn{ConversationID: conv.ID, ClientID: "q", Text: question, Locale: locale}, func(e agent.Event) error {
		searched = searched || (e.Kind == agent.EventTool && e.Tool == "search_policy")
		return nil
	})
	if err != nil {
		t.Fatalf("Run(%q): %v", question, err)
	}
	return r.Assistant.Text, searched
}

// answer searches the policies for question as a buyer would, through the
// registry, and returns the local model's reply to the result.
func (p policyAgent) answer(t *testing.T, m *local.Model, locale, question string) string {
	t.Helper()
	reply, _ := p.answerFrom(t, m, locale, question)
	return reply
}

// answerFrom is answer that also returns the passages search_policy
// found, best first.
func (p policyAgent) answerFrom(t *testing.T, m *local.Model, locale, question string) (string, []retrieval.Hit) {
	t.Helper()
	ctx := tools.NewContext(t.Context(), tools.Caller{Role: tools.RoleBuyer, ID: demo.BuyerID(0), Locale: locale})
	args, _ := json.Marshal(map[string]any{"query": question, "k": 8})
	data, hits := p.search(t, locale, args)
	result, _ := json.Marshal(agent.ToolResult{OK: true, Data: data})
	call := agent.ToolCall{ID: "call_1", Name: "search_policy", Arguments: args}
	resp, err := m.Generate(ctx, agent.Request{Locale: locale, Messages: []agent.Message{
		{Role: agent.RoleUser, Content: question},
		{Role: agent.RoleAssistant, ToolCalls: []agent.ToolCall{call}},
		{Role: agent.RoleTool, ToolCallID: call.ID, Name: call.Name, Content: string(result)},
	}}, nil)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return resp.Message.Content, hits
}

// search calls search_policy as a buyer writing in locale with args, and
// returns its data and the passages it found, best first.
func (p policyAgent) search(t *testing.T, locale string, args json.RawMessage) (json.RawMessage, []retrieval.Hit) {
	t.Helper()
	ctx := tools.NewContext(t.Context(), tools.Caller{Role: tools.RoleBuyer, ID: demo.BuyerID(0), Locale: locale})
	out := p.tools.Call(ctx, tools.Call{Name: "search_policy", Arguments: args})
	if out.Err != nil {
		t.Fatalf("search_policy(%s): %v", args, out.Err)
	}
	var found struct {
		Hits []retrieval.Hit `json:"hits"`
	}
	if err := json.Unmarshal(out.Data, &found); err != nil {
		t.Fatalf("search_policy(%s) data: %v", args, err)
	}
	return out.Data, found.Hits
}

type policyQuestion struct {
	locale, text string
	// topic is the set's topic of the question, where it has one.
	topic string
	// facts must all appear in the reply; each lists its acceptable
	// spellings.
	facts [][]string
}

func readPolicyQuestions(t *testing.T) []policyQuestion {
	t.Helper()
	return readQuestions(t, "testdata/policy_questions.tsv")
}

func readQuestions(t *testing.T, path string) []policyQuestion {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []policyQuestion
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		topic := ""
		if len(cols) == 4 { // locale, topic, question, facts
			topic = cols[1]
			cols = append(cols[:1], cols[2:]...)
		}
		if len(cols) != 3 {
			t.Fatalf("%s:%d: %d columns, want 3 (or 4 with a topic)", path, n, len(cols))
		}
		q := policyQuestion{locale: cols[0], text: cols[1], topic: topic}
		for _, fact := range strings.Split(cols[2], ";") {
			q.facts = append(q.facts, strings.Split(fact, "|"))
		}
		out = append(out, q)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// missingFact returns the first fact reply does not state, or "".
func missingFact(reply string, facts [][]string) string {
	low := strings.ToLower(reply)
	for _, spellings := range facts {
		found := false
		for _, s := range spellings {
			found = found || strings.Contains(low, strings.ToLower(s))
		}
		if !found {
			return strings.Join(spellings, "|")
		}
	}
	return ""
}

// minFactShare is the share of policy questions, per language, whose
// answer must state the asked-for fact: a little under the level
// measured when the composer was written (55 of 56 and 59 of 64; main had
// 3, 5, 5 and 3 of 14 on the first set), so a change that answers fewer
// fails.
const minFactShare = 0.85

// Policy questions in buyers' own words get the fact they ask for — the
// number of days, who pays, what is excluded — from the real search_policy
// on Postgres and the local model's answer composer, in every language.
func TestPolicyAnswersStateTheAskedFact(t *testing.T) {
	testPolicyAnswers(t, readPolicyQuestions(t))
}

// The second set was written after the composer was first tuned: its
// first 40 questions measured 24 of 40 then, its last 24 (written later
// still) 16 of 24. The causes they showed were fixed (a list read by its
// lead-in, "when" asks for a time, an elapsed time asks about a time
// limit, a policy's introduction answers last, "gift card" is no payment
// card), so it is no longer held out, but it guards the same floor.
func TestPolicyAnswersSecondSet(t *testing.T) {
	testPolicyAnswers(t, readQuestions(t, "testdata/policy_questions_2.tsv"))
}

func testPolicyAnswers(t *testing.T, questions []policyQuestion) {
	p := newPolicyAgent(t)
	c, err := classifier()
	if err != nil {
		t.Fatal(err)
	}
	m := local.New(c)
	answered, asked := map[string]int{}, map[string]int{}
	for _, q := range questions {
		asked[q.locale]++
		reply := p.answer(t, m, q.locale, q.text)
		if missing := missingFact(reply, q.facts); missing != "" {
			t.Logf("reply to %q = %q, lacks %q", q.text, reply, missing)
			continue
		}
		answered[q.locale]++
	}
	for _, l := range []string{"en", "ko", "es", "ru"} {
		t.Logf("%s: %d of %d answers state the fact", l, answered[l], asked[l])
		if float64(answered[l]) < minFactShare*float64(asked[l]) {
			t.Errorf("%s: %d of %d answers state the asked-for fact, want at least %.0f%%", l, answered[l], asked[l], 100*minFactShare)
		}
	}
}

// withheldPassages are questions whose answering passage the guard's
// injection screen withholds from the model today (agent/guard.go
// screenTool): the Korean "how to request a refund" section tells the
// reader to ask the agent, which the screen reads as an instruction.
var withheldPassages = map[string]string{
	"반품은 어떻게 하나요?": "the guard withholds [refunds §환불 신청 방법] as an instruction",
}

// The same questions through the whole turn: the agent's loop, the
// guardrails, the stored reply. A question the classifier reads as
// another request (an order lookup) is the NLU's to route and is counted
// apart; a question that reaches search_policy must get its fact.
func TestPolicyTurnsStateTheAskedFact(t *testing.T) {
	p := newPolicyAgent(t)
	answered, routed, asked := map[string]int{}, map[string]int{}, map[string]int{}
	for _, q := range readPolicyQuestions(t) {
		t.Run(q.locale+"/"+q.text, func(t *testing.T) {
			asked[q.locale]++
			reply, searched := p.ask(t, q.locale, q.text)
			missing := missingFact(reply, q.facts)
			if missing == "" {
				answered[q.locale]++
			}
			if !searched {
				t.Logf("not routed to search_policy: %q → %q", q.text, reply)
				return
			}
			routed[q.locale]++
			if why, ok := withheldPassages[q.text]; ok && missing != "" {
				t.Logf("known: %s; reply %q", why, reply)
				return
			}
			if missing != "" {
				t.Errorf("reply to %q = %q, want it to state %q", q.text, reply, missing)
			}
		})
	}
	for _, l := range []string{"en", "ko", "es", "ru"} {
		t.Logf("%s: %d of %d replies state the fact (%d reached search_policy)", l, answered[l], asked[l], routed[l])
	}
}
