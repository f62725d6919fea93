package guardrails

import "testing"

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"My card is 4111 1111 1111 1111.", "My card is [CARD]."},
		{"Card 4111-1111-1111-1111 please.", "Card [CARD] please."},
		{"Amex 378282246310005 ok", "Amex [CARD] ok"},
		{"Mastercard 5500005555555559.", "Mastercard [CARD]."},
		// Luhn negatives stay: a wrong check digit, an order of 16 digits.
		{"Card 4111 1111 1111 1112 is wrong.", "Card 4111 1111 1111 1112 is wrong."},
		{"Reference 1234567812345678.", "Reference 1234567812345678."},
		{"Call +82 10-1234-5678.", "Call [PHONE]."},
		{"Call 010-1234-5678 or 01012345678.", "Call [PHONE] or [PHONE]."},
		{"Seoul office 02-123-4567.", "Seoul office [PHONE]."},
		{"Llámeme al +34 612 345 678 o al 912 34 56 78.", "Llámeme al [PHONE] o al [PHONE]."},
		{"Мой номер +7 (912) 345-67-89 или 8 912 345-67-89.", "Мой номер [PHONE] или [PHONE]."},
		{"Call (555) 123-4567.", "Call [PHONE]."},
		{"Write to jane.doe+shop@example.co.uk today.", "Write to [EMAIL] today."},
		{"Send it to 221 Baker Street, Apt 4B, London.", "Send it to [ADDRESS], London."},
		{"주소는 서울시 강남구 테헤란로 123 입니다.", "주소는 [ADDRESS] 입니다."},
		{"Envíelo a Calle de Alcalá 45, Madrid.", "Envíelo a [ADDRESS], Madrid."},
		{"Адрес: ул. Ленина, д. 10, кв. 5, Москва.", "Адрес: [ADDRESS], Москва."},
		// Not personal data.
		{"Order ORD-10042 on 2026-05-06 for 42.50 USD.", "Order ORD-10042 on 2026-05-06 for 42.50 USD."},
		{"Tracking 1Z0123456789, CJ4081726354 and 1234567890.", "Tracking 1Z0123456789, CJ4081726354 and 1234567890."},
		{"Refund RF-7K2M9QX4BD of 1 500 000 ₽.", "Refund RF-7K2M9QX4BD of 1 500 000 ₽."},
	}
	for _, tt := range tests {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLuhn(t *testing.T) {
	for s, want := range map[string]bool{
		"4111111111111111": true, "4012888888881881": true, "6011111111111117": true,
		"4111111111111112": false, "1234567812345678": false, "123456789012": false,
	} {
		if got := luhn(s); got != want {
			t.Errorf("luhn(%s) = %v, want %v", s, got, want)
		}
	}
}
