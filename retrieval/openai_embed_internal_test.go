package retrieval

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestOpenAIEmbedderWaitsAsAsked checks a rate limit's Retry-After sets
// the next wait (capped at a minute), and that without one the backoff
// stays the configured exponential one.
func TestOpenAIEmbedderWaitsAsAsked(t *testing.T) {
	tests := []struct {
		name       string
		retryAfter string
		want       time.Duration // the one wait before the retry
	}{
		{"seconds", "7", 7 * time.Second},
		{"longer than a minute", "600", time.Minute},
		{"none given", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					if tt.retryAfter != "" {
						w.Header().Set("Retry-After", tt.retryAfter)
					}
					http.Error(w, `{"error":{"message":"slow down","type":"rate_limit"}}`, http.StatusTooManyRequests)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				json.NewEncoder(w).Encode(map[string]any{
					"object": "list",
					"data":   []any{map[string]any{"object": "embedding", "index": 0, "embedding": []float32{0.6, 0.8}}},
				})
			}))
			t.Cleanup(srv.Close)
			e, err := NewOpenAIEmbedder(OpenAIConfig{BaseURL: srv.URL, Model: "m", Dims: 2, RetryBackoff: 100 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			var waits []time.Duration
			e.wait = func(d time.Duration) time.Duration {
				mu.Lock()
				waits = append(waits, d)
				mu.Unlock()
				return 0
			}
			if _, err := e.Embed(t.Context(), []string{"refund window"}); err != nil {
				t.Fatalf("Embed after one 429: %v", err)
			}
			if len(waits) != 1 {
				t.Fatalf("waits = %v, want one", waits)
			}
			if tt.want > 0 && waits[0] != tt.want {
				t.Errorf("wait = %v, want %v", waits[0], tt.want)
			}
			// Without a Retry-After: the first exponential step, 100 ms ±25 %.
			if tt.want == 0 && (waits[0] < 75*time.Millisecond || waits[0] > 125*time.Millisecond) {
				t.Errorf("wait = %v, want about the configured 100ms", waits[0])
			}
		})
	}
}
