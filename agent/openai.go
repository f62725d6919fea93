package agent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/sashabaranov/go-openai"
	"github.com/sethvargo/go-retry"
	"github.com/sony/gobreaker/v2"

	"github.com/csagent/csagent/retrieval/upstream"
)

// This file is the one adapter between the agent's own message types and
// go-openai's: no go-openai type leaves it.

// OpenAIConfig configures an OpenAI-compatible chat-completions provider:
// OpenAI itself, vLLM, Ollama, llama.cpp's server, LiteLLM.
type OpenAIConfig struct {
	// BaseURL is the API root, e.g. "https://api.openai.com/v1" or
	// "http://localhost:11434/v1".
	BaseURL string
	APIKey  string
	Model   string
	// RequestTimeout bounds one HTTP request, stream included.
	RequestTimeout time.Duration
	// MaxRetries is how often a 429, a 5xx, a network error or a stream cut
	// before any text was streamed is retried.
	MaxRetries int
	// HTTPClient is used for the requests; nil means a default client.
	HTTPClient *http.Client
	// Temperature, when set, is sent with every request.
	Temperature *float32
}

// OpenAI is a Model backed by an OpenAI-compatible API. It retries
// transient failures with backoff and jitter (respecting Retry-After) and
// stops calling an upstream that keeps failing (a circuit breaker), so the
// fallback chain moves on at once.
type OpenAI struct {
	client *openai.Client
	cfg    OpenAIConfig
	tools  toolsCache
	// bodySize is the last request's length, to size the next one's buffer.
	bodySize atomic.Int64
	breaker  *gobreaker.CircuitBreaker[Response]
	// wait, when set, is told each wait between retries and returns the
	// wait to make instead: tests record the waits and skip them.
	wait func(time.Duration) time.Duration
}

// ErrUpstream wraps every failure of an LLM provider.
var ErrUpstream = errors.New("llm upstream failed")

// NewOpenAI returns a provider for cfg.
func NewOpenAI(cfg OpenAIConfig) *OpenAI {
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	base := cfg.HTTPClient
	if base == nil {
		base = &http.Client{}
	}
	hc := *base
	inner := hc.Transport
	if inner == nil {
		// Every turn talks to the same upstream, often many at once: the
		// default transport keeps two idle connections per host, so under
		// load it would open and close a connection per request.
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConns = 256
		t.MaxIdleConnsPerHost = 256
		// A request (csagent's tools alone are 14 KB) fits the connection's
		// write buffer whole: with the default 4 KB, net/http wrote it in
		// 4 KB pieces, a syscall each, and once the buffer had emptied it
		// copied the rest of the body through a fresh 32 KB buffer
		// (net.TCPConn.ReadFrom's generic copy): two of those were a
		// quarter of the bytes the server allocated a turn.
		t.WriteBufferSize = 64 << 10
		// A streamed answer read whole in one read where it has arrived
		// whole (an unpaced one, or the burst of a fast model): with the
		// default 4 KB a 6 KB answer took two reads, a syscall each.
		t.ReadBufferSize = 16 << 10
		inner = t
	}
	hc.Transport = upstream.Transport{Next: inner}
	oc := openai.DefaultConfig(cfg.APIKey)
	if cfg.BaseURL != "" {
		oc.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	}
	oc.HTTPClient = bodyDoer{&hc}
	return &OpenAI{
		client: openai.NewClientWithConfig(oc),
		cfg:    cfg,
		breaker: gobreaker.NewCircuitBreaker[Response](gobreaker.Settings{
			Name:    "llm:" + cfg.Model,
			Timeout: 30 * time.Second,
			ReadyToTrip: func(c gobreaker.Counts) bool {
				return c.ConsecutiveFailures >= 5
			},
			// Only the provider's faults count against it: a rate limit,
			// a server error, a transport failure. A request it refused
			// (400: the context is too long, a bad argument; 401) is the
			// request's fault, and the upstream answered.
			IsSuccessful: func(err error) bool { return err == nil || !retryable(err) },
			// A cancelled turn says nothing about the upstream's health.
			IsExcluded: func(err error) bool { return errors.Is(err, context.Canceled) },
		}),
	}
}

var _ Model = (*OpenAI)(nil)

// Name returns the configured model name.
func (m *OpenAI) Name() string { return m.cfg.Model }

// Generate streams one chat completion. Text deltas go to onDelta as they
// arrive; tool-call arguments are assembled across chunks.
func (m *OpenAI) Generate(ctx context.Context, req Request, onDelta func(string) error) (Response, error) {
	resp, err := m.breaker.Execute(func() (Response, error) {
		return m.generateWithRetries(ctx, req, onDelta)
	})
	if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
		return Response{}, fmt.Errorf("%w: %s: circuit open after repeated failures", ErrUpstream, m.cfg.Model)
	}
	return resp, err
}

func (m *OpenAI) generateWithRetries(ctx context.Context, req Request, onDelta func(string) error) (Response, error) {
	tools, err := m.tools.encoded(req.Tools)
	if err != nil {
		return Response{}, fmt.Errorf("%w: %s: %w", ErrUpstream, m.cfg.Model, err)
	}
	body := newRequestBody()
	defer body.release()
	if hint := int(m.bodySize.Load()); cap(body.b) < hint {
		body.b = make([]byte, 0, hint)
	}
	body.b = appendChat(body.b, chatBody{model: m.cfg.Model, temperature: m.cfg.Temperature, tools: tools}, req.Messages)
	m.bodySize.Store(int64(len(body.b)))
	ctx = context.WithValue(ctx, bodyKey{}, body)
	var lastErr error
	var after time.Duration // the last failure's Retry-After
	resp, err := retry.DoValue(ctx, m.backoff(&after), func(ctx context.Context) (Response, error) {
		resp, streamed, err := m.attempt(ctx, req.Messages, onDelta)
		if err == nil {
			return resp, nil
		}
		lastErr, after = err, retryAfter(err)
		// Text already shown cannot be taken back, so a stream cut after a
		// delta is not retried; the agent's fallback answers instead.
		if streamed || !retryable(err) || ctx.Err() != nil {
			return Response{}, err
		}
		return Response{}, retry.RetryableError(err)
	})
	if err == nil {
		return resp, nil
	}
	// A turn that ended while waiting reports the upstream's failure, as
	// one that ended during the request does.
	if lastErr != nil {
		err = lastErr
	}
	return Response{}, fmt.Errorf("%w: %s: %w", ErrUpstream, m.cfg.Model, err)
}

// attempt makes one streamed request. streamed reports whether any text
// reached onDelta.
func (m *OpenAI) attempt(ctx context.Context, msgs []Message, onDelta func(string) error) (resp Response, streamed bool, err error) {
	rctx, cancel := context.WithTimeout(ctx, m.cfg.RequestTimeout)
	defer cancel()
	rctx, hint := upstream.WithHint(rctx)

	// go-openai marshals only this stub; bodyDoer sends the body
	// generateWithRetries encoded in its place, and hands a successful
	// response's body to sb for this file's reader (openai_stream.go).
	rctx, sb := withStreamBody(rctx)
	stream, err := m.client.CreateChatCompletionStream(rctx, openai.ChatCompletionRequest{Model: m.cfg.Model, Stream: true})
	if err != nil {
		return Response{}, false, withRetryAfter(err, hint)
	}
	stream.Close() // its body is empty: sb has the response's
	if sb.body == nil {
		return Response{}, false, errors.New("the streamed response's body was not handed over")
	}
	sa := streamAttempt{body: sb.body, sse: newSSEReader(sb.body)}
	defer sa.close()

	var text strings.Builder
	calls := map[int]*ToolCall{}
	var order []int
	finished := false
	var chunks chunkDecoder
	var chunk streamChunk // reused: its choices' array serves every chunk
	for {
		raw, err := sa.sse.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Response{}, streamed, withRetryAfter(err, hint)
		}
		if err := decodeChunk(raw, &chunk, &chunks); err != nil {
			return Response{}, streamed, fmt.Errorf("decode stream chunk: %w", err)
		}
		if chunk.Usage != nil {
			resp.Usage = Usage{PromptTokens: chunk.Usage.PromptTokens, CompletionTokens: chunk.Usage.CompletionTokens}
		}
		if chunk.Model != "" {
			resp.Model = chunk.Model
		}
		for _, ch := range chunk.Choices {
			if ch.FinishReason != "" {
				finished = true
			}
			d := ch.Delta
			if d.Content != "" {
				text.WriteString(d.Content)
				if onDelta != nil {
					streamed = true
					if err := onDelta(d.Content); err != nil {
						return Response{}, streamed, err
					}
				}
			}
			for i, tc := range d.ToolCalls {
				idx := i
				if tc.Index != nil {
					idx = *tc.Index
				}
				c, ok := calls[idx]
				if !ok {
					c = &ToolCall{}
					calls[idx] = c
					order = append(order, idx)
				}
				if tc.ID != "" {
					c.ID = tc.ID
				}
				if tc.Function.Name != "" {
					c.Name += tc.Function.Name
				}
				c.Arguments = append(c.Arguments, tc.Function.Arguments...)
			}
		}
	}
	if !finished {
		return Response{}, streamed, errStreamCut
	}
	resp.Message = Message{Role: RoleAssistant, Content: text.String()}
	for n, idx := range order {
		c := *calls[idx]
		if c.ID == "" {
			c.ID = "call_" + strconv.Itoa(n)
		}
		if len(c.Arguments) == 0 {
			c.Arguments = json.RawMessage("{}")
		}
		resp.Message.ToolCalls = append(resp.Message.ToolCalls, c)
	}
	if resp.Model == "" {
		resp.Model = m.cfg.Model
	}
	if resp.Usage.CompletionTokens == 0 {
		resp.Usage = estimateUsage(msgs, resp.Message)
	}
	return resp, streamed, nil
}

var errStreamCut = errors.New("stream ended before the model finished")

// chunkDecoder decodes the chunks decodeChunk leaves to encoding/json,
// one JSON object a line, with one json.Decoder fed line by line: it keeps its scanner and buffer from chunk
// to chunk, where json.Unmarshal would allocate them for each (12
// allocations a chunk against 4).
type chunkDecoder struct {
	dec  *json.Decoder
	line []byte
	fed  int64 // bytes given to dec
}

// errChunkEnd ends a line; the decoder never needs it for a whole object.
var errChunkEnd = errors.New("end of chunk")

func (c *chunkDecoder) Read(p []byte) (int, error) {
	if len(c.line) == 0 {
		return 0, errChunkEnd
	}
	n := copy(p, c.line)
	c.line = c.line[n:]
	return n, nil
}

func (c *chunkDecoder) decode(raw []byte, v *streamChunk) error {
	if c.dec == nil {
		c.dec, c.fed = json.NewDecoder(c), 0
	}
	c.line = raw
	c.fed += int64(len(raw))
	err := c.dec.Decode(v)
	if err == nil && c.dec.InputOffset() < c.fed {
		// Rare: more than the object (go-openai trims the line's space).
		rest, _ := io.ReadAll(c.dec.Buffered())
		if len(bytes.TrimSpace(rest)) > 0 || len(bytes.TrimSpace(c.line)) > 0 {
			err = errors.New("data after the chunk's object")
		}
		c.dec = nil // start the next chunk afresh
	}
	if err != nil {
		c.dec = nil // a decoder that failed stays failed
		if errors.Is(err, errChunkEnd) {
			err = io.ErrUnexpectedEOF
		}
	}
	return err
}

// estimateUsage guesses token counts for upstreams that do not report them
// with the memory window's estimate (estimateTokens), so budgets still count.
func estimateUsage(msgs []Message, out Message) Usage {
	in := 0
	for _, m := range msgs {
		in += estimateTokens(m)
	}
	return Usage{PromptTokens: in, CompletionTokens: estimateTokens(out)}
}

// retryable reports whether err is worth another attempt: what
// upstream.Retryable retries, and a stream cut before its end.
func retryable(err error) bool {
	return errors.Is(err, errStreamCut) || errors.Is(err, io.ErrUnexpectedEOF) || upstream.Retryable(err)
}

// backoff returns the waits of one request's retries, at most MaxRetries:
// exponential with full jitter from 200 ms, capped at 5 s, plus 50 ms,
// unless the upstream said how long to wait (*after, up to 20 s).
func (m *OpenAI) backoff(after *time.Duration) retry.Backoff {
	jittered := retry.WithFullJitter(retry.WithCappedDuration(5*time.Second, retry.NewExponential(200*time.Millisecond)))
	b := retry.BackoffFunc(func() (time.Duration, bool) {
		d, _ := jittered.Next() // advanced on every retry, Retry-After or not
		d += 50 * time.Millisecond
		if *after > 0 {
			d = min(*after, 20*time.Second)
		}
		if m.wait != nil {
			d = m.wait(d)
		}
		return d, false
	})
	return retry.WithMaxRetries(uint64(m.cfg.MaxRetries), b)
}

// bodyKey carries a request's encoded body (appendChat, a *requestBody)
// from generateWithRetries to bodyDoer.
type bodyKey struct{}

// bodyDoer sends the body the adapter encoded itself (openai_body.go) in
// place of the stub go-openai marshalled; go-openai still builds the URL
// and headers, sends the request, and reads the stream and the errors. A
// request without a body in its context goes out as go-openai built it.
type bodyDoer struct{ next openai.HTTPDoer }

func (d bodyDoer) Do(r *http.Request) (*http.Response, error) {
	if b, ok := r.Context().Value(bodyKey{}).(*requestBody); ok && r.Body != nil {
		r.Body.Close()
		r.Body = b.reader()
		r.GetBody = func() (io.ReadCloser, error) { return b.reader(), nil }
		r.ContentLength = int64(len(b.b))
	}
	resp, err := d.next.Do(r)
	if err == nil {
		takeStreamBody(r, resp)
	}
	return resp, err
}

type retryAfterError struct {
	err   error
	after time.Duration
}

func (e *retryAfterError) Error() string { return e.err.Error() }
func (e *retryAfterError) Unwrap() error { return e.err }

func withRetryAfter(err error, h *upstream.Hint) error {
	d := h.Wait()
	if d <= 0 {
		return err
	}
	return &retryAfterError{err: err, after: d}
}

func retryAfter(err error) time.Duration {
	var e *retryAfterError
	if errors.As(err, &e) {
		return e.after
	}
	return 0
}
