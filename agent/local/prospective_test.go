package local

import "testing"

// Goods a buyer is about to buy make a question one about the rule, in
// the four languages; goods of their own orders do not.
func TestAboutToBuyAsksTheRule(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"I'm buying ten lanterns for the club, same return window?", true},
		{"how long do I have to return the lantern I got last week?", false},
		{"quiero comprar 12 toallas al por mayor, cuantos dias para devolver?", true},
		{"cuantos dias tengo para devolver las toallas?", false},
		{"беру оптом 15 шарфов, срок возврата такой же?", true},
		{"сколько дней на возврат шарфа?", false},
		{"텀블러 30개 사려고 하는데 반품 기간 같아요?", true},
		{"텀블러 반품 기간 며칠이에요?", false},
	} {
		if got := asksTheRule(tt.text); got != tt.want {
			t.Errorf("asksTheRule(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
