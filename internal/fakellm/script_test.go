package fakellm_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/csagent/csagent/internal/fakellm"
	"github.com/sashabaranov/go-openai"
)

func TestPushOrder(t *testing.T) {
	f := newFixture(t, fakellm.Options{})
	f.srv.Push(fakellm.Text("first"), fakellm.Text("second"))
	f.srv.Push(fakellm.Text("third"))
	want := []string{"first", "second", "third", "You said: fourth?"}
	for i, w := range want {
		msg := []string{"1", "2", "3", "fourth?"}[i]
		var got string
		if i%2 == 0 {
			resp, err := f.client.CreateChatCompletion(context.Background(), chatReq(msg))
			if err != nil {
				t.Fatalf("request %d: %v", i, err)
			}
			got = resp.Choices[0].Message.Content
		} else {
			req := chatReq(msg)
			stream, err := f.client.CreateChatCompletionStream(context.Background(), req)
			if err != nil {
				t.Fatalf("request %d: %v", i, err)
			}
			got = collect(stream).text
		}
		if got != w {
			t.Errorf("reply %d = %q, want %q", i, got, w)
		}
	}
	reqs := f.srv.Requests()
	if len(reqs) != 4 {
		t.Fatalf("len(Requests()) = %d, want 4", len(reqs))
	}
	for i, r := range reqs {
		if wantStream := i%2 == 1; r.Stream != wantStream {
			t.Errorf("Requests()[%d].Stream = %v, want %v", i, r.Stream, wantStream)
		}
	}
}

func TestRespond(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	f := newFixture(t, fakellm.Options{Respond: func(r fakellm.Request) fakellm.Reply {
		mu.Lock()
		seen = append(seen, r.LastUser())
		mu.Unlock()
		if strings.Contains(r.LastUser(), "order") {
			return fakellm.Call("lookup_order", map[string]string{"order_id": "9"})
		}
		return fakellm.Text("How can I help?")
	}})
	f.srv.Push(fakellm.Text("scripted first"))
	tests := []struct {
		msg, wantText, wantCall string
	}{
		{"hello", "scripted first", ""},
		{"my order", "", "lookup_order"},
		{"hello again", "How can I help?", ""},
	}
	for _, tt := range tests {
		resp, err := f.client.CreateChatCompletion(context.Background(), chatReq(tt.msg))
		if err != nil {
			t.Fatalf("CreateChatCompletion(%q) error = %v", tt.msg, err)
		}
		m := resp.Choices[0].Message
		gotCall := ""
		if len(m.ToolCalls) > 0 {
			gotCall = m.ToolCalls[0].Function.Name
		}
		if m.Content != tt.wantText || gotCall != tt.wantCall {
			t.Errorf("reply to %q = %q / call %q, want %q / call %q", tt.msg, m.Content, gotCall, tt.wantText, tt.wantCall)
		}
	}
	if len(seen) != 2 {
		t.Errorf("Respond called for %v, want only the two unscripted requests", seen)
	}
}

func TestDefaultReply(t *testing.T) {
	tests := []struct {
		name     string
		messages []openai.ChatCompletionMessage
		want     string
	}{
		{"echo", userMsg("hi there"), "You said: hi there"},
		{"no user message", []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleSystem, Content: "sys"}}, "Hello from fakellm."},
	}
	f := newFixture(t, fakellm.Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := f.client.CreateChatCompletion(context.Background(), openai.ChatCompletionRequest{Model: "m", Messages: tt.messages})
			if err != nil {
				t.Fatalf("CreateChatCompletion() error = %v", err)
			}
			if got := resp.Choices[0].Message.Content; got != tt.want {
				t.Errorf("Content = %q, want %q", got, tt.want)
			}
			if resp.Model != "m" {
				t.Errorf("Model = %q, want the requested m", resp.Model)
			}
		})
	}
}

func TestCall(t *testing.T) {
	tests := []struct {
		name string
		args any
		want string
	}{
		{"map", map[string]int{"n": 1}, `{"n":1}`},
		{"struct", struct {
			ID string `json:"id"`
		}{"x"}, `{"id":"x"}`},
		{"raw string verbatim", `{"broken":`, `{"broken":`},
		{"raw message", json.RawMessage(`{"a": 1}`), `{"a": 1}`},
		{"bytes", []byte(`{}`), `{}`},
		{"nil", nil, `null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fakellm.Call("f", tt.args)
			if len(r.ToolCalls) != 1 || r.ToolCalls[0].Name != "f" || r.ToolCalls[0].Arguments != tt.want {
				t.Errorf("Call(f, %v) = %+v, want arguments %s", tt.args, r, tt.want)
			}
		})
	}
	t.Run("unmarshalable panics", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Error("Call(f, chan) did not panic")
			}
		}()
		fakellm.Call("f", make(chan int))
	})
}

func TestReset(t *testing.T) {
	f := newFixture(t, fakellm.Options{})
	f.srv.Push(fakellm.Text("queued"), fakellm.Text("also queued"))
	if _, err := f.client.CreateChatCompletion(context.Background(), chatReq("a")); err != nil {
		t.Fatal(err)
	}
	f.srv.Reset()
	if n := len(f.srv.Requests()); n != 0 {
		t.Errorf("len(Requests()) after Reset = %d, want 0", n)
	}
	resp, err := f.client.CreateChatCompletion(context.Background(), chatReq("b"))
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Choices[0].Message.Content; got != "You said: b" {
		t.Errorf("reply after Reset = %q, want the default echo (queue cleared)", got)
	}
}

func TestRecordLimit(t *testing.T) {
	tests := []struct {
		limit, sent int
		want        []string
	}{
		{limit: 3, sent: 10, want: []string{"7", "8", "9"}},
		{limit: 3, sent: 2, want: []string{"0", "1"}},
		{limit: -1, sent: 4, want: nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("limit %d sent %d", tt.limit, tt.sent), func(t *testing.T) {
			f := newFixture(t, fakellm.Options{RecordLimit: tt.limit})
			for i := range tt.sent {
				if _, err := f.client.CreateChatCompletion(context.Background(), chatReq(fmt.Sprint(i))); err != nil {
					t.Fatal(err)
				}
			}
			var got []string
			for _, r := range f.srv.Requests() {
				got = append(got, r.LastUser())
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("recorded %v, want %v", got, tt.want)
			}
		})
	}
}
