package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/tools/l10n"
)

const itemsSuite = `
name: items
defaults: {locale: en, fixture: {order: delivered_recently}}
cases:
  - id: refund-names-the-item
    turns:
      - user: "I want a refund for {{order}}, it arrived damaged"
        expect:
          confirm_request: true
          contains: ["{{order}}", "{{item}}"]
  - id: korean
    locale: ko
    fixture: {pick: 1}
    turns:
      - user: "{{order}} 어디 있어요?"
  - id: nobody
    fixture: {buyer: buyer-001, order: pending, extra: [pending, pending, pending, pending, pending, pending, pending]}
    turns:
      - user: "hi"
`

// csagent eval fixtures prints what each case's placeholders resolve to,
// with each order's kind, shop and items, without a database; a fixture
// that resolves to nothing is named and fails the command. {{item}} and
// {{item_amount}} are the order's first line as the seed wrote it, and a
// run substitutes them like any placeholder.
func TestEvalFixturesAndItemPlaceholders(t *testing.T) {
	t.Parallel()
	suite := writeSuite(t, "items.yaml", itemsSuite)
	var out, errOut bytes.Buffer
	err := run(t.Context(), []string{"csagent", "eval", "fixtures", suite}, testEnv(), nil, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "1 case(s)") {
		t.Errorf("eval fixtures with an impossible fixture = %v, want it to fail naming one case", err)
	}
	printed := out.String()

	// The fixture's buyer is the first English-speaking one with such an
	// order, and the order that buyer's first of the kind.
	var order demo.Order
	for n := 0; n < demo.Buyers && order.ID == ""; n++ {
		if demo.BuyerLocale(n) != "en" {
			continue
		}
		for _, o := range demo.Plan() {
			if o.BuyerID == demo.BuyerID(n) && o.Kind == demo.DeliveredRecently {
				order = o
				break
			}
		}
	}
	first := demo.Items()[order.ID][0]
	for _, want := range []string{
		"items/refund-names-the-item\n  {{buyer}} = " + order.BuyerID + "\n",
		"  {{item}} = " + first.Name + "\n",
		"  {{item_amount}} = " + l10n.Money("en", first.AmountMinor(), first.Currency) + "\n",
		"  {{order}} = " + order.ID + "  (delivered_recently in " + order.ShopID + ": ",
		"items/korean\n",
		"  {{locale}} = ko\n",
		"items/nobody\n  error: buyer buyer-001 has no orders of kinds",
	} {
		if !strings.Contains(printed, want) {
			t.Errorf("eval fixtures printed\n%s\nwant it to contain %q", printed, want)
		}
	}

	out.Reset()
	errOut.Reset()
	getenv := testEnv("DATABASE_URL", pgtest.URL(t))
	if err := run(t.Context(), []string{"csagent", "eval", "run", "--progress", "none", "--parallel", "1", "--run", "refund-names-the-item", suite}, getenv, nil, &out, &errOut); err != nil {
		t.Errorf("a case asserting {{item}} in the refund's confirmation = %v\n%s\n%s", err, out.String(), errOut.String())
	}
}
