package fakellm_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/internal/fakellm"
)

func TestParseFaultRates(t *testing.T) {
	tests := []struct {
		in      string
		want    fakellm.FaultRates
		wantErr string
	}{
		{"", fakellm.FaultRates{}, ""},
		{"429=0.01,500=0.02,cut=0.03,hang=0.001", fakellm.FaultRates{RateLimited: 0.01, ServerError: 0.02, CutStream: 0.03, Hang: 0.001}, ""},
		{" 502 = 1 ", fakellm.FaultRates{BadGateway: 1}, ""},
		{"rate_limited=0.5,server_error=0.5", fakellm.FaultRates{RateLimited: 0.5, ServerError: 0.5}, ""},
		{"429", fakellm.FaultRates{}, "NAME=RATE"},
		{"teapot=0.1", fakellm.FaultRates{}, "not a fault"},
		{"malformed_args=0.1", fakellm.FaultRates{}, "not a fault that can be drawn"},
		{"429=1.5", fakellm.FaultRates{}, "from 0 to 1"},
		{"429=-0.1", fakellm.FaultRates{}, "from 0 to 1"},
		{"429=NaN", fakellm.FaultRates{}, "from 0 to 1"},
		{"429=0.1,429=0.2", fakellm.FaultRates{}, "twice"},
		{"429=0.6,500=0.6", fakellm.FaultRates{}, "more than 1"},
	}
	for _, tt := range tests {
		got, err := fakellm.ParseFaultRates(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseFaultRates(%q) error = %v, want one mentioning %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseFaultRates(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

// TestBadGatewayRate checks the rate added for the command line draws the
// proxy's HTML 502.
func TestBadGatewayRate(t *testing.T) {
	f := newFixture(t, fakellm.Options{FaultRates: fakellm.FaultRates{BadGateway: 1}})
	for range 3 {
		_, err := f.client.CreateChatCompletion(context.Background(), chatReq("hi"))
		if got := statusOf(err); got != 502 {
			t.Errorf("status = %d (%v) at BadGateway rate 1, want 502", got, err)
		}
	}
}

func TestReadScript(t *testing.T) {
	script := `# a refund turn
{"tool_calls":[{"name":"get_order","arguments":{"order_id":"ORD-10001"}}]}

{"text":"Your order is on its way.","delay":"250ms"}
{"fault":"429","retry_after":"2s"}
{"tool_calls":[{"id":"call_x","name":"get_order","arguments":"{\"order_id\": \"ORD-1"}]}
`
	got, err := fakellm.ReadScript(strings.NewReader(script))
	if err != nil {
		t.Fatalf("ReadScript() error = %v", err)
	}
	want := []fakellm.Reply{
		{ToolCalls: []fakellm.ToolCall{{Name: "get_order", Arguments: `{"order_id":"ORD-10001"}`}}},
		{Text: "Your order is on its way.", Delay: 250 * time.Millisecond},
		{Fault: fakellm.RateLimited, RetryAfter: 2 * time.Second},
		{ToolCalls: []fakellm.ToolCall{{ID: "call_x", Name: "get_order", Arguments: `{"order_id": "ORD-1`}}},
	}
	if len(got) != len(want) {
		t.Fatalf("ReadScript() = %d replies %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Text != w.Text || g.Fault != w.Fault || g.Delay != w.Delay || g.RetryAfter != w.RetryAfter || len(g.ToolCalls) != len(w.ToolCalls) {
			t.Errorf("reply %d = %+v, want %+v", i, g, w)
			continue
		}
		for j := range w.ToolCalls {
			if g.ToolCalls[j] != w.ToolCalls[j] {
				t.Errorf("reply %d call %d = %+v, want %+v", i, j, g.ToolCalls[j], w.ToolCalls[j])
			}
		}
	}
}

func TestReadScriptErrors(t *testing.T) {
	tests := []struct{ name, script, want string }{
		{"not json", "{\"text\":\"ok\"}\nnope", "line 2"},
		{"unknown field", `{"txt":"typo"}`, "unknown field"},
		{"empty reply", `{}`, "needs text"},
		{"bad fault", `{"fault":"418"}`, "unknown fault"},
		{"bad delay", `{"text":"x","delay":"soon"}`, "delay"},
		{"bad function name", `{"tool_calls":[{"name":"has space"}]}`, "function name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := fakellm.ReadScript(strings.NewReader(tt.script))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ReadScript(%q) error = %v, want one mentioning %q", tt.script, err, tt.want)
			}
		})
	}
	if _, err := fakellm.ParseFault("none"); err != nil {
		t.Errorf("ParseFault(none) = %v, want NoFault", err)
	}
	if f, err := fakellm.ParseFault("cut"); err != nil || f != fakellm.CutStream {
		t.Errorf("ParseFault(cut) = %v, %v; want CutStream", f, err)
	}
}
