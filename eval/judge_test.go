package eval

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
)

// modelFunc is an agent.Model made of a function.
type modelFunc func(ctx context.Context, req agent.Request) (agent.Response, error)

func (f modelFunc) Generate(ctx context.Context, req agent.Request, _ func(string) error) (agent.Response, error) {
	return f(ctx, req)
}

func TestModelJudge(t *testing.T) {
	tests := []struct {
		name    string
		answer  string
		err     error
		want    JudgeVerdict
		wantErr string
	}{
		{"pass", `{"reasoning": "cites the policy", "score": 0.9, "pass": true}`, nil, JudgeVerdict{Pass: true, Score: 0.9, Reasoning: "cites the policy"}, ""},
		{"fail in a code fence", "```json\n{\"reasoning\": \"promises a refund\", \"score\": 0.1, \"pass\": false}\n```", nil, JudgeVerdict{Score: 0.1, Reasoning: "promises a refund"}, ""},
		{"no score", `{"pass": true, "reasoning": "ok"}`, nil, JudgeVerdict{Pass: true, Score: 1, Reasoning: "ok"}, ""},
		{"prose", "The agent did well.", nil, JudgeVerdict{}, "without a JSON verdict"},
		{"no pass field", `{"score": 1}`, nil, JudgeVerdict{}, "no pass field"},
		{"broken JSON", `{"pass": tru}`, nil, JudgeVerdict{}, "read the judge's verdict"},
		{"model down", "", errors.New("503"), JudgeVerdict{}, "ask the judge: 503"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen agent.Request
			j := NewModelJudge(modelFunc(func(_ context.Context, req agent.Request) (agent.Response, error) {
				seen = req
				return agent.Response{Message: agent.Message{Content: tt.answer}}, tt.err
			}))
			got, err := j.Judge(t.Context(), "never promises refunds", "Buyer: refund?\nAgent: no\n")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("Judge error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Judge = %+v, %v; want %+v", got, err, tt.want)
			}
			if len(seen.Messages) != 2 || !strings.Contains(seen.Messages[1].Content, "never promises refunds") || !strings.Contains(seen.Messages[1].Content, "Agent: no") || len(seen.Tools) != 0 {
				t.Errorf("the judge was asked %+v, want the rubric and transcript and no tools", seen)
			}
		})
	}
}
