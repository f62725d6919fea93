package nlu

import "testing"

// A known word typed with two neighbouring letters swapped or one letter
// doubled reads as the word; a word with two such readings, a short
// word, a known word and Korean stay as typed.
func TestRespellReadsSlipsOfKnownWords(t *testing.T) {
	v := vocabulary{"refund": true, "возврат": true, "cancel": true, "order": true, "from": true, "form": true,
		"sloth": true, "lsoht": true}
	for _, tt := range []struct{ word, want string }{
		{"refnud", "refund"},
		{"rfeund", "refund"},
		{"reffund", "refund"},
		{"возрват", "возврат"},
		{"cancle", "cancel"},
		{"refund", ""}, // known already
		{"ordr", ""},   // too short to guess
		{"slosht", ""}, // no word one slip away
		{"lsoth", ""},  // "sloth" and "lsoht", each one swap away: two readings
		{"환뷸요", ""},
		{"zzzzzz", ""},
	} {
		if got := v.respell(tt.word); got != tt.want {
			t.Errorf("respell(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

// The classifier reads a refund asked after in a slipped spelling as the
// refund's status, in the languages whose words are spelled by letters.
func TestSlippedRefundWordsAreRead(t *testing.T) {
	c := classifier(t)
	for _, tt := range []struct {
		text, loc string
		want      Intent
	}{
		{"wheres my refnud, it has been two weeks", "en", RefundStatus},
		{"где мой возрват, уже две недели жду", "ru", RefundStatus},
	} {
		if r := c.Parse(tt.text, tt.loc); r.Intent != tt.want {
			t.Errorf("Parse(%q) = %s (%.2f), want %s", tt.text, r.Intent, r.Confidence, tt.want)
		}
	}
}
