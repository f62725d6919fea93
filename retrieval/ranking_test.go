package retrieval_test

import (
	"testing"

	"github.com/csagent/csagent/retrieval"
)

// Questions the hybrid search once answered with the wrong section first,
// because the built-in embedder's ranking outvoted full-text's (see
// localVectorWeight). Each must now put its answer first.
func TestHybridRanksTheAnsweringSectionFirst(t *testing.T) {
	s, pool := newStore(t)
	if _, err := retrieval.NewIngester(s).IngestFS(t.Context(), retrieval.DemoPolicies(), retrieval.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(t.Context(), `ANALYZE policy_documents, policy_chunks`); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		locale, question string
		want             retrieval.Answer
	}{
		{"ko", "배송받은 후 며칠 안에 환불을 요청할 수 있나요?", retrieval.Answer{DocID: "refunds", Heading: "환불 신청 기간"}},
		{"en", "Until when can I open a dispute after delivery?", retrieval.Answer{DocID: "disputes", Heading: "All other reasons"}},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			hits, err := s.Search(t.Context(), retrieval.Query{Text: tt.question, Locale: tt.locale, Audience: "buyer"})
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) == 0 || !tt.want.Matches(hits[0]) {
				var got []string
				for _, h := range hits {
					got = append(got, h.Citation())
				}
				t.Errorf("Search(%q) = %v, want %s §%s first", tt.question, got, tt.want.DocID, tt.want.Heading)
			}
		})
	}
}
