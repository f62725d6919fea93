package web

import (
	"slices"
	"strings"

	"github.com/csagent/csagent/agent"
)

// draftSubject returns what the drafts answer in msgs (oldest first): the
// buyer's latest unresolved problem and the message that states it
// (latestProblem), unless the buyer has since asked about another order —
// "¿Y dónde está el pedido ORD-10003?" after asking to cancel ORD-10253 —
// in which case the conversation has moved on to that order: the question
// is the subject, with no problem, so the drafts answer it rather than the
// cancellation, and the old problem's step is not applied to the new order.
// An order only mentioned, not asked about ("ORD-10002 is fine"), leaves
// the subject where it was.
func draftSubject(msgs []agent.StoredMessage) (problem, *agent.StoredMessage) {
	p, stated := latestProblem(msgs)
	if stated == nil {
		return p, nil
	}
	named := mentionedOrders([]agent.StoredMessage{*stated})
	for i := len(msgs) - 1; i >= 0 && msgs[i].Seq > stated.Seq; i-- {
		m := &msgs[i]
		if m.Role != "user" || !asks(m.Text) {
			continue
		}
		for _, id := range mentionedOrders([]agent.StoredMessage{*m}) {
			if !slices.Contains(named, id) {
				return probNone, m
			}
		}
	}
	return p, stated
}

// asks reports whether text is a question, as the four languages mark one.
func asks(text string) bool {
	return strings.ContainsAny(text, "?？¿")
}
