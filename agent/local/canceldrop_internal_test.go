package local

import (
	"testing"

	"github.com/csagent/csagent/agent/local/nlu"
)

// A cancellation pointed at what was just proposed calls the card off
// ("hold on, cancel that"); one naming an order, or said negated, does
// not; a bare hold is no drop either (holdReply keeps the card).
func TestDropsCard(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"actually hold on cancel that I'm going to try breaking them in first", true},
		{"wait cancel, I changed my mind", true},
		{"hmm scrap that, I'll keep the jacket", true},
		{"espera, cancélalo, lo voy a pensar", true},
		{"mejor anula eso por ahora", true},
		{"погодите, отмените это, я ещё подумаю", true},
		{"стоп, отмени это пожалуйста", true},
		{"잠깐만요 그거 취소해 주세요", true},
		{"아 방금 거 취소할게요", true},
		{"actually, cancel it. I'll keep them", true},
		{"cancel", true},
		{"no, cancela", true},
		{"отмена", true},
		{"хотя нет, отменяйте", true},
		{"취소할게요", true},
		{"생각해보니 취소해 주세요", true},
		{"hold on a sec", false},
		{"cancel my order instead", false},
		{"i want to cancel and get my money back", false},
		{"wait, don't cancel it", false},
		{"espera, no lo anules", false},
		{"погодите, не отменяйте", false},
		{"잠깐만요 취소하지 마세요", false},
		{"wait, cancel order 10150 instead", false},
		{"подождите, отмените заказ", false},
	}
	for _, tt := range tests {
		if got := dropsCard(tt.text); got != tt.want {
			t.Errorf("dropsCard(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// A message that only gives an order number ("주문번호 ORD-10141 이에요")
// gives it; one that asks about the order, or says more, does not.
func TestGivesOrderOnly(t *testing.T) {
	tests := []struct {
		text string
		act  nlu.Act
		want bool
	}{
		{"ORD-10150", nlu.ActOther, true},
		{"it's order number 10150", nlu.ActOther, true},
		{"주문번호 ORD-10141 이에요", nlu.ActOther, true},
		{"el número es el 10150", nlu.ActOther, true},
		{"номер заказа 10150", nlu.ActOther, true},
		{"where is ORD-10150?", nlu.ActQuestion, false},
		{"ORD-10150 arrived broken and the box was wet, what now", nlu.ActOther, false},
		{"¿dónde está el 10150", nlu.ActOther, false},
	}
	for _, tt := range tests {
		r := nlu.Result{Act: tt.act, Slots: nlu.Slots{OrderID: "ORD-10150"}}
		if got := givesOrderOnly(r, tt.text); got != tt.want {
			t.Errorf("givesOrderOnly(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// A word or two that keep the order after a card was called off say it
// stays as it is; a longer message or a question does not.
func TestKeepsAsIs(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"keep it", true},
		{"ok I'll keep it thanks", true},
		{"lo dejo así", true},
		{"mejor mantenerlo", true},
		{"оставить", true},
		{"оставляю, спасибо", true},
		{"ostavit", true},
		{"그냥 둘게요", true},
		{"주문 유지해 주세요", true},
		{"keep it? what does that mean for my refund", false},
		{"I want to keep the socks but send the boots back for a refund please", false},
		{"отменить", false},
	}
	for _, tt := range tests {
		if got := keepsAsIs(tt.text); got != tt.want {
			t.Errorf("keepsAsIs(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
