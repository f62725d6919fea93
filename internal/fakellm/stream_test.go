package fakellm_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/internal/fakellm"
	"github.com/sashabaranov/go-openai"
)

func TestStreamText(t *testing.T) {
	tests := []struct {
		name         string
		text         string
		includeUsage bool
	}{
		{"several words", "Your refund of 20 EUR is on its way.", false},
		{"with usage", "Your refund of 20 EUR is on its way.", true},
		{"whitespace kept", "  two  spaces\nand a newline ", true},
		{"one word", "Done.", false},
		{"empty", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, fakellm.Options{})
			f.srv.Push(fakellm.Text(tt.text))
			req := chatReq("refund?")
			if tt.includeUsage {
				req.StreamOptions = &openai.StreamOptions{IncludeUsage: true}
			}
			stream, err := f.client.CreateChatCompletionStream(context.Background(), req)
			if err != nil {
				t.Fatalf("CreateChatCompletionStream() error = %v", err)
			}
			res := collect(stream)
			if res.err != nil {
				t.Fatalf("stream error = %v", res.err)
			}
			if res.text != tt.text {
				t.Errorf("text = %q, want %q", res.text, tt.text)
			}
			if res.finish != openai.FinishReasonStop {
				t.Errorf("finish_reason = %q, want stop", res.finish)
			}
			deltas := 0
			for _, c := range res.chunks {
				for _, ch := range c.Choices {
					if ch.Delta.Content != "" {
						deltas++
					}
				}
				if c.Object != "chat.completion.chunk" || c.ID == "" || c.Model != "fake-model" {
					t.Errorf("chunk envelope = %q %q %q", c.Object, c.ID, c.Model)
				}
			}
			if want := len(strings.Fields(tt.text)); deltas != want {
				t.Errorf("content deltas = %d, want one per word (%d)", deltas, want)
			}
			if first := res.chunks[0].Choices[0].Delta.Role; first != openai.ChatMessageRoleAssistant {
				t.Errorf("first delta role = %q, want assistant", first)
			}
			if !tt.includeUsage {
				if res.usage != nil {
					t.Errorf("usage = %+v without include_usage, want none", res.usage)
				}
				return
			}
			last := res.chunks[len(res.chunks)-1]
			if res.usage == nil || last.Usage == nil || len(last.Choices) != 0 {
				t.Fatalf("last chunk = %+v, want usage with no choices", last)
			}
			if res.usage.PromptTokens <= 0 || res.usage.CompletionTokens != deltas ||
				res.usage.TotalTokens != res.usage.PromptTokens+res.usage.CompletionTokens {
				t.Errorf("usage = %+v, want positive prompt, %d completion, consistent total", *res.usage, deltas)
			}
			if r := f.srv.Requests()[0]; !r.Stream || r.IncludeUsage != tt.includeUsage {
				t.Errorf("recorded Stream, IncludeUsage = %v, %v, want true, %v", r.Stream, r.IncludeUsage, tt.includeUsage)
			}
		})
	}
}

func TestStreamToolCalls(t *testing.T) {
	long := map[string]any{"order_id": "A-17", "reason": "arrived damaged, box crushed", "items": []int{1, 2, 3}}
	tests := []struct {
		name  string
		reply fakellm.Reply
		want  []fakellm.ToolCall
		text  string
	}{
		{
			"one call", fakellm.Call("lookup_order", map[string]string{"order_id": "A-17"}),
			[]fakellm.ToolCall{{Name: "lookup_order", Arguments: `{"order_id":"A-17"}`}}, "",
		},
		{
			"parallel calls after text", fakellm.Reply{Text: "Let me check both.", ToolCalls: []fakellm.ToolCall{
				{ID: "call_x", Name: "lookup_order", Arguments: `{"order_id":"1"}`},
				{Name: "refund", Arguments: mustJSON(t, long)},
			}},
			[]fakellm.ToolCall{{ID: "call_x", Name: "lookup_order", Arguments: `{"order_id":"1"}`}, {Name: "refund", Arguments: mustJSON(t, long)}},
			"Let me check both.",
		},
		{
			"unicode arguments", fakellm.Call("note", map[string]string{"text": "Grüße 🚚 ok"}),
			[]fakellm.ToolCall{{Name: "note", Arguments: `{"text":"Grüße 🚚 ok"}`}}, "",
		},
		{
			"empty arguments", fakellm.Call("ping", json.RawMessage(`{}`)),
			[]fakellm.ToolCall{{Name: "ping", Arguments: `{}`}}, "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, fakellm.Options{})
			f.srv.Push(tt.reply)
			stream, err := f.client.CreateChatCompletionStream(context.Background(), chatReq("check"))
			if err != nil {
				t.Fatalf("CreateChatCompletionStream() error = %v", err)
			}
			res := collect(stream)
			if res.err != nil {
				t.Fatalf("stream error = %v", res.err)
			}
			if res.finish != openai.FinishReasonToolCalls {
				t.Errorf("finish_reason = %q, want tool_calls", res.finish)
			}
			if res.text != tt.text {
				t.Errorf("text = %q, want %q", res.text, tt.text)
			}
			checkCalls(t, res.calls, tt.want)
			checkCallChunks(t, res.chunks)
		})
	}
}

// checkCallChunks checks OpenAI's chunking of tool calls: the first delta
// of each index carries id, type and name with empty arguments, later ones
// carry only argument fragments, and each call takes several chunks.
func checkCallChunks(t *testing.T, chunks []openai.ChatCompletionStreamResponse) {
	t.Helper()
	seen := map[int]int{}
	for _, c := range chunks {
		for _, ch := range c.Choices {
			for _, tc := range ch.Delta.ToolCalls {
				idx := *tc.Index
				first := seen[idx] == 0
				seen[idx]++
				switch {
				case first && (tc.ID == "" || tc.Type != openai.ToolTypeFunction || tc.Function.Name == "" || tc.Function.Arguments != ""):
					t.Errorf("first delta of call %d = %+v, want id, type, name and no arguments", idx, tc)
				case !first && (tc.ID != "" || tc.Type != "" || tc.Function.Name != "" || tc.Function.Arguments == ""):
					t.Errorf("later delta of call %d = %+v, want only an argument fragment", idx, tc)
				}
			}
		}
	}
	for idx, n := range seen {
		if n < 2 {
			t.Errorf("call %d took %d chunks, want several", idx, n)
		}
	}
}

// TestLatencyShaping asserts only lower bounds that the server's own waits
// guarantee, and ordering, never an upper bound that a slow machine could
// break.
func TestLatencyShaping(t *testing.T) {
	const ttft = 40 * time.Millisecond
	const tps = 200.0 // 5 ms a token
	text := "one two three four five six"
	words := len(strings.Fields(text))
	f := newFixture(t, fakellm.Options{TimeToFirstToken: ttft, TokensPerSecond: tps})
	ctx := context.Background()

	t.Run("stream", func(t *testing.T) {
		f.srv.Push(fakellm.Text(text))
		start := time.Now()
		stream, err := f.client.CreateChatCompletionStream(ctx, chatReq("go"))
		if err != nil {
			t.Fatalf("CreateChatCompletionStream() error = %v", err)
		}
		defer stream.Close()
		headers := time.Since(start)
		var arrivals []time.Duration
		for {
			chunk, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("Recv() error = %v", err)
			}
			if len(chunk.Choices) > 0 && chunk.Choices[0].Delta.Content != "" {
				arrivals = append(arrivals, time.Since(start))
			}
		}
		if len(arrivals) != words {
			t.Fatalf("content deltas = %d, want %d", len(arrivals), words)
		}
		if arrivals[0] < ttft {
			t.Errorf("first token after %v, want at least TimeToFirstToken %v", arrivals[0], ttft)
		}
		if headers > arrivals[0] {
			t.Errorf("headers after %v, first token after %v: want headers first", headers, arrivals[0])
		}
		for i := 1; i < len(arrivals); i++ {
			if arrivals[i] < arrivals[i-1] {
				t.Errorf("token %d arrived before token %d", i, i-1)
			}
		}
		minTotal := ttft + time.Duration(float64(words-1)/tps*float64(time.Second))
		if last := arrivals[len(arrivals)-1]; last < minTotal {
			t.Errorf("last token after %v, want at least %v at %v tokens/s", last, minTotal, tps)
		}
	})

	t.Run("plain", func(t *testing.T) {
		f.srv.Push(fakellm.Text(text))
		start := time.Now()
		if _, err := f.client.CreateChatCompletion(ctx, chatReq("go")); err != nil {
			t.Fatalf("CreateChatCompletion() error = %v", err)
		}
		minTotal := ttft + time.Duration(float64(words-1)/tps*float64(time.Second))
		if got := time.Since(start); got < minTotal {
			t.Errorf("answer after %v, want at least %v", got, minTotal)
		}
	})

	t.Run("delay", func(t *testing.T) {
		fast := newFixture(t, fakellm.Options{})
		const delay = 30 * time.Millisecond
		fast.srv.Push(fakellm.Reply{Text: "late", Delay: delay})
		start := time.Now()
		if _, err := fast.client.CreateChatCompletion(ctx, chatReq("go")); err != nil {
			t.Fatalf("CreateChatCompletion() error = %v", err)
		}
		if got := time.Since(start); got < delay {
			t.Errorf("answer after %v, want at least Delay %v", got, delay)
		}
	})
}
