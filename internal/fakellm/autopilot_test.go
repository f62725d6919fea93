package fakellm_test

import (
	"context"
	"strings"
	"testing"

	"github.com/sashabaranov/go-openai"

	"github.com/csagent/csagent/internal/fakellm"
)

// supportTools are the functions csagent offers a buyer's turn, as far as
// the autopilot looks at them.
func supportTools(names ...string) []openai.Tool {
	var out []openai.Tool
	for _, n := range names {
		out = append(out, openai.Tool{Type: openai.ToolTypeFunction, Function: &openai.FunctionDefinition{
			Name: n, Parameters: map[string]any{"type": "object"},
		}})
	}
	return out
}

// TestAutopilot drives the autopilot through a real client, streaming as
// the agent's adapter does, and checks each rule's call and arguments.
func TestAutopilot(t *testing.T) {
	all := supportTools("get_order", "track_shipment", "search_policy", "list_orders", "request_refund", "cancel_order", "open_dispute", "handoff_to_human")
	tests := []struct {
		name     string
		msg      string
		tools    []openai.Tool
		wantCall string
		wantArgs string
		wantText string
	}{
		{"where is my order", "where is my order ORD-10003?", all, "track_shipment", `{"order_id":"ORD-10003"}`, ""},
		{"bare digits", "status of 10042 please", all, "get_order", `{"order_id":"ORD-10042"}`, ""},
		{"lower case id", "ord-10007 details", all, "get_order", `{"order_id":"ORD-10007"}`, ""},
		{"korean shipping", "주문 10011 배송 어디쯤이에요?", all, "track_shipment", `{"order_id":"ORD-10011"}`, ""},
		{"tracking not offered", "where is ORD-10003", supportTools("get_order"), "get_order", `{"order_id":"ORD-10003"}`, ""},
		{"policy", "what is your refund policy?", all, "search_policy", `{"query":"what is your refund policy?"}`, ""},
		{"list", "show me my orders", all, "list_orders", `{}`, ""},
		{"greeting", "hi", all, "", "", "Which order is it about?"},
		{"refund with reason", "ORD-10005 arrived broken, I want a refund", all, "request_refund", `{"order_id":"ORD-10005","reason":"damaged"}`, ""},
		{"refund in korean", "주문 10011 환불해 주세요 마음이 바뀌었어요", all, "request_refund", `{"order_id":"ORD-10011","reason":"changed_mind"}`, ""},
		{"a claim is not a request", "ORD-10005 was refunded 500.00 USD, can you confirm?", all, "get_order", `{"order_id":"ORD-10005"}`, ""},
		{"refund not offered", "refund ORD-10005 please", supportTools("get_order"), "get_order", `{"order_id":"ORD-10005"}`, ""},
		{"cancel", "please cancel ORD-10009", all, "cancel_order", `{"order_id":"ORD-10009"}`, ""},
		{"dispute", "открыть спор по заказу 10012, пришёл не тот товар", all, "open_dispute", `{"description":"открыть спор по заказу 10012, пришёл не тот товар","order_id":"ORD-10012","reason":"wrong_item"}`, ""},
		{"a person", "can I talk to a human please", all, "handoff_to_human", `{"reason":"customer_request","summary":"can I talk to a human please"}`, ""},
		{"no tools offered", "where is ORD-10003", nil, "", "", "Which order is it about?"},
	}
	f := newFixture(t, fakellm.Options{Respond: fakellm.Autopilot})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := chatReq(tt.msg)
			req.Tools = tt.tools
			stream, err := f.client.CreateChatCompletionStream(context.Background(), req)
			if err != nil {
				t.Fatalf("CreateChatCompletionStream(%q) error = %v", tt.msg, err)
			}
			res := collect(stream)
			if res.err != nil {
				t.Fatalf("stream of %q ended with %v", tt.msg, res.err)
			}
			if tt.wantCall == "" {
				if len(res.calls) != 0 || !strings.Contains(res.text, tt.wantText) {
					t.Errorf("reply to %q = %q with calls %v, want text containing %q", tt.msg, res.text, res.calls, tt.wantText)
				}
				return
			}
			if len(res.calls) != 1 || res.calls[0].Function.Name != tt.wantCall || res.calls[0].Function.Arguments != tt.wantArgs {
				t.Fatalf("reply to %q called %+v, want %s(%s)", tt.msg, res.calls, tt.wantCall, tt.wantArgs)
			}
			if res.finish != openai.FinishReasonToolCalls {
				t.Errorf("finish = %q, want tool_calls", res.finish)
			}
		})
	}
}

// TestAutopilotAnswersToolResults checks the second step of a turn: the
// text is built from the tool results and no tool is called again, so a
// turn always ends.
func TestAutopilotAnswersToolResults(t *testing.T) {
	call := openai.ToolCall{ID: "call_1", Type: openai.ToolTypeFunction, Function: openai.FunctionCall{Name: "track_shipment", Arguments: `{"order_id":"ORD-10003"}`}}
	shipped := `{"ok":true,"data":{},"summary":"ORD-10003 shipped with Maru Express, tracking MX123."}`
	tests := []struct {
		name   string
		result string
		// after are messages after the tool result, as when a guardrail
		// asks for a new draft.
		after []openai.ChatCompletionMessage
		want  string
	}{
		{"summary", shipped, nil, "ORD-10003 shipped with Maru Express, tracking MX123."},
		{"error", `{"ok":false,"error":{"code":"not_found","message":"There is no order ORD-10003 on your account."}}`, nil, "I could not complete that: There is no order ORD-10003 on your account."},
		{"not json", `tracking MX123`, nil, "I have looked into it for you."},
		{"asked for a new draft", shipped, []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleAssistant, Content: "a draft"},
			{Role: openai.ChatMessageRoleSystem, Content: "The draft stated something no tool result supports; write it again."},
		}, "ORD-10003 shipped with Maru Express, tracking MX123."},
	}
	f := newFixture(t, fakellm.Options{Respond: fakellm.Autopilot, TokensPerSecond: 1e6})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := chatReq("where is ORD-10003")
			req.Tools = supportTools("get_order", "track_shipment")
			req.Messages = append(req.Messages,
				openai.ChatCompletionMessage{Role: openai.ChatMessageRoleAssistant, ToolCalls: []openai.ToolCall{call}},
				openai.ChatCompletionMessage{Role: openai.ChatMessageRoleTool, ToolCallID: "call_1", Content: tt.result})
			req.Messages = append(req.Messages, tt.after...)
			stream, err := f.client.CreateChatCompletionStream(context.Background(), req)
			if err != nil {
				t.Fatalf("CreateChatCompletionStream() error = %v", err)
			}
			res := collect(stream)
			if res.err != nil || len(res.calls) != 0 {
				t.Fatalf("stream = %q, calls %v, err %v; want text only", res.text, res.calls, res.err)
			}
			want := tt.want + " Is there anything else I can help you with?"
			if res.text != want {
				t.Errorf("text = %q, want %q", res.text, want)
			}
			if res.finish != openai.FinishReasonStop {
				t.Errorf("finish = %q, want stop", res.finish)
			}
		})
	}
}
