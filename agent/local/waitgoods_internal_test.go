package local

import (
	"slices"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
)

// How long the buyer has waited for goods asks where the order is, however
// angry the words around it; waiting for money or an answer is no such
// question.
func TestWaitsForGoodsReadsWhereTheOrderIs(t *testing.T) {
	tests := []struct {
		locale, msg string
		want        bool
	}{
		{"en", "been waiting 3 weeks for my lantern, this is a joke", true},
		{"ko", "주전자 2주째 기다리고 있어요 이거 사기 아니에요?", true},
		{"es", "llevo un mes esperando las sandalias!!! qué vergüenza", true},
		{"ru", "жду самовар уже месяц!!! это обман", true},
		{"en", "still waiting for my refund, 2 weeks now", false},
		{"es", "espero que me devuelvan el dinero pronto", false},
		{"ru", "жду ответа продавца уже неделю", false},
		{"ko", "환불 기다린지 일주일 됐어요", false},
	}
	m := newModel(t)
	for _, tt := range tests {
		t.Run(tt.locale+" "+tt.msg, func(t *testing.T) {
			d, _ := m.readMessages(agent.Request{Messages: []agent.Message{{Role: agent.RoleUser, Content: tt.msg}}, Locale: tt.locale})
			by := readerNames(d.readBy)
			if got := slices.Contains(by, "waitsForGoods"); got != tt.want {
				t.Fatalf("waitsForGoods claims %q: %v, want %v (claimed by %q)", tt.msg, got, tt.want, by)
			}
			if tt.want && (d.intent != nlu.OrderStatus || d.conf < minConfidence) {
				t.Errorf("%q read as %s (%.2f), want an order's status answered", tt.msg, d.intent, d.conf)
			}
		})
	}
}
