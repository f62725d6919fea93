package nlu

import (
	"strings"
	"testing"
)

// The focus of a long message is the clause that asks or requests, even
// when the story goes on after it; a message of one clause has none.
func TestFocusClause(t *testing.T) {
	c := classifier(t)
	tests := []struct{ text, want string }{
		{"the lamp is for my daughter's room, she comes home on thursday from abroad. is it on its way yet? my sister says these things take weeks, she's always so negative",
			"is it on its way yet"},
		{"mi suegra cumple el domingo y el bolso es su regalo, ya sabe cómo es ella, quiero cancelar el pedido 10023, mi marido ya le compró otro",
			"quiero cancelar el pedido \ue001"},
		{"где мой заказ", ""},
	}
	for _, tt := range tests {
		a := analyze(tt.text, false, c.vocab)
		if got := strings.Join(a.focus, " "); got != tt.want {
			t.Errorf("focus of %q = %q, want %q", tt.text, got, tt.want)
		}
	}
}
