package local

import (
	"testing"

	"github.com/csagent/csagent/agent/local/nlu"
)

// A polite "please check whether the refund went through" asks after the
// refund, not for one; a refund asked for in so many words still is one.
func TestWhetherDoneAsksNoReturn(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"please check if the refund on ORD-20011 has gone through, thank you", false},
		{"ORD-20011 반품 환불 처리됐는지 확인 좀 부탁드려요", false},
		{"¿me puede confirmar si la devolución del ORD-20011 ya se hizo?", false},
		{"проверьте пожалуйста, возврат по ORD-20011 оформлен ли", false},
		{"I'd like to return the lantern from ORD-20011, it flickers", true},
		{"ORD-20011 주전자 환불 요청드립니다", true},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			for _, intent := range []nlu.Intent{nlu.RefundStatus, nlu.RefundRequest} {
				r := nlu.Result{Intent: intent, Confidence: 0.7}
				if got := asksReturnDone(r, tt.text); got != tt.want {
					t.Errorf("asksReturnDone(%s, %q) = %v, want %v", intent, tt.text, got, tt.want)
				}
			}
		})
	}
}

// An acknowledgement before "and …" still makes the message a follow-up;
// a word that merely begins like one does not.
func TestContinuesAfterAck(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"ok and the one from last week?", true},
		{"ok cool, and the lantern one?", true},
		{"alright, what about the jacket?", true},
		{"vale, ¿y el de la lámpara?", true},
		{"ладно, а тот что в понедельник?", true},
		{"네 그럼 다른 건은요?", true},
		{"okay", false},
		{"kettle and the blanket arrived", false},
		{"cool, thanks", false},
	}
	for _, tt := range tests {
		if got := continues(tt.text); got != tt.want {
			t.Errorf("continues(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
