package retrieval

import (
	"slices"
	"testing"
)

func TestFTSText(t *testing.T) {
	tests := []struct{ locale, in, want string }{
		{"en", "Refund window", "Refund window"},
		{"ko", "환불은 30일", " 환불 불은  30 일 "},
		{"ko", "Maru 결제", "Maru  결제 "},
		{"ko", "가", " 가 "},
		{"ja", "返金期間", " 返金 金期 期間 "},
		{"ru", "Возврат", "Возврат"},
	}
	for _, tt := range tests {
		if got := ftsText(tt.locale, tt.in); got != tt.want {
			t.Errorf("ftsText(%q, %q) = %q, want %q", tt.locale, tt.in, got, tt.want)
		}
	}
	for locale, want := range map[string]string{"en": "english", "es": "spanish", "ru": "russian", "ko": "simple", "xx": "simple"} {
		if got := textSearchConfig(locale); got != want {
			t.Errorf("textSearchConfig(%q) = %q, want %q", locale, got, want)
		}
	}
}

func TestTSQueryText(t *testing.T) {
	if got, want := tsqueryText([]string{"refund", "it's", `a\b`}), `'refund' | 'it''s' | 'a\\b'`; got != want {
		t.Errorf("tsqueryText = %s, want %s", got, want)
	}
	if got := tsqueryText(nil); got != "" {
		t.Errorf("tsqueryText(nil) = %q, want empty", got)
	}
}

func TestPruneLexemes(t *testing.T) {
	st := &lexemeStats{rows: 100000, freq: map[string]float32{"order": 0.2, "refund": 0.05, "day": 0.004, "gift": 0.002}}
	tests := []struct {
		name    string
		lexemes []string
		stats   *lexemeStats
		want    []string
	}{
		{"no statistics keeps everything", []string{"order", "gift", "gift"}, nil, []string{"gift", "order"}},
		{"common lexemes go first", []string{"order", "refund", "day", "gift", "zebra"}, st, []string{"day", "gift", "zebra"}},
		{"the rarest stays even over budget", []string{"order", "refund"}, st, []string{"refund"}},
		{"small corpora keep everything", []string{"order", "refund"}, &lexemeStats{rows: 300, freq: st.freq}, []string{"order", "refund"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pruneLexemes(tt.lexemes, tt.stats, 700); !slices.Equal(got, tt.want) {
				t.Errorf("pruneLexemes(%v) = %v, want %v", tt.lexemes, got, tt.want)
			}
		})
	}
}

func TestFuse(t *testing.T) {
	vec := []ranked{{id: 1}, {id: 2}, {id: 3}}
	fts := []ranked{{id: 3}, {id: 4}}
	got := fuse([]float64{1, 1}, vec, fts)
	var ids []int64
	for _, r := range got {
		ids = append(ids, r.id)
	}
	// 3 is in both lists; 1 is first in one; 2 and 4 are both second in
	// one list, and the lower id breaks the tie.
	if want := []int64{3, 1, 2, 4}; !slices.Equal(ids, want) {
		t.Errorf("fuse = %v, want %v", ids, want)
	}
	if got[0].score <= got[1].score {
		t.Errorf("fused scores not descending: %v", got)
	}

	// Weighted, the lighter list's first place loses to the heavier
	// list's: at equal weight 1 (first in vec) would beat 4 (second in
	// fts); at 0.5 against 1 it does not.
	got = fuse([]float64{0.5, 1}, vec, fts)
	ids = ids[:0]
	for _, r := range got {
		ids = append(ids, r.id)
	}
	if want := []int64{3, 4, 1, 2}; !slices.Equal(ids, want) {
		t.Errorf("weighted fuse = %v, want %v", ids, want)
	}
}
