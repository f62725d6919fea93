package tools

import "testing"

// A refund refused because the order has not shipped offers the
// cancellation of the whole order only when the refund asked for all of
// it: a buyer who wanted one of two bags back is asked, not handed a card
// that cancels both.
func TestWholeCancelForAskedPart(t *testing.T) {
	o := Order{ID: "ORD-31001", Total: Money{Minor: 7980, Currency: "EUR"}, Items: []Item{
		{Line: 1, Name: "Bolso de esparto", Quantity: 2},
		{Line: 2, Name: "Juego de toallas de algodón", Quantity: 1},
	}}
	amount := func(m int64) *int64 { return &m }
	tests := []struct {
		name  string
		args  refundArgs
		offer bool
	}{
		{"whole order", refundArgs{}, true},
		{"every piece of every line", refundArgs{Items: []refundLine{{1, 2}, {2, 1}}}, true},
		{"one of two bags", refundArgs{Items: []refundLine{{1, 1}}}, false},
		{"one line of two", refundArgs{Items: []refundLine{{1, 2}}}, false},
		{"an amount under the total", refundArgs{AmountMinor: amount(3990)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := wholeCancelFor(o, tt.args) != nil; got != tt.offer {
				t.Errorf("wholeCancelFor(%+v) offered = %v, want %v", tt.args, got, tt.offer)
			}
		})
	}
}
