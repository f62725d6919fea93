package agent

import (
	"fmt"
	"io"
	"log/slog"
	"testing"

	"github.com/csagent/csagent/guardrails"
)

// BenchmarkTurnGuard is the guardrails' share of one turn with a full
// window: screening 10 buyer messages and 10 tool results of the
// history, one new tool result, streaming and checking the reply.
func BenchmarkTurnGuard(b *testing.B) {
	c, err := guardrails.New(guardrails.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	a := New(Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Guard: c})
	var history []Message
	for i := range 10 {
		history = append(history,
			Message{Role: RoleUser, Content: fmt.Sprintf("Hi, where is my order ORD-1%04d? It was supposed to arrive last week and I need it for a birthday.", i)},
			Message{Role: RoleTool, Name: "get_order", Content: fmt.Sprintf(`{"ok":true,"data":{"id":"ORD-1%04d","status":"shipped","total":"USD 42.50","items":[{"title":"Ceramic mug, blue, large","qty":2}],"carrier":"Maru Express","tracking":"MX%08d","shipped_at":"2026-11-2%dT10:00:00Z"}}`, i, i*7919, i%9)},
			Message{Role: RoleAssistant, Content: "Your order has shipped with Maru Express."},
		)
	}
	result := Message{Role: RoleTool, Name: "get_order", Content: `{"ok":true,"data":{"id":"ORD-10003","status":"shipped","total":"USD 42.50","tracking":"MX00023757"}}`}
	reply := "Your order ORD-10003 has shipped; the tracking number is MX00023757. Is there anything else I can help with?"
	emit := func(Event) error { return nil }
	b.ReportAllocs()
	for b.Loop() {
		g := a.newTurnGuard(Turn{Locale: "en"}, "t_bench")
		g.screen(b.Context(), history)
		g.addResult(b.Context(), result)
		onDelta, flush := g.stream(b.Context(), emit, func(string) error { return nil })
		for s := reply; s != ""; {
			n := min(12, len(s))
			onDelta(s[:n])
			s = s[n:]
		}
		flush()
		if r, ok := g.check(b.Context(), reply, nil); !ok || r.Verdict != guardrails.Pass {
			b.Fatalf("check(%q) = %+v", reply, r)
		}
	}
}
