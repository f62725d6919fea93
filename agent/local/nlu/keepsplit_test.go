package nlu_test

import (
	"strings"
	"testing"

	"github.com/csagent/csagent/agent/local/nlu"
)

// A clause that asks for some goods and keeps others, with no comma
// between, is cut per goods: the asked part names the goods wanted back
// and never the kept ones, whichever comes last. A clause whose keep word
// is negated ("not fine") keeps nothing, and a clause naming one kind of
// goods is read whole, as before.
func TestSplitKeptWithinOneClause(t *testing.T) {
	tests := []struct {
		text, asked, kept string
	}{
		{"i need to send back the jacket its the wrong colour the boots i am keeping", "jacket", "boots"},
		{"the lantern is fine and so is one bottle i want money back for the other bottle", "", "lantern"},
		{"refund the kettle not the blanket", "kettle", "blanket"},
		{"quiero devolver la lampara porque no me convence el bolso no", "lampara", "bolso"},
		{"me quedo el bolso y quiero que me devolvais la lampara", "lampara", "bolso"},
		{"хочу вернуть самовар он шумит чайный набор оставлю себе", "самовар", "набор"},
		{"валенки оставляю верните деньги за шарф", "шарф", "валенки"},
	}
	for _, tt := range tests {
		asked, kept := nlu.SplitKept(tt.text)
		if tt.asked != "" && !strings.Contains(asked, tt.asked) || strings.Contains(asked, tt.kept) {
			t.Errorf("%q: asked %q; want it to hold %q and not %q", tt.text, asked, tt.asked, tt.kept)
		}
		if !strings.Contains(kept, tt.kept) || tt.asked != "" && strings.Contains(kept, tt.asked) {
			t.Errorf("%q: kept %q; want it to hold %q and not %q", tt.text, kept, tt.kept, tt.asked)
		}
	}
	for _, text := range []string{
		"the boots are not fine and i want a refund for the socks",
		"i want a refund for the socks, they are great otherwise",
	} {
		if _, kept := nlu.SplitKept(text); strings.Contains(kept, "boots") || strings.Contains(kept, "socks") {
			t.Errorf("%q: kept %q; want no goods kept", text, kept)
		}
	}
}
