package nlu

import "testing"

// What a message says of the parcel's arrival: it came (and so is no
// longer asked after), or it is marked delivered and missing. A negated
// arrival is neither.
func TestArrivalOf(t *testing.T) {
	for _, tt := range []struct {
		text          string
		came, missing bool
	}{
		{"the kettle arrived with a dent", true, false},
		{"me llegó la bufanda con un agujero", true, false},
		{"посылка пришла мокрая", true, false},
		{"주전자 받았는데 금이 가 있어요", true, false},
		{"it says delivered but there is nothing at my door", false, true},
		{"pone entregado y no hay nada", false, true},
		{"статус доставлен, а у двери пусто", false, true},
		{"배송완료라는데 아무것도 없어요", false, true},
		{"my parcel never arrived", false, false},
		{"it has not been delivered yet, where is it", false, false},
		{"where is my order", false, false},
	} {
		n := fold(normalize(tt.text))
		s := analyzeSlots(n, true)
		got := arrivalOf(s.kt, s.slots.Reason)
		if got.came != tt.came || got.missing != tt.missing {
			t.Errorf("arrivalOf(%q) = %+v, want came %v missing %v", tt.text, got, tt.came, tt.missing)
		}
	}
}

// TellsDelay finds a parcel told late, stuck or lost in four languages,
// and nothing of the kind in a plain question.
func TestTellsDelay(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"My package is late, tracking hasn't updated in days", true},
		{"el paquete está atascado en aduanas", true},
		{"посылка потерялась", true},
		{"배송이 지연되고 있어요", true},
		{"where is my order ORD-10101?", false},
		{"¿cuándo llega mi pedido?", false},
	} {
		if got := TellsDelay(tt.text); got != tt.want {
			t.Errorf("TellsDelay(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
