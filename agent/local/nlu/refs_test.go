package nlu

import "testing"

func TestOrderReferencesAsBuyersWriteThem(t *testing.T) {
	tests := []struct{ text, want string }{
		{"where is ORD-10003", "ORD-10003"},
		{"ord10003 status?", "ORD-10003"},
		{"refund #10003 pls", "ORD-10003"},
		{"10003", "ORD-10003"},
		{"order number 10003 never came", "ORD-10003"},
		{"cancel 10003", "ORD-10003"},
		{"10003 уже отправили?", "ORD-10003"},
		{"ya enviaron el 10003?", "ORD-10003"},
		{"where is my last order", "last"},
		{"마지막 주문 어디쯤이에요", "last"},
		{"¿dónde está mi último pedido?", "last"},
		{"что с моим последним заказом", "last"},
		{"the kettle order hasn't shipped", ""},
		{"my zip code is 10003", ""},
		{"I have 12345 reasons", ""},
	}
	for _, tt := range tests {
		if got := ExtractSlots(tt.text).OrderRef(); got != tt.want {
			t.Errorf("ExtractSlots(%q).OrderRef() = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestItemReferences(t *testing.T) {
	order := []string{"Trail hiking boots", "Waterproof rain jacket", "Rechargeable camp lantern"}
	tests := []struct {
		text  string
		names []string
		want  int
	}{
		{"just the lantern please", order, 2},
		{"부츠만 환불해주세요", order, 0},
		{"one of the two jackets has a broken zip", order, 1},
		{"the lanterns don't charge", order, 2},
		{"the socks are fine", order, -1},
		{"только чайный набор верните", []string{"Шарф из шерсти", "Чайный набор"}, 1},
		{"la lámpara llegó rota", []string{"Bolso de esparto", "Lámpara de mesa de cerámica"}, 1},
		{"텀블러만 취소", []string{"전기 주전자", "보온 텀블러"}, 1},
		// The last item named is the one meant.
		{"the boots are great but the lantern stopped charging, refund the lantern", order, 2},
		{"anything", nil, -1},
	}
	for _, tt := range tests {
		if got := MatchItem(tt.text, tt.names); got != tt.want {
			t.Errorf("MatchItem(%q, %q) = %d, want %d", tt.text, tt.names, got, tt.want)
		}
	}
	for _, tt := range []struct {
		text     string
		pos, qty int
		only     bool
	}{
		{"refund the second item", 2, 0, false},
		{"el segundo artículo llegó roto", 2, 0, false},
		{"второй товар не работает", 2, 0, false},
		{"두 번째 상품 환불해 주세요", 2, 0, false},
		{"one of the two jackets", 0, 1, false},
		{"just the lantern", 0, 0, true},
		{"부츠만 환불해주세요", 0, 0, true},
		{"только чайный набор", 0, 0, true},
		{"the second time I write", 0, 0, false},
	} {
		s := ExtractSlots(tt.text)
		if s.ItemPosition != tt.pos || s.ItemQuantity != tt.qty || s.Only != tt.only {
			t.Errorf("ExtractSlots(%q) position %d quantity %d only %v, want %d %d %v", tt.text, s.ItemPosition, s.ItemQuantity, s.Only, tt.pos, tt.qty, tt.only)
		}
	}
}
