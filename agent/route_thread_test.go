package agent_test

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

// readerFunc reads a conversation with a function: the local model's
// reading, as the test needs it.
type readerFunc func(agent.Request) agent.Reading

func (f readerFunc) Read(req agent.Request) agent.Reading { return f(req) }

// cardModel plays a brain that proposes a refund for a buyer's message and
// answers "how much" in text, counting its calls.
func cardModel(name string, calls *atomic.Int32) fakeModel {
	return fakeModel{func(req agent.Request) (agent.Response, error) {
		calls.Add(1)
		last := req.Messages[len(req.Messages)-1]
		switch {
		case last.Role == agent.RoleTool:
			return textReply(name + ": please confirm the refund"), nil
		case strings.Contains(last.Content, "how much"):
			return textReply(name + ": 42.50 USD"), nil
		}
		return toolCall("request_refund", `{"order_id":"ORD-10001"}`), nil
	}}
}

// Who proposed the waiting card decides where the buyer's question about it
// goes, with the routes read back from the stored replies: the local
// model's card keeps the question with the local model, the LLM's card
// sends it to the LLM.
func TestRoutingFollowsWhoOpenedTheCard(t *testing.T) {
	tests := []struct {
		name string
		// firstConfidence is the local model's confidence in the refund
		// request: sure (it proposes the card) or not (the LLM does).
		firstConfidence float64
		want            []string // the replies' route:reason
		// wantLLM is the LLM's calls: a proposal is two (the call, then
		// the text), an answer one.
		wantLLM int32
	}{
		{"the local model's card", 0.97, []string{"local:routine", "local:routine"}, 0},
		{"the llm's card", 0.4, []string{"llm:low_confidence", "llm:pending_action"}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			tl, _, _ := refundWorld()
			var llmCalls, localCalls atomic.Int32
			read := readerFunc(func(req agent.Request) agent.Reading {
				last := req.Messages[len(req.Messages)-1].Content
				if strings.Contains(last, "how much") {
					return agent.Reading{Intent: "refund_request", Confidence: 0.95}
				}
				return agent.Reading{Intent: "refund_request", Confidence: tt.firstConfidence}
			})
			a := agent.New(agent.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
				Model: cardModel("llm", &llmCalls), Local: cardModel("local", &localCalls), Reader: read, Tools: tl, Store: h.store,
				Config: agent.Config{Routing: agent.Routing{Enabled: true}}})
			_, events := h.run(t, a, "1", "refund ORD-10001 please, it arrived broken")
			confirmEvent(t, events)
			r, _ := h.run(t, a, "2", "how much will I get back?")
			if !strings.HasSuffix(r.Assistant.Text, "42.50 USD") {
				t.Errorf("reply to how much = %q, want the amount", r.Assistant.Text)
			}
			rows, err := h.pool.Query(t.Context(), `SELECT coalesce(usage ->> 'route', '') || ':' || coalesce(usage ->> 'route_reason', '')
				FROM messages WHERE conversation_id = $1 AND role = 'assistant' ORDER BY seq`, h.conv.ID)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					t.Fatal(err)
				}
				got = append(got, s)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("routes = %q, want %q", got, tt.want)
			}
			if n := llmCalls.Load(); n != tt.wantLLM {
				t.Errorf("the LLM was called %d times, want %d", n, tt.wantLLM)
			}
		})
	}
}

// BenchmarkRoutedTurn is a whole turn the local model answers, routed
// (an LLM configured, routing on: the routes of the window's replies read
// with the turn's state, the reading, the decision) against the same turn
// in a local-only deployment, with the p50 and p99 of single turns in µs.
// routed minus local is what routing adds to a turn, database included.
func BenchmarkRoutedTurn(b *testing.B) {
	pool := pgtest.New(b, demoSeed)
	store := agent.NewStore(pool)
	buyer := demo.BuyerID(0)
	ctx := tools.NewContext(b.Context(), tools.Caller{Role: tools.RoleBuyer, ID: buyer, Locale: "en"})
	tl, local := orderTurn()
	llm := fakeModel{func(agent.Request) (agent.Response, error) { return agent.Response{}, errors.New("the LLM was asked") }}
	read := readerFunc(func(agent.Request) agent.Reading { return agent.Reading{Intent: "order_status", Confidence: 0.95} })
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, bc := range []struct {
		name string
		opts agent.Options
	}{
		{"local", agent.Options{Logger: logger, Model: local, Tools: tl, Store: store}},
		{"routed", agent.Options{Logger: logger, Model: llm, Local: local, Reader: read, Tools: tl, Store: store,
			Config: agent.Config{Routing: agent.Routing{Enabled: true}}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			a := agent.New(bc.opts)
			var conv agent.Conversation
			lat := make([]time.Duration, 0, 1024)
			i := 0
			for b.Loop() {
				// A fresh conversation every 20 turns keeps the window
				// realistic.
				if i%20 == 0 {
					var err error
					if conv, err = store.Open(b.Context(), buyer, "", "en"); err != nil {
						b.Fatal(err)
					}
				}
				i++
				start := time.Now()
				if _, err := a.Run(ctx, agent.Turn{ConversationID: conv.ID, ClientID: fmt.Sprint(i), Text: "where is ORD-10001", Locale: "en"}, func(agent.Event) error { return nil }); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)*50/100].Microseconds()), "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
		})
	}
}
