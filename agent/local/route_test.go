package local

import (
	"context"
	"reflect"
	"testing"

	"github.com/csagent/csagent/agent"
)

// TestGenerateReadAnswersAsGenerate: answering from routing's reading gives
// the very answer a fresh reading gives, at every step of a turn (tool
// results after the buyer's message), and a reading of other messages (the
// guardrails rewrote the buyer's message, or a newer one arrived) is not
// used.
func TestGenerateReadAnswersAsGenerate(t *testing.T) {
	c, err := classifier()
	if err != nil {
		t.Fatal(err)
	}
	m := New(c)
	ctx := context.Background()
	base := routeBenchRequest()
	withTool := base
	withTool.Messages = append(append([]agent.Message{}, base.Messages...),
		agent.Message{Role: agent.RoleAssistant, ToolCalls: []agent.ToolCall{{ID: "c1", Name: "get_order", Arguments: []byte(`{"order_id":"ORD-10042"}`)}}},
		agent.Message{Role: agent.RoleTool, ToolCallID: "c1", Name: "get_order", Content: `{"ok":false,"error":{"code":"not_found","message":"no such order"}}`})
	rewritten := base
	rewritten.Messages = append([]agent.Message{}, base.Messages...)
	rewritten.Messages[4].Content = "hello again"
	newer := base
	newer.Messages = append(append([]agent.Message{}, base.Messages...),
		agent.Message{Role: agent.RoleAssistant, Content: "Let me check."},
		agent.Message{Role: agent.RoleUser, Content: "thanks!"})

	rd := m.Read(base)
	if rd.Answer == nil {
		t.Fatal("Read kept no reading to answer from")
	}
	for name, req := range map[string]agent.Request{"same": base, "tool results": withTool, "rewritten": rewritten, "newer message": newer} {
		want, err := m.Generate(ctx, req, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := m.GenerateRead(ctx, req, rd, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: answered from the reading %+v, afresh %+v", name, got, want)
		}
	}
	// The reading is not changed by answering from it.
	if again, _ := m.GenerateRead(ctx, base, rd, nil); !reflect.DeepEqual(again, mustGenerate(t, m, base)) {
		t.Errorf("a second answer from the same reading differs: %+v", again)
	}
}

func mustGenerate(t *testing.T, m *Model, req agent.Request) agent.Response {
	t.Helper()
	r, err := m.Generate(context.Background(), req, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
