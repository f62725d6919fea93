package nlu

import "testing"

func TestDetectLocale(t *testing.T) {
	tests := []struct {
		text, hint, want string
	}{
		{"where is my order?", "", "en"},
		{"where is my order?", "es", "en"},
		{"¿dónde está mi pedido?", "", "es"},
		{"donde esta mi pedido", "", "es"},
		{"quiero cancelar", "en", "es"},
		{"gracias", "", "es"},
		{"hola", "en", "es"},
		{"thanks", "es", "en"},
		{"necesito el tracking de mi pedido", "", "es"},
		{"배송 언제 와요?", "", "ko"},
		{"환불 refund 해주세요", "", "ko"},
		{"ORD-10042 배송 조회", "en", "ko"},
		{"ㅇㅇ", "", "ko"},
		{"где мой заказ?", "", "ru"},
		{"хочу refund за заказ", "", "ru"},
		{"translate this to Korean: 배송이 늦어요", "", "en"},
		// No evidence: the hint, normalised, then English.
		{"ORD-10042", "ko", "ko"},
		{"ORD-10042", "es-MX", "es"},
		{"ok", "ru_RU", "ru"},
		{"ok", "", "en"},
		{"12345", "fr", "en"},
		{"", "KO", "ko"},
		{"", "", "en"},
	}
	for _, tt := range tests {
		t.Run(tt.text+"/"+tt.hint, func(t *testing.T) {
			if got := DetectLocale(tt.text, tt.hint); got != tt.want {
				t.Errorf("DetectLocale(%q, %q) = %q, want %q", tt.text, tt.hint, got, tt.want)
			}
		})
	}
}
