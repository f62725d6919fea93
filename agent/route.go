package agent

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"

	"github.com/jackc/pgx/v5"
)

// Local-first routing: with an LLM configured, a turn the local model is sure
// of, on a routine request, in a conversation with no complex thread open,
// is answered by the local model and never reaches the LLM. Both brains run
// in the same loop, through the same tools, guardrails and transcript, so
// the buyer sees no seam; the turn's usage record says which brain answered
// and why (Route, RouteReason), and so do the metrics and the ops dashboard.

// Routing configures local-first routing. The zero value is off. An
// experiment variant overrides it per turn (Turn.Routing).
type Routing struct {
	// Enabled turns routing on.
	Enabled bool
	// Threshold is the calibrated confidence from which the local model's
	// reading of a routine request is trusted; 0 means DefaultRouteThreshold.
	Threshold float64
	// Routine are the intents the local model may answer alone; nil means
	// DefaultRoutine.
	Routine []string
}

// DefaultRouteThreshold is the confidence routing trusts by default: the
// local model's calibrated confidence is right about 19 times in 20 from
// there on the held-out sets.
const DefaultRouteThreshold = 0.8

// DefaultRoutine are the requests the local model answers alone by default:
// every request it serves in one step with a tool (lookups of the buyer's
// own orders, refunds and disputes; refund, cancellation and dispute
// requests; delivery problems; asking for a person), policy questions it
// answers from the retrieved text, and small talk. The consequential ones
// are routine too because their safety never rested on the brain: the tools
// check eligibility and authorization, and nothing happens before the
// buyer confirms the card, whichever model proposed it. What is not
// routine is what needs judgement over several turns, and the open-thread
// checks (a pending action, a person involved, the LLM's own thread) send
// that to the LLM. CautiousRoutine is the set without the consequential
// requests, for a deployment that wants the LLM to word every proposal.
var DefaultRoutine = append(slices.Clip(CautiousRoutine), "delivery_problem", "refund_request", "cancel_order", "open_dispute", "human_agent")

// CautiousRoutine are the lookups, policy questions and small talk of
// DefaultRoutine, without the requests that propose an action.
var CautiousRoutine = []string{"order_status", "list_orders", "refund_status", "dispute_status", "policy_question", "greeting", "thanks"}

func (r Routing) withDefaults() Routing {
	if r.Threshold <= 0 {
		r.Threshold = DefaultRouteThreshold
	}
	if r.Routine == nil {
		r.Routine = DefaultRoutine
	}
	return r
}

// Reading is how the local model reads a conversation's last buyer message
// in the light of the conversation: what routing decides on.
type Reading struct {
	// Intent is the request the local model would serve (one of the nlu
	// intents), and Confidence its calibrated confidence.
	Intent     string
	Confidence float64
	// Carried is set when the intent is an earlier message's that this one
	// completes ("which order?" — "ORD-10042").
	Carried bool
	// OfferedHuman is set when the local model's last reply offered a
	// person: the buyer's answer belongs to that thread.
	OfferedHuman bool
	// Locale is the language the reply will be in: the message's own when
	// it tells, else the conversation's.
	Locale string
	// QuestionType is the kind of fact a policy question asks for (a
	// duration, a deadline, who pays, …), and Search the search_policy
	// arguments the local model would send for it; empty for other
	// intents.
	QuestionType string
	Search       json.RawMessage
	// Question is the text the request is read from.
	Question string
	// Answer is the reader's own state, kept so that a model answering the
	// same request from this reading (ReadingModel) need not read the
	// conversation again; routing does not look inside it.
	Answer any
}

// ReadingModel is a model that can answer a request from its own reading of
// it (Reader.Read), instead of reading the conversation a second time.
// *local.Model is one.
type ReadingModel interface {
	GenerateRead(ctx context.Context, req Request, rd Reading, onDelta func(string) error) (Response, error)
}

// Reader reads a conversation the way the local model would answer it.
// *local.Model is one.
type Reader interface {
	Read(req Request) Reading
}

// The routes a turn's usage records.
const (
	// RouteLocal: routing sent the turn to the local model, which answered.
	RouteLocal = "local"
	// RouteLLM: routing sent the turn to the LLM (RouteReason says why).
	RouteLLM = "llm"
	// RouteEscalated: the local model was asked, could not answer (a
	// clarification or an "I don't know"), and the LLM answered the
	// same turn.
	RouteEscalated = "escalated"
	// RouteCache: the policy answer cache answered (RouteReason says
	// whether by the question or by the passages).
	RouteCache = "cache"
)

// The reasons a turn goes to the LLM or to the local model.
const (
	reasonRoutine       = "routine"
	reasonNotRoutine    = "not_routine"
	reasonLowConfidence = "low_confidence"
	reasonPending       = "pending_action"
	reasonHandoff       = "handoff"
	reasonLLMTopic      = "llm_topic"
	reasonAbstained     = "local_abstained"
	// reasonOwnThread: the buyer answered a thread the local model opened
	// (its card, its offer of a person) with a yes or a no.
	reasonOwnThread = "own_thread"
	// reasonNewRequest: after the LLM's reply on a request the local model
	// did not take, the buyer asked for something routine, in words of its
	// own, that the local model is sure of.
	reasonNewRequest = "new_request"
)

// The kinds of answer after which the local model gives the turn up
// (Response.Abstain).
const (
	// AbstainClarify: the model asked the buyer what they meant.
	AbstainClarify = "clarify"
	// AbstainUnknown: the model could not answer ("I couldn't find that
	// in our policies", "I can't help with that here").
	AbstainUnknown = "unknown"
)

// routing returns the routing in force for t: the turn's own (an
// experiment variant's) or the agent's.
func (a *Agent) routing(t Turn) Routing {
	if t.Routing != nil {
		return t.Routing.withDefaults()
	}
	return a.cfg.Routing.withDefaults()
}

// route decides which brain answers the turn whose request is req, when
// the model chosen so far is a.model (no budget handed it to the local
// model, why is empty). It returns the model to run and records the route
// in usage. Routing off, no local model or no Reader: model unchanged.
func (a *Agent) route(ctx context.Context, t Turn, st *turnState, req Request, model Model, why string, usage *TurnUsage) Model {
	if p := t.policy; p != nil && p.hit != nil {
		usage.Route, usage.RouteReason = RouteCache, p.hit.kind
		a.metrics.observeRoute(RouteCache, p.hit.kind)
		return &answerModel{hit: p.hit, next: model}
	}
	rt := a.routing(t)
	if !rt.Enabled || why != "" || a.local == nil || a.reader == nil {
		return model
	}
	rd, ok := narration(req)
	switch {
	case ok:
	case t.policy != nil:
		// The cache's lookup read the same history (its search comes
		// after the buyer's message, which is all a reading covers).
		rd = t.policy.reading
	default:
		rd = a.reader.Read(req)
	}
	local, reason := rt.decide(rd, openThread(st, rd))
	usage.RouteReason = reason
	if local {
		usage.Route = RouteLocal
		a.metrics.observeRoute(RouteLocal, reason)
		return heldModel{m: a.local, rd: rd}
	}
	usage.Route = RouteLLM
	a.metrics.observeRoute(RouteLLM, reason)
	if a.logger.Enabled(ctx, slog.LevelDebug) { // most turns: no attributes built
		a.logger.DebugContext(ctx, "routed to the LLM", "conversation", t.ConversationID, "reason", reason, "intent", rd.Intent)
	}
	return model
}

// actionIntents maps a consequential tool to the request it serves.
var actionIntents = map[string]string{"request_refund": "refund_request", "cancel_order": "cancel_order", "open_dispute": "open_dispute"}

// narration reads a turn that narrates a confirmed action's outcome (the
// request ends in that action's result): it is the action's request, read
// with certainty, so the brain the routine set gives that request tells
// the buyer what was done.
func narration(req Request) (Reading, bool) {
	if n := len(req.Messages); n > 0 {
		if m := req.Messages[n-1]; m.Role == RoleTool && actionIntents[m.Name] != "" {
			return Reading{Intent: actionIntents[m.Name], Confidence: 1}, true
		}
	}
	return Reading{}, false
}

// decide reports whether the local model answers a turn read as rd, with
// the open thread th, and why. A thread someone else opened (the LLM, a
// person) sends the turn to the LLM. A thread the local model opened does
// not: the buyer's yes or no to it is the local model's to take up (its
// offer of a person, its card), and any other message is routed as if no
// thread were open, so a routine question about its own card ("how much am
// I getting back?") stays with the model that proposed the card. The LLM's
// topic holds a follow-up, not a new request: a message the local model
// reads, from its own words (not carried from an earlier message), as a
// routine request it is sure of goes to the local model, which reads the
// LLM's replies and tool calls with the rest of the conversation.
func (r Routing) decide(rd Reading, th thread) (bool, string) {
	switch {
	case th.kind == reasonLLMTopic && !rd.Carried && slices.Contains(r.Routine, rd.Intent) && rd.Confidence >= r.Threshold:
		return true, reasonNewRequest
	case th.kind != "" && !th.local:
		return false, th.kind
	case th.kind != "" && answersThread(rd.Intent) && rd.Confidence >= r.Threshold:
		return true, reasonOwnThread
	case !slices.Contains(r.Routine, rd.Intent):
		return false, reasonNotRoutine
	case rd.Confidence < r.Threshold:
		return false, reasonLowConfidence
	}
	return true, reasonRoutine
}

// answersThread reports whether a message read as intent is an answer to
// an open thread (a yes or a no) rather than a request of its own.
func answersThread(intent string) bool { return intent == "affirm" || intent == "deny" }

// thread is a complex thread a conversation has open: its kind (a reason,
// "" for none) and whether the local model, answering a routed turn, opened
// it.
type thread struct {
	kind  string
	local bool
}

// openThread returns the complex thread the conversation has open, one
// someone other than the local model opened first:
//
//   - pending_action: an action waits for the buyer's confirmation; what
//     the buyer says next may be about it. Its opener is the brain that
//     answered the turn that proposed it; an action decided (confirmed,
//     declined) or expired is no longer pending and holds nothing open;
//   - handoff: a person (support or the seller) wrote in the window, the
//     conversation was handed to one, or the local model offered one. A
//     person's message is never the local model's thread; a handoff is the
//     local model's when its turn made the call, and an offer always is
//     (the reader recognises only its own offers, word for word);
//   - llm_topic: the last reply was the LLM's on a request the local model
//     does not serve (not routine, unsure, or given up on): a follow-up
//     ("and the other one?") belongs to the brain that has the thread, a
//     new routine request does not (decide). The thread lasts one turn: a
//     reply the LLM gave only because of it does not extend it, so a
//     conversation returns to the local model as soon as the buyer asks
//     something routine again.
//
// A turn answered by the LLM because of the local model's own thread does
// not happen (decide keeps it local or routes it on its reading), so the
// local model's threads never pass to the LLM by the thread alone.
func openThread(st *turnState, rd Reading) thread {
	var own thread
	if len(st.pending) > 0 {
		if slices.ContainsFunc(st.pending, func(a Action) bool { return !st.answeredLocally(a.TurnID) }) {
			return thread{kind: reasonPending}
		}
		own = thread{reasonPending, true}
	}
	for _, m := range st.recent[max(len(st.recent)-threadWindow, 0):] {
		if m.Role == "agent" {
			return thread{kind: reasonHandoff}
		}
		if m.Role == "assistant" && slices.ContainsFunc(st.calls[m.TurnID], func(c pastCall) bool { return c.tool == handoffTool }) {
			if !st.answeredLocally(m.TurnID) {
				return thread{kind: reasonHandoff}
			}
			if own.kind == "" {
				own = thread{reasonHandoff, true}
			}
		}
	}
	switch r := st.lastRoute; {
	case r.route == RouteEscalated:
		return thread{kind: reasonLLMTopic}
	case r.route == RouteLLM && (r.reason == reasonNotRoutine || r.reason == reasonLowConfidence):
		return thread{kind: reasonLLMTopic}
	}
	if rd.OfferedHuman && own.kind == "" {
		own = thread{reasonHandoff, true}
	}
	return own
}

// answeredLocally reports whether the routed local model answered the turn
// turnID of the window.
func (st *turnState) answeredLocally(turnID string) bool {
	return slices.Contains(st.localTurns, turnID)
}

// lastRoute is the route of a conversation's last reply and its reason.
type lastRoute struct{ route, reason string }

// routeColumns are the window read's columns (stateQuery.queue) that
// carry each reply's route and its reason (empty for the buyer's and a
// person's messages, and for a reply without one): the window the turn
// reads is the one whose routes it weighs, read in the same statement, not
// again in one of its own (a statement and a scan of the window fewer a
// turn).
const routeColumns = `, CASE WHEN role = 'assistant' THEN coalesce(usage ->> 'route', '') ELSE '' END,
	CASE WHEN role = 'assistant' THEN coalesce(usage ->> 'route_reason', '') ELSE '' END`

// readWindowRoutes reads the window's rows (oldest first) into st with
// routeColumns: the messages, and from the replies' routes the last
// reply's route and reason and the turns the routed local model answered
// (a thread they opened is its own; an action proposed before the window
// is taken for the LLM's).
func (st *turnState) readWindowRoutes(rows pgx.Rows, window int) error {
	defer rows.Close()
	var route, reason string
	// The rows scan in place into st.recent, made once for the window, and
	// the columns that repeat a few values through textColumns: a
	// StoredMessage, a Scan's arguments and most of a row's strings are no
	// longer allocated per row.
	st.recent = make([]StoredMessage, 0, min(max(window, 0), 64))
	cols := newTextColumns(7)
	turn, role, author, guardrail, shop := &cols[0], &cols[1], &cols[2], &cols[3], &cols[4]
	cols[5].dst, cols[6].dst = &route, &reason
	dest := []any{nil, turn, role, author, nil, nil, nil, guardrail, nil, shop, &cols[5], &cols[6]}
	for rows.Next() {
		st.recent = append(st.recent, StoredMessage{})
		m := &st.recent[len(st.recent)-1]
		dest[0], dest[4], dest[5], dest[6], dest[8] = &m.Seq, &m.Text, &m.ClientID, (*[]byte)(&m.Citations), &m.CreatedAt
		turn.dst, role.dst, author.dst, guardrail.dst, shop.dst = &m.TurnID, &m.Role, &m.AuthorID, &m.Guardrail, &m.ShopID
		if err := rows.Scan(dest...); err != nil {
			st.recent = st.recent[:len(st.recent)-1]
			return err
		}
		if m.Role != "assistant" {
			continue
		}
		st.lastRoute = lastRoute{route, reason}
		if route == RouteLocal {
			st.localTurns = append(st.localTurns, m.TurnID)
		}
	}
	return rows.Err()
}

// threadWindow is how many of the latest messages can hold a person's
// thread open: a handoff handed back long ago does not keep a
// conversation from the local model for ever.
const threadWindow = 6

// escalate reports whether the routed local model's answer resp gives the
// turn up, and if so records the escalation in usage and returns the LLM
// to ask instead, once.
func (a *Agent) escalate(ctx context.Context, resp Response, usage *TurnUsage) (Model, bool) {
	if usage.Route != RouteLocal || resp.Abstain == "" {
		return nil, false
	}
	usage.Route, usage.RouteReason = RouteEscalated, reasonAbstained+":"+resp.Abstain
	a.metrics.observeRoute(RouteEscalated, resp.Abstain)
	a.logger.DebugContext(ctx, "the local model gave the turn up; asking the LLM", "abstain", resp.Abstain)
	return a.model, true
}

// heldModel runs the routed local model and streams its text only once the
// answer is known to stand: a clarification or "I don't know" the turn
// escalates to the LLM never reaches the buyer, not even as deltas.
// It answers from routing's reading rd when the model can (ReadingModel).
type heldModel struct {
	m  Model
	rd Reading
}

func (h heldModel) Generate(ctx context.Context, req Request, onDelta func(string) error) (Response, error) {
	var resp Response
	var err error
	if rm, ok := h.m.(ReadingModel); ok && h.rd.Answer != nil {
		resp, err = rm.GenerateRead(ctx, req, h.rd, nil)
	} else {
		resp, err = h.m.Generate(ctx, req, nil)
	}
	if err != nil || resp.Abstain != "" || onDelta == nil || resp.Message.Content == "" {
		return resp, err
	}
	if err := onDelta(resp.Message.Content); err != nil {
		return Response{}, err
	}
	return resp, nil
}
