package retrieval_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/retrieval"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestSearchVersionsAndEffectiveDates(t *testing.T) {
	s, _ := newStore(t)
	put(t, s,
		policyDoc{id: "refunds", locale: "en", version: 1, effective: "2026-01-01", body: "## Window\n\nRefunds within ten days."},
		policyDoc{id: "refunds", locale: "en", version: 2, effective: "2026-07-01", body: "## Window\n\nRefunds within twenty days."},
	)
	tests := []struct {
		at   string
		want []string
	}{
		{"2025-12-31", nil},
		{"2026-01-01", []string{"refunds/en v1"}},
		{"2026-06-30", []string{"refunds/en v1"}},
		{"2026-07-01", []string{"refunds/en v2"}},
		{"2027-01-01", []string{"refunds/en v2"}},
	}
	for _, mode := range retrieval.Modes() {
		for _, tt := range tests {
			hits := search(t, s, retrieval.Query{Text: "refund window days", At: date(tt.at), Mode: mode})
			if got := docsOf(hits); !slices.Equal(got, tt.want) {
				t.Errorf("%s search at %s = %v, want %v", mode, tt.at, got, tt.want)
			}
		}
	}
}

func TestSearchLocaleFallback(t *testing.T) {
	s, _ := newStore(t)
	put(t, s,
		policyDoc{id: "refunds", locale: "en", body: "## Window\n\nRefunds within thirty days."},
		policyDoc{id: "refunds", locale: "ko", body: "## 기간\n\n환불은 30일 이내."},
		policyDoc{id: "shipping", locale: "en", body: "## Time\n\nShipping takes two days; refunds are separate."},
	)
	tests := []struct {
		locale, text string
		want         []string
	}{
		// Korean readers get the Korean refunds policy and, having no
		// Korean shipping policy, the English one; never English refunds.
		{"ko", "환불 shipping refunds", []string{"refunds/ko v1", "shipping/en v1"}},
		{"en", "refunds shipping", []string{"refunds/en v1", "shipping/en v1"}},
		// A locale with no documents at all falls back to English.
		{"de", "refunds shipping", []string{"refunds/en v1", "shipping/en v1"}},
	}
	for _, tt := range tests {
		hits := search(t, s, retrieval.Query{Text: tt.text, Locale: tt.locale, K: 10})
		got := docsOf(hits)
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Search(%s) found %v, want %v", tt.locale, got, tt.want)
		}
	}
}

func TestSearchAudience(t *testing.T) {
	s, _ := newStore(t)
	put(t, s,
		policyDoc{id: "buyers", locale: "en", audience: "buyer", body: "Shipping rule for buyers."},
		policyDoc{id: "sellers", locale: "en", audience: "seller", body: "Shipping rule for sellers."},
		policyDoc{id: "everyone", locale: "en", audience: "both", body: "Shipping rule for everyone."},
	)
	tests := []struct {
		audience string
		want     []string
	}{
		{"buyer", []string{"buyers/en v1", "everyone/en v1"}},
		{"seller", []string{"buyers/en v1", "everyone/en v1", "sellers/en v1"}},
		{"", []string{"buyers/en v1", "everyone/en v1", "sellers/en v1"}},
	}
	for _, tt := range tests {
		got := docsOf(search(t, s, retrieval.Query{Text: "shipping rule", Audience: tt.audience, K: 10}))
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Search(audience %q) = %v, want %v", tt.audience, got, tt.want)
		}
	}
}

func TestSearchRefusesAnotherModel(t *testing.T) {
	s, pool := newStore(t)
	put(t, s, policyDoc{id: "refunds", locale: "en", body: "Refunds within thirty days."})
	other := retrieval.NewStore(pool, retrieval.WithEmbedder(otherModel("text-embedding-3-small@384")))
	for _, mode := range []retrieval.Mode{retrieval.Hybrid, retrieval.Vector} {
		_, err := other.Search(t.Context(), retrieval.Query{Text: "refunds", Mode: mode})
		if !errors.Is(err, retrieval.ErrModelMismatch) || !strings.Contains(err.Error(), "local-ngram-v1-384") {
			t.Errorf("%s search with another model = %v, want ErrModelMismatch naming the stored model", mode, err)
		}
	}
	// Full text needs no vectors, so it still answers.
	if hits, err := other.Search(t.Context(), retrieval.Query{Text: "refunds", Mode: retrieval.FullText}); err != nil || len(hits) != 1 {
		t.Errorf("full-text search with another model = %v, %v; want the document", hits, err)
	}
}

func TestSearchRefusesBadQueries(t *testing.T) {
	s, _ := newStore(t)
	tests := []struct {
		name string
		q    retrieval.Query
	}{
		{"empty", retrieval.Query{Text: "  "}},
		{"too long", retrieval.Query{Text: strings.Repeat("a", retrieval.MaxQueryChars+1)}},
		{"k too big", retrieval.Query{Text: "x", K: retrieval.MaxK + 1}},
		{"bad locale", retrieval.Query{Text: "x", Locale: "eng"}},
		{"bad audience", retrieval.Query{Text: "x", Audience: "admin"}},
		{"bad mode", retrieval.Query{Text: "x", Mode: 9}},
	}
	for _, tt := range tests {
		if _, err := s.Search(t.Context(), tt.q); !errors.Is(err, retrieval.ErrInvalidQuery) {
			t.Errorf("Search(%s) = %v, want ErrInvalidQuery", tt.name, err)
		}
	}
	if hits := search(t, s, retrieval.Query{Text: "nothing stored"}); len(hits) != 0 {
		t.Errorf("Search on an empty store = %v", hits)
	}
}

func TestSearchHitsCarryCitations(t *testing.T) {
	s, _ := newStore(t)
	if _, err := retrieval.NewIngester(s).IngestFS(t.Context(), retrieval.DemoPolicies(), retrieval.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	hits := search(t, s, retrieval.Query{Text: "Who pays return shipping when the item arrived damaged?", Audience: "buyer"})
	if len(hits) != retrieval.DefaultK {
		t.Fatalf("Search returned %d hits, want %d", len(hits), retrieval.DefaultK)
	}
	h := hits[0]
	if h.Citation() != "[refunds §Return shipping costs]" || h.Title != "Refunds and returns" || h.Version != 3 ||
		h.HeadingPath != "Refunds and returns > Return shipping costs" || h.ChunkID == 0 || h.Score <= 0 {
		t.Errorf("first hit = %+v", h)
	}
	for i := 1; i < len(hits); i++ {
		if hits[i].Score > hits[i-1].Score {
			t.Errorf("scores not descending at %d: %v", i, hits)
		}
	}
}
