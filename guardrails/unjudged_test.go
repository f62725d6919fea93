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
