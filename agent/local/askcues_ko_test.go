package local

import "testing"

// Korean questions whether something is allowed end in many ways: the
// checking "되죠?"/"되지요?", "되요" typed for "돼요", "할수있" without its
// spaces. Each is asked whether it is allowed; a question of another kind
// keeps its kind.
func TestKoreanAllowedEndings(t *testing.T) {
	for _, tt := range []struct {
		q    string
		want askKind
	}{
		{"그럼 주전자 주문은 취소 되죠?", askAllowed},
		{"포장 뜯어도 반품 되지요?", askAllowed},
		{"사이즈 안 맞으면 교환 되요?", askAllowed},
		{"개봉한 이어폰도 환불 받을수있나요?", askAllowed},
		{"반품하면 배송비는 누가 내요?", askWhoPays},
	} {
		if got := classifyAsk(tt.q); got != tt.want {
			t.Errorf("classifyAsk(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}
