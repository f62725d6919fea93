package retrieval

import (
	"context"
	"errors"
	"fmt"
	"regexp"
)

// Embedder turns texts into vectors that are compared by cosine distance.
// Ingestion embeds chunks with it and search embeds queries with it; the
// two must be the same model, which is why every chunk stores Model().
type Embedder interface {
	// Model names the embedding space: the same name must always mean the
	// same vectors for the same text. It is stored with every chunk.
	Model() string
	// Dims is the length of every vector Embed returns.
	Dims() int
	// Embed returns one vector per text, in order. It fails as a whole,
	// with the context's error when ctx ends first.
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// ErrModelMismatch is returned by a search whose query would be embedded by
// another model than the documents it searches were: the two kinds of
// vector cannot be compared, so the search is refused rather than answered
// from whatever happens to be close.
var ErrModelMismatch = errors.New("embedding model mismatch")

// modelMismatch describes the mismatch for an operator: what to re-ingest.
func modelMismatch(query string, stored []string) error {
	return fmt.Errorf("%w: the policy documents are embedded with %q, the query with %q; "+
		"re-run `csagent ingest` with the query's embedder, or configure the documents' one", ErrModelMismatch, stored, query)
}

// modelNamePattern bounds the embedding model names the store accepts:
// a name is written into SQL as a literal (see Store.vectorSQL), so it may
// not contain a quote.
var modelNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,127}$`)

func checkEmbedder(e Embedder) error {
	if !modelNamePattern.MatchString(e.Model()) {
		return fmt.Errorf("embedding model name %q is not usable: letters, digits and ._:/@+- only", e.Model())
	}
	if d := e.Dims(); d < 1 || d > 16000 {
		return fmt.Errorf("embedding model %s: %d dimensions is not a usable vector size", e.Model(), d)
	}
	return nil
}

// embedAll embeds texts and checks what came back: one vector per text, each
// of the embedder's dimension.
func embedAll(ctx context.Context, e Embedder, texts []string) ([][]float32, error) {
	vecs, err := e.Embed(ctx, texts)
	if err != nil {
		return nil, fmt.Errorf("embed with %s: %w", e.Model(), err)
	}
	if len(vecs) != len(texts) {
		return nil, fmt.Errorf("embed with %s: %d vectors for %d texts", e.Model(), len(vecs), len(texts))
	}
	for i, v := range vecs {
		if len(v) != e.Dims() {
			return nil, fmt.Errorf("embed with %s: vector %d has %d dimensions, want %d", e.Model(), i, len(v), e.Dims())
		}
	}
	return vecs, nil
}
