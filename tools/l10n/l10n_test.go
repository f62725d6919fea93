package l10n

import (
	"testing"
	"time"
)

func TestMoney(t *testing.T) {
	tests := []struct {
		locale string
		minor  int64
		code   string
		want   string
	}{
		{"ko", 286000, "KRW", "₩286,000"},
		{"en", 286000, "KRW", "₩286,000"},
		{"ru", 500000, "RUB", "5 000,00 ₽"},
		{"es", 13640, "EUR", "136,40 €"},
		{"en", 13640, "EUR", "€136.40"},
		{"en", 27298, "USD", "$272.98"},
		{"en", 500000, "RUB", "RUB 5,000.00"},
		{"es", 6998, "USD", "69,98 US$"},
		{"es", 500000, "EUR", "5000,00 €"},
		{"es", 1200000, "EUR", "12.000,00 €"},
		{"es", 286000, "KRW", "286.000 KRW"},
		{"ko-KR", 1500, "KRW", "₩1,500"},
		{"fr", 100, "USD", "$1.00"}, // other languages read English
		{"en", -4250, "USD", "-$42.50"},
		{"ru", 0, "RUB", "0,00 ₽"},
		{"en", 1234, "XYZ", "1234 XYZ"},
	}
	for _, tt := range tests {
		if got := Money(tt.locale, tt.minor, tt.code); got != tt.want {
			t.Errorf("Money(%q, %d, %q) = %q, want %q", tt.locale, tt.minor, tt.code, got, tt.want)
		}
	}
}

func TestDate(t *testing.T) {
	d := time.Date(2026, 11, 27, 23, 30, 0, 0, time.FixedZone("KST", 9*3600)) // 14:30 UTC
	tests := map[string]string{
		"en": "November 27, 2026",
		"ko": "2026년 11월 27일",
		"es": "27 de noviembre de 2026",
		"ru": "27 ноября 2026",
	}
	for locale, want := range tests {
		if got := Date(locale, d); got != want {
			t.Errorf("Date(%q) = %q, want %q", locale, got, want)
		}
	}
}

func TestParticles(t *testing.T) {
	tests := []struct{ in, want string }{
		{"주문 ORD-10102은(는) 배송 중입니다.", "주문 ORD-10102는 배송 중입니다."},
		{"주문 ORD-10007은(는) 배송 중입니다.", "주문 ORD-10007은 배송 중입니다."},
		{"Correos(으)로 발송되었습니다.", "Correos로 발송되었습니다."},
		{"CJ대한통운(으)로 발송되었습니다.", "CJ대한통운으로 발송되었습니다."},
		{"우체국(으)로", "우체국으로"},
		{"서울(으)로", "서울로"},
		{"ORD-10007(으)로", "ORD-10007로"}, // 칠: ㄹ
		{"ORD-10003(으)로", "ORD-10003으로"},
		{"UPS(으)로", "UPS로"},
		{"DHL(으)로", "DHL로"},
		{"환불 RF-AB12N이(가) 완료", "환불 RF-AB12N이 완료"},
		{"₩286,000이(가) 환불됩니다", "₩286,000이 환불됩니다"},
		{"«Споры»이(가)", "«Споры»이"}, // unknown ending: the consonant form
		{"배송사(운송장 123)을(를) 통해", "배송사(운송장 123)를 통해"},
		{"CJ대한통운(운송장 CJ4081726354)을(를) 통해", "CJ대한통운(운송장 CJ4081726354)을 통해"},
		{"5 000,00 ₽이(가)", "5 000,00 ₽가"}, // 루블
		{"136,40 €이(가)", "136,40 €가"},     // 유로
		{"₩1,500(으)로", "₩1,500으로"},
		{"상품과(와) 주문", "상품과 주문"},
		{"no particles here", "no particles here"},
	}
	for _, tt := range tests {
		if got := Particles(tt.in); got != tt.want {
			t.Errorf("Particles(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
