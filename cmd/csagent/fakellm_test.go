package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startFakeLLM runs `csagent fakellm` with args on a free port and returns
// the URL it printed; the command is stopped, and must stop cleanly, when
// the test ends.
func startFakeLLM(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	var out syncBuffer
	go func() {
		done <- run(ctx, append([]string{"csagent", "fakellm", "--addr", "127.0.0.1:0", "--log-level", "warn"}, args...), testEnv(), nil, &out, io.Discard)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("fakellm returned %v after cancel, want nil", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("fakellm did not stop within 10s of cancel")
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if u, ok := strings.CutPrefix(strings.TrimSpace(out.String()), "fakellm listening on "); ok {
			return u
		}
		select {
		case err := <-done:
			t.Fatalf("fakellm exited early: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("fakellm printed %q, want its URL", out.String())
	return ""
}

// chatCompletion posts a buyer's message with csagent's order tools and
// returns the status, the Retry-After header and the decoded answer.
func chatCompletion(t *testing.T, ctx context.Context, url, text string) (int, string, fakeAnswer) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{
		"model":    "fake-model",
		"messages": []map[string]string{{"role": "user", "content": text}},
		"tools": []map[string]any{
			{"type": "function", "function": map[string]any{"name": "get_order", "parameters": map[string]any{"type": "object"}}},
			{"type": "function", "function": map[string]any{"name": "track_shipment", "parameters": map[string]any{"type": "object"}}},
		},
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/chat/completions", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST /chat/completions: %v", err)
	}
	defer resp.Body.Close()
	var ans fakeAnswer
	if resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(&ans); err != nil {
			t.Fatalf("decode answer: %v", err)
		}
	}
	return resp.StatusCode, resp.Header.Get("Retry-After"), ans
}

type fakeAnswer struct {
	Choices []struct {
		Message struct {
			Content   string `json:"content"`
			ToolCalls []struct {
				Function struct{ Name, Arguments string } `json:"function"`
			} `json:"tool_calls"`
		} `json:"message"`
	} `json:"choices"`
}

func (a fakeAnswer) call() string {
	if len(a.Choices) == 0 || len(a.Choices[0].Message.ToolCalls) == 0 {
		return ""
	}
	f := a.Choices[0].Message.ToolCalls[0].Function
	return f.Name + " " + f.Arguments
}

func TestFakeLLMCommand(t *testing.T) {
	t.Parallel()
	t.Run("autopilot", func(t *testing.T) {
		url := startFakeLLM(t)
		status, _, ans := chatCompletion(t, t.Context(), url, "where is my order ORD-10003?")
		if want := `track_shipment {"order_id":"ORD-10003"}`; status != http.StatusOK || ans.call() != want {
			t.Errorf("answer = %d %+v, want 200 calling %s", status, ans, want)
		}
	})
	t.Run("script first", func(t *testing.T) {
		script := filepath.Join(t.TempDir(), "script.jsonl")
		if err := os.WriteFile(script, []byte(`{"text":"scripted hello"}`+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		url := startFakeLLM(t, "--script", script)
		_, _, first := chatCompletion(t, t.Context(), url, "show ORD-10001")
		_, _, second := chatCompletion(t, t.Context(), url, "show ORD-10001")
		if len(first.Choices) == 0 || first.Choices[0].Message.Content != "scripted hello" {
			t.Errorf("first answer = %+v, want the scripted text", first)
		}
		if want := `get_order {"order_id":"ORD-10001"}`; second.call() != want {
			t.Errorf("second answer = %+v, want the autopilot calling %s", second, want)
		}
	})
	t.Run("every request rate limited", func(t *testing.T) {
		url := startFakeLLM(t, "--fault-rate", "429=1")
		for range 3 {
			if status, retry, _ := chatCompletion(t, t.Context(), url, "hi"); status != http.StatusTooManyRequests || retry == "" {
				t.Errorf("status = %d, Retry-After %q; want 429 with Retry-After at rate 1", status, retry)
			}
		}
	})
	t.Run("stops with a hanging request in flight", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		done := make(chan error, 1)
		var out syncBuffer
		go func() {
			done <- run(ctx, []string{"csagent", "fakellm", "--addr", "127.0.0.1:0", "--fault-rate", "hang=1"}, testEnv(), nil, &out, io.Discard)
		}()
		var url string
		for url == "" {
			time.Sleep(10 * time.Millisecond)
			url, _ = strings.CutPrefix(strings.TrimSpace(out.String()), "fakellm listening on ")
		}
		reqErr := make(chan error, 1)
		go func() {
			resp, err := http.Post(url+"/chat/completions", "application/json",
				strings.NewReader(`{"model":"m","messages":[{"role":"user","content":"hi"}]}`))
			if err == nil {
				_, err = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			reqErr <- err
		}()
		// Give the request a moment to reach the handler; if it has not,
		// the test still checks a clean stop, just less of it.
		time.Sleep(100 * time.Millisecond)
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("fakellm returned %v, want nil", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("fakellm did not stop within 10s with a hanging request in flight")
		}
		select {
		case <-reqErr: // ended, with an error or an empty answer
		case <-time.After(10 * time.Second):
			t.Error("the hanging request was still open after the fake stopped")
		}
	})
}

func TestFakeLLMRefusesBadFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--fault-rate", "429=2"}, "from 0 to 1"},
		{[]string{"--fault-rate", "teapot=0.1"}, "not a fault"},
		{[]string{"--ttft", "-1s"}, "negative"},
		{[]string{"--script", "/no/such/script.jsonl"}, "open script"},
	}
	for _, tt := range tests {
		err := run(t.Context(), append([]string{"csagent", "fakellm", "--addr", "127.0.0.1:0"}, tt.args...), testEnv(), nil, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("fakellm %q = %v, want an error mentioning %q", tt.args, err, tt.want)
		}
	}
}
