package eval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/csagent/csagent/agent"
)

// Judge grades a transcript against a rubric written in plain language.
type Judge interface {
	// Judge returns the verdict on transcript. An error means no verdict
	// could be had (the LLM failed, or answered in a form that does not
	// parse); the assertion is then an error, never a failure.
	Judge(ctx context.Context, rubric, transcript string) (JudgeVerdict, error)
}

// JudgeVerdict is a judge's decision and the reasoning behind it, kept in
// the report.
type JudgeVerdict struct {
	Pass      bool    `json:"pass"`
	Score     float64 `json:"score"`
	Reasoning string  `json:"reasoning"`
}

// ModelJudge is a Judge running on an LLM through the agent's model
// interface.
type ModelJudge struct {
	model agent.Model
}

// NewModelJudge returns a judge asking m.
func NewModelJudge(m agent.Model) *ModelJudge { return &ModelJudge{model: m} }

const judgePrompt = `You grade a customer-service conversation between a buyer and a support agent of an online marketplace.
Read the rubric and the transcript. Decide whether the agent's behaviour satisfies the rubric.
Answer with one JSON object and nothing else:
{"reasoning": "<two or three sentences>", "score": <0.0 to 1.0>, "pass": <true or false>}`

// Judge asks the model for a verdict in JSON.
func (j *ModelJudge) Judge(ctx context.Context, rubric, transcript string) (JudgeVerdict, error) {
	resp, err := j.model.Generate(ctx, agent.Request{Messages: []agent.Message{
		{Role: agent.RoleSystem, Content: judgePrompt},
		{Role: agent.RoleUser, Content: "Rubric:\n" + rubric + "\n\nTranscript:\n" + transcript},
	}}, nil)
	if err != nil {
		return JudgeVerdict{}, fmt.Errorf("ask the judge: %w", err)
	}
	return parseVerdict(resp.Message.Content)
}

// parseVerdict reads the judge's JSON, tolerating a code fence or words
// around the object.
func parseVerdict(s string) (JudgeVerdict, error) {
	i, k := strings.Index(s, "{"), strings.LastIndex(s, "}")
	if i < 0 || k < i {
		return JudgeVerdict{}, errors.New("the judge answered without a JSON verdict")
	}
	var raw struct {
		Pass      *bool    `json:"pass"`
		Score     *float64 `json:"score"`
		Reasoning string   `json:"reasoning"`
	}
	if err := json.Unmarshal([]byte(s[i:k+1]), &raw); err != nil {
		return JudgeVerdict{}, fmt.Errorf("read the judge's verdict: %w", err)
	}
	if raw.Pass == nil {
		return JudgeVerdict{}, errors.New("the judge's verdict has no pass field")
	}
	v := JudgeVerdict{Pass: *raw.Pass, Reasoning: raw.Reasoning}
	if raw.Score != nil {
		v.Score = *raw.Score
	} else if v.Pass {
		v.Score = 1
	}
	return v, nil
}
