package local

import (
	"testing"

	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// A number of pieces restricts a cancellation only when it leaves some of
// the order out: "the cancellation of order X for one lantern" of an order
// of one lantern cancels the order, "one of the two jackets" cannot.
func TestFewerPieces(t *testing.T) {
	one := tools.Order{Items: []tools.Item{{Name: "Rechargeable camp lantern", Quantity: 1}}}
	two := tools.Order{Items: []tools.Item{{Name: "Waterproof rain jacket", Quantity: 2}}}
	lines := tools.Order{Items: []tools.Item{{Name: "Trail hiking boots", Quantity: 1}, {Name: "Merino wool socks (3 pack)", Quantity: 1}}}
	tests := []struct {
		name  string
		qty   int
		order tools.Order
		want  bool
	}{
		{"no number", 0, two, false},
		{"one of one", 1, one, false},
		{"one of two", 1, two, true},
		{"two of two", 2, two, false},
		{"one of two lines", 1, lines, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fewerPieces(nlu.Slots{ItemQuantity: tt.qty}, tt.order); got != tt.want {
				t.Errorf("fewerPieces(qty %d) = %v, want %v", tt.qty, got, tt.want)
			}
		})
	}
}
