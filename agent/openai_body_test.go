package agent

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/sashabaranov/go-openai"
)

// goOpenAIRequest is the request as go-openai's own types encode it: what
// the adapter sent before it wrote the body itself.
func goOpenAIRequest(model string, temp *float32, req Request) openai.ChatCompletionRequest {
	w := openai.ChatCompletionRequest{Model: model, Stream: true, StreamOptions: &openai.StreamOptions{IncludeUsage: true}}
	if temp != nil {
		w.Temperature = *temp
	}
	for _, msg := range req.Messages {
		wm := openai.ChatCompletionMessage{Role: string(msg.Role), Content: msg.Content, ToolCallID: msg.ToolCallID}
		if msg.Role == RoleTool {
			wm.Name = msg.Name
		}
		for _, c := range msg.ToolCalls {
			wm.ToolCalls = append(wm.ToolCalls, openai.ToolCall{ID: c.ID, Type: openai.ToolTypeFunction,
				Function: openai.FunctionCall{Name: c.Name, Arguments: string(c.Arguments)}})
		}
		w.Messages = append(w.Messages, wm)
	}
	for _, t := range req.Tools {
		w.Tools = append(w.Tools, openai.Tool{Type: openai.ToolTypeFunction, Function: &openai.FunctionDefinition{
			Name: t.Name, Description: t.Description, Parameters: t.Parameters}})
	}
	return w
}

func TestEncodeChatMatchesGoOpenAI(t *testing.T) {
	temp := float32(0.25)
	tools := []ToolSpec{weatherTool, {Name: "search_policy", Description: "search \"policies\" <b>&</b>",
		Parameters: json.RawMessage("{\n  \"type\": \"object\",\n  \"properties\": {\"q\": {\"type\": \"string\", \"description\": \"a \\\"quoted\\\" word\"}}\n}")}}
	req := Request{Tools: tools, Messages: []Message{
		{Role: RoleSystem, Content: "You are csagent.\n\tBe brief. Quotes \" and \\ backslashes, <html> & \u2028 line sep, control \x01\x1f, 한국어, emoji 🙂"},
		{Role: RoleUser, Content: "invalid utf-8 \xff\xfe here, and NUL-free"},
		{Role: RoleAssistant, ToolCalls: []ToolCall{{ID: "call_1", Name: "get_order", Arguments: json.RawMessage(`{"order_id":"ORD-10042"}`)}}},
		{Role: RoleTool, ToolCallID: "call_1", Name: "get_order", Content: `{"ok":true,"data":{"status":"shipped"}}`},
		{Role: RoleAssistant, Content: "staff said hi", Staff: true, Name: "not sent"},
		{Role: RoleUser, Content: ""},
	}}
	for _, tt := range []struct {
		name string
		temp *float32
		req  Request
	}{
		{"full", &temp, req},
		{"no tools, no temperature", nil, Request{Messages: req.Messages[:2]}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			enc, err := (&toolsCache{}).encoded(tt.req.Tools)
			if err != nil {
				t.Fatal(err)
			}
			got := encodeChat(chatBody{model: "m-1", temperature: tt.temp, tools: enc}, tt.req.Messages, 0)
			want, err := json.Marshal(goOpenAIRequest("m-1", tt.temp, tt.req))
			if err != nil {
				t.Fatal(err)
			}
			var g, w any
			if err := json.Unmarshal(got, &g); err != nil {
				t.Fatalf("encodeChat wrote invalid JSON: %v\n%s", err, got)
			}
			if err := json.Unmarshal(want, &w); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(g, w) {
				t.Errorf("encodeChat =\n%s\nwant (go-openai)\n%s", got, want)
			}
		})
	}
}

func TestToolsAreEncodedOncePerSpecSlice(t *testing.T) {
	var c toolsCache
	v1 := []ToolSpec{weatherTool}
	a, _ := c.encoded(v1)
	b, _ := c.encoded(v1)
	if &a[0] != &b[0] {
		t.Errorf("the same slice of specs was encoded twice")
	}
	// A new version of the tools is a new slice: encoded afresh.
	v2 := []ToolSpec{{Name: "get_order", Description: "v2", Parameters: weatherTool.Parameters}}
	d, _ := c.encoded(v2)
	if string(d) == string(a) {
		t.Errorf("new specs got the old encoding %s", d)
	}
	if _, err := c.encoded([]ToolSpec{{Name: "bad", Parameters: json.RawMessage(`{"type":`)}}); err == nil {
		t.Errorf("a schema that is not JSON was encoded")
	}
}

func TestChunkDecoderReadsEachLineAlone(t *testing.T) {
	var d chunkDecoder
	for _, tt := range []struct {
		line    string
		content string
		wantErr bool
	}{
		{`{"model":"m","choices":[{"delta":{"content":"Hel"}}]}`, "Hel", false},
		{`{"choices":[{"delta":{"content":"lo"},"finish_reason":null}]}`, "lo", false},
		{`{"choices":[{"delta":{"content":"cut"`, "", true},
		{`{"choices":[{"delta":{"content":"after a cut"}}]}`, "after a cut", false},
		{`{"choices":[{"delta":{"content":"a"}}]} {"x":1}`, "", true},
		{`{"choices":[{"delta":{"content":"b"}}]}  `, "b", false},
		{`not json`, "", true},
		{`{"choices":[{"delta":{"content":"c"}}],"usage":{"prompt_tokens":3,"completion_tokens":4}}`, "c", false},
	} {
		var c streamChunk
		err := d.decode([]byte(tt.line), &c)
		if (err != nil) != tt.wantErr {
			t.Errorf("decode(%q) error = %v, want error %v", tt.line, err, tt.wantErr)
			continue
		}
		if err == nil && (len(c.Choices) != 1 || c.Choices[0].Delta.Content != tt.content) {
			t.Errorf("decode(%q) = %+v, want content %q", tt.line, c, tt.content)
		}
	}
}
