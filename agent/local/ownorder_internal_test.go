package local

import "testing"

// Having no order number is told in many ways; a missing tracking number
// or a number the buyer does have is no such thing.
func TestSaysNoNumber(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"I have no order number, sorry", true},
		{"not sure what the number is tbh", true},
		{"I'm afraid I don't have the order reference to hand.", true},
		{"el número no lo tengo a mano", true},
		{"ni idea del numero de pedido", true},
		{"номер заказа не помню", true},
		{"nomer ne znayu", true},
		{"주문번호를 모르겠어요", true},
		{"번호확인할틈이없어요", true},
		{"I don't have a tracking number yet", false},
		{"운송장 번호가 없어요", false},
		{"the number is on the box, it's fine", false},
		{"mi número de teléfono cambió", false},
	}
	for _, tt := range tests {
		if got := saysNoNumber(tt.text); got != tt.want {
			t.Errorf("saysNoNumber(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// What a follow-up asks about an order's delivery, in the four languages:
// whether it has shipped, whether the wait is normal, when it arrives,
// its tracking number; a parcel sent back or a refund is none of these.
func TestDeliveryFact(t *testing.T) {
	tests := []struct {
		text string
		want orderFact
	}{
		{"has the seller sent it out yet?", factShipping},
		{"when are they gonna ship it", factShipping},
		{"¿cuándo lo despachan?", factShipping},
		{"cdo la mandan?", factShipping},
		{"а когда отправят?", factShipping},
		{"kogda otpravyat?", factShipping},
		{"언제 보내줘요?", factShipping},
		{"it's been over a week, is that normal?", factDelay},
		{"¿es normal que tarde tanto?", factDelay},
		{"неделю уже едут, так и должно быть?", factDelay},
		{"원래 이렇게 오래 걸려요?", factDelay},
		{"will it get here by saturday?", factArrival},
		{"llegará antes del viernes?", factArrival},
		{"к субботе успеют?", factArrival},
		{"토요일까지 올까요?", factArrival},
		// Needing it by a day asks whether it comes by then.
		{"I'm travelling sunday so I need it before then", factArrival},
		{"lo necesito para el domingo, que me voy de viaje", factArrival},
		{"мне нужно до воскресенья, уезжаю", factArrival},
		{"일요일에 여행 가서 그전에 받아야 해요", factArrival},
		{"what's the tracking number?", factTracking},
		// What to do if it does not come: the delay's answer, with the
		// day an item-not-received dispute opens.
		{"and if it still doesn't arrive by monday, then what?", factDelay},
		{"y si el lunes no llega, ¿qué hago?", factDelay},
		{"а если до понедельника не приедет, что делать?", factDelay},
		{"월요일까지 안 오면 어떻게 해요?", factDelay},
		{"I sent it back yesterday", noFact},
		{"I'd like a refund please", noFact},
	}
	for _, tt := range tests {
		if got := deliveryFact(tt.text); got != tt.want {
			t.Errorf("deliveryFact(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// Where goods of the buyer's are, asked after an aside that reads as
// nothing of ours ("at a stop got 2 min"), is looked up among the buyer's
// orders, not answered as out of scope, in the four languages.
func TestWhereGoodsAfterAnAside(t *testing.T) {
	m := newModel(t)
	for _, tt := range []struct{ locale, text string }{
		{"en", "at a stop got 2 min. the jacket. wheres it at"},
		{"en", "on my lunch break, 5 min. the lantern. where is it"},
		{"es", "estoy en la parada, tengo un minuto. la lámpara. dónde está"},
		{"ru", "я на остановке, пара минут. куртка. где она"},
		{"ko", "버스 기다리는 중이라 잠깐만요. 주전자 어디쯤 있어요"},
	} {
		msg := gen(t, m, tt.locale, user(tt.text))
		if len(msg.ToolCalls) != 1 || msg.ToolCalls[0].Name != "list_orders" {
			t.Errorf("%q: %s, want the buyer's orders looked up", tt.text, describe(msg))
		}
	}
}
