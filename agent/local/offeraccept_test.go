package local

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// A dispute offered in words ("you can open a dispute with the seller
// until …: tell me and I'll prepare it") and accepted in the buyer's own
// words ("fine, set that up", "네 그걸로 진행해 줘요") is proposed: an
// open_dispute call for the order the conversation is on, with the
// problem the buyer told and, as the description, their words about it
// (not "ok"). A no, or a question, proposes nothing.
func TestAcceptedOfferIsProposed(t *testing.T) {
	m := newModel(t)
	delivered := time.Now().Add(-72 * time.Hour)
	o := tools.Order{ID: "ORD-31301", Status: "delivered", DeliveredAt: &delivered,
		Items: []tools.Item{{Line: 1, Name: "Printable trail map bundle (download)", Quantity: 1}}}
	data, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		locale, problem, answer string
		offer                   func(locale string) string
		want                    bool
	}{
		{"en", "ORD-31301 the file arrived broken, it won't open", "fine, set that up",
			func(l string) string { return orderLine(l, "problem_dispute", "map", "ORD-31301", "May 1", "June 1") }, true},
		{"ko", "ORD-31301 용기가 깨져서 와서 국물이 다 새어 나왔어요", "네 그걸로 진행해 줘요",
			func(l string) string {
				return orderLine(l, "problem_dispute", "김치", "ORD-31301", "5월 1일", "6월 1일")
			}, true},
		{"es", "ORD-31301 el archivo está dañado, no se abre", "vale, adelante con eso",
			func(l string) string { return render(l, "next_digital", "el libro", "1 de junio", "Casa Sol") }, true},
		{"ru", "ORD-31301 банка пришла разбитой, всё вытекло", "хорошо, давайте так",
			func(l string) string { return render(l, "next_food", "мёд", "1 июня", "Тайга") }, true},
		{"en", "ORD-31301 the file is corrupted, half the pages are blank", "no thanks, I'll keep it",
			func(l string) string { return orderLine(l, "problem_dispute", "map", "ORD-31301", "May 1", "June 1") }, false},
		{"es", "ORD-31301 el archivo está dañado, no se abre", "¿y cuánto tarda el vendedor en contestar?",
			func(l string) string { return render(l, "next_digital", "el libro", "1 de junio", "Casa Sol") }, false},
	} {
		t.Run(tt.locale+"/"+tt.answer, func(t *testing.T) {
			msgs := append([]agent.Message{user(tt.problem)}, toolMsgs("get_order", `{"order_id":"ORD-31301"}`, agent.ToolResult{OK: true, Data: data})...)
			msgs = append(msgs, agent.Message{Role: agent.RoleAssistant, Content: tt.offer(tt.locale)}, user(tt.answer))
			got := gen(t, m, tt.locale, msgs...)
			var dispute *agent.ToolCall
			for i, c := range got.ToolCalls {
				if c.Name == "open_dispute" {
					dispute = &got.ToolCalls[i]
				}
			}
			if (dispute != nil) != tt.want {
				t.Fatalf("after %q: calls %+v (reply %q), want a dispute proposed: %v", tt.answer, got.ToolCalls, got.Content, tt.want)
			}
			if dispute == nil {
				return
			}
			var args struct {
				OrderID     string `json:"order_id"`
				Reason      string `json:"reason"`
				Description string `json:"description"`
			}
			if err := json.Unmarshal(dispute.Arguments, &args); err != nil {
				t.Fatal(err)
			}
			if args.OrderID != "ORD-31301" || args.Reason == "" || !strings.Contains(args.Description, strings.TrimPrefix(tt.problem, "ORD-31301 ")) {
				t.Errorf("open_dispute(%s), want ORD-31301 with a reason and the problem told as its description", dispute.Arguments)
			}
		})
	}
}
