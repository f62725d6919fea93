package local

import "testing"

// A Korean order number followed by 주문 (order) is no number of weeks:
// "ORD-10265 주문 잘 들어갔나요?" asks whether the order went through, not
// a time limit, and was sent to the policies as one.
func TestTimeSpanKoreanWeeks(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"ORD-10265 주문 잘 들어갔나요? 메일이 안 와서요", false},
		{"10265 주소 바꿀 수 있나요?", false},
		{"받은 지 2주 지났는데 반품 되나요?", true},
		{"3주", true},
		{"30일 이내에 신청하면 되나요?", true},
	}
	for _, tt := range tests {
		if got := timeSpan.MatchString(tt.text); got != tt.want {
			t.Errorf("timeSpan.MatchString(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
