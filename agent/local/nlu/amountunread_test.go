package nlu

import "testing"

// Money written with a currency that no refund can be is flagged, not
// dropped (which read the request as one for the whole order) and not
// misread ("$0.001" as one dollar); readable amounts are as before.
func TestAmountUnread(t *testing.T) {
	tests := []struct {
		text   string
		unread bool
		minor  int64 // 0: no amount read
	}{
		{"I want $-5 back for ORD-10005", true, 0},
		{"refund -5 euros on ORD-10005", true, 0},
		{"refund 1e308 USD for ORD-10005", true, 0},
		{"refund $0.001 of ORD-10005", true, 0},
		{"refund 99999999999999999999999 dollars ORD-10005", true, 0},
		{"верните 0 руб по заказу 10005", true, 0},
		{"refund $20 of ORD-10005", false, 2000},
		{"верните 5 000 руб по заказу 10005", false, 500000},
		{"환불 3만원만 해주세요", false, 30000},
		{"reembolso de 1.500,50 € del pedido 10005", false, 150050},
		{"where is ORD-10005", false, 0},
	}
	for _, tt := range tests {
		s := ExtractSlots(tt.text)
		if s.AmountUnread != tt.unread {
			t.Errorf("%q: AmountUnread %v, want %v", tt.text, s.AmountUnread, tt.unread)
		}
		var got int64
		if s.Amount != nil {
			got = s.Amount.Minor
		}
		if got != tt.minor {
			t.Errorf("%q: amount %d, want %d", tt.text, got, tt.minor)
		}
	}
}
