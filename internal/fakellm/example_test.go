package fakellm_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/csagent/csagent/internal/fakellm"
	"github.com/sashabaranov/go-openai"
)

// A test scripts a tool call and the answer after it, points its client at
// the fake and then checks what the client sent.
func Example() {
	fake := fakellm.New(fakellm.Options{APIKey: "sk-test"})
	srv := httptest.NewServer(fake)
	defer srv.Close()

	fake.Push(
		fakellm.Call("lookup_order", map[string]string{"order_id": "A-17"}),
		fakellm.Text("Order A-17 shipped yesterday."),
	)

	cfg := openai.DefaultConfig("sk-test")
	cfg.BaseURL = srv.URL + "/v1"
	client := openai.NewClientWithConfig(cfg)
	req := openai.ChatCompletionRequest{
		Model:    "fake-model",
		Messages: []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: "Where is A-17?"}},
	}
	resp, err := client.CreateChatCompletion(context.Background(), req)
	if err != nil {
		fmt.Println(err)
		return
	}
	call := resp.Choices[0].Message.ToolCalls[0]
	fmt.Println(call.Function.Name, call.Function.Arguments)

	req.Messages = append(req.Messages, resp.Choices[0].Message, openai.ChatCompletionMessage{
		Role: openai.ChatMessageRoleTool, ToolCallID: call.ID, Content: `{"status":"shipped"}`,
	})
	resp, err = client.CreateChatCompletion(context.Background(), req)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Choices[0].Message.Content)
	fmt.Println(len(fake.Requests()), fake.Requests()[1].Messages[2].Role)
	// Output:
	// lookup_order {"order_id":"A-17"}
	// Order A-17 shipped yesterday.
	// 2 tool
}
