package retrieval

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
	"github.com/sethvargo/go-retry"
	"golang.org/x/time/rate"
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
	if cfg.HTTPClient != nil {
		oc.HTTPClient = cfg.HTTPClient
	}
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
	vecs, err := retry.DoValue(ctx, e.backoff(), func(ctx context.Context) ([][]float32, error) {
		if err := e.limiter.Wait(ctx); err != nil {
			return nil, err
		}
		rctx, cancel := context.WithTimeout(ctx, e.cfg.RequestTimeout)
		resp, err := e.client.CreateEmbeddings(rctx, req)
		cancel()
		if err != nil && ctx.Err() == nil && retryableEmbed(err) {
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

// retryableEmbed reports whether err is worth another attempt: rate limits,
// server errors (also those a proxy answers in HTML) and network failures.
func retryableEmbed(err error) bool {
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		return apiErr.HTTPStatusCode == http.StatusTooManyRequests || apiErr.HTTPStatusCode >= 500
	}
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) {
		return reqErr.HTTPStatusCode == http.StatusTooManyRequests || reqErr.HTTPStatusCode >= 500
	}
	var netErr net.Error
	return errors.As(err, &netErr) || errors.Is(err, context.DeadlineExceeded)
}

// backoff returns the waits of one request's retries: exponential from
// RetryBackoff, capped at 32 times it, with jitter, so embedders retrying
// at once spread out instead of hitting the upstream together again.
func (e *OpenAIEmbedder) backoff() retry.Backoff {
	b := retry.WithCappedDuration(e.cfg.RetryBackoff<<5, retry.NewExponential(e.cfg.RetryBackoff))
	return retry.WithMaxRetries(uint64(max(e.cfg.MaxRetries, 0)), retry.WithJitterPercent(25, b))
}
