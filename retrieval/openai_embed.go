package retrieval

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
	"github.com/sethvargo/go-retry"
	"golang.org/x/time/rate"

	"github.com/csagent/csagent/retrieval/upstream"
)

// This file is the one adapter between retrieval and go-openai: no go-openai
// type leaves it.

// OpenAIConfig configures an embedder on an OpenAI-compatible embeddings
// API: OpenAI itself, vLLM, Ollama, llama.cpp's server, LiteLLM.
type OpenAIConfig struct {
	// BaseURL is the API root, e.g. "https://api.openai.com/v1" or
	// "http://localhost:11434/v1"; empty means OpenAI.
	BaseURL string
	APIKey  string
	// Model is the embedding model, e.g. "text-embedding-3-small".
	Model string
	// Dims is the length of the vectors the model returns. It is required:
	// the store casts vectors to it, and a response of another length is an
	// error, not a vector.
	Dims int
	// OmitDimensions leaves the "dimensions" parameter out of requests, for
	// models and servers that reject it (text-embedding-ada-002, many local
	// servers); otherwise Dims is sent, which the text-embedding-3 models
	// use to shorten their vectors.
	OmitDimensions bool
	// BatchSize is how many texts go in one request; default 128.
	BatchSize int
	// RequestsPerSecond caps the request rate; 0 means no cap.
	RequestsPerSecond float64
	// MaxRetries is how often a 429, a 5xx or a network error is retried,
	// with exponential backoff; default 4, negative means none.
	MaxRetries int
	// RetryBackoff is the first wait between retries, doubled each time up to
	// 32 times it; default 500 ms.
	RetryBackoff time.Duration
	// RequestTimeout bounds one HTTP request; default 60 s.
	RequestTimeout time.Duration
	// HTTPClient makes the requests; nil means a default client.
	HTTPClient *http.Client
}

// OpenAIEmbedder is an Embedder on an OpenAI-compatible embeddings API. It
// sends texts in batches, waits for its rate limiter before each request,
// and retries rate limits and server errors with backoff and jitter. It is
// safe for concurrent use.
type OpenAIEmbedder struct {
	client  *openai.Client
	cfg     OpenAIConfig
	limiter *rate.Limiter
	// wait, when set, is told each wait between retries and returns the
	// wait to make instead: tests record the waits and skip them.
	wait func(time.Duration) time.Duration
}

var _ Embedder = (*OpenAIEmbedder)(nil)

// NewOpenAIEmbedder returns an embedder for cfg.
func NewOpenAIEmbedder(cfg OpenAIConfig) (*OpenAIEmbedder, error) {
	if cfg.Model == "" {
		return nil, errors.New("openai embedder: the model is missing")
	}
	if cfg.Dims < 1 || cfg.Dims > 16000 {
		return nil, fmt.Errorf("openai embedder: dimensions %d must be the model's vector length", cfg.Dims)
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 128
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = 4
	}
	if cfg.RetryBackoff <= 0 {
		cfg.RetryBackoff = 500 * time.Millisecond
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 60 * time.Second
	}
	oc := openai.DefaultConfig(cfg.APIKey)
	if cfg.BaseURL != "" {
		oc.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	}
	// A copy of the caller's client whose transport notes a rate limit's
	// Retry-After, so the retries wait as long as the upstream asked.
	hc := http.Client{}
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	}
	hc.Transport = upstream.Transport{Next: hc.Transport}
	oc.HTTPClient = &hc
	limit := rate.Inf
	if cfg.RequestsPerSecond > 0 {
		limit = rate.Limit(cfg.RequestsPerSecond)
	}
	e := &OpenAIEmbedder{client: openai.NewClientWithConfig(oc), cfg: cfg, limiter: rate.NewLimiter(limit, 1)}
	if err := checkEmbedder(e); err != nil {
		return nil, fmt.Errorf("openai embedder: %w", err)
	}
	return e, nil
}

// Model names the embedding space as model@dims: the same model cut to
// another length is another space.
func (e *OpenAIEmbedder) Model() string { return e.cfg.Model + "@" + strconv.Itoa(e.cfg.Dims) }

// Dims returns the configured vector length.
func (e *OpenAIEmbedder) Dims() int { return e.cfg.Dims }

// Embed returns one vector per text, requesting them in batches. Empty
// texts, which the API refuses, are sent as a single space.
func (e *OpenAIEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, 0, len(texts))
	for start := 0; start < len(texts); start += e.cfg.BatchSize {
		batch := texts[start:min(start+e.cfg.BatchSize, len(texts))]
		vecs, err := e.embedBatch(ctx, batch)
		if err != nil {
			return nil, err
		}
		out = append(out, vecs...)
	}
	return out, nil
}

func (e *OpenAIEmbedder) embedBatch(ctx context.Context, texts []string) ([][]float32, error) {
	input := make([]string, len(texts))
	for i, t := range texts {
		if strings.TrimSpace(t) == "" {
			t = " "
		}
		input[i] = t
	}
	req := openai.EmbeddingRequestStrings{Input: input, Model: openai.EmbeddingModel(e.cfg.Model),
		EncodingFormat: openai.EmbeddingEncodingFormatFloat}
	if !e.cfg.OmitDimensions {
		req.Dimensions = e.cfg.Dims
	}
	var after time.Duration // the last failure's Retry-After
	vecs, err := retry.DoValue(ctx, e.backoff(&after), func(ctx context.Context) ([][]float32, error) {
		if err := e.limiter.Wait(ctx); err != nil {
			return nil, err
		}
		rctx, cancel := context.WithTimeout(ctx, e.cfg.RequestTimeout)
		rctx, hint := upstream.WithHint(rctx)
		resp, err := e.client.CreateEmbeddings(rctx, req)
		cancel()
		after = hint.Wait()
		if err != nil && ctx.Err() == nil && upstream.Retryable(err) {
			return nil, retry.RetryableError(err)
		}
		if err != nil {
			return nil, err
		}
		return e.collect(resp, len(texts))
	})
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("embeddings request to %s: %w", e.cfg.Model, err)
	}
	return vecs, nil
}

// collect puts the response's vectors in input order, checking there is
// exactly one of the right length per input.
func (e *OpenAIEmbedder) collect(resp openai.EmbeddingResponse, n int) ([][]float32, error) {
	out := make([][]float32, n)
	for _, d := range resp.Data {
		if d.Index < 0 || d.Index >= n || out[d.Index] != nil {
			return nil, fmt.Errorf("embeddings response from %s: unexpected index %d", e.cfg.Model, d.Index)
		}
		if len(d.Embedding) != e.cfg.Dims {
			return nil, fmt.Errorf("embeddings response from %s: %d dimensions, configured %d", e.cfg.Model, len(d.Embedding), e.cfg.Dims)
		}
		out[d.Index] = d.Embedding
	}
	for i, v := range out {
		if v == nil {
			return nil, fmt.Errorf("embeddings response from %s: no vector for input %d", e.cfg.Model, i)
		}
	}
	return out, nil
}

// backoff returns the waits of one request's retries: exponential from
// RetryBackoff, capped at 32 times it, with jitter, so embedders retrying
// at once spread out instead of hitting the upstream together again;
// unless the upstream said how long to wait (*after, up to a minute: an
// ingest can wait, and retrying sooner only earns another 429).
func (e *OpenAIEmbedder) backoff(after *time.Duration) retry.Backoff {
	jittered := retry.WithJitterPercent(25, retry.WithCappedDuration(e.cfg.RetryBackoff<<5, retry.NewExponential(e.cfg.RetryBackoff)))
	b := retry.BackoffFunc(func() (time.Duration, bool) {
		d, stop := jittered.Next()
		if *after > 0 {
			d = min(*after, time.Minute)
		}
		if e.wait != nil {
			d = e.wait(d)
		}
		return d, stop
	})
	return retry.WithMaxRetries(uint64(max(e.cfg.MaxRetries, 0)), b)
}
