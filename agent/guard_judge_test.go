package agent_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/internal/fakellm"
)

// fakeJudge answers with supported and records what it was asked.
type fakeJudge struct {
	supported func(statements []string) ([]bool, error)
	asked     [][]string
}

func (j *fakeJudge) Supported(_ context.Context, statements, _ []string) ([]bool, agent.Usage, error) {
	j.asked = append(j.asked, statements)
	got, err := j.supported(statements)
	return got, agent.Usage{PromptTokens: 100, CompletionTokens: 5}, err
}

// policyHit is a search_policy result in English.
const policyHit = `{"hits":[{"doc_id":"refunds","heading":"Damaged items","text":"If an item arrives damaged, ask the seller for a refund within the refund window. The seller answers within two days."}]}`

// The judge decides what the support score cannot, once per turn, and a
// failing judge leaves the deterministic verdict alone.
func TestJudgeDecidesWhatTheSupportScoreCannot(t *testing.T) {
	const (
		// A faithful paraphrase that shares little wording with the
		// passage: low support.
		paraphrase = "Broken goods can be refunded once a message reaches the merchant prior to the closing of the return period. Is there anything else I can help with?"
		// Policy in Korean behind an English passage: no score at all.
		korean = "정책에 따라 손상된 상품은 환불 기간 내에 판매자에게 요청하면 환불받을 수 있습니다. 더 도와드릴 일이 있을까요?"
		clean  = "Please ask the seller for a refund within the refund window. Is there anything else I can help with?"
	)
	no := func(s []string) ([]bool, error) { return make([]bool, len(s)), nil } // every statement unsupported
	tests := []struct {
		name     string
		locale   string
		replies  []string
		judge    func([]string) ([]bool, error)
		want     string
		verdict  string
		decision string
	}{
		{"weak paraphrase the judge supports is sent", "en", []string{paraphrase},
			func(s []string) ([]bool, error) { return []bool{true}, nil }, paraphrase, "pass", "cleared"},
		{"weak paraphrase the judge rejects is regenerated", "en", []string{paraphrase, clean},
			no, clean, "pass", "confirmed"},
		{"unscored statement the judge rejects is regenerated", "ko", []string{korean, clean},
			no, clean, "pass", "flagged"},
		{"unscored statement the judge supports passes", "ko", []string{korean},
			func(s []string) ([]bool, error) { return []bool{true}, nil }, korean, "pass", "confirmed"},
		{"a failing judge leaves the verdict", "ko", []string{korean},
			func([]string) ([]bool, error) { return nil, errors.New("upstream down") }, korean, "pass", "error"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			replies := []agent.Response{toolCall("search_policy", `{"query":"damaged item refund"}`)}
			for _, r := range tt.replies {
				replies = append(replies, textReply(r))
			}
			m := &scriptedModel{replies: replies}
			j := &fakeJudge{supported: tt.judge}
			a := agent.New(agent.Options{
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Model: m, Tools: orderTools(policyHit), Store: h.store,
				Guard: newChecker(t), Judge: j, Metrics: agent.NewMetrics(prometheus.NewRegistry()),
			})
			var events []agent.Event
			r, err := a.Run(h.ctx, agent.Turn{ConversationID: h.conv.ID, ClientID: fmt.Sprint(i), Text: "my item arrived damaged, can I get a refund?", Locale: tt.locale},
				func(e agent.Event) error { events = append(events, e); return nil })
			if err != nil {
				t.Fatal(err)
			}
			// Nothing the judge rejected was streamed before it was judged.
			streamed := deltas(events)
			for k, asked := range j.asked {
				got, err := tt.judge(asked)
				for n, s := range asked {
					if k == 0 && err == nil && !got[n] && strings.Contains(streamed, s) {
						t.Errorf("%q was streamed (deltas %q), then the judge rejected it", s, streamed)
					}
				}
			}
			// Once judged, the rest streams: the deltas make the reply.
			if strings.TrimSpace(streamed) != r.Assistant.Text {
				t.Errorf("deltas %q, want them to make the reply %q", streamed, r.Assistant.Text)
			}
			if r.Assistant.Text != tt.want || r.Assistant.Guardrail != tt.verdict {
				t.Errorf("reply %q (%s), want %q (%s)", r.Assistant.Text, r.Assistant.Guardrail, tt.want, tt.verdict)
			}
			_, rec, _ := h.storedReply(t, r.TurnID)
			if rec.Judge != tt.decision || len(j.asked) != 1 {
				t.Errorf("judge asked %d times (%q), recorded %q; want once, %q", len(j.asked), j.asked, rec.Judge, tt.decision)
			}
			if len(j.asked) > 0 && !strings.HasPrefix(tt.replies[0], j.asked[0][0]) {
				t.Errorf("judge asked about %q, want the first sentence of %q", j.asked[0], tt.replies[0])
			}
		})
	}
}

// The LLM judge speaks to an OpenAI-compatible model: the statements go
// out numbered with the evidence, the verdicts come back as JSON, and an
// unreadable or late answer is an error.
func TestLLMJudgeAsksTheModel(t *testing.T) {
	fake := fakellm.New(fakellm.Options{})
	up := httptest.NewServer(fake)
	t.Cleanup(up.Close)
	j := agent.NewLLMJudge(agent.NewOpenAI(agent.OpenAIConfig{BaseURL: up.URL + "/v1", Model: "judge", MaxRetries: 0}), 500*time.Millisecond)
	statements := []string{"Damaged items can be refunded.", "Refunds arrive within 1 hour."}
	evidence := []string{policyHit}
	tests := []struct {
		name  string
		reply fakellm.Reply
		want  []bool
		err   bool
	}{
		{"verdicts", fakellm.Text(`{"supported":[true,false]}`), []bool{true, false}, false},
		{"verdicts in prose", fakellm.Text("Sure: {\"supported\": [false, false]} done"), []bool{false, false}, false},
		{"wrong count", fakellm.Text(`{"supported":[true]}`), nil, true},
		{"not JSON", fakellm.Text("yes, both are fine"), nil, true},
		{"too late", fakellm.Reply{Text: `{"supported":[true,true]}`, Delay: 2 * time.Second}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake.Reset()
			fake.Push(tt.reply)
			got, _, err := j.Supported(t.Context(), statements, evidence)
			if (err != nil) != tt.err || fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("Supported = %v, %v; want %v (error %v)", got, err, tt.want, tt.err)
			}
			reqs := fake.Requests()
			user := reqs[len(reqs)-1].LastUser()
			if !strings.Contains(user, "1. Damaged items can be refunded.") || !strings.Contains(user, "2. Refunds arrive") || !strings.Contains(user, "refund window") {
				t.Errorf("the judge was asked %q, want the numbered statements and the evidence", user)
			}
		})
	}
}
