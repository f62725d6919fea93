package web

import (
	"testing"

	"github.com/csagent/csagent/agent"
)

// The drafts follow the buyer to another order they ask about, without
// carrying the earlier problem over to it; a mere mention of another
// order, or a question about the same one, leaves the subject where it
// was. Before, a question about a second order after a cancellation got
// drafts about the cancellation.
func TestDraftSubjectFollowsTheBuyer(t *testing.T) {
	t.Parallel()
	conv := func(lines ...string) []agent.StoredMessage {
		t.Helper()
		var out []agent.StoredMessage
		for i, l := range lines {
			role := "user"
			if i%2 == 1 {
				role = "assistant"
			}
			out = append(out, agent.StoredMessage{Seq: int64(i + 1), Role: role, Text: l})
		}
		return out
	}
	tests := []struct {
		name    string
		msgs    []agent.StoredMessage
		problem problem
		orders  []string // the first of conversationOrderIDs
	}{{
		name:    "a question about another order moves the subject",
		msgs:    conv("Quiero cancelar el pedido ORD-10253", "He preparado la cancelación.", "¿Y dónde está el pedido ORD-10003?"),
		problem: probNone, orders: []string{"ORD-10003", "ORD-10253"},
	}, {
		name:    "a mention of another order does not",
		msgs:    conv("ORD-10202 재킷 지퍼가 고장 났어요", "죄송합니다.", "ORD-10002 주문은 문제없어요"),
		problem: probDamaged, orders: []string{"ORD-10202", "ORD-10002"},
	}, {
		name:    "a question about the same order does not",
		msgs:    conv("My order ORD-10201 arrived broken", "Sorry to hear that.", "Can I still return ORD-10201?"),
		problem: probDamaged, orders: []string{"ORD-10201"},
	}, {
		name:    "a problem told after the question is the subject again",
		msgs:    conv("I want to cancel ORD-10001", "Prepared.", "Where is ORD-10101?", "It shipped.", "It arrived broken"),
		problem: probDamaged, orders: []string{"ORD-10101", "ORD-10001"},
	}, {
		name:    "a question in Russian",
		msgs:    conv("Заказ ORD-10108 пришёл не того цвета", "Сожалеем.", "А когда придёт ORD-10058?"),
		problem: probNone, orders: []string{"ORD-10058", "ORD-10108"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, stated := draftSubject(tt.msgs)
			got := conversationOrderIDs(tt.msgs, stated)
			if p != tt.problem || len(got) < len(tt.orders) {
				t.Fatalf("draftSubject = %q, orders %v; want %q, %v", problemNames[p], got, problemNames[tt.problem], tt.orders)
			}
			for i, id := range tt.orders {
				if got[i] != id {
					t.Errorf("orders = %v, want %v first", got, tt.orders)
					break
				}
			}
		})
	}
}

// A buyer who wants part of an order back has changed their mind about
// those items; a question about the return shipping rule, or a return
// because of a fault, is not read as one. Before, "send back just the
// socks, I don't need them" read as no problem at all.
func TestProblemOfAPartialReturn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want problem
	}{
		{"I'd like to send back just the socks from ORD-10005, I don't need them", probChangedMind},
		{"Can I return one of the two lamps in ORD-10201?", probChangedMind},
		{"I no longer need the second jacket", probChangedMind},
		{"I want to send back the kettle, it stopped working", probDamaged},
		{"Who pays return shipping?", probNone},
	}
	for _, tt := range tests {
		if got := problemOf(tt.text); got != tt.want {
			t.Errorf("problemOf(%q) = %q, want %q", tt.text, problemNames[got], problemNames[tt.want])
		}
	}
}
