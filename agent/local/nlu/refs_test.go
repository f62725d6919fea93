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
		// Numbers beside the order number that only count days or pieces.
		{"10003... any news? you said 3-5 days and it's day 9", "ORD-10003"},
		{"кажется 10003 потерялся, 12 дней в пути", "ORD-10003"},
		{"10003 llegó pero falta 1 de 2", "ORD-10003"},
		{"paid 10003 on 2024-05-01, call 555-1234", ""},
		{"¿hay novedades de la disputa del 10003?", "ORD-10003"},
		// "то есть" corrects, it does not count.
		{"отменить заказ 1003 то есть 10003", "ORD-10003"},
		// Dictated: digit by digit, in pairs, or mixed with digits.
		{"pedido diez cero cero tres donde está", "ORD-10003"},
		{"заказ десять ноль ноль три где он", "ORD-10003"},
		{"order one zero zero zero three please", "ORD-10003"},
		{"order number ten oh forty-two", "ORD-10042"},
		{"pedido número diez cero cuarenta y dos", "ORD-10042"},
		{"заказ номер сто два", ""},
		{"pedido diez mil ciento noventa y tres donde está", "ORD-10193"},
		{"отмените заказ десять тысяч сто девяносто один", "ORD-10191"},
		{"order ten thousand one hundred and five", "ORD-10105"},
		{"pedido uno de los dos", ""},
		{"lo último que compré me queda chico", "last"},
		{"Последнее, что я купила, мне мало", "last"},
		{"крайний заказ где?", "last"},
		// The number the buyer corrects to is the one meant.
		{"donde esta el pedido 10042, perdon, 10024 quise decir", "ORD-10024"},
		{"где заказ 10044, ой, 10014 имел в виду", "ORD-10014"},
		{"order 10042 sorry I mean 10024", "ORD-10024"},
		{"sorry to bother, where is order 10042?", "ORD-10042"},
		{"el último paquete vino abierto", "last"},
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

// Item words match as a stem plus an inflectional ending, so that Russian
// and Spanish forms find their item and longer words that merely start
// like one ("cupón", "чайник", "mes") do not; the narrower kind of goods
// wins over footwear in general; words that also name parts of the
// service (a present, the tracking page's map) are not items.
func TestItemReferencesInflectedAndAmbiguous(t *testing.T) {
	tests := []struct {
		text string
		want string
	}{
		{"в чайном наборе треснула чашка", "Чайный набор"},
		{"верните деньги за шкатулку", "Шкатулка из бересты"},
		{"заказала три самовара, один течёт", "Электрический самовар"},
		{"las sandalias me quedan chicas", "Sandalias de cuero"},
		{"부츠만 반품할게요", "Trail hiking boots"},
		{"el cupón de descuento no funciona", ""},
		{"чайник течёт, верните деньги", "전기 주전자"},
		{"lo pedi el mes pasado y no llega", ""},
		{"the gift I ordered came cracked", ""},
		{"the map on the tracking page has not moved since monday", ""},
		{"el mapa del seguimiento no se mueve", ""},
		{"the trail map download link is broken", "Printable trail map bundle (download)"},
		{"컵이 깨져서 왔어요", "이니셜 각인 머그컵"},
		{"이번 월드컵 결승 언제예요", ""},
		{"수제 비누도 파나요", ""},
		// A Hangul item word lies inside one word, never across a space:
		// "봅니다 기대와" holds no 다기 (tea set), "환불이 불가" no 이불.
		{"최근 주문 건에 대해 환불을 받을 수 있을지 여쭤봅니다. 기대와 많이 달라서요", ""},
		{"판매자가 해당 상품은 환불이 불가합니다 라고 했어요", ""},
		{"이어폰통관에서몇주째멈춤", "무선 이어폰"},
		// The genitive plural of валенки drops the stem's form.
		{"возврат обуви, например валенок, если подошва без следов носки?", "Валенки ручной работы"},
	}
	for _, tt := range tests {
		got := ""
		if k := MatchItem(tt.text, catalogue); k >= 0 {
			got = catalogue[k]
		}
		if got != tt.want {
			t.Errorf("MatchItem(%q, catalogue) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// Items named the way buyers name them: by another word for the kind
// ("the flashlight thing" for the camp lantern), misspelt, in a
// diminutive, across languages by what they are made of, with a kind of
// goods that rules out an item whose name shares a word ("la botella de
// acero" is no steel paella pan). The second half are words that look
// like an item's but name none.
func TestItemReferencesBySynonymMisspellingAndTrait(t *testing.T) {
	tests := []struct {
		text string
		want string
	}{
		{"refund the flashlight thing", "Rechargeable camp lantern"},
		{"손전등 환불해주세요", "Rechargeable camp lantern"},
		{"фонарик не заряжается", "Rechargeable camp lantern"},
		{"랜턴이 안 켜져요", "Rechargeable camp lantern"},
		{"refund just the lanturn", "Rechargeable camp lantern"},
		{"the rechargable lanterns died", "Rechargeable camp lantern"},
		{"las toalas llegaron sucias", "Juego de toallas de algodón"},
		{"the oil leaked everywhere", "Aceite de oliva virgen extra 2L"},
		{"el chal de lana pica", "Шарф из шерсти"},
		{"шарфик колется", "Шарф из шерсти"},
		{"cuando llega la botella termica de acero q pedi", "Insulated steel bottle"},
		{"la cajita de corteza de abedul no es lo de las fotos", "Шкатулка из бересты"},
		{"керамическая лампа совсем не то что на фото", "Lámpara de mesa de cerámica"},
		{"лампа разбита", "Lámpara de mesa de cerámica"},
		{"заказывал паэльеру а она вся в ржавчине", "Paellera de acero pulido"},
		{"this packet is late", ""},
		{"how tall is the tower", ""},
		{"has my most recent order shipped", ""},
		{"제가 만든 도자기를 여기서 팔고 싶어요", ""},
		{"хотел узнать, какую комиссию вы берёте", ""},
		{"this sucks", ""},
	}
	for _, tt := range tests {
		got := ""
		if k := MatchItem(tt.text, catalogue); k >= 0 {
			got = catalogue[k]
		}
		if got != tt.want {
			t.Errorf("MatchItem(%q, catalogue) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// Within one buyer's order, the item is found by the same means, and a
// trait or a kind of goods decides between two items of a kind.
func TestItemReferencesWithinAnOrder(t *testing.T) {
	order := []string{"Insulated steel bottle", "Bamboo cup", "Wool blanket"}
	for text, want := range map[string]int{
		"the steel one leaks, refund the bottle": 0,
		"the botle leaks":                        0,
		"la manta de lana llegó rota":            2,
		"one of the cups is cracked":             1,
		"the thermos is dented":                  0,
		"the socks are fine":                     -1,
	} {
		if got := MatchItem(text, order); got != want {
			t.Errorf("MatchItem(%q, %q) = %d, want %d", text, order, got, want)
		}
	}
}

// A camping lamp is the camp lantern, and Russian in Latin letters finds
// its item.
func TestItemReferencesTraitsTranslitAndLastMention(t *testing.T) {
	tests := []struct {
		text string
		want string
	}{
		{"ok so the lamp thingy, the camping one, arrived dead", "Rechargeable camp lantern"},
		{"chajnyj nabor otmenite pozhalujsta", "Чайный набор"},
		{"verni dengi za samovar", "Электрический самовар"},
	}
	for _, tt := range tests {
		got := ""
		if k := MatchItem(tt.text, catalogue); k >= 0 {
			got = catalogue[k]
		}
		if got != tt.want {
			t.Errorf("MatchItem(%q, catalogue) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
