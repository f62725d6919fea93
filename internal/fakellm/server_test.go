package fakellm_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/csagent/csagent/internal/fakellm"
	"github.com/sashabaranov/go-openai"
)

func TestAuth(t *testing.T) {
	tests := []struct {
		name       string
		header     string
		wantStatus int
	}{
		{"no header", "", http.StatusUnauthorized},
		{"wrong key", "Bearer sk-wrong", http.StatusUnauthorized},
		{"key without scheme", "sk-right", http.StatusUnauthorized},
		{"basic scheme", "Basic sk-right", http.StatusUnauthorized},
		{"right key", "Bearer sk-right", http.StatusOK},
	}
	f := newFixture(t, fakellm.Options{APIKey: "sk-right"})
	for _, tt := range tests {
		for _, path := range []string{"/chat/completions", "/embeddings", "/models"} {
			t.Run(tt.name+path, func(t *testing.T) {
				h := map[string]string{}
				if tt.header != "" {
					h["Authorization"] = tt.header
				}
				method, body := http.MethodPost, `{"model":"m","messages":[{"role":"user","content":"hi"}],"input":"hi"}`
				if path == "/models" {
					method, body = http.MethodGet, ""
				}
				status, resp := f.do(t, method, path, strings.NewReader(body), h)
				if status != tt.wantStatus {
					t.Fatalf("status = %d (%s), want %d", status, resp, tt.wantStatus)
				}
				if status == http.StatusUnauthorized {
					if code := mustErrorShape(t, resp); code != "invalid_api_key" {
						t.Errorf("code = %q, want invalid_api_key", code)
					}
				}
			})
		}
	}

	t.Run("go-openai wrong key", func(t *testing.T) {
		cfg := openai.DefaultConfig("sk-wrong")
		cfg.BaseURL = f.base
		_, err := openai.NewClientWithConfig(cfg).CreateChatCompletion(context.Background(), chatReq("hi"))
		var apiErr *openai.APIError
		if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != http.StatusUnauthorized || apiErr.Code != "invalid_api_key" {
			t.Errorf("error = %v, want *openai.APIError 401 invalid_api_key", err)
		}
	})
	if n := len(f.srv.Requests()); n != 1 {
		t.Errorf("len(Requests()) = %d, want only the one authorised chat request", n)
	}
}

func TestModels(t *testing.T) {
	f := newFixture(t, fakellm.Options{Model: "gpt-fake", EmbeddingModel: "embed-fake"})
	list, err := f.client.ListModels(context.Background())
	if err != nil {
		t.Fatalf("ListModels() error = %v", err)
	}
	var ids []string
	for _, m := range list.Models {
		ids = append(ids, m.ID)
		if m.Object != "model" || m.OwnedBy == "" {
			t.Errorf("model %+v lacks object or owner", m)
		}
	}
	if !slices.Equal(ids, []string{"gpt-fake", "embed-fake"}) {
		t.Errorf("ListModels() ids = %v, want [gpt-fake embed-fake]", ids)
	}
	m, err := f.client.GetModel(context.Background(), "gpt-fake")
	if err != nil || m.ID != "gpt-fake" {
		t.Errorf("GetModel(gpt-fake) = %+v, %v", m, err)
	}
	_, err = f.client.GetModel(context.Background(), "nope")
	var apiErr *openai.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != http.StatusNotFound || apiErr.Code != "model_not_found" {
		t.Errorf("GetModel(nope) error = %v, want 404 model_not_found", err)
	}

	def := newFixture(t, fakellm.Options{})
	list, err = def.client.ListModels(context.Background())
	if err != nil || len(list.Models) == 0 || list.Models[0].ID != "fake-model" {
		t.Errorf("default ListModels() = %+v, %v, want fake-model first", list, err)
	}
}

func TestRouting(t *testing.T) {
	tests := []struct {
		method, path string
		wantStatus   int
		wantCode     string
	}{
		{http.MethodGet, "/chat/completions", http.StatusMethodNotAllowed, "method_not_allowed"},
		{http.MethodPost, "/models", http.StatusMethodNotAllowed, "method_not_allowed"},
		{http.MethodGet, "/embeddings", http.StatusMethodNotAllowed, "method_not_allowed"},
		{http.MethodPost, "/completions", http.StatusNotFound, "unknown_url"},
		{http.MethodGet, "/", http.StatusNotFound, "unknown_url"},
	}
	f := newFixture(t, fakellm.Options{})
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			status, body := f.do(t, tt.method, tt.path, nil, nil)
			if status != tt.wantStatus {
				t.Fatalf("status = %d, want %d", status, tt.wantStatus)
			}
			if code := mustErrorShape(t, body); code != tt.wantCode {
				t.Errorf("code = %q, want %q", code, tt.wantCode)
			}
		})
	}
}

// TestConcurrency fires 100 requests at once, streamed and plain, while
// other goroutines read and push; under -race it proves the fake is safe to
// share, and every scripted reply is consumed exactly once.
func TestConcurrency(t *testing.T) {
	const n = 100
	f := newFixture(t, fakellm.Options{TokensPerSecond: 5000})
	want := map[string]bool{}
	for i := range n {
		text := fmt.Sprintf("reply number %d", i)
		want[text] = true
		f.srv.Push(fakellm.Text(text))
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		got  = map[string]int{}
		errs []error
	)
	for i := range n {
		wg.Go(func() {
			var text string
			var err error
			if i%2 == 0 {
				var s *openai.ChatCompletionStream
				if s, err = f.client.CreateChatCompletionStream(context.Background(), chatReq("hi")); err == nil {
					res := collect(s)
					text, err = res.text, res.err
				}
			} else {
				var resp openai.ChatCompletionResponse
				if resp, err = f.client.CreateChatCompletion(context.Background(), chatReq("hi")); err == nil {
					text = resp.Choices[0].Message.Content
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			got[text]++
		})
		if i%10 == 0 {
			wg.Go(func() { _ = f.srv.Requests() })
		}
	}
	wg.Wait()
	for _, err := range errs {
		t.Errorf("request error = %v", err)
	}
	for text, c := range got {
		if !want[text] || c != 1 {
			t.Errorf("reply %q seen %d times, want once and scripted", text, c)
		}
	}
	if len(got) != n {
		t.Errorf("distinct replies = %d, want %d", len(got), n)
	}
	if r := len(f.srv.Requests()); r != n {
		t.Errorf("len(Requests()) = %d, want %d", r, n)
	}
}

// FuzzServeHTTP feeds arbitrary bodies to every endpoint: the fake must
// answer 200 or 400, never panic or hang.
func FuzzServeHTTP(f *testing.F) {
	seeds := []string{
		`{"model":"m","messages":[{"role":"user","content":"hi"}]}`,
		`{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}`,
		`{"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"1","function":{"name":"f"}}]},{"role":"tool","tool_call_id":"1"}]}`,
		`{"model":"m","input":["a",[1,2]],"dimensions":3,"encoding_format":"base64"}`,
		`{"model":"m","input":[[]]}`,
		`{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"x"},{"type":"image_url"}]}]}`,
		`null`, `[]`, `{"messages":null}`, "\xff\xfe", `{"model":"m","messages":[{"role":"tool"}]}`,
	}
	for _, s := range seeds {
		f.Add("/v1/chat/completions", s)
		f.Add("/v1/embeddings", s)
	}
	srv := fakellm.New(fakellm.Options{})
	f.Fuzz(func(t *testing.T, path, body string) {
		if path != "/v1/embeddings" {
			path = "/v1/chat/completions"
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, strings.NewReader(body)))
		if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
			t.Errorf("POST %s %q: status %d, want 200 or 400", path, body, rec.Code)
		}
		if rec.Code == http.StatusBadRequest {
			mustErrorShape(t, rec.Body.Bytes())
		}
		srv.Reset()
	})
}
