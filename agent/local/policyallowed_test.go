package local

import "testing"

// Whether something can be returned at all, for a case no rule singles
// out (opened, not to one's taste), asks the time limit the refund window
// answers; a question about an excluded kind of item, part of an order or
// cancelling keeps its own kind.
func TestReturnAllowedAsksTheWindow(t *testing.T) {
	for _, tt := range []struct {
		q    string
		want askKind
	}{
		{"can i send back headphones i already unboxed?", askDeadline},
		{"¿se puede devolver una alfombra si al final no me gusta?", askDeadline},
		{"можно вернуть пылесос, если коробку уже открыли?", askDeadline},
		{"can I return a gift card?", askAllowed},
		{"can i get a refund for just one of the items?", askAllowed},
		{"who pays to send it back?", askWhoPays},
	} {
		if got := returnAllowedKind(tt.q); got != tt.want {
			t.Errorf("returnAllowedKind(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}
