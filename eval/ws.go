package eval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/websocket"
	"github.com/sethvargo/go-retry"
)

// WSBackend runs cases against a live server over the websocket protocol
// v1. Every case talks to the same server and database, so cases are only
// as independent as their fixtures: run it against a freshly seeded server.
type WSBackend struct {
	// URL is the chat endpoint, e.g. ws://127.0.0.1:8080/v1/chat/ws.
	URL string
	// Token returns a bearer token for a buyer.
	Token func(buyer string) (string, error)
	// Database is the server's database, for end-state checks and tool
	// arguments; nil limits the checks to what the frames show.
	Database DB
	// Brain names what the server runs, for reports.
	Served Brain
	// TurnTimeout bounds the wait for one reply (default 60s).
	TurnTimeout time.Duration
	// Dialer dials the websocket; nil uses websocket.DefaultDialer.
	Dialer *websocket.Dialer
}

// Open returns a world on the live server. A case asking for a brain other
// than the one the server runs is skipped.
func (b *WSBackend) Open(_ context.Context, brain Brain) (World, error) {
	if brain.Name != "" && b.Served.Name != "" && (brain.Name != b.Served.Name || (brain.Model != "" && brain.Model != b.Served.Model)) {
		return nil, fmt.Errorf("%w: the case wants %s and the server runs %s", ErrNoBrain, brain, b.Served)
	}
	return wsWorld{b}, nil
}

type wsWorld struct{ b *WSBackend }

func (w wsWorld) DB() DB                      { return w.b.Database }
func (w wsWorld) Brain() Brain                { return w.b.Served }
func (w wsWorld) Close(context.Context) error { return nil }

// Chat dials the server as buyer and says hello.
func (w wsWorld) Chat(ctx context.Context, buyer, locale string) (Chat, error) {
	tok, err := w.b.Token(buyer)
	if err != nil {
		return nil, fmt.Errorf("token for %s: %w", buyer, err)
	}
	d := w.b.Dialer
	if d == nil {
		d = websocket.DefaultDialer
	}
	h := http.Header{"Authorization": {"Bearer " + tok}}
	ws, resp, err := d.DialContext(ctx, w.b.URL, h)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", w.b.URL, err)
	}
	timeout := w.b.TurnTimeout
	if timeout <= 0 {
		timeout = 60 * time.Second
	}
	c := &wsChat{ws: ws, timeout: timeout}
	if err := c.write(map[string]any{"type": "hello", "locale": locale}); err != nil {
		ws.Close()
		return nil, err
	}
	for {
		f, err := c.read(ctx)
		if err != nil {
			ws.Close()
			return nil, fmt.Errorf("wait for ready: %w", err)
		}
		switch f.Type {
		case "ready":
			c.convID = f.ConversationID
			return c, nil
		case "error":
			ws.Close()
			return nil, fmt.Errorf("hello refused: %s: %s", f.Code, f.Message)
		}
	}
}

// wsFrame is any server frame; Type says which fields matter.
type wsFrame struct {
	Type           string          `json:"type"`
	ConversationID string          `json:"conversation_id"`
	TurnID         string          `json:"turn_id"`
	Role           string          `json:"role"`
	Text           string          `json:"text"`
	Citations      json.RawMessage `json:"citations"`
	Guardrail      string          `json:"guardrail"`
	Name           string          `json:"name"`
	Status         string          `json:"status"`
	ActionID       string          `json:"action_id"`
	Tool           string          `json:"tool"`
	Summary        string          `json:"summary"`
	Reason         string          `json:"reason"`
	Code           string          `json:"code"`
	Message        string          `json:"message"`
	ID             string          `json:"id"`
}

// wsChat is one conversation over one websocket; the runner uses it from
// one goroutine, turn after turn.
type wsChat struct {
	ws      *websocket.Conn
	convID  string
	timeout time.Duration
	n       int
	// pending is the action the last confirm_request asked about.
	pending string
}

func (c *wsChat) ConversationID() string { return c.convID }
func (c *wsChat) Close() error           { return c.ws.Close() }

func (c *wsChat) write(v any) error {
	c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if err := c.ws.WriteJSON(v); err != nil {
		return fmt.Errorf("send frame: %w", err)
	}
	return nil
}

func (c *wsChat) read(ctx context.Context) (wsFrame, error) {
	deadline := time.Now().Add(c.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	c.ws.SetReadDeadline(deadline)
	var f wsFrame
	if err := c.ws.ReadJSON(&f); err != nil {
		return f, fmt.Errorf("read frame: %w", err)
	}
	return f, nil
}

// Send sends a user_message and collects frames up to the assistant's
// stored reply.
func (c *wsChat) Send(ctx context.Context, text string) (Reply, error) {
	c.n++
	id := "eval-" + strconv.Itoa(c.n)
	return c.retry(ctx, func() (Reply, error) {
		if err := c.write(map[string]any{"type": "user_message", "id": id, "text": text}); err != nil {
			return Reply{}, err
		}
		return c.collect(ctx, id)
	})
}

// retry sends again, after a growing pause, what the server refused as
// rate_limited: a suite reuses demo buyers far faster than people type,
// and the server's per-buyer limit is not what the case is about. A refused
// message was not stored, so sending it again with its id runs it once.
func (c *wsChat) retry(ctx context.Context, send func() (Reply, error)) (Reply, error) {
	deadline := time.Now().Add(c.timeout)
	pauses := retry.WithCappedDuration(10*time.Second, retry.NewExponential(time.Second))
	b := retry.BackoffFunc(func() (time.Duration, bool) {
		pause, _ := pauses.Next()
		return pause, time.Now().Add(pause).After(deadline)
	})
	var r Reply
	var err error
	derr := retry.Do(ctx, b, func(context.Context) error {
		r, err = send()
		var refused *refusedError
		if errors.As(err, &refused) && refused.code == "rate_limited" {
			return retry.RetryableError(err)
		}
		return nil
	})
	if err == nil && derr != nil { // ctx ended before the first send
		return Reply{}, derr
	}
	return r, err
}

// refusedError is an error frame the server answered a turn with.
type refusedError struct{ code, message string }

func (e *refusedError) Error() string {
	return fmt.Sprintf("server refused the turn: %s: %s", e.code, e.message)
}

// Decide answers the last confirm_request.
func (c *wsChat) Decide(ctx context.Context, approved bool) (Reply, error) {
	if c.pending == "" {
		return Reply{}, ErrNothingPending
	}
	return c.retry(ctx, func() (Reply, error) {
		if err := c.write(map[string]any{"type": "confirm", "action_id": c.pending, "approved": approved}); err != nil {
			return Reply{}, err
		}
		return c.collect(ctx, "")
	})
}

func (c *wsChat) collect(ctx context.Context, id string) (Reply, error) {
	var r Reply
	for {
		f, err := c.read(ctx)
		if err != nil {
			return r, err
		}
		switch f.Type {
		case "tool":
			r.Events = append(r.Events, Event{Kind: EventTool, Tool: f.Name, Status: f.Status})
		case "confirm_request":
			r.Events = append(r.Events, Event{Kind: EventConfirm, Tool: f.Tool, ActionID: f.ActionID, Text: f.Summary})
			c.pending = f.ActionID
		case "handoff":
			r.Events = append(r.Events, Event{Kind: EventHandoff, Text: f.Reason})
		case "error":
			if f.ID == "" || f.ID == id {
				return r, &refusedError{code: f.Code, message: f.Message}
			}
		case "message":
			if f.Role != "assistant" {
				continue
			}
			r.TurnID, r.Text, r.Guardrail = f.TurnID, f.Text, f.Guardrail
			r.Citations = CitationIDs(f.Citations)
			return r, nil
		}
	}
}

// CitationIDs reads the document ids of a stored message's citations:
// objects with a doc_id (or id), or plain strings.
func CitationIDs(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return nil
	}
	var out []string
	for _, it := range items {
		var s string
		if json.Unmarshal(it, &s) == nil {
			out = append(out, s)
			continue
		}
		var o struct {
			DocID string `json:"doc_id"`
			ID    string `json:"id"`
		}
		if json.Unmarshal(it, &o) == nil {
			out = append(out, firstNonEmpty(o.DocID, o.ID))
		}
	}
	return out
}
