package fakellm

import (
	"encoding/json"
	"fmt"
	"time"
)

// Reply is what the fake answers to one chat request.
type Reply struct {
	// Text is the assistant's text. It may accompany ToolCalls, as some
	// models say something before calling a tool.
	Text string
	// ToolCalls are the calls the assistant makes; a call with an empty ID
	// gets a generated one.
	ToolCalls []ToolCall
	// Fault replaces or spoils the answer; see Fault's constants.
	Fault Fault
	// Delay is extra latency before anything is sent, Fault included.
	Delay time.Duration
	// RetryAfter is the wait a RateLimited fault advertises, rounded up to
	// whole seconds; 0 means one second.
	RetryAfter time.Duration
}

// Text returns a reply saying s.
func Text(s string) Reply { return Reply{Text: s} }

// Call returns a reply calling the function name with args. args is
// marshalled with encoding/json, except that a string, []byte or
// json.RawMessage is used verbatim so a test can script exact or deliberately
// broken arguments. Call panics when args cannot be marshalled: it is meant
// for test scripts, where that is a bug in the test.
func Call(name string, args any) Reply {
	var text string
	switch a := args.(type) {
	case string:
		text = a
	case []byte:
		text = string(a)
	case json.RawMessage:
		text = string(a)
	default:
		b, err := json.Marshal(args)
		if err != nil {
			panic(fmt.Sprintf("fakellm.Call(%q): marshal arguments: %v", name, err))
		}
		text = string(b)
	}
	return Reply{ToolCalls: []ToolCall{{Name: name, Arguments: text}}}
}

// Push queues replies; chat requests consume them in order. When the queue
// is empty, Options.Respond (or the default echo) answers instead.
func (s *Server) Push(replies ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, replies...)
}

// Requests returns the chat requests received, oldest first, up to
// Options.RecordLimit of the newest. Requests rejected as invalid are not
// included; requests answered with a fault are.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.requests)
	if lim := s.opts.RecordLimit; lim > 0 && n > lim {
		return append([]Request(nil), s.requests[n-lim:]...)
	}
	return append([]Request(nil), s.requests...)
}

// next records req and decides its reply. A random fault leaves the queue
// alone, so the scripted reply is still there for the client's retry.
func (s *Server) next(req Request) Reply {
	s.mu.Lock()
	s.record(req)
	fault := s.drawFault()
	if fault == NoFault && len(s.queue) > 0 {
		r := s.queue[0]
		s.queue[0] = Reply{}
		s.queue = s.queue[1:]
		s.mu.Unlock()
		return r
	}
	var head *Reply
	if len(s.queue) > 0 {
		h := s.queue[0]
		head = &h
	}
	s.mu.Unlock()

	// Respond is the caller's code and may be slow, so it runs unlocked.
	var r Reply
	switch {
	case head != nil:
		r = *head
	case s.opts.Respond != nil:
		r = s.opts.Respond(req)
	default:
		r = echo(req)
	}
	if fault != NoFault {
		r.Fault = fault
	}
	return r
}

// record keeps req, dropping the oldest beyond RecordLimit. It trims only
// when twice the limit is reached, so recording stays amortised O(1).
// The caller holds s.mu.
func (s *Server) record(req Request) {
	lim := s.opts.RecordLimit
	if lim < 0 {
		return
	}
	s.requests = append(s.requests, req)
	if n := len(s.requests); n >= 2*lim {
		s.requests = append([]Request(nil), s.requests[n-lim:]...)
	}
}

// echo is the default reply: it makes an unscripted conversation visibly
// answer what was said.
func echo(req Request) Reply {
	if u := req.LastUser(); u != "" {
		return Text("You said: " + u)
	}
	return Text("Hello from fakellm.")
}
