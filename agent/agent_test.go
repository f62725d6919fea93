package agent_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

var demoSeed = pgtest.Seed{Name: "demo", Run: func(ctx context.Context, pool *pgxpool.Pool) error {
	return demo.Seed(ctx, pool, time.Now())
}}

// fakeModel answers with whatever generate returns.
type fakeModel struct {
	generate func(req agent.Request) (agent.Response, error)
}

func (m fakeModel) Generate(ctx context.Context, req agent.Request, _ func(string) error) (agent.Response, error) {
	return m.generate(req)
}

// fakeTools records calls and answers them with call.
type fakeTools struct {
	specs []tools.Spec
	call  func(tools.Call) tools.Outcome
	calls atomic.Int32
}

func (f *fakeTools) Specs(tools.Role) []tools.Spec { return f.specs }
func (f *fakeTools) Call(_ context.Context, c tools.Call) tools.Outcome {
	f.calls.Add(1)
	return f.call(c)
}

type harness struct {
	pool  *pgxpool.Pool
	store *agent.Store
	conv  agent.Conversation
	ctx   context.Context
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	pool := pgtest.New(t, demoSeed)
	store := agent.NewStore(pool)
	buyer := demo.BuyerID(0)
	conv, err := store.Open(t.Context(), buyer, "", "en")
	if err != nil {
		t.Fatal(err)
	}
	ctx := tools.NewContext(t.Context(), tools.Caller{Role: tools.RoleBuyer, ID: buyer, Locale: "en"})
	return &harness{pool: pool, store: store, conv: conv, ctx: ctx}
}

func (h *harness) agent(m agent.Model, tl agent.Tools, cfg agent.Config) *agent.Agent {
	return agent.New(slog.New(slog.NewTextHandler(io.Discard, nil)), m, tl, h.store, nil, cfg)
}

func toolCall(name, args string) agent.Response {
	return agent.Response{Model: "fake", Message: agent.Message{ToolCalls: []agent.ToolCall{{ID: "c", Name: name, Arguments: json.RawMessage(args)}}}}
}

func textReply(s string) agent.Response {
	return agent.Response{Model: "fake", Message: agent.Message{Content: s}, Usage: agent.Usage{PromptTokens: 10, CompletionTokens: 5}}
}

// Whatever goes wrong inside a turn, the buyer gets a readable reply and
// the transcript has it.
func TestRunEndsBadTurnsWithAStoredFallback(t *testing.T) {
	echo := &fakeTools{
		specs: []tools.Spec{{Name: "lookup", Parameters: json.RawMessage(`{}`)}},
		call:  func(tools.Call) tools.Outcome { return tools.Outcome{Data: json.RawMessage(`{}`)} },
	}
	step := 0
	tests := []struct {
		name     string
		model    func(agent.Request) (agent.Response, error)
		fallback string
	}{
		{"model error", func(agent.Request) (agent.Response, error) { return agent.Response{}, errors.New("upstream 500") }, "model_error"},
		{"empty reply", func(agent.Request) (agent.Response, error) { return agent.Response{Model: "fake"}, nil }, "empty_reply"},
		{"same call twice", func(agent.Request) (agent.Response, error) { return toolCall("lookup", `{"q":1}`), nil }, "repeated_call"},
		{"never stops calling tools", func(agent.Request) (agent.Response, error) {
			step++
			return toolCall("lookup", fmt.Sprintf(`{"q":%d}`, step)), nil
		}, "step_limit"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			a := h.agent(fakeModel{tt.model}, echo, agent.Config{MaxSteps: 3})
			r, err := a.Run(h.ctx, agent.Turn{ConversationID: h.conv.ID, ClientID: fmt.Sprint(i), Text: "help", Locale: "ko"}, func(agent.Event) error { return nil })
			if err != nil {
				t.Fatalf("Run = %v, want a stored fallback", err)
			}
			if r.Assistant.Text != agent.Fallback("ko") {
				t.Errorf("reply = %q, want the Korean fallback", r.Assistant.Text)
			}
			var fallback string
			var steps int
			if err := h.pool.QueryRow(t.Context(), `SELECT usage->>'fallback', (usage->>'steps')::int FROM messages
				WHERE conversation_id = $1 AND role = 'assistant'`, h.conv.ID).Scan(&fallback, &steps); err != nil {
				t.Fatal(err)
			}
			if fallback != tt.fallback {
				t.Errorf("stored fallback = %q, want %q", fallback, tt.fallback)
			}
			if tt.fallback == "step_limit" && steps != 3 {
				t.Errorf("stored steps = %d, want the limit 3", steps)
			}
		})
	}
}

// The model's word alone never runs a consequential tool.
func TestRunDoesNotRunConsequentialToolsOnTheModelsWord(t *testing.T) {
	h := newHarness(t)
	tl := &fakeTools{
		specs: []tools.Spec{{Name: "request_refund", Consequential: true, Parameters: json.RawMessage(`{}`)}},
		call:  func(tools.Call) tools.Outcome { return tools.Outcome{Data: json.RawMessage(`{"refunded":true}`)} },
	}
	var seen []agent.Message
	m := fakeModel{func(req agent.Request) (agent.Response, error) {
		last := req.Messages[len(req.Messages)-1]
		if last.Role == agent.RoleTool {
			seen = append(seen, last)
			return textReply("ok"), nil
		}
		return toolCall("request_refund", `{"order_id":"ORD-10001"}`), nil
	}}
	if _, err := h.agent(m, tl, agent.Config{}).Run(h.ctx, agent.Turn{ConversationID: h.conv.ID, ClientID: "1", Text: "refund now", Locale: "en"}, func(agent.Event) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if n := tl.calls.Load(); n != 0 {
		t.Errorf("the consequential tool ran %d times without confirmation", n)
	}
	if len(seen) != 1 || !strings.Contains(seen[0].Content, "not_eligible") {
		t.Errorf("the model was told %+v, want a not_eligible tool error", seen)
	}
}

// Tool calls of one step run concurrently and their results come back in
// the order the model asked for them.
func TestRunRunsOneStepsToolsConcurrentlyInOrder(t *testing.T) {
	h := newHarness(t)
	var inFlight, peak atomic.Int32
	tl := &fakeTools{
		specs: []tools.Spec{{Name: "a"}, {Name: "b"}, {Name: "c"}},
		call: func(c tools.Call) tools.Outcome {
			n := inFlight.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(50 * time.Millisecond)
			inFlight.Add(-1)
			return tools.Outcome{Data: json.RawMessage(`"` + c.Name + `"`)}
		},
	}
	var order []string
	m := fakeModel{func(req agent.Request) (agent.Response, error) {
		if req.Messages[len(req.Messages)-1].Role == agent.RoleTool {
			for _, msg := range req.Messages {
				if msg.Role == agent.RoleTool {
					order = append(order, msg.Name)
				}
			}
			return textReply("done"), nil
		}
		return agent.Response{Message: agent.Message{ToolCalls: []agent.ToolCall{
			{ID: "1", Name: "a", Arguments: json.RawMessage(`{}`)},
			{ID: "2", Name: "b", Arguments: json.RawMessage(`{}`)},
			{ID: "3", Name: "c", Arguments: json.RawMessage(`{}`)},
		}}}, nil
	}}
	var events []agent.Event
	var mu sync.Mutex
	_, err := h.agent(m, tl, agent.Config{}).Run(h.ctx, agent.Turn{ConversationID: h.conv.ID, ClientID: "1", Text: "go", Locale: "en"}, func(e agent.Event) error {
		mu.Lock()
		events = append(events, e)
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if peak.Load() < 2 {
		t.Errorf("at most %d tool calls ran at once, want them concurrent", peak.Load())
	}
	if strings.Join(order, ",") != "a,b,c" {
		t.Errorf("tool results reached the model as %v, want a,b,c", order)
	}
	if len(events) != 6 {
		t.Errorf("got %d tool events, want a started and a done for each of 3 calls", len(events))
	}
}

func TestRunRefusesBadTurns(t *testing.T) {
	h := newHarness(t)
	a := h.agent(fakeModel{func(agent.Request) (agent.Response, error) { return textReply("x"), nil }}, &fakeTools{}, agent.Config{})
	tests := []struct {
		name string
		ctx  context.Context
		turn agent.Turn
	}{
		{"no caller", t.Context(), agent.Turn{ConversationID: h.conv.ID, Text: "hi"}},
		{"seller as caller", tools.NewContext(t.Context(), tools.Caller{Role: tools.RoleSeller, ID: "seller-maple"}), agent.Turn{ConversationID: h.conv.ID, Text: "hi"}},
		{"empty text", h.ctx, agent.Turn{ConversationID: h.conv.ID, Text: ""}},
		{"text too long", h.ctx, agent.Turn{ConversationID: h.conv.ID, Text: strings.Repeat("x", agent.MaxMessageBytes+1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := a.Run(tt.ctx, tt.turn, func(agent.Event) error { return nil }); !errors.Is(err, agent.ErrInvalid) {
				t.Errorf("Run = %v, want ErrInvalid", err)
			}
		})
	}
	var n int
	if err := h.pool.QueryRow(t.Context(), `SELECT count(*) FROM messages WHERE conversation_id = $1`, h.conv.ID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("refused turns stored %d messages", n)
	}
}

// Concurrent writers to one conversation get distinct, gap-free seqs, and a
// client id sent many times at once is stored once.
func TestStoreAppendNumbersWithoutGapsAndDedupes(t *testing.T) {
	h := newHarness(t)
	const writers = 20
	var wg sync.WaitGroup
	dups := atomic.Int32{}
	for i := range writers {
		wg.Go(func() {
			_, dup, err := h.store.Append(t.Context(), h.conv.ID, agent.StoredMessage{TurnID: "t", Role: "user", AuthorID: "b", Text: "x", ClientID: fmt.Sprint(i % 10)})
			if err != nil {
				t.Errorf("Append: %v", err)
			}
			if dup {
				dups.Add(1)
			}
		})
	}
	wg.Wait()
	msgs, err := h.store.Messages(t.Context(), h.conv.ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 10 || dups.Load() != 10 {
		t.Errorf("stored %d messages with %d duplicates reported, want 10 and 10", len(msgs), dups.Load())
	}
	for i, m := range msgs {
		if m.Seq != int64(i+1) {
			t.Errorf("message %d has seq %d, want %d", i, m.Seq, i+1)
		}
	}
	c, err := h.store.Conversation(t.Context(), demo.BuyerID(0), h.conv.ID)
	if err != nil || c.LastSeq != 10 {
		t.Errorf("conversation last_seq = %d, %v; want 10", c.LastSeq, err)
	}
	if _, err := h.store.Conversation(t.Context(), demo.BuyerID(1), h.conv.ID); !errors.Is(err, agent.ErrNotFound) {
		t.Errorf("another buyer's Conversation = %v, want ErrNotFound", err)
	}
}

func TestSystemPromptAndFallbackCoverEveryLocale(t *testing.T) {
	for _, l := range []string{"en", "ko", "es", "ru"} {
		p := agent.SystemPrompt(l)
		if !strings.Contains(p, "search_policy") || strings.Contains(p, "{{") {
			t.Errorf("SystemPrompt(%q) is not a rendered rules prompt", l)
		}
		if l != "en" && agent.Fallback(l) == agent.Fallback("en") {
			t.Errorf("Fallback(%q) is the English text", l)
		}
	}
	if !strings.Contains(agent.SystemPrompt("ko"), "Korean") {
		t.Error("SystemPrompt(ko) does not ask for Korean")
	}
}
