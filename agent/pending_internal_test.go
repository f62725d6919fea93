package agent

import "testing"

// A short answer saying "both" (or "all three") picks every waiting
// action, in each language and as buyers type it: with the Korean ending
// ("둘 다요"), Russian in Latin letters ("da oba"). An "all" that is not
// said with a yes, and a long message that says "both" among other
// things, pick nothing.
func TestChoosesAll(t *testing.T) {
	for _, tt := range []struct {
		text string
		yes  bool
		want bool
	}{
		{"yes do both", true, true},
		{"네 둘 다요", true, true},
		{"두 개 다 해주세요", false, true},
		{"둘다 진행해 주세요", false, true},
		{"sí, las dos", true, true},
		{"ambas, gracias", false, true},
		{"да, оба", true, true},
		{"da oba", false, true},
		{"yes all of them", true, true},
		{"all good", false, false},
		{"네", true, false},
		{"both times I ordered from this shop something was broken, please check", false, false},
		{"dobavte", false, false},
		// Courtesy around the choice is not more to say.
		{"Sí, gracias, las dos cosas por favor", true, true},
		{"yes thank you, both of them please", true, true},
		{"да, спасибо, оба пожалуйста, спасибо большое", true, true},
		{"both, thanks, but first change the delivery address please", true, false},
		// So is the yes said with it.
		{"Yes I confirm both of them", true, true},
		{"sí, confirmo, las dos cosas", true, true},
		{"да, подтверждаю оба, спасибо", true, true},
		{"yes I confirm both times the parcel came late and the seller never answered", true, false},
	} {
		if got := choosesAll(tt.text, tt.yes); got != tt.want {
			t.Errorf("choosesAll(%q, %v) = %v, want %v", tt.text, tt.yes, got, tt.want)
		}
	}
}
