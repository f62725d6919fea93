package nlu

import "testing"

// An ordinal before the noun of times counts times ("the second time I
// write", "por tercera vez", "второй раз"), and names no place in a list:
// before, "мне уже второй раз пишут подождать" was read as "the second
// one" and answered that no other order is on the account.
func TestOrdinalOfTimesIsNoPosition(t *testing.T) {
	for text, want := range map[string]int{
		"this is the third time I'm writing about it": 0,
		"¿y el segundo?":               2,
		"les escribo por segunda vez":  0,
		"второй раз пишу, где посылка": 0,
		"а второй заказ где?":          2,
		"the second one please":        2,
		"두 번째 주문은요?":                   2,
	} {
		if got := Ordinal(text); got != want {
			t.Errorf("Ordinal(%q) = %d, want %d", text, got, want)
		}
	}
}
