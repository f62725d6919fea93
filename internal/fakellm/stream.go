package fakellm

import (
	"encoding/json"
	"math"
	"net/http"
	"time"
)

// pace is the latency model: the first token after ttft, then one token
// every perToken.
type pace struct {
	ttft     time.Duration
	perToken time.Duration
}

func (s *Server) pace() pace {
	p := pace{ttft: max(s.opts.TimeToFirstToken, 0)}
	if tps := s.opts.TokensPerSecond; tps > 0 && !math.IsInf(tps, 1) {
		// Capped at an hour a token so absurdly low rates cannot overflow.
		p.perToken = time.Duration(min(float64(time.Second)/tps, float64(time.Hour)))
	}
	return p
}

// at is when token k (from 0) is due, counted from the start of the answer.
// Deadlines are absolute rather than a sleep per token, so pacing does not
// drift with the time spent writing.
func (p pace) at(k int) time.Duration {
	return p.ttft + time.Duration(k)*p.perToken
}

type chunkWire struct {
	ID                string            `json:"id"`
	Object            string            `json:"object"`
	Created           int64             `json:"created"`
	Model             string            `json:"model"`
	SystemFingerprint string            `json:"system_fingerprint"`
	Choices           []chunkChoiceWire `json:"choices"`
	Usage             *usageWire        `json:"usage,omitempty"`
}

type chunkChoiceWire struct {
	Index        int       `json:"index"`
	Delta        deltaWire `json:"delta"`
	Logprobs     *struct{} `json:"logprobs"`
	FinishReason *string   `json:"finish_reason"`
}

type deltaWire struct {
	Role      string         `json:"role,omitempty"`
	Content   *string        `json:"content,omitempty"`
	ToolCalls []toolCallWire `json:"tool_calls,omitempty"`
}

// event is one chunk to send and the token whose deadline it waits for.
type event struct {
	token int
	delta deltaWire
}

// events lays out a completion as OpenAI streams it: a role delta, the text
// word by word, then each tool call as a chunk with its id, type and name
// followed by chunks of argument fragments under the same index.
func events(c completion) []event {
	empty := ""
	evs := []event{{delta: deltaWire{Role: "assistant", Content: &empty}}}
	k := 0
	for w := range words(c.text) {
		evs = append(evs, event{token: k, delta: deltaWire{Content: &w}})
		k++
	}
	for i, call := range c.calls {
		idx := i
		evs = append(evs, event{token: k, delta: deltaWire{ToolCalls: []toolCallWire{{
			Index: &idx, ID: call.ID, Type: "function", Function: functionWire{Name: call.Name},
		}}}})
		k++
		for f := range fragments(call.Arguments) {
			evs = append(evs, event{token: k, delta: deltaWire{ToolCalls: []toolCallWire{{
				Index: &idx, Function: functionWire{Arguments: f},
			}}}})
			k++
		}
	}
	return evs
}

// stream sends c as server-sent events. When cut is set it stops after half
// of the output deltas and drops the connection, with no finish_reason and
// no [DONE].
func (s *Server) stream(w http.ResponseWriter, r *http.Request, req Request, c completion, cut bool) {
	ctx := r.Context()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	// Tells nginx-style proxies not to buffer, should one sit in front of
	// a benchmark.
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	p := s.pace()
	// Without a pace every chunk is due at once: they go out together, in
	// one write at the end, as the peers' fake sends them, rather than a
	// write (and for the client a read) each.
	paced := p.ttft > 0 || p.perToken > 0
	if paced {
		// Headers go out at once, as OpenAI's do, so time to first token
		// is measured from a stream the client already holds.
		_ = rc.Flush()
	}
	start := time.Now()

	send := func(ch chunkWire) bool {
		ch.ID, ch.Object, ch.Created, ch.Model, ch.SystemFingerprint = c.id, "chat.completion.chunk", c.created, c.model, fingerprint
		b, _ := json.Marshal(ch)
		frame := make([]byte, 0, len(b)+8)
		frame = append(append(append(frame, "data: "...), b...), "\n\n"...)
		if _, err := w.Write(frame); err != nil {
			return false
		}
		if paced {
			_ = rc.Flush()
		}
		return true
	}
	usage := func() *usageWire {
		if req.IncludeUsage {
			return &c.usage
		}
		return nil
	}

	if c.empty {
		if sleep(ctx, time.Until(start.Add(p.at(0)))) != nil || !send(chunkWire{Choices: []chunkChoiceWire{}, Usage: usage()}) {
			return
		}
		_, _ = w.Write([]byte("data: [DONE]\n\n"))
		return
	}

	evs := events(c)
	keep := len(evs)
	if cut {
		outputs := len(evs) - 1 // all but the role delta
		keep = 1 + (outputs+1)/2
	}
	for _, ev := range evs[:keep] {
		if sleep(ctx, time.Until(start.Add(p.at(ev.token)))) != nil {
			return
		}
		if !send(chunkWire{Choices: []chunkChoiceWire{{Delta: ev.delta}}}) {
			return
		}
	}
	if cut {
		dropConnection(w)
		return
	}
	finish := c.finish
	if !send(chunkWire{Choices: []chunkChoiceWire{{Delta: deltaWire{}, FinishReason: &finish}}}) {
		return
	}
	if u := usage(); u != nil && !send(chunkWire{Choices: []chunkChoiceWire{}, Usage: u}) {
		return
	}
	_, _ = w.Write([]byte("data: [DONE]\n\n"))
	_ = rc.Flush()
}
