package fakellm_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/csagent/csagent/internal/fakellm"
	"github.com/sashabaranov/go-openai"
)

// fixture is a fake served over real HTTP with a go-openai client pointed
// at it, the way the agent's adapter talks to an upstream.
type fixture struct {
	srv    *fakellm.Server
	client *openai.Client
	base   string // ".../v1"
	hc     *http.Client
	hdr    *headerTap
}

func newFixture(tb testing.TB, opts fakellm.Options) *fixture {
	tb.Helper()
	srv := fakellm.New(opts)
	ts := httptest.NewServer(srv)
	tb.Cleanup(ts.Close)
	tap := &headerTap{next: ts.Client().Transport}
	hc := &http.Client{Transport: tap}
	cfg := openai.DefaultConfig(opts.APIKey)
	cfg.BaseURL = ts.URL + "/v1"
	cfg.HTTPClient = hc
	return &fixture{srv: srv, client: openai.NewClientWithConfig(cfg), base: ts.URL + "/v1", hc: hc, hdr: tap}
}

// headerTap keeps the last response's headers, which go-openai does not
// expose on errors (Retry-After on a 429 in particular).
type headerTap struct {
	next http.RoundTripper
	mu   sync.Mutex
	last http.Header
}

func (t *headerTap) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err == nil {
		t.mu.Lock()
		t.last = resp.Header.Clone()
		t.mu.Unlock()
	}
	return resp, err
}

func (t *headerTap) header() http.Header {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.last
}

// post sends a raw body and returns the status and body, for the requests
// go-openai would refuse to build.
func (f *fixture) post(tb testing.TB, path, body string, header map[string]string) (int, []byte) {
	tb.Helper()
	return f.do(tb, http.MethodPost, path, strings.NewReader(body), header)
}

func (f *fixture) do(tb testing.TB, method, path string, body io.Reader, header map[string]string) (int, []byte) {
	tb.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, f.base+path, body)
	if err != nil {
		tb.Fatalf("new request: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := f.hc.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("read %s %s: %v", method, path, err)
	}
	return resp.StatusCode, b
}

// errorBody is OpenAI's error shape.
type errorBody struct {
	Error *struct {
		Message string `json:"message"`
		Type    string `json:"type"`
		Code    string `json:"code"`
	} `json:"error"`
}

// mustErrorShape fails unless body is OpenAI's error JSON, returning the
// code.
func mustErrorShape(tb testing.TB, body []byte) string {
	tb.Helper()
	var e errorBody
	if err := json.Unmarshal(body, &e); err != nil || e.Error == nil {
		tb.Fatalf("body %q is not an OpenAI error: %v", body, err)
	}
	if e.Error.Message == "" || e.Error.Type == "" || e.Error.Code == "" {
		tb.Fatalf("error %+v lacks message, type or code", *e.Error)
	}
	return e.Error.Code
}

func userMsg(s string) []openai.ChatCompletionMessage {
	return []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: s}}
}

func chatReq(s string) openai.ChatCompletionRequest {
	return openai.ChatCompletionRequest{Model: "fake-model", Messages: userMsg(s)}
}

// streamResult is a stream read to its end by collect.
type streamResult struct {
	text   string
	calls  []openai.ToolCall // assembled by index
	finish openai.FinishReason
	chunks []openai.ChatCompletionStreamResponse
	usage  *openai.Usage
	err    error // the error that ended the stream, nil on [DONE]
}

// collect reads a stream the way the agent's adapter does: text deltas
// concatenated, tool calls assembled across chunks by index.
func collect(stream *openai.ChatCompletionStream) streamResult {
	defer stream.Close()
	var res streamResult
	byIndex := map[int]int{}
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return res
		}
		if err != nil {
			res.err = err
			return res
		}
		res.chunks = append(res.chunks, chunk)
		if chunk.Usage != nil {
			res.usage = chunk.Usage
		}
		for _, ch := range chunk.Choices {
			if ch.FinishReason != "" {
				res.finish = ch.FinishReason
			}
			res.text += ch.Delta.Content
			for _, tc := range ch.Delta.ToolCalls {
				if tc.Index == nil {
					res.err = errors.New("tool call delta without index")
					return res
				}
				i, ok := byIndex[*tc.Index]
				if !ok {
					i = len(res.calls)
					byIndex[*tc.Index] = i
					res.calls = append(res.calls, openai.ToolCall{})
				}
				c := &res.calls[i]
				if tc.ID != "" {
					c.ID = tc.ID
				}
				if tc.Type != "" {
					c.Type = tc.Type
				}
				c.Function.Name += tc.Function.Name
				c.Function.Arguments += tc.Function.Arguments
			}
		}
	}
}

func mustJSON(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatalf("marshal: %v", err)
	}
	return string(b)
}

// bigBody is a chat request just over the 4 MiB limit.
func bigBody() string {
	var b bytes.Buffer
	b.WriteString(`{"model":"fake-model","messages":[{"role":"user","content":"`)
	b.WriteString(strings.Repeat("a", 4<<20))
	b.WriteString(`"}]}`)
	return b.String()
}
