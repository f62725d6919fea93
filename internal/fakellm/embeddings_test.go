package fakellm_test

import (
	"context"
	"math"
	"net/http"
	"testing"

	"github.com/csagent/csagent/internal/fakellm"
	"github.com/sashabaranov/go-openai"
)

func TestEmbeddings(t *testing.T) {
	tests := []struct {
		name     string
		opts     fakellm.Options
		req      openai.EmbeddingRequestConverter
		wantN    int
		wantDims int
	}{
		{"one string", fakellm.Options{}, openai.EmbeddingRequest{Model: "m", Input: "refund policy"}, 1, 256},
		{"strings", fakellm.Options{}, openai.EmbeddingRequestStrings{Model: "m", Input: []string{"a", "refund policy", "Ünïcode ✓"}}, 3, 256},
		{"configured dims", fakellm.Options{EmbeddingDims: 64}, openai.EmbeddingRequestStrings{Model: "m", Input: []string{"x"}}, 1, 64},
		{"requested dims", fakellm.Options{EmbeddingDims: 64}, openai.EmbeddingRequestStrings{Model: "m", Input: []string{"x"}, Dimensions: 12}, 1, 12},
		{"tokens", fakellm.Options{}, openai.EmbeddingRequestTokens{Model: "m", Input: [][]int{{1, 2, 3}, {4}}}, 2, 256},
		{"one token array", fakellm.Options{}, openai.EmbeddingRequest{Model: "m", Input: []int{5, 6}}, 1, 256},
		{"base64", fakellm.Options{}, openai.EmbeddingRequestStrings{Model: "m", Input: []string{"a", "b"}, EncodingFormat: openai.EmbeddingEncodingFormatBase64}, 2, 256},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.opts)
			resp, err := f.client.CreateEmbeddings(context.Background(), tt.req)
			if err != nil {
				t.Fatalf("CreateEmbeddings() error = %v", err)
			}
			if len(resp.Data) != tt.wantN {
				t.Fatalf("len(Data) = %d, want %d", len(resp.Data), tt.wantN)
			}
			for i, e := range resp.Data {
				if e.Index != i || len(e.Embedding) != tt.wantDims {
					t.Errorf("Data[%d] index %d dims %d, want %d, %d", i, e.Index, len(e.Embedding), i, tt.wantDims)
				}
				if n := norm(e.Embedding); math.Abs(n-1) > 1e-5 {
					t.Errorf("Data[%d] norm = %v, want 1", i, n)
				}
			}
			if resp.Usage.PromptTokens <= 0 || resp.Usage.TotalTokens != resp.Usage.PromptTokens {
				t.Errorf("Usage = %+v, want positive prompt tokens equal to total", resp.Usage)
			}
			if resp.Model != "m" {
				t.Errorf("Model = %q, want the requested m", resp.Model)
			}
		})
	}
}

// TestEmbeddingSimilarity checks the vectors are stable and that sharing
// words means nearness, which is what retrieval tests lean on.
func TestEmbeddingSimilarity(t *testing.T) {
	f := newFixture(t, fakellm.Options{})
	embed := func(texts ...string) [][]float32 {
		t.Helper()
		resp, err := f.client.CreateEmbeddings(context.Background(), openai.EmbeddingRequestStrings{Model: "m", Input: texts})
		if err != nil {
			t.Fatalf("CreateEmbeddings() error = %v", err)
		}
		var out [][]float32
		for _, d := range resp.Data {
			out = append(out, d.Embedding)
		}
		return out
	}
	v := embed("How do I get a refund for my order?", "refund for my order", "The weather on Mars is cold.", "how do i get a REFUND for my order?")
	again := embed("How do I get a refund for my order?")
	if cos(v[0], again[0]) < 1-1e-6 {
		t.Errorf("same text embedded twice: cosine %v, want 1", cos(v[0], again[0]))
	}
	if near, far := cos(v[0], v[1]), cos(v[0], v[2]); near <= far {
		t.Errorf("cosine(related) = %v <= cosine(unrelated) = %v", near, far)
	}
	if c := cos(v[0], v[3]); c < 1-1e-6 {
		t.Errorf("cosine across case = %v, want 1 (case-insensitive)", c)
	}
}

func TestBadEmbeddingRequests(t *testing.T) {
	tests := []struct{ name, body, wantCode string }{
		{"malformed", `{"model":`, "invalid_json"},
		{"missing model", `{"input":"x"}`, "missing_required_parameter"},
		{"missing input", `{"model":"m"}`, "missing_required_parameter"},
		{"empty string", `{"model":"m","input":""}`, "invalid_value"},
		{"empty array", `{"model":"m","input":[]}`, "invalid_value"},
		{"empty item", `{"model":"m","input":["a",""]}`, "invalid_value"},
		{"empty token array", `{"model":"m","input":[[]]}`, "invalid_value"},
		{"object input", `{"model":"m","input":{"a":1}}`, "invalid_value"},
		{"float tokens", `{"model":"m","input":[1.5]}`, "invalid_value"},
		{"negative dims", `{"model":"m","input":"x","dimensions":-1}`, "invalid_value"},
		{"huge dims", `{"model":"m","input":"x","dimensions":100000}`, "invalid_value"},
		{"bad format", `{"model":"m","input":"x","encoding_format":"hex"}`, "invalid_value"},
		{"oversized", bigBody(), "request_too_large"},
	}
	f := newFixture(t, fakellm.Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := f.post(t, "/embeddings", tt.body, nil)
			if status != http.StatusBadRequest {
				t.Fatalf("status = %d (%s), want 400", status, body)
			}
			if code := mustErrorShape(t, body); code != tt.wantCode {
				t.Errorf("code = %q, want %q", code, tt.wantCode)
			}
		})
	}
}

func norm(v []float32) float64 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}

func cos(a, b []float32) float64 {
	var dot float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
	}
	return dot / (norm(a) * norm(b))
}
