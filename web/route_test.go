package web_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/csagent/csagent/agent"
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
