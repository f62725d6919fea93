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

// fakeTools records calls and answers them with call and preview.
type fakeTools struct {
	specs   []tools.Spec
	call    func(ctx context.Context, c tools.Call) tools.Outcome
	preview func(tools.Call) (tools.Preview, *tools.Error)
	calls   atomic.Int32
}

func (f *fakeTools) Specs(tools.Role) []tools.Spec { return f.specs }
func (f *fakeTools) Call(ctx context.Context, c tools.Call) tools.Outcome {
	f.calls.Add(1)
	return f.call(ctx, c)
}
func (f *fakeTools) Preview(_ context.Context, c tools.Call) (tools.Preview, *tools.Error) {
	if f.preview == nil {
		return tools.Preview{Summary: "do " + c.Name}, nil
	}
	return f.preview(c)
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
	return agent.New(agent.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Model: m, Tools: tl, Store: h.store, Config: cfg})
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
		call:  func(context.Context, tools.Call) tools.Outcome { return tools.Outcome{Data: json.RawMessage(`{}`)} },
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

// refundWorld is a model and tools for the confirmation flow: the model asks
// for a refund, then narrates whatever the tool returned.
func refundWorld() (*fakeTools, fakeModel, *[]agent.Message) {
	tl := &fakeTools{
		specs: []tools.Spec{{Name: "request_refund", Consequential: true, Parameters: json.RawMessage(`{}`)}},
		call: func(ctx context.Context, c tools.Call) tools.Outcome {
			id, ok := tools.ApprovalFrom(ctx)
			if !ok {
				return tools.Outcome{Err: tools.Errorf(tools.CodeConfirmationRequired, "no approval")}
			}
			return tools.Outcome{Data: json.RawMessage(`{"refund_id":"RF-` + strings.ToUpper(id[2:8]) + `"}`)}
		},
		preview: func(c tools.Call) (tools.Preview, *tools.Error) {
			return tools.Preview{Summary: "Refund 42.50 USD for order ORD-10001", Data: map[string]string{"order_id": "ORD-10001"}}, nil
		},
	}
	var told []agent.Message
	m := fakeModel{func(req agent.Request) (agent.Response, error) {
		last := req.Messages[len(req.Messages)-1]
		if last.Role == agent.RoleTool {
			told = append(told, last)
			return textReply("tool said: " + last.Content), nil
		}
		return toolCall("request_refund", `{"order_id":"ORD-10001"}`), nil
	}}
	return tl, m, &told
}

func (h *harness) run(t *testing.T, a *agent.Agent, id, text string) (agent.Reply, []agent.Event) {
	t.Helper()
	var events []agent.Event
	var mu sync.Mutex
	r, err := a.Run(h.ctx, agent.Turn{ConversationID: h.conv.ID, ClientID: id, Text: text, Locale: "en"}, func(e agent.Event) error {
		mu.Lock()
		events = append(events, e)
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatalf("Run(%q): %v", text, err)
	}
	return r, events
}

func confirmEvent(t *testing.T, events []agent.Event) agent.Event {
	t.Helper()
	for _, e := range events {
		if e.Kind == agent.EventConfirm {
			return e
		}
	}
	t.Fatalf("no confirm_request among %+v", events)
	return agent.Event{}
}

// The model's word alone never runs a consequential tool: it becomes a
// pending action, and only the buyer's confirmation executes it, once.
func TestConsequentialToolsWaitForTheBuyersConfirmation(t *testing.T) {
	h := newHarness(t)
	tl, m, told := refundWorld()
	a := h.agent(m, tl, agent.Config{})

	_, events := h.run(t, a, "1", "refund ORD-10001 please")
	if n := tl.calls.Load(); n != 0 {
		t.Fatalf("the consequential tool ran %d times on the model's word", n)
	}
	ev := confirmEvent(t, events)
	if ev.ActionID == "" || !strings.Contains(ev.Text, "42.50 USD") {
		t.Errorf("confirm_request = %+v, want an action id and the summary", ev)
	}
	if len(*told) != 1 || !strings.Contains((*told)[0].Content, `"pending_confirmation":true`) {
		t.Errorf("the model was told %+v, want pending_confirmation", *told)
	}

	// The same request again reuses the pending action.
	_, events = h.run(t, a, "2", "refund ORD-10001 please")
	if again := confirmEvent(t, events); again.ActionID != ev.ActionID {
		t.Errorf("second proposal made action %s, want the pending %s again", again.ActionID, ev.ActionID)
	}

	// Another buyer cannot confirm it.
	other := tools.NewContext(t.Context(), tools.Caller{Role: tools.RoleBuyer, ID: demo.BuyerID(1)})
	if _, err := a.Confirm(other, h.conv.ID, ev.ActionID, true, "en", func(agent.Event) error { return nil }); !errors.Is(err, agent.ErrNotFound) {
		t.Errorf("another buyer's Confirm = %v, want ErrNotFound", err)
	}

	// Ten confirmations at once execute it exactly once; all but one are
	// duplicates that get the same reply.
	var wg sync.WaitGroup
	replies := make([]agent.Reply, 10)
	for i := range replies {
		wg.Go(func() {
			r, err := a.Confirm(h.ctx, h.conv.ID, ev.ActionID, true, "en", func(agent.Event) error { return nil })
			if err != nil {
				t.Errorf("Confirm: %v", err)
			}
			replies[i] = r
		})
	}
	wg.Wait()
	if n := tl.calls.Load(); n != 1 {
		t.Errorf("the action ran %d times, want exactly once", n)
	}
	fresh := 0
	for _, r := range replies {
		if !r.Duplicate {
			fresh++
			if !strings.Contains(r.Assistant.Text, "RF-") {
				t.Errorf("reply to the confirmation = %q, want the tool's result narrated", r.Assistant.Text)
			}
		}
	}
	if fresh != 1 {
		t.Errorf("%d confirmations were treated as new, want 1", fresh)
	}
	var status string
	if err := h.pool.QueryRow(t.Context(), "SELECT status FROM pending_actions WHERE id = $1", ev.ActionID).Scan(&status); err != nil || status != "executed" {
		t.Errorf("action status = %q, %v; want executed", status, err)
	}
}

func TestTypedYesConfirmsOnlyTheOnePendingAction(t *testing.T) {
	yesNo := fakeConfirmations{}
	tests := []struct {
		name    string
		pending int
		text    string
		runs    int32
	}{
		{"yes with one pending", 1, "yes", 1},
		{"no with one pending", 1, "no", 0},
		{"yes with two pending", 2, "yes", 0},
		{"yes with none pending", 0, "yes", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			tl, m, _ := refundWorld()
			a := agent.New(agent.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Model: m, Tools: tl, Store: h.store, Confirmations: yesNo})
			for i := range tt.pending {
				h.store.Propose(t.Context(), agent.Action{ID: agent.NewID("a_"), ConversationID: h.conv.ID, BuyerID: demo.BuyerID(0), TurnID: "t",
					Tool: "request_refund", Arguments: json.RawMessage(fmt.Sprintf(`{"order_id":"ORD-1000%d"}`, i+1)), Summary: "refund",
					Plan: &tools.Plan{Action: "refund", OrderID: fmt.Sprintf("ORD-1000%d", i+1)}, ExpiresAt: time.Now().Add(time.Hour)})
			}
			// With anything but exactly one pending, "yes" goes to the model,
			// which here proposes yet another refund rather than running one.
			h.run(t, a, "y", tt.text)
			if n := tl.calls.Load(); n != tt.runs {
				t.Errorf("%q with %d pending ran the tool %d times, want %d", tt.text, tt.pending, n, tt.runs)
			}
		})
	}
}

type fakeConfirmations struct{}

func (fakeConfirmations) Confirmation(text, _ string) (bool, bool) {
	return text == "yes", text == "no"
}

func TestExpiredAndDeclinedActionsDoNotRun(t *testing.T) {
	h := newHarness(t)
	tl, m, _ := refundWorld()
	a := h.agent(m, tl, agent.Config{})
	expired, _ := h.store.Propose(t.Context(), agent.Action{ID: agent.NewID("a_"), ConversationID: h.conv.ID, BuyerID: demo.BuyerID(0),
		TurnID: "t", Tool: "request_refund", Arguments: json.RawMessage(`{"order_id":"ORD-10002"}`), Summary: "old", ExpiresAt: time.Now().Add(-time.Minute)})
	if _, err := a.Confirm(h.ctx, h.conv.ID, expired.ID, true, "en", func(agent.Event) error { return nil }); !errors.Is(err, agent.ErrExpired) {
		t.Errorf("Confirm(expired) = %v, want ErrExpired", err)
	}
	_, events := h.run(t, a, "1", "refund please")
	ev := confirmEvent(t, events)
	r, err := a.Confirm(h.ctx, h.conv.ID, ev.ActionID, false, "es", func(agent.Event) error { return nil })
	if err != nil || !strings.Contains(r.Assistant.Text, "no lo he hecho") {
		t.Errorf("Confirm(declined) = %q, %v; want the Spanish decline line", r.Assistant.Text, err)
	}
	if n := tl.calls.Load(); n != 0 {
		t.Errorf("declined and expired actions ran the tool %d times", n)
	}
	if _, err := a.Confirm(h.ctx, h.conv.ID, "a_doesnotexist00000", true, "en", func(agent.Event) error { return nil }); !errors.Is(err, agent.ErrNotFound) {
		t.Errorf("Confirm(unknown) = %v, want ErrNotFound", err)
	}
}

// Tool calls of one step run concurrently and their results come back in
// the order the model asked for them.
func TestRunRunsOneStepsToolsConcurrentlyInOrder(t *testing.T) {
	h := newHarness(t)
	var inFlight, peak atomic.Int32
	tl := &fakeTools{
		specs: []tools.Spec{{Name: "a"}, {Name: "b"}, {Name: "c"}},
		call: func(_ context.Context, c tools.Call) tools.Outcome {
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
		{"text too long", h.ctx, agent.Turn{ConversationID: h.conv.ID, Text: strings.Repeat("x", agent.MaxMessageChars+1)}},
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

// Past a conversation's token budget the local model answers, and the
// reply records why.
func TestBudgetHandsTheConversationToTheLocalModel(t *testing.T) {
	h := newHarness(t)
	llm := fakeModel{func(agent.Request) (agent.Response, error) {
		return agent.Response{Model: "big-llm", Message: agent.Message{Content: "from the llm"}, Usage: agent.Usage{PromptTokens: 600, CompletionTokens: 100}}, nil
	}}
	localModel := fakeModel{func(agent.Request) (agent.Response, error) {
		return agent.Response{Model: "local", Message: agent.Message{Content: "from local"}}, nil
	}}
	a := agent.New(agent.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Model: llm, Local: localModel, Tools: &fakeTools{},
		Store: h.store, Config: agent.Config{ConversationTokens: 1000}})
	var got []string
	for i := range 3 {
		r, _ := h.run(t, a, fmt.Sprint(i), "hello")
		got = append(got, r.Assistant.Text)
	}
	want := []string{"from the llm", "from the llm", "from local"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("replies = %q, want %q", got, want)
	}
	var fallback string
	if err := h.pool.QueryRow(t.Context(), `SELECT usage->>'fallback' FROM messages WHERE conversation_id = $1 AND role = 'assistant' ORDER BY seq DESC LIMIT 1`, h.conv.ID).Scan(&fallback); err != nil {
		t.Fatal(err)
	}
	if fallback != "conversation_budget" {
		t.Errorf("usage fallback = %q, want conversation_budget", fallback)
	}
	if n, err := h.store.DailyTokens(t.Context(), time.Now()); err != nil || n != 1400 {
		t.Errorf("DailyTokens = %d, %v; want 1400", n, err)
	}
}

func TestChainFallsBackInOrder(t *testing.T) {
	failing := fakeModel{func(agent.Request) (agent.Response, error) { return agent.Response{}, errors.New("down") }}
	ok := fakeModel{func(agent.Request) (agent.Response, error) { return textReply("second answered"), nil }}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	c := agent.NewChain(logger, []agent.Model{failing, ok}, []string{"first", "second"})
	resp, err := c.Generate(t.Context(), agent.Request{}, nil)
	if err != nil || resp.Message.Content != "second answered" || resp.Fallback != "fallback_from_first" {
		t.Errorf("Generate = %+v, %v; want the second model's answer marked as a fallback", resp, err)
	}
	all := agent.NewChain(logger, []agent.Model{failing, failing}, []string{"a", "b"})
	if _, err := all.Generate(t.Context(), agent.Request{}, nil); err == nil || !strings.Contains(err.Error(), "a: down") || !strings.Contains(err.Error(), "b: down") {
		t.Errorf("Generate with every model down = %v, want both errors", err)
	}
}

// The model's window holds past turns' tool calls and results (long ones
// cut with a marker), drops the oldest turns to fit, and names the pending
// action.
func TestHistoryWindow(t *testing.T) {
	h := newHarness(t)
	big := strings.Repeat("x", 5000)
	tl := &fakeTools{
		specs: []tools.Spec{{Name: "lookup"}, {Name: "request_refund", Consequential: true}},
		call: func(context.Context, tools.Call) tools.Outcome {
			b, _ := json.Marshal(map[string]string{"blob": big})
			return tools.Outcome{Data: b}
		},
	}
	var lastReq agent.Request
	turn := 0
	m := fakeModel{func(req agent.Request) (agent.Response, error) {
		lastReq = req
		if req.Messages[len(req.Messages)-1].Role == agent.RoleUser {
			turn++
			if turn == 1 {
				return toolCall("lookup", `{}`), nil
			}
			if turn == 2 {
				return toolCall("request_refund", `{"order_id":"ORD-10001"}`), nil
			}
		}
		return textReply(strings.Repeat("reply ", 50)), nil
	}}
	a := h.agent(m, tl, agent.Config{ContextTokens: 2000})
	for i := range 12 {
		h.run(t, a, fmt.Sprint(i), fmt.Sprintf("message %d %s", i, strings.Repeat("words ", 40)))
	}
	var sawNote, sawPending, sawTruncated bool
	for _, msg := range lastReq.Messages {
		sawNote = sawNote || (msg.Role == agent.RoleSystem && strings.Contains(msg.Content, "earlier messages"))
		sawPending = sawPending || (msg.Role == agent.RoleSystem && strings.Contains(msg.Content, "do request_refund"))
		sawTruncated = sawTruncated || (msg.Role == agent.RoleTool && strings.HasSuffix(msg.Content, "…[truncated]"))
	}
	last := lastReq.Messages[len(lastReq.Messages)-1]
	if !strings.HasPrefix(last.Content, "message 11") {
		t.Errorf("the window ends with %q, want this turn's message", last.Content[:min(20, len(last.Content))])
	}
	if !sawNote || !sawPending {
		t.Errorf("window notes: omitted %v, pending %v; want both", sawNote, sawPending)
	}
	if strings.Contains(fmt.Sprint(lastReq.Messages), "message 0 ") {
		t.Error("the oldest turn is still in a window that should have dropped it")
	}

	// A past tool result, as the audit log keeps it, comes back truncated.
	h2 := newHarness(t)
	turn = 0
	lookup := tools.New("lookup", "test lookup", `{"type":"object"}`, []tools.Role{tools.RoleBuyer},
		func(context.Context, struct{}) (tools.Result, error) {
			return tools.Result{Data: map[string]string{"blob": big}}, nil
		})
	reg, err := tools.NewRegistry(slog.New(slog.NewTextHandler(io.Discard, nil)), tools.NewAudit(h2.pool), lookup)
	if err != nil {
		t.Fatal(err)
	}
	a2 := h2.agent(m, reg, agent.Config{ContextTokens: 100000})
	h2.run(t, a2, "a", "first")
	h2.run(t, a2, "b", "second")
	for _, msg := range lastReq.Messages {
		sawTruncated = sawTruncated || (msg.Role == agent.RoleTool && strings.HasSuffix(msg.Content, "…[truncated]"))
	}
	if !sawTruncated {
		t.Error("a 5 KB tool result of an earlier turn was not truncated with a marker")
	}
}

// orderTurn is the benchmarks' turn: a zero-latency model that looks
// ORD-10001 up with get_order, then says it shipped.
func orderTurn() (*fakeTools, fakeModel) {
	tl := &fakeTools{
		specs: []tools.Spec{{Name: "get_order"}},
		call: func(context.Context, tools.Call) tools.Outcome {
			return tools.Outcome{Data: json.RawMessage(`{"order_id":"ORD-10001","status":"shipped"}`)}
		},
	}
	m := fakeModel{func(req agent.Request) (agent.Response, error) {
		if req.Messages[len(req.Messages)-1].Role == agent.RoleTool {
			return textReply("Your order shipped."), nil
		}
		return toolCall("get_order", `{"order_id":"ORD-10001"}`), nil
	}}
	return tl, m
}

// BenchmarkRunTurn measures one whole turn against a zero-latency model:
// store the message, build the window, one tool step, one text step, store
// the reply. Everything but the model's own time is the agent's overhead.
func BenchmarkRunTurn(b *testing.B) {
	pool := pgtest.New(b, demoSeed)
	store := agent.NewStore(pool)
	buyer := demo.BuyerID(0)
	ctx := tools.NewContext(b.Context(), tools.Caller{Role: tools.RoleBuyer, ID: buyer, Locale: "en"})
	tl, m := orderTurn()
	a := agent.New(agent.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Model: m, Tools: tl, Store: store})
	conv, err := store.Open(b.Context(), buyer, "", "en")
	if err != nil {
		b.Fatal(err)
	}
	// One turn first opens the pool's connections, whose backends the
	// clock reads.
	if _, err := a.Run(ctx, agent.Turn{ConversationID: conv.ID, ClientID: "warm", Text: "where is ORD-10001", Locale: "en"}, func(agent.Event) error { return nil }); err != nil {
		b.Fatal(err)
	}
	clock := pgtest.StartCPU(b, pool)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		// A fresh conversation every 20 turns keeps the window realistic.
		if i%20 == 0 {
			if conv, err = store.Open(b.Context(), buyer, "", "en"); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := a.Run(ctx, agent.Turn{ConversationID: conv.ID, ClientID: fmt.Sprint(i), Text: "where is ORD-10001", Locale: "en"}, func(agent.Event) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	clock.Report(b, b.N, "op")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/2, "µs/step")
	reportHOT(b, pool)
}

// reportHOT reports the share of the benchmark's updates of conversations
// that were HOT (no index written, migrations/00019_hot_numbering.sql).
// The pool's backends send their counts when idle, at most a second late.
func reportHOT(b *testing.B, pool *pgxpool.Pool) {
	b.Helper()
	time.Sleep(1500 * time.Millisecond)
	var upd, hot int64
	if err := pool.QueryRow(context.Background(), `SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables
		WHERE relname = 'conversations'`).Scan(&upd, &hot); err != nil {
		b.Fatal(err)
	}
	if upd > 0 {
		b.ReportMetric(100*float64(hot)/float64(upd), "hot-%")
	}
}
