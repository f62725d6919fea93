package local

import "testing"

// "Please do not process the refund" takes back the card that waits, in
// the four languages and however politely it is put; the same verbs
// without the negation, and a new request, do not.
func TestConfirmationReadsPoliteStops(t *testing.T) {
	c := NewConfirmations(newModel(t).nlu)
	for _, tt := range []struct {
		locale, text string
		no           bool
	}{
		{"en", "On second thought, please do not process the refund. Thank you.", true},
		{"en", "don't go ahead with it, I found a use for the lamp", true},
		{"es", "Lo he pensado mejor: le ruego que no tramite la devolución.", true},
		{"es", "mejor no procese nada, gracias", true},
		{"ru", "Я передумала, не оформляйте, пожалуйста, возврат.", true},
		{"ru", "не запускайте отмену, заказ нужен", true},
		{"ko", "죄송하지만 반품은 진행하지 말아 주십시오.", true},
		{"ko", "환불 처리하지 마세요 그냥 쓸게요", true},
		{"en", "please process the refund", false},
		{"es", "tramite el reembolso, por favor", false},
		{"ru", "оформляйте возврат", false},
		{"ko", "환불 진행해 주세요", false},
	} {
		if _, no := c.Confirmation(tt.text, tt.locale); no != tt.no {
			t.Errorf("Confirmation(%q) no = %v, want %v", tt.text, no, tt.no)
		}
	}
}
