// Package upstream holds what csagent's two clients of OpenAI-compatible
// APIs share: the chat model's (agent) and the embedder's (retrieval).
// Both retry the same failures and both honour the wait an upstream asks
// for, so the rules live here once: beside the embedder, the lower of the
// two in the house, so that neither imports a package above it.
package upstream

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// Retryable reports whether err, returned by a go-openai call, is worth
// another attempt: a rate limit, a server error (also one a proxy answers
// in HTML), a network failure or a timeout. A request the upstream refused
// (400, 401, 404) fails the same way again.
func Retryable(err error) bool {
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		return retryableStatus(apiErr.HTTPStatusCode)
	}
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) {
		return retryableStatus(reqErr.HTTPStatusCode)
	}
	var netErr net.Error
	return errors.As(err, &netErr) || errors.Is(err, context.DeadlineExceeded)
}

func retryableStatus(code int) bool {
	return code == http.StatusTooManyRequests || code >= 500
}

// Hint holds the wait an upstream asked for in the Retry-After header of
// its last 429 or 503 answer to one request. go-openai does not expose
// response headers, so Transport notes the header in the Hint the
// request's context carries (WithHint).
type Hint struct {
	mu sync.Mutex
	d  time.Duration
}

// Wait returns the wait the upstream asked for, or 0 when it named none.
func (h *Hint) Wait() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.d
}

func (h *Hint) set(d time.Duration) {
	h.mu.Lock()
	h.d = d
	h.mu.Unlock()
}

type hintKey struct{}

// WithHint returns a context whose requests, made through Transport,
// record their Retry-After in the returned Hint.
func WithHint(ctx context.Context) (context.Context, *Hint) {
	h := &Hint{}
	return context.WithValue(ctx, hintKey{}, h), h
}

// Transport is an http.RoundTripper that notes a 429's or 503's
// Retry-After in the Hint of the request's context, if it carries one.
type Transport struct {
	// Next sends the request; nil means http.DefaultTransport.
	Next http.RoundTripper
}

// RoundTrip sends r through Next and notes the answer's Retry-After.
func (t Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	next := t.Next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(r)
	if err == nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if h, ok := r.Context().Value(hintKey{}).(*Hint); ok {
			if d := ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); d > 0 {
				h.set(d)
			}
		}
	}
	return resp, err
}

// ParseRetryAfter reads a Retry-After header value, in seconds or as an
// HTTP date, as a wait from now; anything else, or a past date, is 0.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
