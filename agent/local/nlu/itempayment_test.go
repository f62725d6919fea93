package nlu

import "testing"

// A gift card named as the means of payment is not the goods meant; the
// card bought, or its code, still is.
func TestMatchItemGiftCardAsPayment(t *testing.T) {
	tests := []struct{ text, want string }{
		{"I paid for the boots using my gift card, can I get them refunded?", "Trail hiking boots"},
		{"refund goes where if I used a gift card?", ""},
		{"compré la paellera con una tarjeta regalo y quiero devolverla", "Paellera de acero pulido"},
		{"оплатила самовар подарочной картой, а он не греет", "Электрический самовар"},
		{"상품권으로 결제한 담요 환불돼요?", "극세사 담요"},
		// The card itself.
		{"the gift card I bought never showed up in my inbox", "Maple & Pine gift card"},
		{"never received the code of my gift card", "Maple & Pine gift card"},
		{"quiero devolver la tarjeta regalo", "Maple & Pine gift card"},
		{"подарочная карта так и не пришла", "Maple & Pine gift card"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := ""
			if k := MatchItem(tt.text, catalogue); k >= 0 {
				got = catalogue[k]
			}
			if got != tt.want {
				t.Errorf("MatchItem(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}
