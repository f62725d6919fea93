package nlu

import "testing"

// A platform topic named as the setting of a purchase ("ordered on my
// account") leaves the order request standing; named as the object of
// the action ("cancel my newsletter") it makes the request out of scope.
func TestPlatformTopicWithAPurchase(t *testing.T) {
	c := classifier(t)
	tests := []struct {
		text, locale string
		want         Intent
	}{
		{"my son ordered a lantern on my account by mistake, cancel it please", "en", CancelOrder},
		{"внук заказал с моего аккаунта чайник, отмените его пожалуйста", "ru", CancelOrder},
		{"cancel my newsletter subscription", "en", OutOfScope},
		{"удалите мой отзыв", "ru", OutOfScope},
	}
	for _, tt := range tests {
		if r := c.Parse(tt.text, tt.locale); r.Intent != tt.want {
			t.Errorf("Parse(%q) = %s (%.2f), want %s", tt.text, r.Intent, r.Confidence, tt.want)
		}
	}
}
