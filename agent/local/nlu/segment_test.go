package nlu

import (
	"slices"
	"testing"
)

// A glued word is split into known words, but an inflected form of a
// known word is not: "отправила" is a form of "отправили", not "от" +
// "правила" (rules), which would read a refund request as a question
// about the rules.
func TestSegmentKeepsInflectedForms(t *testing.T) {
	c := classifier(t)
	for _, w := range []string{"отправила", "заказывала"} {
		if parts := c.vocab.split(w); parts != nil {
			t.Errorf("split(%q) = %q, want it kept whole", w, parts)
		}
	}
	if parts := c.vocab.split("whereismyorder"); !slices.Equal(parts, []string{"where", "is", "my", "order"}) {
		t.Errorf("split(whereismyorder) = %q, want where is my order", parts)
	}
	a := analyze("отправила плед назад продавцу, верните деньги", true, c.vocab)
	if a.act.rules {
		t.Errorf("tokens %q read as naming the rules", a.tokens)
	}
}
