package guardrails

import (
	"slices"
	"testing"
)

// A policy statement the evidence has no prose in its language to score
// passes as Unjudged, for a judge to decide; in CheckOutput and in a
// Stream alike.
func TestUnjudgedPolicyStatements(t *testing.T) {
	c := newChecker(t)
	const statement = "정책에 따라 손상된 상품은 환불 기간 내에 판매자에게 요청하면 환불받을 수 있습니다."
	reply := statement + " 더 도와드릴 일이 있을까요?"
	english := Evidence{Texts: []string{`{"hits":[{"text":"If an item arrives damaged, ask the seller for a refund within the refund window."}]}`}}
	korean := Evidence{Texts: []string{`{"hits":[{"text":"상품이 손상되어 도착한 경우 환불 기간 내에 판매자에게 환불을 요청하면 환불받을 수 있습니다."}]}`}}
	tests := []struct {
		name string
		ev   Evidence
		want []string
	}{
		{"english evidence", english, []string{statement}},
		{"korean evidence", korean, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.CheckOutput(reply, "ko", "buyer", tt.ev)
			if r.Verdict != Pass || !slices.Equal(r.Unjudged, tt.want) {
				t.Errorf("CheckOutput = %s, unjudged %q; want pass, %q", r.Verdict, r.Unjudged, tt.want)
			}
			s := c.NewStream("ko", "buyer", tt.ev)
			rs := []rune(reply)
			for _, piece := range []string{string(rs[:9]), string(rs[9:30]), string(rs[30:])} {
				s.Write(piece)
			}
			s.Flush()
			if sr := s.Result(); !slices.Equal(sr.Unjudged, tt.want) {
				t.Errorf("Stream.Result().Unjudged = %q, want %q", sr.Unjudged, tt.want)
			}
		})
	}
}

// TestCrossLanguageRestatement holds that a reply restating, in the
// buyer's language, a tool message written in English is left to a judge
// rather than scored against the buyer's own question (the one prose in
// its language) and replaced by the fallback; a statement that evidence
// in its own language contradicts is still low support.
func TestCrossLanguageRestatement(t *testing.T) {
	c := newChecker(t)
	const (
		reply    = "Срок возврата по этому заказу истёк, поэтому оформить возврат здесь нельзя. Возможно, ещё можно открыть спор."
		question = "Верните деньги за заказ ORD-40129"
	)
	expired := `{"ok":false,"error":{"code":"window_expired","message":"the 30-day refund window of order ORD-40129 ended on 2026-11-05; if the item has a problem (damaged, wrong, not as described, counterfeit), a dispute can still be opened until 2026-12-05 (open_dispute)"}}`
	russianPolicy := `{"hits":[{"text":"Подарочные карты не подлежат возврату. Цифровые товары после загрузки вернуть нельзя."}]}`
	tests := []struct {
		name     string
		ev       []string
		wantPass bool
	}{
		{"english tool message, russian question", []string{question, expired}, true},
		{"only russian evidence that does not say it", []string{question, russianPolicy}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.CheckOutput(reply, "ru", "buyer", Evidence{Texts: tt.ev})
			low := slices.ContainsFunc(r.Violations, func(v Violation) bool { return v.Type == TypeLowSupport })
			if tt.wantPass && (r.Verdict != Pass || low) {
				t.Errorf("CheckOutput = %s %+v, want pass", r.Verdict, r.Violations)
			}
			if !tt.wantPass && !low {
				t.Errorf("CheckOutput = %s %+v, want low support", r.Verdict, r.Violations)
			}
		})
	}
}
