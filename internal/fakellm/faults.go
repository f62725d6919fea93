package fakellm

import (
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Fault is a failure the fake injects into a chat answer, one for each way
// a real upstream has been seen to fail.
type Fault int

// The faults. Values outside these constants are treated as NoFault.
const (
	// NoFault answers normally.
	NoFault Fault = iota
	// RateLimited answers 429 with a Retry-After header (Reply.RetryAfter)
	// and an OpenAI error body with code "rate_limit_exceeded".
	RateLimited
	// ServerError answers 500 with an OpenAI error body of type
	// "server_error".
	ServerError
	// BadGateway answers 502 with an HTML body, as a proxy in front of the
	// model does, so clients meet an error that is not JSON.
	BadGateway
	// CutStream sends part of the answer and drops the connection: a stream
	// stops after the first half of its deltas with no finish_reason and no
	// [DONE]; a plain answer stops halfway through its JSON body.
	CutStream
	// MalformedToolArgs answers with a tool call whose arguments are not
	// valid JSON: the reply's first call (or the request's first tool) with
	// its arguments cut short.
	MalformedToolArgs
	// UnknownTool answers with a call to a function the request did not
	// offer.
	UnknownTool
	// Hang sends nothing until the client gives up.
	Hang
	// EmptyChoices answers 200 with "choices": [] (a stream sends one such
	// chunk and [DONE]).
	EmptyChoices
	// ContextTooLong answers 400 with an OpenAI error body of code
	// "context_length_exceeded": the request's fault, not the upstream's.
	ContextTooLong
)

// String returns the constant's name, for test and log output.
func (f Fault) String() string {
	switch f {
	case NoFault:
		return "NoFault"
	case RateLimited:
		return "RateLimited"
	case ServerError:
		return "ServerError"
	case BadGateway:
		return "BadGateway"
	case CutStream:
		return "CutStream"
	case MalformedToolArgs:
		return "MalformedToolArgs"
	case UnknownTool:
		return "UnknownTool"
	case Hang:
		return "Hang"
	case EmptyChoices:
		return "EmptyChoices"
	case ContextTooLong:
		return "ContextTooLong"
	}
	return "Fault(" + strconv.Itoa(int(f)) + ")"
}

// FaultRates are the probabilities (0 to 1) that a chat request meets each
// fault, for benchmarks of retry and fallback paths. Each request draws
// once; when the rates add up to more than 1, earlier fields take
// precedence.
type FaultRates struct {
	RateLimited float64
	ServerError float64
	CutStream   float64
	Hang        float64
	// BadGateway is drawn after the others, so adding it leaves the faults
	// a seed gave before unchanged.
	BadGateway float64
}

func (fr FaultRates) clamped() FaultRates {
	c := func(p float64) float64 {
		if math.IsNaN(p) {
			return 0
		}
		return min(max(p, 0), 1)
	}
	return FaultRates{c(fr.RateLimited), c(fr.ServerError), c(fr.CutStream), c(fr.Hang), c(fr.BadGateway)}
}

// drawFault picks a random fault for one request. It draws only when some
// rate is set, so a fake without fault rates never touches the source.
// The caller holds s.mu.
func (s *Server) drawFault() Fault {
	fr := s.opts.FaultRates
	if fr == (FaultRates{}) {
		return NoFault
	}
	u := s.rng.Float64()
	for _, f := range []struct {
		p     float64
		fault Fault
	}{{fr.RateLimited, RateLimited}, {fr.ServerError, ServerError}, {fr.CutStream, CutStream}, {fr.Hang, Hang}, {fr.BadGateway, BadGateway}} {
		if u < f.p {
			return f.fault
		}
		u -= f.p
	}
	return NoFault
}

// writeFault answers the faults that replace the answer entirely and
// reports whether it did.
func (s *Server) writeFault(w http.ResponseWriter, r *http.Request, reply Reply) bool {
	switch reply.Fault {
	case RateLimited:
		secs := int(math.Ceil(reply.RetryAfter.Seconds()))
		if secs <= 0 {
			secs = 1
		}
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		w.Header().Set("X-Ratelimit-Remaining-Requests", "0")
		writeError(w, http.StatusTooManyRequests, "requests", "rate_limit_exceeded",
			"Rate limit reached for requests. Please try again in "+strconv.Itoa(secs)+"s.")
	case ServerError:
		writeError(w, http.StatusInternalServerError, "server_error", "internal_error",
			"The server had an error while processing your request. Sorry about that!")
	case BadGateway:
		const page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" +
			"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", strconv.Itoa(len(page)))
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte(page))
	case ContextTooLong:
		writeError(w, http.StatusBadRequest, "invalid_request_error", "context_length_exceeded",
			"This model's maximum context length is 8192 tokens. However, your messages resulted in 9120 tokens. Please reduce the length of the messages.")
	case Hang:
		<-r.Context().Done()
	default:
		return false
	}
	return true
}

// dropConnection closes the client's connection mid-response, so the client
// sees an unexpected EOF rather than a clean end. Where the connection
// cannot be taken over (HTTP/2, a recorder) the response just ends early;
// the missing [DONE] and finish_reason still mark it as cut.
func dropConnection(w http.ResponseWriter) {
	rc := http.NewResponseController(w)
	// Hijack discards what is still buffered, so push it out first.
	_ = rc.Flush()
	conn, _, err := rc.Hijack()
	if err != nil {
		return
	}
	_ = conn.Close()
}

// malformedCall is a call whose arguments end too early, as when a model
// runs out of tokens mid-call.
func malformedCall(req Request, reply Reply) ToolCall {
	call := ToolCall{Name: "lookup", Arguments: `{"query": "order status"}`}
	switch {
	case len(reply.ToolCalls) > 0:
		call = reply.ToolCalls[0]
	case len(req.Tools) > 0:
		call.Name = req.Tools[0].Name
	}
	args := call.Arguments
	if args != "" {
		_, size := utf8.DecodeLastRuneInString(args)
		args = args[:len(args)-size]
	}
	if args == "" || json.Valid([]byte(args)) {
		args = `{"query": "unterminated`
	}
	call.Arguments = args
	return call
}

// unknownCall calls a function the request did not offer, keeping the
// reply's arguments when it has any.
func unknownCall(req Request, reply Reply) ToolCall {
	call := ToolCall{Name: "no_such_tool", Arguments: "{}"}
	if len(reply.ToolCalls) > 0 {
		call.ID = reply.ToolCalls[0].ID
		call.Arguments = reply.ToolCalls[0].Arguments
	}
	offered := func(name string) bool {
		return slices.ContainsFunc(req.Tools, func(t ToolDef) bool { return t.Name == name })
	}
	for offered(call.Name) {
		call.Name += "_x"
	}
	return call
}
