package upstream_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/csagent/csagent/retrieval/upstream"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"3", 3 * time.Second},
		{" 0 ", 0},
		{"Sun, 22 Nov 2026 10:00:05 GMT", 5 * time.Second},
		{"Sun, 22 Nov 2026 09:59:00 GMT", 0}, // already past
		{"soon", 0},
		{"-4", 0},
		{"", 0},
	}
	for _, tt := range tests {
		if got := upstream.ParseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("ParseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"rate limit", &openai.APIError{HTTPStatusCode: 429}, true},
		{"server error", fmt.Errorf("call: %w", &openai.APIError{HTTPStatusCode: 503}), true},
		{"proxy error page", &openai.RequestError{HTTPStatusCode: 502, Err: errors.New("html")}, true},
		{"bad request", &openai.APIError{HTTPStatusCode: 400}, false},
		{"unauthorized", &openai.RequestError{HTTPStatusCode: 401, Err: errors.New("no key")}, false},
		{"timeout", fmt.Errorf("embed: %w", context.DeadlineExceeded), true},
		{"cancelled by the caller", context.Canceled, false},
		{"anything else", errors.New("decode: bad json"), false},
	}
	for _, tt := range tests {
		if got := upstream.Retryable(tt.err); got != tt.want {
			t.Errorf("%s: Retryable(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}

// TestTransportNotesRetryAfter checks the header reaches the hint of the
// request's own context only, and only from a 429 or 503.
func TestTransportNotesRetryAfter(t *testing.T) {
	var status atomic.Int32
	status.Store(http.StatusTooManyRequests)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7")
		w.WriteHeader(int(status.Load()))
	}))
	t.Cleanup(srv.Close)
	client := &http.Client{Transport: upstream.Transport{}}
	get := func(ctx context.Context) {
		t.Helper()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}

	ctx, hint := upstream.WithHint(t.Context())
	get(ctx)
	if got := hint.Wait(); got != 7*time.Second {
		t.Errorf("after a 429 with Retry-After 7, Wait = %v", got)
	}
	get(t.Context()) // no hint in the context: nothing to note, no panic

	status.Store(http.StatusBadRequest)
	ctx, hint = upstream.WithHint(t.Context())
	get(ctx)
	if got := hint.Wait(); got != 0 {
		t.Errorf("after a 400, Wait = %v, want 0", got)
	}
}
