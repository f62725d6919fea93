package retrieval_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"testing"

	"github.com/csagent/csagent/retrieval"
	"github.com/csagent/csagent/tools"
)

// search_policy answers a question no policy covers with no passage, and
// keeps the passages that answer the labeled questions.
func TestSearchToolDropsOffTopicPassages(t *testing.T) {
	s, pool := newStore(t)
	if _, err := retrieval.NewIngester(s).IngestFS(t.Context(), retrieval.DemoPolicies(), retrieval.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	reg, err := tools.NewRegistry(slog.New(slog.NewTextHandler(io.Discard, nil)), tools.NewAudit(pool), retrieval.SearchTool(s))
	if err != nil {
		t.Fatal(err)
	}
	search := func(t *testing.T, locale, q string) []retrieval.ToolHit {
		t.Helper()
		ctx := tools.NewContext(t.Context(), tools.Caller{Role: tools.RoleSeller, ID: "s1", ShopID: "shop1", Locale: locale})
		args, _ := json.Marshal(map[string]any{"query": q})
		out := reg.Call(ctx, tools.Call{Name: "search_policy", Arguments: args})
		if out.Err != nil {
			t.Fatalf("search_policy(%q) = %v", q, out.Err)
		}
		var res retrieval.ToolResult
		if err := json.Unmarshal(out.Data, &res); err != nil {
			t.Fatal(err)
		}
		return res.Hits
	}

	offTopic := []struct{ locale, q string }{
		{"en", "What is your policy on bringing my dog to your office?"},
		{"en", "What is the policy on employee parking?"},
		{"en", "What is your policy on unicorns?"},
		{"en", "Can I pay with seashells?"},
		{"ko", "직원 주차 정책이 어떻게 되나요?"},
		{"es", "¿Cuál es la política sobre traer perros a la oficina?"},
		{"ru", "Какие правила парковки для сотрудников?"},
		{"ru", "Можно ли взять собаку в офис?"},
	}
	for _, tt := range offTopic {
		if hits := search(t, tt.locale, tt.q); len(hits) != 0 {
			t.Errorf("search_policy(%q) = %d passages, first %s; want none", tt.q, len(hits), hits[0].Citation)
		}
	}

	// A question in another script than the passages (an LLM asking in
	// English for a Korean buyer) cannot be judged by its words: the
	// passages stay.
	if hits := search(t, "ko", "How long is the refund window?"); len(hits) == 0 || hits[0].Locale != "ko" {
		t.Errorf("an English question over Korean policies = %+v, want Korean passages", hits)
	}

	// The filter may only cost a little recall: the labeled questions whose
	// answer is among the five hits of the search are counted, and nearly
	// all of them must keep it.
	questions, err := retrieval.LabeledQuestions()
	if err != nil {
		t.Fatal(err)
	}
	found, kept := 0, 0
	for _, q := range questions {
		raw, err := s.Search(t.Context(), retrieval.Query{Text: q.Text, Locale: q.Locale, K: 5})
		if err != nil {
			t.Fatal(err)
		}
		if !answers(q, raw) {
			continue
		}
		found++
		var hits []retrieval.Hit
		for _, h := range search(t, q.Locale, q.Text) {
			hits = append(hits, retrieval.Hit{DocID: h.DocID, HeadingPath: h.HeadingPath})
		}
		if answers(q, hits) {
			kept++
		} else {
			t.Logf("lost the answer to %s %q", q.Locale, q.Text)
		}
	}
	t.Logf("the filter kept the answer of %d of %d labeled questions the search answered", kept, found)
	if found < 200 || float64(kept) < 0.97*float64(found) {
		t.Errorf("the filter kept the answer of %d of %d labeled questions, want at least 97%%", kept, found)
	}
}

func answers(q retrieval.Question, hits []retrieval.Hit) bool {
	for _, h := range hits {
		for _, a := range q.Answers {
			if a.Matches(h) {
				return true
			}
		}
	}
	return false
}
