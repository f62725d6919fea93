package eval

import (
	"strings"
	"testing"

	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/tools/l10n"
)

// min_items picks an order of several lines and names its second line;
// {{order_amount}} is the sum of the lines, written as a reply in the
// case's language writes money, so a case can assert what a full refund
// returns and what a one-item refund returns.
func TestFixtureNamesTheLinesAndTheTotal(t *testing.T) {
	for _, locale := range Locales {
		b, err := resolve(Fixture{Order: "delivered_recently", MinItems: 2}, locale)
		if err != nil {
			t.Fatalf("%s: %v", locale, err)
		}
		lines := demo.Items()[b.Vars["order"]]
		if len(lines) < 2 {
			t.Fatalf("%s: %s has %d lines, want at least 2", locale, b.Vars["order"], len(lines))
		}
		var total int64
		for _, it := range lines {
			total += it.AmountMinor()
		}
		want := map[string]string{
			"item": lines[0].Name, "item2": lines[1].Name,
			"item_amount":  l10n.Money(locale, lines[0].AmountMinor(), lines[0].Currency),
			"item2_amount": l10n.Money(locale, lines[1].AmountMinor(), lines[1].Currency),
			"order_amount": l10n.Money(locale, total, lines[0].Currency),
		}
		for k, v := range want {
			if b.Vars[k] != v {
				t.Errorf("%s: {{%s}} = %q, want %q", locale, k, b.Vars[k], v)
			}
		}
	}
	if _, err := Parse("t.yaml", []byte("cases:\n  - id: a\n    fixture: {order: paid}\n    turns: [{user: \"{{item2}}\"}]\n")); err == nil || !strings.Contains(err.Error(), "item2") {
		t.Errorf("{{item2}} without min_items: err = %v, want it named", err)
	}
}
