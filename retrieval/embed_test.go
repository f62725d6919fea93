package retrieval_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/csagent/csagent/internal/fakellm"
	"github.com/csagent/csagent/retrieval"
)

func cosine(a, b []float32) float64 {
	var dot float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
	}
	return dot
}

func TestLocalEmbedder(t *testing.T) {
	e := retrieval.NewLocalEmbedder()
	if e.Model() != "local-ngram-v1-384" || e.Dims() != 384 {
		t.Fatalf("Model, Dims = %s, %d", e.Model(), e.Dims())
	}
	texts := []string{
		"How long do I have to request a refund?",
		"You can request a refund up to 30 days after delivery.",
		"Firearms and ammunition are prohibited.",
		"환불은 배송 완료 후 30일 이내에 신청할 수 있습니다.",
		"환불 신청 기간",
		"",
	}
	vecs, err := e.Embed(t.Context(), texts)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range vecs {
		var n float64
		for _, x := range v {
			n += float64(x) * float64(x)
		}
		if len(v) != 384 || math.Abs(n-1) > 1e-4 {
			t.Errorf("vector %d: %d dimensions, squared norm %.6f; want 384 and 1", i, len(v), n)
		}
	}
	if a, b := cosine(vecs[0], vecs[1]), cosine(vecs[0], vecs[2]); a <= b {
		t.Errorf("refund question is no closer to the refund rule (%.3f) than to weapons (%.3f)", a, b)
	}
	if a, b := cosine(vecs[4], vecs[3]), cosine(vecs[4], vecs[2]); a <= b+0.05 {
		t.Errorf("Korean query is not close to the Korean rule: %.3f against %.3f for weapons", a, b)
	}
	again, _ := e.Embed(t.Context(), texts)
	for i := range vecs {
		for j := range vecs[i] {
			if vecs[i][j] != again[i][j] {
				t.Fatalf("Embed is not deterministic: vector %d differs at %d", i, j)
			}
		}
	}
	// Safe for concurrent use.
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := e.Embed(context.Background(), texts); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := e.Embed(ctx, texts); !errors.Is(err, context.Canceled) {
		t.Errorf("Embed(cancelled) = %v, want context.Canceled", err)
	}
}

// embeddingsServer serves the fake OpenAI API, failing the first failures
// embedding requests with status, and records each request's body.
type embeddingsServer struct {
	mu       sync.Mutex
	bodies   []map[string]any
	failures int
	status   int
}

func (s *embeddingsServer) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var m map[string]any
		_ = json.Unmarshal(body, &m)
		s.mu.Lock()
		s.bodies = append(s.bodies, m)
		fail := s.failures > 0
		if fail {
			s.failures--
		}
		s.mu.Unlock()
		if fail {
			if s.status == http.StatusBadGateway {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(s.status)
				io.WriteString(w, "<html>bad gateway</html>")
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(s.status)
			io.WriteString(w, `{"error":{"message":"slow down","type":"requests","code":"rate_limit_exceeded"}}`)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

func (s *embeddingsServer) requests() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]map[string]any(nil), s.bodies...)
}

func newOpenAIEmbedder(t *testing.T, srv *embeddingsServer, cfg retrieval.OpenAIConfig) *retrieval.OpenAIEmbedder {
	t.Helper()
	fake := fakellm.New(fakellm.Options{APIKey: "sk-test", EmbeddingDims: 64})
	hs := httptest.NewServer(srv.wrap(fake))
	t.Cleanup(hs.Close)
	cfg.BaseURL = hs.URL + "/v1"
	cfg.APIKey = "sk-test"
	if cfg.Model == "" {
		cfg.Model = "text-embedding-3-small"
	}
	if cfg.Dims == 0 {
		cfg.Dims = 32
	}
	if cfg.RetryBackoff == 0 {
		cfg.RetryBackoff = time.Millisecond
	}
	e, err := retrieval.NewOpenAIEmbedder(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestOpenAIEmbedderBatches(t *testing.T) {
	srv := &embeddingsServer{}
	e := newOpenAIEmbedder(t, srv, retrieval.OpenAIConfig{BatchSize: 2})
	if e.Model() != "text-embedding-3-small@32" || e.Dims() != 32 {
		t.Errorf("Model, Dims = %s, %d", e.Model(), e.Dims())
	}
	texts := []string{"refund window", "shipping time", "", "refund window"}
	vecs, err := e.Embed(t.Context(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if len(vecs) != 4 || len(vecs[0]) != 32 {
		t.Fatalf("Embed = %d vectors of %d, want 4 of 32", len(vecs), len(vecs[0]))
	}
	if cosine(vecs[0], vecs[3]) < 0.999 || cosine(vecs[0], vecs[1]) > 0.99 {
		t.Error("vectors are not in input order")
	}
	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests for 4 texts in batches of 2, want 2", len(reqs))
	}
	for _, r := range reqs {
		if r["dimensions"] != float64(32) || r["model"] != "text-embedding-3-small" || len(r["input"].([]any)) != 2 {
			t.Errorf("request = %v, want model, dimensions 32 and 2 inputs", r)
		}
	}
}

func TestOpenAIEmbedderRetries(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		failures  int
		wantErr   bool
		wantCalls int
	}{
		{"rate limited then served", http.StatusTooManyRequests, 2, false, 3},
		{"server error then served", http.StatusInternalServerError, 1, false, 2},
		{"proxy error page then served", http.StatusBadGateway, 1, false, 2},
		{"rate limited past the retries", http.StatusTooManyRequests, 10, true, 3},
		{"bad request is not retried", http.StatusBadRequest, 1, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := &embeddingsServer{failures: tt.failures, status: tt.status}
			e := newOpenAIEmbedder(t, srv, retrieval.OpenAIConfig{MaxRetries: 2})
			_, err := e.Embed(t.Context(), []string{"refund"})
			if (err != nil) != tt.wantErr {
				t.Errorf("Embed = %v, want error %v", err, tt.wantErr)
			}
			if n := len(srv.requests()); n != tt.wantCalls {
				t.Errorf("%d requests, want %d", n, tt.wantCalls)
			}
		})
	}
}

func TestOpenAIEmbedderRateLimit(t *testing.T) {
	srv := &embeddingsServer{}
	e := newOpenAIEmbedder(t, srv, retrieval.OpenAIConfig{BatchSize: 1, RequestsPerSecond: 20})
	start := time.Now()
	if _, err := e.Embed(t.Context(), []string{"a", "b", "c", "d", "e"}); err != nil {
		t.Fatal(err)
	}
	// The first request goes at once, the other four 50 ms apart.
	if d := time.Since(start); d < 180*time.Millisecond {
		t.Errorf("5 requests at 20/s took %v, want at least 200 ms", d)
	}
}

func TestOpenAIEmbedderRefusesWrongDimensions(t *testing.T) {
	srv := &embeddingsServer{}
	// The server is asked for nothing and answers its default 64.
	e := newOpenAIEmbedder(t, srv, retrieval.OpenAIConfig{Dims: 48, OmitDimensions: true})
	_, err := e.Embed(t.Context(), []string{"x"})
	if err == nil || !strings.Contains(err.Error(), "64 dimensions, configured 48") {
		t.Errorf("Embed = %v, want a dimension error", err)
	}
	if _, ok := srv.requests()[0]["dimensions"]; ok {
		t.Error("OmitDimensions still sent dimensions")
	}
	if _, err := retrieval.NewOpenAIEmbedder(retrieval.OpenAIConfig{Model: "m"}); err == nil {
		t.Error("NewOpenAIEmbedder without dimensions succeeded")
	}
}

// The OpenAI embedder works as the store's embedder end to end.
func TestStoreWithOpenAIEmbedder(t *testing.T) {
	srv := &embeddingsServer{}
	e := newOpenAIEmbedder(t, srv, retrieval.OpenAIConfig{})
	_, pool := newStore(t)
	s := retrieval.NewStore(pool, retrieval.WithEmbedder(e))
	put(t, s, policyDoc{id: "refunds", locale: "en", body: "## Refund window\n\nThirty days after delivery.\n\n## Shipping\n\nTwo days."})
	hits := search(t, s, retrieval.Query{Text: "refund window thirty days", Mode: retrieval.Vector})
	if len(hits) == 0 || hits[0].Heading() != "Refund window" {
		t.Errorf("Search = %+v, want the refund window first", hits)
	}
}
