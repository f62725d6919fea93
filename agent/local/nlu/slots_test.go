package nlu

import "testing"

func TestExtractSlotsOrderID(t *testing.T) {
	tests := []struct {
		text string
		want string
	}{
		{"ORD-10042", "ORD-10042"},
		{"ORD-10042?", "ORD-10042"},
		{"where is ord10042", "ORD-10042"},
		{"ord 10042 status", "ORD-10042"},
		{"Ord_10042", "ORD-10042"},
		{"ＯＲＤ－１００４２", "ORD-10042"},
		{"order #10042 hasn't shipped", "ORD-10042"},
		{"my order number is 10042", "ORD-10042"},
		{"order no. 10042", "ORD-10042"},
		{"order id: 10042", "ORD-10042"},
		{"#10042", "ORD-10042"},
		{"check # 10042 please", "ORD-10042"},
		{"10042", "ORD-10042"},
		{"10042?", "ORD-10042"},
		{"the package 10042 never came", "ORD-10042"},
		{"주문번호 10042 배송 언제 와요?", "ORD-10042"},
		{"주문 번호는 10042입니다", "ORD-10042"},
		{"주문10042 취소해주세요", "ORD-10042"},
		{"ORD-10042번 주문", "ORD-10042"},
		{"10042번 주문 배송 조회", "ORD-10042"},
		{"pedido 10042", "ORD-10042"},
		{"mi pedido nº 10042 no llegó", "ORD-10042"},
		{"número de pedido: 10042", "ORD-10042"},
		{"orden #10042", "ORD-10042"},
		{"заказ 10042", "ORD-10042"},
		{"заказ №10042 не пришёл", "ORD-10042"},
		{"номер заказа 10042", "ORD-10042"},
		{"где мой заказ? номер 10042", "ORD-10042"},
		// Negatives.
		{"", ""},
		{"where is my order", ""},
		{"ORD-1004", ""},
		{"ORD-100423", ""},
		{"I ordered it in 2024", ""},
		{"order placed 2024-03-15", ""},
		{"call me at 555-12345 about my order", ""},
		{"my phone is 010-1234-5678, order not here", ""},
		{"order zip code 10001", ""},
		{"the order was 15000원", ""},
		{"주문 15000원 결제했는데", ""},
		{"I have 12345 reasons", ""},
		{"refund RF-10042 please", ""},
		{"dispute DSP-10042", ""},
		{"order 123456", ""},
		{"order 12-345", ""},
		{"order 555 12345", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := ExtractSlots(tt.text).OrderID; got != tt.want {
				t.Errorf("ExtractSlots(%q).OrderID = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestExtractSlotsRefundAndDisputeID(t *testing.T) {
	tests := []struct {
		text            string
		refund, dispute string
	}{
		{"status of RF-20931?", "RF-20931", ""},
		{"refund rf-9a3f0c", "RF-9A3F0C", ""},
		{"환불번호 RF-0042 확인", "RF-0042", ""},
		{"reembolso rf 77812", "RF-77812", ""},
		{"dispute DSP-5521 update", "", "DSP-5521"},
		{"спор dsp-00017", "", "DSP-00017"},
		{"RF-123 and DSP-456", "RF-123", "DSP-456"},
		{"rf-face is not an id", "", ""},
		{"perf-1234", "", ""},
		{"dsp-abc", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			s := ExtractSlots(tt.text)
			if s.RefundID != tt.refund {
				t.Errorf("ExtractSlots(%q).RefundID = %q, want %q", tt.text, s.RefundID, tt.refund)
			}
			if s.DisputeID != tt.dispute {
				t.Errorf("ExtractSlots(%q).DisputeID = %q, want %q", tt.text, s.DisputeID, tt.dispute)
			}
		})
	}
}

func TestExtractSlotsAmount(t *testing.T) {
	tests := []struct {
		text     string
		minor    int64
		currency string // "" means no amount expected
	}{
		{"$20", 2000, "USD"},
		{"refund me $20 now", 2000, "USD"},
		{"20 dollars", 2000, "USD"},
		{"20.50 USD", 2050, "USD"},
		{"US$ 5", 500, "USD"},
		{"it cost $1,299.99", 129999, "USD"},
		{"USD 45", 4500, "USD"},
		{"20 bucks", 2000, "USD"},
		{"20달러 환불", 2000, "USD"},
		{"30 dólares", 3000, "USD"},
		{"€15,50", 1550, "EUR"},
		{"15.50 EUR", 1550, "EUR"},
		{"15 euros", 1500, "EUR"},
		{"1.250,75 €", 125075, "EUR"},
		{"devuélveme 20€", 2000, "EUR"},
		{"₩15,000", 15000, "KRW"},
		{"15000원", 15000, "KRW"},
		{"15,000 won", 15000, "KRW"},
		{"15000원이요", 15000, "KRW"},
		{"3만원 환불", 30000, "KRW"},
		{"1.5만 원", 15000, "KRW"},
		{"2만5천원", 25000, "KRW"},
		{"KRW 9900", 9900, "KRW"},
		{"1 500 ₽", 150000, "RUB"},
		{"1\u00a0500\u00a0₽", 150000, "RUB"},
		{"1500 руб", 150000, "RUB"},
		{"1500 руб.", 150000, "RUB"},
		{"1500 рублей", 150000, "RUB"},
		{"верните 990,50 рубля", 99050, "RUB"},
		{"1500р", 150000, "RUB"},
		{"20 евро", 2000, "EUR"},
		{"first $5 then $10", 500, "USD"},
		// Negatives.
		{"10 days", 0, ""},
		{"I waited 2 weeks", 0, ""},
		{"3 items", 0, ""},
		{"50% off", 0, ""},
		{"5 раз звонил", 0, ""},
		{"3 wonders", 0, ""},
		{"2 불량품", 0, ""},
		{"ORD-15000", 0, ""},
		{"in 2024", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := ExtractSlots(tt.text).Amount
			switch {
			case tt.currency == "" && got != nil:
				t.Errorf("ExtractSlots(%q).Amount = %+v, want nil", tt.text, *got)
			case tt.currency != "" && got == nil:
				t.Errorf("ExtractSlots(%q).Amount = nil, want {%d %s}", tt.text, tt.minor, tt.currency)
			case tt.currency != "" && (got.Minor != tt.minor || got.Currency != tt.currency):
				t.Errorf("ExtractSlots(%q).Amount = %+v, want {%d %s}", tt.text, *got, tt.minor, tt.currency)
			}
		})
	}
}

func TestExtractSlotsReason(t *testing.T) {
	tests := []struct {
		text, want string
	}{
		{"my package never arrived", ReasonNotReceived},
		{"I haven't received my order", ReasonNotReceived},
		{"주문한 게 아직 안 왔어요", ReasonNotReceived},
		{"택배 안왔어요", ReasonNotReceived},
		{"mi pedido no llegó", ReasonNotReceived},
		{"no me ha llegado nada", ReasonNotReceived},
		{"посылка не пришёл", ReasonNotReceived},
		{"я не получил заказ", ReasonNotReceived},
		{"the mug arrived broken", ReasonDamaged},
		{"screen is cracked", ReasonDamaged},
		{"상품이 파손되어 왔어요", ReasonDamaged},
		{"llegó roto", ReasonDamaged},
		{"товар сломан", ReasonDamaged},
		{"they sent the wrong item", ReasonWrongItem},
		{"다른 상품이 왔어요", ReasonWrongItem},
		{"me llegó un producto equivocado", ReasonWrongItem},
		{"прислали не тот товар", ReasonWrongItem},
		{"this bag is fake", ReasonCounterfeit},
		{"가품인 것 같아요", ReasonCounterfeit},
		{"es falsificado", ReasonCounterfeit},
		{"это подделка", ReasonCounterfeit},
		{"the jacket is not as described", ReasonNotAsDescribed},
		{"상품이 설명과 달라요", ReasonNotAsDescribed},
		{"no coincide con la descripción", ReasonNotAsDescribed},
		{"товар не соответствует описанию", ReasonNotAsDescribed},
		{"I changed my mind", ReasonChangedMind},
		{"단순 변심으로 반품하고 싶어요", ReasonChangedMind},
		{"cambié de opinión", ReasonChangedMind},
		{"я передумал", ReasonChangedMind},
		// Goods that do not fit: the buyer's choice, as a change of mind.
		{"the jacket is way too small on me", ReasonChangedMind},
		{"신발이 사이즈가 작아서 못 신어요", ReasonChangedMind},
		{"las sandalias no me quedan, me quedan pequeñas", ReasonChangedMind},
		{"валенки маловаты, не подошёл размер", ReasonChangedMind},
		// Negatives.
		{"where is my order", ""},
		{"something went wrong with the website", ""},
		{"no entiendo", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := ExtractSlots(tt.text).Reason; got != tt.want {
				t.Errorf("ExtractSlots(%q).Reason = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestExtractSlotsLanguage(t *testing.T) {
	tests := []struct {
		text, want string
	}{
		{"translate this to Korean: where is my package", "ko"},
		{"can you translate the seller's message into English?", "en"},
		{"translate from Korean to English", "en"},
		{"in Japanese please", "ja"},
		{"이 메시지 영어로 번역해 주세요", "en"},
		{"판매자 메시지 한국어로 바꿔줘", "ko"},
		{"일본어 번역 부탁해요", "ja"},
		{"¿puedes traducir esto al inglés?", "en"},
		{"tradúcelo al coreano", "ko"},
		{"переведи на английский", "en"},
		{"переведите это на русский язык", "ru"},
		{"скажи по-китайски", "zh"},
		{"translate the German review", "de"},
		{"traduce esto, en alemán", "de"},
		// Negatives.
		{"where is my order", ""},
		{"I'm flying to Thailand", ""},
		{"I speak Korean", ""},
		{"I got a Chinese knockoff", ""},
		{"traduce a inglés por favor", "en"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := ExtractSlots(tt.text).Language; got != tt.want {
				t.Errorf("ExtractSlots(%q).Language = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}
