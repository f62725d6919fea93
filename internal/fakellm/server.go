// Package fakellm is a scripted OpenAI-compatible server for tests and
// benchmarks.
//
// A Server is an http.Handler speaking the OpenAI wire format under /v1:
// chat completions (plain and streamed, text and tool calls), embeddings and
// the model list. Tests queue the replies they want with Push and inspect
// what the client sent with Requests; benchmarks shape latency and inject
// faults at seeded random rates so a run can be repeated, and answer with
// Autopilot, a deterministic stand-in for a support model. ReadScript and
// ParseFaultRates read the same settings from text for `csagent fakellm`.
//
// Everything a client can send is validated the way OpenAI validates it and
// answered with OpenAI's error shape, never with a panic, so the fake is safe
// to serve on a real port.
package fakellm

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// maxBody bounds every request body, so a client cannot make the fake
// hold more than this much of one request in memory.
const maxBody = 4 << 20

// Options configures a Server. The zero value is a working fake with no
// auth, no latency and no faults.
type Options struct {
	// Model is the chat model /v1/models lists; default "fake-model".
	// Requests naming any other model are still answered, so one fake can
	// stand in for a fallback chain.
	Model string
	// EmbeddingModel is listed by /v1/models beside Model; default
	// "fake-embedding".
	EmbeddingModel string
	// APIKey, when set, must arrive as "Authorization: Bearer <key>";
	// "" disables auth.
	APIKey string
	// EmbeddingDims is the length of embedding vectors when a request does
	// not ask for dimensions; default 256.
	EmbeddingDims int

	// TimeToFirstToken delays the first streamed token (and a non-streamed
	// answer), as a real model's prefill does.
	TimeToFirstToken time.Duration
	// TokensPerSecond paces streamed deltas after the first; 0 means as
	// fast as possible.
	TokensPerSecond float64

	// FaultRates injects faults into chat requests at random, drawn from a
	// source seeded with Seed so a benchmark run can be repeated.
	FaultRates FaultRates
	// Seed seeds the fault source.
	Seed int64

	// Respond decides the reply when no scripted reply is queued; nil
	// echoes the last user message.
	Respond func(Request) Reply

	// RecordLimit is how many chat requests Requests keeps, newest last;
	// default 1000. A negative limit records nothing, for long benchmarks.
	RecordLimit int
}

// Server is a scripted OpenAI-compatible endpoint. It is safe for
// concurrent use; create one with New.
type Server struct {
	opts Options

	mu       sync.Mutex
	queue    []Reply
	requests []Request
	rng      *rand.Rand

	// seq numbers completions and generated tool-call ids, so ids are
	// unique and repeatable after Reset.
	seq atomic.Uint64

	// tools is the last tool list decoded (toolcache.go).
	tools toolCache
}

// New returns a Server configured by opts.
func New(opts Options) *Server {
	if opts.Model == "" {
		opts.Model = "fake-model"
	}
	if opts.EmbeddingModel == "" {
		opts.EmbeddingModel = "fake-embedding"
	}
	if opts.EmbeddingDims <= 0 {
		opts.EmbeddingDims = 256
	}
	if opts.RecordLimit == 0 {
		opts.RecordLimit = 1000
	}
	opts.FaultRates = opts.FaultRates.clamped()
	return &Server{opts: opts, rng: newRand(opts.Seed)}
}

func newRand(seed int64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15))
}

// Reset forgets queued replies and recorded requests and restarts the fault
// source and id sequence, so a Server can be reused between subtests.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = nil
	s.requests = nil
	s.rng = newRand(s.opts.Seed)
	s.seq.Store(0)
}

// ServeHTTP answers the OpenAI endpoints under /v1.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Request-Id", "req_"+strconv.FormatUint(s.seq.Add(1), 10))
	// OpenAI checks the key before it looks at the path, so a client
	// with a bad key learns that first.
	if !s.authorized(r) {
		writeError(w, http.StatusUnauthorized, "invalid_request_error", "invalid_api_key",
			"Incorrect or missing API key. Send it as 'Authorization: Bearer <key>'.")
		return
	}
	path := r.URL.Path
	switch {
	case path == "/v1/chat/completions":
		s.route(w, r, http.MethodPost, s.handleChat)
	case path == "/v1/embeddings":
		s.route(w, r, http.MethodPost, s.handleEmbeddings)
	case path == "/v1/models":
		s.route(w, r, http.MethodGet, s.handleModels)
	case strings.HasPrefix(path, "/v1/models/"):
		s.route(w, r, http.MethodGet, s.handleModel)
	default:
		writeError(w, http.StatusNotFound, "invalid_request_error", "unknown_url",
			"Invalid URL ("+r.Method+" "+path+")")
	}
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, method string, h http.HandlerFunc) {
	if r.Method != method {
		w.Header().Set("Allow", method)
		writeError(w, http.StatusMethodNotAllowed, "invalid_request_error", "method_not_allowed",
			"Method "+r.Method+" not allowed; use "+method+".")
		return
	}
	h(w, r)
}

func (s *Server) authorized(r *http.Request) bool {
	if s.opts.APIKey == "" {
		return true
	}
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(token), []byte(s.opts.APIKey)) == 1
}

// modelEntry is one element of /v1/models.
type modelEntry struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Created int64  `json:"created"`
	OwnedBy string `json:"owned_by"`
}

// modelsCreated is a fixed creation time, so model listings are stable.
const modelsCreated = 1700000000

func (s *Server) models() []modelEntry {
	var out []modelEntry
	for _, id := range []string{s.opts.Model, s.opts.EmbeddingModel} {
		out = append(out, modelEntry{ID: id, Object: "model", Created: modelsCreated, OwnedBy: "fakellm"})
	}
	return out
}

func (s *Server) handleModels(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, struct {
		Object string       `json:"object"`
		Data   []modelEntry `json:"data"`
	}{"list", s.models()})
}

func (s *Server) handleModel(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/v1/models/")
	for _, m := range s.models() {
		if m.ID == id {
			writeJSON(w, http.StatusOK, m)
			return
		}
	}
	writeError(w, http.StatusNotFound, "invalid_request_error", "model_not_found",
		"The model '"+id+"' does not exist")
}

// readBody reads at most maxBody bytes of r's body, answering 400 itself
// when it cannot.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, http.StatusBadRequest, "invalid_request_error", "request_too_large",
			"Request body exceeds "+strconv.Itoa(maxBody)+" bytes.")
		return nil, false
	case err != nil:
		writeError(w, http.StatusBadRequest, "invalid_request_error", "invalid_body",
			"Could not read the request body.")
		return nil, false
	}
	return body, true
}

// apiError is OpenAI's error object. Code is a string here, which every
// OpenAI client accepts; Param names the offending field when there is one.
type apiError struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    string  `json:"code"`
}

// invalid builds the 400 for a request field that fails validation.
func invalid(param, code, msg string) *apiError {
	e := &apiError{Message: msg, Type: "invalid_request_error", Code: code}
	if param != "" {
		e.Param = &param
	}
	return e
}

func writeError(w http.ResponseWriter, status int, typ, code, msg string) {
	writeAPIError(w, status, &apiError{Message: msg, Type: typ, Code: code})
}

func writeAPIError(w http.ResponseWriter, status int, e *apiError) {
	writeJSON(w, status, struct {
		Error *apiError `json:"error"`
	}{e})
}

// writeJSON sends v with a Content-Length. Every value passed here is built
// from plain structs and strings, so Marshal cannot fail.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, _ := json.Marshal(v)
	body = append(body, '\n')
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
