package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// The buyer's HTTP API: protocol v1 for apps that do not keep a websocket.
// A message is answered in the response, as JSON or, on request, as a
// stream of Server-Sent Events carrying the websocket's frames.

const (
	transcriptPage    = 100
	maxTranscriptPage = 200
)

// turnResponse is the answer to a message or a decision.
type turnResponse struct {
	ConversationID string `json:"conversation_id"`
	TurnID         string `json:"turn_id"`
	// Duplicate says the client id (or the decision) was seen before; the
	// earlier reply is returned.
	Duplicate bool   `json:"duplicate"`
	Status    string `json:"status"`
	// Message is the buyer's stored message (for a decision, its record).
	Message *messageFrame `json:"message"`
	// Reply is the assistant's stored reply; null while a person has taken
	// the conversation over, or while a duplicate's first turn still runs.
	Reply *messageFrame `json:"reply"`
	// Events are the turn's tool, confirm_request and handoff frames.
	Events []any `json:"events"`
}

// conversationRef is a buyer's conversation as the API refers to it.
type conversationRef struct {
	ConversationID string `json:"conversation_id"`
	Seq            int64  `json:"seq"`
	Status         string `json:"status"`
	Locale         string `json:"locale"`
}

// transcriptResponse is a page of a conversation's messages.
type transcriptResponse struct {
	conversationRef
	Messages []messageFrame `json:"messages"`
	// More says messages after the last one returned exist.
	More bool `json:"more"`
	// Pending are the actions still waiting for the buyer's decision.
	Pending []confirmRequestFrame `json:"pending"`
}

// buyerConversation loads the conversation named in the path for the buyer
// in r's context; another buyer's is not found, the same as a missing one.
func buyerConversation(r *http.Request, ag *agent.Agent) (tools.Caller, agent.Conversation, error) {
	caller, _ := tools.CallerFrom(r.Context())
	id := chi.URLParam(r, "id")
	if id == "" || len(id) > 64 {
		return caller, agent.Conversation{}, refuse(codeNotFound, "no such conversation")
	}
	conv, err := ag.Store().Conversation(r.Context(), caller.ID, id)
	if errors.Is(err, agent.ErrNotFound) {
		return caller, agent.Conversation{}, refuse(codeNotFound, "no such conversation")
	}
	return caller, conv, err
}

// handleNewConversation starts a conversation for the buyer.
func (s *Server) handleNewConversation(ag *agent.Agent) http.Handler {
	type request struct {
		Locale string `json:"locale"`
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		caller, _ := tools.CallerFrom(r.Context())
		var req request
		if r.ContentLength != 0 {
			var err error
			if req, err = decode[request](w, r, 0); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		locale := normalizeLocale(req.Locale, caller.Locale)
		if locale == "" {
			locale = "en"
		}
		conv, err := ag.Store().Open(r.Context(), caller.ID, "", locale)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		encode(w, r, http.StatusCreated, conversationRef{ConversationID: conv.ID, Seq: 0, Status: conv.Status, Locale: conv.Locale})
	})
}

// handleTranscript returns the messages after ?after=N (default 0), at most
// ?limit=M (default 100, at most 200), with the pending actions.
func (s *Server) handleTranscript(ag *agent.Agent) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, conv, err := buyerConversation(r, ag)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		after, err := queryInt(r, "after", 0, 0, 1<<53)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		limit, err := queryInt(r, "limit", transcriptPage, 1, maxTranscriptPage)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		msgs, err := ag.Store().Messages(r.Context(), conv.ID, after, int(limit)+1)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		pending, err := ag.Store().Pending(r.Context(), conv.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out := transcriptResponse{
			conversationRef: conversationRef{ConversationID: conv.ID, Seq: conv.LastSeq, Status: conv.Status, Locale: conv.Locale},
			Messages:        []messageFrame{},
			Pending:         []confirmRequestFrame{},
		}
		if len(msgs) > int(limit) {
			msgs, out.More = msgs[:limit], true
		}
		for _, m := range msgs {
			out.Messages = append(out.Messages, newMessageFrame(m))
		}
		for _, p := range pending {
			if ag.TookEffect(r.Context(), p) {
				continue // executed on the next hello or decision, not asked again
			}
			out.Pending = append(out.Pending, confirmRequestFrame{Type: "confirm_request", TurnID: p.TurnID, ActionID: p.ID, Tool: p.Tool, Summary: ag.Describe(p, conv.Locale)})
		}
		encode(w, r, http.StatusOK, out)
	})
}

// handleSendMessage answers a buyer's message: {"id":"…","text":"…"}.
func (s *Server) handleSendMessage(ag *agent.Agent) http.Handler {
	type request struct {
		ID     string `json:"id"`
		Text   string `json:"text"`
		Locale string `json:"locale"`
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, conv, err := buyerConversation(r, ag)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		req, err := decode[request](w, r, maxMessageBodyBytes)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if req.ID == "" || len(req.ID) > maxClientIDLen {
			s.fail(w, r, refuse(codeInvalid, "id must have 1 to %d characters: your id for the message, so a retry is not processed twice", maxClientIDLen))
			return
		}
		text, err := messageText(req.Text)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		t := agent.Turn{ConversationID: conv.ID, ClientID: req.ID, Text: maskBuyerText(text), Locale: normalizeLocale(req.Locale, conv.Locale)}
		s.runHTTPTurn(w, r, ag, conv, t, nil)
	})
}

// handleConfirm carries the buyer's decision on a pending action:
// {"action_id":"a_…","approved":true}.
func (s *Server) handleConfirm(ag *agent.Agent) http.Handler {
	type request struct {
		ActionID string `json:"action_id"`
		Approved *bool  `json:"approved"`
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, conv, err := buyerConversation(r, ag)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		req, err := decode[request](w, r, 0)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if req.ActionID == "" || len(req.ActionID) > 64 || req.Approved == nil {
			s.fail(w, r, refuse(codeInvalid, "a decision needs action_id and approved (true or false)"))
			return
		}
		t := agent.Turn{ConversationID: conv.ID, Locale: conv.Locale}
		s.runHTTPTurn(w, r, ag, conv, t, &confirmation{actionID: req.ActionID, approved: *req.Approved})
	})
}

// runHTTPTurn runs a turn for an HTTP request under the same limits as the
// websocket's, and answers with its outcome as JSON or as an event stream.
// The turn lives on the server, not the request: a client that goes away
// still finds the reply in the transcript.
func (s *Server) runHTTPTurn(w http.ResponseWriter, r *http.Request, ag *agent.Agent, conv agent.Conversation, t agent.Turn, d *confirmation) {
	caller, _ := tools.CallerFrom(r.Context())
	if !s.limits.allowMessage(caller.ID, time.Now()) {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, 60/s.limits.cfg.MessagesPerMinute)))
		s.fail(w, r, refuse(codeRateLimited, "you are sending messages too fast (at most %d a minute); please wait a moment", s.limits.cfg.MessagesPerMinute))
		return
	}
	if !s.startTurn() {
		w.Header().Set("Retry-After", "5")
		s.fail(w, r, refuse(codeUnavailable, "the server is restarting; please send it again"))
		return
	}
	defer s.turns.Done()

	var stream *sseStream
	if wantsSSE(r) {
		stream = startSSE(w)
	}
	var events []any
	emit := func(e agent.Event) error {
		f := newEventFrame(e)
		if stream != nil {
			stream.send(string(e.Kind), f)
			return nil
		}
		if e.Kind != agent.EventDelta { // the reply carries the whole text
			events = append(events, f)
		}
		return nil
	}
	ctx := tools.NewContext(s.base, caller)
	reply, err := answer(ctx, ag, conv.Status, t, d, emit)
	if err != nil {
		cd, msg := turnError(ctx, s.logger, conv.ID, err)
		if stream != nil {
			stream.send("error", errorFrame{Type: "error", Code: cd, Message: msg, ID: t.ClientID})
			return
		}
		writeError(w, r, cd, msg)
		return
	}
	out := turnResponse{ConversationID: conv.ID, TurnID: reply.TurnID, Duplicate: reply.Duplicate, Status: conv.Status, Events: events}
	if out.Events == nil {
		out.Events = []any{}
	}
	if reply.User.Seq > 0 {
		f := newMessageFrame(reply.User)
		out.Message = &f
	}
	if reply.HasReply {
		f := newMessageFrame(reply.Assistant)
		out.Reply = &f
	}
	// The turn may have changed the status (a handoff).
	if st, err := ag.Store().Conversation(context.WithoutCancel(r.Context()), caller.ID, conv.ID); err == nil {
		out.Status = st.Status
	}
	if stream == nil {
		encode(w, r, http.StatusOK, out)
		return
	}
	if out.Message != nil {
		stream.send("message", out.Message)
	}
	if out.Reply != nil {
		stream.send("message", out.Reply)
	}
	stream.send("done", doneFrame{Type: "done", ConversationID: out.ConversationID, TurnID: out.TurnID, Duplicate: out.Duplicate, Status: out.Status})
}

// doneFrame ends a turn's event stream.
type doneFrame struct {
	Type           string `json:"type"`
	ConversationID string `json:"conversation_id"`
	TurnID         string `json:"turn_id"`
	Duplicate      bool   `json:"duplicate"`
	Status         string `json:"status"`
}

// queryInt reads the integer query parameter name, def when absent; a value
// outside [lo, hi] or not a number is refused.
func queryInt(r *http.Request, name string, def, lo, hi int64) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, refuse(codeInvalid, "%s must be a whole number from %d to %d", name, lo, hi)
	}
	return n, nil
}
