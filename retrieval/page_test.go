package retrieval

import "testing"

func TestAnchor(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Refund window", "refund-window"},
		{"  Who pays -- return shipping?  ", "who-pays-return-shipping"},
		{"환불 기간", "환불-기간"},
		{"Срок возврата", "срок-возврата"},
		{"Plazo de reembolso (30 días)", "plazo-de-reembolso-30-días"},
		{"!!!", "section"},
	}
	for _, tt := range tests {
		if got := Anchor(tt.in); got != tt.want {
			t.Errorf("Anchor(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPageURL(t *testing.T) {
	if got, want := PageURL("refunds", "ko", "환불 기간"), "/policies/refunds/ko#환불-기간"; got != want {
		t.Errorf("PageURL = %q, want %q", got, want)
	}
	if got, want := PageURL("refunds", "en", ""), "/policies/refunds/en"; got != want {
		t.Errorf("PageURL without a heading = %q, want %q", got, want)
	}
}
