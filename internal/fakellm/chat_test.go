package fakellm_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/csagent/csagent/internal/fakellm"
	"github.com/sashabaranov/go-openai"
	"github.com/sashabaranov/go-openai/jsonschema"
)

var orderTool = openai.Tool{Type: openai.ToolTypeFunction, Function: &openai.FunctionDefinition{
	Name:        "lookup_order",
	Description: "Find an order by id.",
	Parameters: jsonschema.Definition{Type: jsonschema.Object, Properties: map[string]jsonschema.Definition{
		"order_id": {Type: jsonschema.String},
	}, Required: []string{"order_id"}},
}}

func TestChatCompletion(t *testing.T) {
	tests := []struct {
		name       string
		reply      fakellm.Reply
		wantText   string
		wantCalls  []fakellm.ToolCall
		wantFinish openai.FinishReason
	}{
		{"text", fakellm.Text("Your order shipped yesterday."), "Your order shipped yesterday.", nil, openai.FinishReasonStop},
		{"empty text", fakellm.Text(""), "", nil, openai.FinishReasonStop},
		{"unicode text", fakellm.Text("Ihre Bestellung ist unterwegs 🚚 — danke!"), "Ihre Bestellung ist unterwegs 🚚 — danke!", nil, openai.FinishReasonStop},
		{
			"tool call", fakellm.Call("lookup_order", map[string]string{"order_id": "A-17"}), "",
			[]fakellm.ToolCall{{Name: "lookup_order", Arguments: `{"order_id":"A-17"}`}}, openai.FinishReasonToolCalls,
		},
		{
			"text and two calls", fakellm.Reply{Text: "Checking.", ToolCalls: []fakellm.ToolCall{
				{ID: "call_a", Name: "lookup_order", Arguments: `{"order_id":"1"}`},
				{Name: "lookup_order", Arguments: `{"order_id":"2"}`},
			}}, "Checking.",
			[]fakellm.ToolCall{{ID: "call_a", Name: "lookup_order", Arguments: `{"order_id":"1"}`}, {Name: "lookup_order", Arguments: `{"order_id":"2"}`}},
			openai.FinishReasonToolCalls,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, fakellm.Options{})
			f.srv.Push(tt.reply)
			req := chatReq("where is my order?")
			req.Tools = []openai.Tool{orderTool}
			resp, err := f.client.CreateChatCompletion(context.Background(), req)
			if err != nil {
				t.Fatalf("CreateChatCompletion() error = %v", err)
			}
			if len(resp.Choices) != 1 {
				t.Fatalf("len(Choices) = %d, want 1", len(resp.Choices))
			}
			ch := resp.Choices[0]
			if ch.Message.Role != openai.ChatMessageRoleAssistant {
				t.Errorf("Role = %q, want assistant", ch.Message.Role)
			}
			if ch.Message.Content != tt.wantText {
				t.Errorf("Content = %q, want %q", ch.Message.Content, tt.wantText)
			}
			if ch.FinishReason != tt.wantFinish {
				t.Errorf("FinishReason = %q, want %q", ch.FinishReason, tt.wantFinish)
			}
			if resp.Model != "fake-model" || resp.Object != "chat.completion" || resp.ID == "" {
				t.Errorf("envelope = %q %q %q, want fake-model, chat.completion and an id", resp.Model, resp.Object, resp.ID)
			}
			checkCalls(t, ch.Message.ToolCalls, tt.wantCalls)
			if resp.Usage.PromptTokens <= 0 || resp.Usage.TotalTokens != resp.Usage.PromptTokens+resp.Usage.CompletionTokens {
				t.Errorf("Usage = %+v, want positive prompt tokens adding up", resp.Usage)
			}
			if tt.wantText != "" || len(tt.wantCalls) > 0 {
				if resp.Usage.CompletionTokens <= 0 {
					t.Errorf("CompletionTokens = %d, want > 0", resp.Usage.CompletionTokens)
				}
			}
		})
	}
}

// checkCalls compares calls, accepting any non-empty id where want has none.
func checkCalls(t *testing.T, got []openai.ToolCall, want []fakellm.ToolCall) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d tool calls %+v, want %d", len(got), got, len(want))
	}
	ids := map[string]bool{}
	for i, w := range want {
		g := got[i]
		if g.Type != openai.ToolTypeFunction {
			t.Errorf("call %d Type = %q, want function", i, g.Type)
		}
		if g.ID == "" || (w.ID != "" && g.ID != w.ID) {
			t.Errorf("call %d ID = %q, want %q (or generated)", i, g.ID, w.ID)
		}
		if ids[g.ID] {
			t.Errorf("call %d ID %q repeats", i, g.ID)
		}
		ids[g.ID] = true
		if g.Function.Name != w.Name || g.Function.Arguments != w.Arguments {
			t.Errorf("call %d = %s(%s), want %s(%s)", i, g.Function.Name, g.Function.Arguments, w.Name, w.Arguments)
		}
	}
}

// TestToolLoop runs the agent's turn shape: a call, the tool's answer sent
// back, then text. The second request must pass OpenAI's pairing rules and
// be recorded with everything a test would assert on.
func TestToolLoop(t *testing.T) {
	f := newFixture(t, fakellm.Options{APIKey: "sk-test"})
	f.srv.Push(fakellm.Call("lookup_order", map[string]string{"order_id": "A-17"}), fakellm.Text("It shipped."))
	ctx := context.Background()
	req := chatReq("where is A-17?")
	req.Tools = []openai.Tool{orderTool}
	temp := float32(0.5)
	req.Temperature = temp
	first, err := f.client.CreateChatCompletion(ctx, req)
	if err != nil {
		t.Fatalf("first CreateChatCompletion() error = %v", err)
	}
	call := first.Choices[0].Message.ToolCalls[0]
	req.Messages = append(req.Messages, first.Choices[0].Message, openai.ChatCompletionMessage{
		Role: openai.ChatMessageRoleTool, ToolCallID: call.ID, Name: call.Function.Name, Content: `{"status":"shipped"}`,
	})
	second, err := f.client.CreateChatCompletion(ctx, req)
	if err != nil {
		t.Fatalf("second CreateChatCompletion() error = %v", err)
	}
	if got := second.Choices[0].Message.Content; got != "It shipped." {
		t.Errorf("second Content = %q, want %q", got, "It shipped.")
	}

	reqs := f.srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("len(Requests()) = %d, want 2", len(reqs))
	}
	r := reqs[1]
	if r.Model != "fake-model" || r.Stream || r.LastUser() != "where is A-17?" {
		t.Errorf("request = model %q stream %v last user %q", r.Model, r.Stream, r.LastUser())
	}
	if got := r.Header.Get("Authorization"); got != "Bearer sk-test" {
		t.Errorf("Authorization = %q, want Bearer sk-test", got)
	}
	if r.Temperature == nil || *r.Temperature != 0.5 {
		t.Errorf("Temperature = %v, want 0.5", r.Temperature)
	}
	if len(r.Tools) != 1 || r.Tools[0].Name != "lookup_order" || r.Tools[0].Description == "" || !json.Valid(r.Tools[0].Parameters) {
		t.Errorf("Tools = %+v, want lookup_order with description and schema", r.Tools)
	}
	wantRoles := []string{"user", "assistant", "tool"}
	if len(r.Messages) != len(wantRoles) {
		t.Fatalf("len(Messages) = %d, want %d", len(r.Messages), len(wantRoles))
	}
	for i, role := range wantRoles {
		if r.Messages[i].Role != role {
			t.Errorf("Messages[%d].Role = %q, want %q", i, r.Messages[i].Role, role)
		}
	}
	if got := r.Messages[1].ToolCalls; len(got) != 1 || got[0].ID != call.ID || got[0].Arguments != `{"order_id":"A-17"}` {
		t.Errorf("assistant ToolCalls = %+v, want the call made", got)
	}
	if m := r.Messages[2]; m.ToolCallID != call.ID || m.Content != `{"status":"shipped"}` || m.Name != "lookup_order" {
		t.Errorf("tool message = %+v", m)
	}
	if !json.Valid(r.Raw) {
		t.Errorf("Raw = %q, want the JSON body", r.Raw)
	}
}

// TestMultiPartContent checks content sent as parts, as go-openai does for
// MultiContent, is read as text.
func TestMultiPartContent(t *testing.T) {
	f := newFixture(t, fakellm.Options{})
	req := openai.ChatCompletionRequest{Model: "fake-model", Messages: []openai.ChatCompletionMessage{{
		Role: openai.ChatMessageRoleUser,
		MultiContent: []openai.ChatMessagePart{
			{Type: openai.ChatMessagePartTypeText, Text: "first"},
			{Type: openai.ChatMessagePartTypeImageURL, ImageURL: &openai.ChatMessageImageURL{URL: "https://example.com/a.png"}},
			{Type: openai.ChatMessagePartTypeText, Text: "second"},
		},
	}}}
	if _, err := f.client.CreateChatCompletion(context.Background(), req); err != nil {
		t.Fatalf("CreateChatCompletion() error = %v", err)
	}
	if got := f.srv.Requests()[0].LastUser(); got != "first\nsecond" {
		t.Errorf("LastUser() = %q, want %q", got, "first\nsecond")
	}
}

func TestBadChatRequests(t *testing.T) {
	call := `{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]}`
	tests := []struct {
		name, body, wantCode string
	}{
		{"malformed json", `{"model":`, "invalid_json"},
		{"not an object", `[1,2]`, "invalid_json"},
		{"trailing garbage", `{"model":"m","messages":[{"role":"user","content":"hi"}]} x`, "invalid_json"},
		{"wrong type", `{"model":"m","messages":"hi"}`, "invalid_json"},
		{"missing model", `{"messages":[{"role":"user","content":"hi"}]}`, "missing_required_parameter"},
		{"missing messages", `{"model":"m"}`, "missing_required_parameter"},
		{"empty messages", `{"model":"m","messages":[]}`, "missing_required_parameter"},
		{"bad role", `{"model":"m","messages":[{"role":"robot","content":"hi"}]}`, "invalid_value"},
		{"content object", `{"model":"m","messages":[{"role":"user","content":{"a":1}}]}`, "invalid_type"},
		{"tool without id", `{"model":"m","messages":[{"role":"tool","content":"x"}]}`, "missing_required_parameter"},
		{"orphan tool message", `{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"tool","tool_call_id":"c1","content":"x"}]}`, "invalid_value"},
		{"unknown tool_call_id", `{"model":"m","messages":[` + call + `,{"role":"tool","tool_call_id":"c2","content":"x"}]}`, "invalid_value"},
		{"unanswered call", `{"model":"m","messages":[` + call + `,{"role":"user","content":"hi"}]}`, "invalid_value"},
		{"unanswered call at end", `{"model":"m","messages":[{"role":"user","content":"hi"},` + call + `]}`, "invalid_value"},
		{"call without name", `{"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"arguments":"{}"}}]}]}`, "missing_required_parameter"},
		{"bad tool name", `{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"has space"}}]}`, "invalid_value"},
		{"bad tool type", `{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"retrieval"}]}`, "invalid_value"},
		{"bad tool params", `{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":[1]}}]}`, "invalid_value"},
		{"stream options without stream", `{"model":"m","messages":[{"role":"user","content":"hi"}],"stream_options":{"include_usage":true}}`, "invalid_value"},
		{"oversized", bigBody(), "request_too_large"},
	}
	f := newFixture(t, fakellm.Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := f.post(t, "/chat/completions", tt.body, nil)
			if status != http.StatusBadRequest {
				t.Fatalf("status = %d (%s), want 400", status, body)
			}
			if code := mustErrorShape(t, body); code != tt.wantCode {
				t.Errorf("code = %q, want %q (%s)", code, tt.wantCode, body)
			}
		})
	}
	if n := len(f.srv.Requests()); n != 0 {
		t.Errorf("len(Requests()) = %d after bad requests, want 0", n)
	}
}

// TestValidHistories checks the pairing rules do not reject what OpenAI
// accepts.
func TestValidHistories(t *testing.T) {
	call := `{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}},{"id":"c2","type":"function","function":{"name":"f","arguments":"{}"}}]}`
	tests := []struct{ name, messages string }{
		{"system first", `[{"role":"system","content":"be kind"},{"role":"user","content":"hi"}]`},
		{"developer role", `[{"role":"developer","content":"be kind"},{"role":"user","content":"hi"}]`},
		{"both calls answered out of order", `[{"role":"user","content":"hi"},` + call + `,{"role":"tool","tool_call_id":"c2","content":"b"},{"role":"tool","tool_call_id":"c1","content":"a"}]`},
		{"conversation continues", `[{"role":"user","content":"hi"},` + call + `,{"role":"tool","tool_call_id":"c1","content":"a"},{"role":"tool","tool_call_id":"c2","content":"b"},{"role":"assistant","content":"done"},{"role":"user","content":"thanks"}]`},
		{"null content", `[{"role":"user","content":null}]`},
	}
	f := newFixture(t, fakellm.Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := f.post(t, "/chat/completions", `{"model":"m","messages":`+tt.messages+`}`, nil)
			if status != http.StatusOK {
				t.Fatalf("status = %d (%s), want 200", status, body)
			}
			if !strings.Contains(string(body), `"chat.completion"`) {
				t.Errorf("body = %s, want a chat completion", body)
			}
		})
	}
}
