package eval

import (
	"encoding/json"

	"github.com/csagent/csagent/agent"
)

// FromAgentEvent converts an event of the agent's turn loop, for in-process
// targets.
func FromAgentEvent(e agent.Event) Event {
	switch e.Kind {
	case agent.EventTool:
		return Event{Kind: EventTool, Tool: e.Tool, Status: e.Status}
	case agent.EventConfirm:
		return Event{Kind: EventConfirm, Tool: e.Tool, ActionID: e.ActionID, Text: e.Text}
	case agent.EventHandoff:
		return Event{Kind: EventHandoff, Text: e.Text}
	}
	return Event{Kind: string(e.Kind), Text: e.Text}
}

// FromAgentReply converts what agent.Run or agent.Confirm returned, with
// the events the turn emitted, for in-process targets. Deltas are dropped:
// the stored text is the reply.
func FromAgentReply(r agent.Reply, events []Event) Reply {
	out := Reply{TurnID: r.TurnID, Text: r.Assistant.Text, Guardrail: r.Assistant.Guardrail,
		Citations: CitationIDs(r.Assistant.Citations)}
	for _, e := range events {
		if e.Kind != string(agent.EventDelta) {
			out.Events = append(out.Events, e)
		}
	}
	var u agent.TurnUsage
	if len(r.Assistant.Usage) > 0 && json.Unmarshal(r.Assistant.Usage, &u) == nil {
		out.Usage = &Usage{Model: u.Model, PromptTokens: u.PromptTokens, CompletionTokens: u.CompletionTokens,
			CostUSD: u.CostUSD, Fallback: u.Fallback, Variant: u.Variant, Route: u.Route, RouteReason: u.RouteReason}
	}
	return out
}
