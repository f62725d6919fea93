package agent

import "context"

// pendingActions is what a model is shown of the actions waiting for the
// buyer's confirmation (Request.Pending).
func pendingActions(acts []Action) []PendingAction {
	if len(acts) == 0 {
		return nil
	}
	out := make([]PendingAction, len(acts))
	for i, a := range acts {
		out[i] = PendingAction{ID: a.ID, Tool: a.Tool, Details: a.Details}
	}
	return out
}

// notePending keeps the previews of the actions waiting for the buyer as
// evidence: the tool wrote them, so a reply that restates a waiting
// card's items and amount ("the refund you have to confirm comes to
// $24.00") states what a tool said. They are screened as tool results
// are, since item names come from the shops.
func (g *turnGuard) notePending(ctx context.Context, pending []PendingAction) {
	for _, p := range pending {
		if len(p.Details) == 0 {
			continue
		}
		g.ev.Texts = append(g.ev.Texts, g.screenTool(ctx, p.Tool, string(p.Details)))
	}
}
