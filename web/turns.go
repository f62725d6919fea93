package web

import (
	"context"
	"errors"
	"log/slog"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// Conversation statuses (conversations.status).
const (
	statusOpen    = "open"    // the assistant answers
	statusHandoff = "handoff" // waiting for a person; the assistant still answers meanwhile
	statusAgent   = "agent"   // a person has taken over; the assistant is silent
	statusClosed  = "closed"
)

var (
	errClosed    = errors.New("conversation closed")
	errPersonNow = errors.New("a person is answering")
)

// confirmation is the buyer's decision on a pending action.
type confirmation struct {
	actionID string
	approved bool
}

// answer runs one buyer turn in a conversation whose status is status: a
// message (t.Text) or, with d set, a decision on a pending action. The buyer
// is the tools.Caller in ctx; progress goes to emit.
//
// While a person has taken the conversation over, the assistant stays
// silent: the message is only stored (the person sees it live), and
// decisions wait for the person. A closed conversation takes nothing.
func answer(ctx context.Context, ag *agent.Agent, status string, t agent.Turn, d *confirmation, emit func(agent.Event) error) (agent.Reply, error) {
	switch {
	case status == statusClosed:
		return agent.Reply{}, errClosed
	case status == statusAgent && d != nil:
		return agent.Reply{}, errPersonNow
	case status == statusAgent:
		return storeOnly(ctx, ag.Store(), t)
	case d != nil:
		return ag.Confirm(ctx, t.ConversationID, d.actionID, d.approved, t.Locale, emit)
	}
	return ag.Run(ctx, t, emit)
}

// storeOnly stores the buyer's message of t without running the agent. A
// resent client id stores nothing and finds the earlier reply, if any.
func storeOnly(ctx context.Context, st *agent.Store, t agent.Turn) (agent.Reply, error) {
	caller, ok := tools.CallerFrom(ctx)
	if !ok || caller.Role != tools.RoleBuyer {
		return agent.Reply{}, agent.ErrInvalid
	}
	if !agent.MessageLengthOK(t.Text) {
		return agent.Reply{}, agent.ErrInvalid
	}
	m, dup, err := st.Append(ctx, t.ConversationID, agent.StoredMessage{
		TurnID: agent.NewID("t_"), Role: "user", AuthorID: caller.ID, Text: t.Text, ClientID: t.ClientID,
	})
	if err != nil {
		return agent.Reply{}, err
	}
	r := agent.Reply{TurnID: m.TurnID, User: m, Duplicate: dup}
	if dup {
		r.Assistant, r.HasReply, err = st.Reply(ctx, t.ConversationID, m.TurnID)
	}
	return r, err
}

// turnError maps what answer returned to a code and a message fit to show;
// unexpected errors are logged.
func turnError(ctx context.Context, logger *slog.Logger, convID string, err error) (code, string) {
	switch {
	case errors.Is(err, agent.ErrNotFound):
		return codeNotFound, "no action is waiting for that confirmation"
	case errors.Is(err, agent.ErrExpired):
		return codeConflict, "that request has expired; please ask again"
	case errors.Is(err, agent.ErrInvalid):
		return codeInvalid, "the message was not accepted"
	case errors.Is(err, errClosed):
		return codeConflict, "this conversation is closed; please start a new one"
	case errors.Is(err, errPersonNow):
		return codeConflict, "a member of the shop's team is handling this conversation; they will follow up on pending requests"
	}
	logger.ErrorContext(ctx, "run turn", "conversation_id", convID, "err", err)
	return codeUnavailable, "your message could not be processed; please send it again"
}
