package fakellm_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/internal/fakellm"
	"github.com/sashabaranov/go-openai"
)

// TestHTTPFaults covers the faults that replace the answer with an HTTP
// error, in both modes, checking the error types go-openai returns.
func TestHTTPFaults(t *testing.T) {
	tests := []struct {
		name       string
		reply      fakellm.Reply
		wantStatus int
		check      func(t *testing.T, err error, hdr http.Header)
	}{
		{
			"rate limited", fakellm.Reply{Fault: fakellm.RateLimited, RetryAfter: 2500 * time.Millisecond}, 429,
			func(t *testing.T, err error, hdr http.Header) {
				var apiErr *openai.APIError
				if !errors.As(err, &apiErr) {
					t.Fatalf("error %T %v, want *openai.APIError", err, err)
				}
				if apiErr.Code != "rate_limit_exceeded" {
					t.Errorf("Code = %v, want rate_limit_exceeded", apiErr.Code)
				}
				if got := hdr.Get("Retry-After"); got != "3" {
					t.Errorf("Retry-After = %q, want 3 (2.5 s rounded up)", got)
				}
			},
		},
		{
			"rate limited default retry", fakellm.Reply{Fault: fakellm.RateLimited}, 429,
			func(t *testing.T, err error, hdr http.Header) {
				if got := hdr.Get("Retry-After"); got != "1" {
					t.Errorf("Retry-After = %q, want 1", got)
				}
			},
		},
		{
			"server error", fakellm.Reply{Fault: fakellm.ServerError}, 500,
			func(t *testing.T, err error, hdr http.Header) {
				var apiErr *openai.APIError
				if !errors.As(err, &apiErr) {
					t.Fatalf("error %T %v, want *openai.APIError", err, err)
				}
				if apiErr.Type != "server_error" || apiErr.Message == "" {
					t.Errorf("APIError = %+v, want type server_error with a message", apiErr)
				}
			},
		},
		{
			"bad gateway", fakellm.Reply{Fault: fakellm.BadGateway}, 502,
			func(t *testing.T, err error, hdr http.Header) {
				var reqErr *openai.RequestError
				if !errors.As(err, &reqErr) {
					t.Fatalf("error %T %v, want *openai.RequestError for an HTML body", err, err)
				}
				if !strings.Contains(string(reqErr.Body), "502 Bad Gateway") {
					t.Errorf("Body = %q, want the proxy's HTML page", reqErr.Body)
				}
				if ct := hdr.Get("Content-Type"); ct != "text/html" {
					t.Errorf("Content-Type = %q, want text/html", ct)
				}
			},
		},
	}
	for _, tt := range tests {
		for _, stream := range []bool{false, true} {
			name := tt.name + map[bool]string{false: "/plain", true: "/stream"}[stream]
			t.Run(name, func(t *testing.T) {
				f := newFixture(t, fakellm.Options{})
				f.srv.Push(tt.reply)
				var err error
				if stream {
					var s *openai.ChatCompletionStream
					s, err = f.client.CreateChatCompletionStream(context.Background(), chatReq("hi"))
					if err == nil {
						s.Close()
					}
				} else {
					_, err = f.client.CreateChatCompletion(context.Background(), chatReq("hi"))
				}
				if err == nil {
					t.Fatal("error = nil, want a fault")
				}
				if got := statusOf(err); got != tt.wantStatus {
					t.Errorf("status = %d, want %d (%v)", got, tt.wantStatus, err)
				}
				tt.check(t, err, f.hdr.header())
			})
		}
	}
}

// statusOf is the HTTP status go-openai reports in either of its error
// types.
func statusOf(err error) int {
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		return apiErr.HTTPStatusCode
	}
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) {
		return reqErr.HTTPStatusCode
	}
	return 0
}

func TestCutStream(t *testing.T) {
	text := "one two three four five six seven eight"
	t.Run("stream", func(t *testing.T) {
		f := newFixture(t, fakellm.Options{})
		f.srv.Push(fakellm.Reply{Text: text, Fault: fakellm.CutStream})
		stream, err := f.client.CreateChatCompletionStream(context.Background(), chatReq("hi"))
		if err != nil {
			t.Fatalf("CreateChatCompletionStream() error = %v", err)
		}
		res := collect(stream)
		if !errors.Is(res.err, io.ErrUnexpectedEOF) {
			t.Errorf("stream ended with %v, want io.ErrUnexpectedEOF", res.err)
		}
		if res.text == "" || res.text == text || !strings.HasPrefix(text, res.text) {
			t.Errorf("text before cut = %q, want a proper prefix of %q", res.text, text)
		}
		if res.finish != "" {
			t.Errorf("finish_reason = %q, want none before a cut", res.finish)
		}
	})
	t.Run("stream tool call", func(t *testing.T) {
		f := newFixture(t, fakellm.Options{})
		r := fakellm.Call("lookup_order", map[string]string{"order_id": "A-17"})
		r.Fault = fakellm.CutStream
		f.srv.Push(r)
		stream, err := f.client.CreateChatCompletionStream(context.Background(), chatReq("hi"))
		if err != nil {
			t.Fatalf("CreateChatCompletionStream() error = %v", err)
		}
		res := collect(stream)
		if !errors.Is(res.err, io.ErrUnexpectedEOF) {
			t.Errorf("stream ended with %v, want io.ErrUnexpectedEOF", res.err)
		}
		if len(res.calls) != 1 || json.Valid([]byte(res.calls[0].Function.Arguments)) {
			t.Errorf("calls before cut = %+v, want one with partial arguments", res.calls)
		}
	})
	t.Run("plain", func(t *testing.T) {
		f := newFixture(t, fakellm.Options{})
		f.srv.Push(fakellm.Reply{Text: text, Fault: fakellm.CutStream})
		_, err := f.client.CreateChatCompletion(context.Background(), chatReq("hi"))
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("CreateChatCompletion() error = %v, want io.ErrUnexpectedEOF", err)
		}
	})
}

// TestContentFaults covers the faults that answer 200 with content a client
// must cope with.
func TestContentFaults(t *testing.T) {
	tools := []openai.Tool{orderTool}
	tests := []struct {
		name  string
		reply fakellm.Reply
		check func(t *testing.T, calls []openai.ToolCall, choices int, finish openai.FinishReason)
	}{
		{
			"malformed args from reply", fakellm.Reply{Fault: fakellm.MalformedToolArgs, ToolCalls: []fakellm.ToolCall{{Name: "lookup_order", Arguments: `{"order_id":"A-17"}`}}},
			func(t *testing.T, calls []openai.ToolCall, choices int, finish openai.FinishReason) {
				if len(calls) != 1 || calls[0].Function.Name != "lookup_order" || json.Valid([]byte(calls[0].Function.Arguments)) {
					t.Errorf("calls = %+v, want lookup_order with invalid JSON arguments", calls)
				}
				if finish != openai.FinishReasonToolCalls {
					t.Errorf("finish_reason = %q, want tool_calls", finish)
				}
			},
		},
		{
			"malformed args from request tools", fakellm.Reply{Fault: fakellm.MalformedToolArgs},
			func(t *testing.T, calls []openai.ToolCall, choices int, finish openai.FinishReason) {
				if len(calls) != 1 || calls[0].Function.Name != "lookup_order" || json.Valid([]byte(calls[0].Function.Arguments)) {
					t.Errorf("calls = %+v, want the offered tool with invalid JSON arguments", calls)
				}
			},
		},
		{
			"malformed scalar args", fakellm.Reply{Fault: fakellm.MalformedToolArgs, ToolCalls: []fakellm.ToolCall{{Name: "f", Arguments: `12`}}},
			func(t *testing.T, calls []openai.ToolCall, choices int, finish openai.FinishReason) {
				if len(calls) != 1 || json.Valid([]byte(calls[0].Function.Arguments)) {
					t.Errorf("calls = %+v, want invalid JSON arguments", calls)
				}
			},
		},
		{
			"unknown tool", fakellm.Reply{Fault: fakellm.UnknownTool},
			func(t *testing.T, calls []openai.ToolCall, choices int, finish openai.FinishReason) {
				if len(calls) != 1 || slices.ContainsFunc(tools, func(tl openai.Tool) bool { return tl.Function.Name == calls[0].Function.Name }) {
					t.Errorf("calls = %+v, want one call to a tool not offered", calls)
				}
				if len(calls) == 1 && !json.Valid([]byte(calls[0].Function.Arguments)) {
					t.Errorf("arguments = %q, want valid JSON", calls[0].Function.Arguments)
				}
				if finish != openai.FinishReasonToolCalls {
					t.Errorf("finish_reason = %q, want tool_calls", finish)
				}
			},
		},
		{
			"unknown tool named like an offered one", fakellm.Reply{Fault: fakellm.UnknownTool, ToolCalls: []fakellm.ToolCall{{Name: "lookup_order", Arguments: `{"order_id":"1"}`}}},
			func(t *testing.T, calls []openai.ToolCall, choices int, finish openai.FinishReason) {
				if len(calls) != 1 || calls[0].Function.Name == "lookup_order" || calls[0].Function.Arguments != `{"order_id":"1"}` {
					t.Errorf("calls = %+v, want the reply's arguments under an unoffered name", calls)
				}
			},
		},
		{
			"empty choices", fakellm.Reply{Text: "ignored", Fault: fakellm.EmptyChoices},
			func(t *testing.T, calls []openai.ToolCall, choices int, finish openai.FinishReason) {
				if choices != 0 {
					t.Errorf("choices = %d, want 0", choices)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/plain", func(t *testing.T) {
			f := newFixture(t, fakellm.Options{})
			f.srv.Push(tt.reply)
			req := chatReq("hi")
			req.Tools = tools
			resp, err := f.client.CreateChatCompletion(context.Background(), req)
			if err != nil {
				t.Fatalf("CreateChatCompletion() error = %v", err)
			}
			var calls []openai.ToolCall
			var finish openai.FinishReason
			if len(resp.Choices) > 0 {
				calls, finish = resp.Choices[0].Message.ToolCalls, resp.Choices[0].FinishReason
			}
			tt.check(t, calls, len(resp.Choices), finish)
		})
		t.Run(tt.name+"/stream", func(t *testing.T) {
			f := newFixture(t, fakellm.Options{})
			f.srv.Push(tt.reply)
			req := chatReq("hi")
			req.Tools = tools
			stream, err := f.client.CreateChatCompletionStream(context.Background(), req)
			if err != nil {
				t.Fatalf("CreateChatCompletionStream() error = %v", err)
			}
			res := collect(stream)
			if res.err != nil {
				t.Fatalf("stream error = %v", res.err)
			}
			choices := 0
			for _, c := range res.chunks {
				choices += len(c.Choices)
			}
			tt.check(t, res.calls, choices, res.finish)
		})
	}
}

func TestHang(t *testing.T) {
	for _, stream := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "stream"}[stream], func(t *testing.T) {
			f := newFixture(t, fakellm.Options{})
			f.srv.Push(fakellm.Reply{Text: "never sent", Fault: fakellm.Hang})
			// The deadline is how the client gives up, not a measured bound:
			// a working Hang can only end in DeadlineExceeded.
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			var err error
			if stream {
				var s *openai.ChatCompletionStream
				if s, err = f.client.CreateChatCompletionStream(ctx, chatReq("hi")); err == nil {
					err = collect(s).err
				}
			} else {
				_, err = f.client.CreateChatCompletion(ctx, chatReq("hi"))
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("error = %v, want context.DeadlineExceeded", err)
			}
			// The fixture's cleanup closes the server, which waits for the
			// hanging handler: the test finishing proves the handler ended.
		})
	}
}

// TestFaultRates checks random faults are repeatable for a seed and that
// rates of 1 always fault.
func TestFaultRates(t *testing.T) {
	run := func(t *testing.T, rates fakellm.FaultRates, seed int64, n int) []int {
		t.Helper()
		f := newFixture(t, fakellm.Options{FaultRates: rates, Seed: seed})
		var statuses []int
		for range n {
			_, err := f.client.CreateChatCompletion(context.Background(), chatReq("hi"))
			switch {
			case err == nil:
				statuses = append(statuses, 200)
			case errors.Is(err, io.ErrUnexpectedEOF):
				statuses = append(statuses, -1) // cut
			default:
				statuses = append(statuses, statusOf(err))
			}
		}
		return statuses
	}
	mix := fakellm.FaultRates{RateLimited: 0.25, ServerError: 0.25, CutStream: 0.25}

	t.Run("repeatable", func(t *testing.T) {
		a, b := run(t, mix, 7, 40), run(t, mix, 7, 40)
		if !slices.Equal(a, b) {
			t.Errorf("seed 7 gave %v then %v, want the same", a, b)
		}
		for _, want := range []int{200, 429, 500, -1} {
			if !slices.Contains(a, want) {
				t.Errorf("40 requests at 25%% rates gave %v, want some %d", a, want)
			}
		}
		if c := run(t, mix, 8, 40); slices.Equal(a, c) {
			t.Errorf("seeds 7 and 8 gave the same faults %v", a)
		}
	})
	t.Run("certain", func(t *testing.T) {
		for _, s := range run(t, fakellm.FaultRates{ServerError: 1}, 1, 5) {
			if s != 500 {
				t.Errorf("status = %d at ServerError rate 1, want 500", s)
			}
		}
	})
	t.Run("out of range", func(t *testing.T) {
		for _, s := range run(t, fakellm.FaultRates{RateLimited: 7, ServerError: -3}, 1, 3) {
			if s != 429 {
				t.Errorf("status = %d at RateLimited rate 7 (clamped to 1), want 429", s)
			}
		}
	})
}

func TestFaultString(t *testing.T) {
	tests := []struct {
		f    fakellm.Fault
		want string
	}{
		{fakellm.NoFault, "NoFault"},
		{fakellm.CutStream, "CutStream"},
		{fakellm.EmptyChoices, "EmptyChoices"},
		{fakellm.Fault(42), "Fault(42)"},
	}
	for _, tt := range tests {
		if got := tt.f.String(); got != tt.want {
			t.Errorf("Fault(%d).String() = %q, want %q", int(tt.f), got, tt.want)
		}
	}
}
