package eval

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/tools/l10n"
)

// Locales are the languages the agent speaks, and so the ones a case may
// use.
var Locales = []string{"en", "ko", "es", "ru"}

// OrderKinds are the demo order situations a fixture can ask for, by name.
func OrderKinds() []string {
	var out []string
	for k := demo.Pending; k <= demo.NonRefundable; k++ {
		out = append(out, k.String())
	}
	return out
}

func kindByName(name string) (demo.Kind, bool) {
	for k := demo.Pending; k <= demo.NonRefundable; k++ {
		if k.String() == name {
			return k, true
		}
	}
	return 0, false
}

// Bindings are a case's resolved fixture: the buyer and the orders its
// placeholders stand for.
type Bindings struct {
	Buyer  string            `json:"buyer"`
	Locale string            `json:"locale"`
	Vars   map[string]string `json:"vars"`
}

// resolve picks the buyer and orders f asks for from the demo plan.
func resolve(f Fixture, locale string) (Bindings, error) {
	plan := demo.Plan()
	byBuyer := map[string][]demo.Order{}
	for _, o := range plan {
		byBuyer[o.BuyerID] = append(byBuyer[o.BuyerID], o)
	}
	want := []string{}
	if f.Order != "" {
		want = append(want, f.Order)
	}
	want = append(want, f.Extra...)

	lines := demo.Items()
	orderOf := func(buyer, kind string, used []string) string {
		for _, o := range byBuyer[buyer] {
			if len(used) == 0 && f.Order != "" && len(lines[o.ID]) < f.MinItems {
				continue
			}
			if o.Kind.String() == kind && !slices.Contains(used, o.ID) && (f.Shop == "" || o.ShopID == f.Shop) {
				return o.ID
			}
		}
		return ""
	}
	fits := func(buyer string) ([]string, bool) {
		var ids []string
		for _, k := range want {
			id := orderOf(buyer, k, ids)
			if id == "" {
				return nil, false
			}
			ids = append(ids, id)
		}
		return ids, true
	}

	b := Bindings{Buyer: f.Buyer, Locale: locale, Vars: map[string]string{}}
	var ids []string
	if b.Buyer != "" {
		var ok bool
		if ids, ok = fits(b.Buyer); !ok {
			return Bindings{}, fmt.Errorf("buyer %s has no orders of kinds %v", b.Buyer, want)
		}
	} else {
		seen := 0
		for n := range demo.Buyers {
			if demo.BuyerLocale(n) != locale {
				continue
			}
			got, ok := fits(demo.BuyerID(n))
			if !ok {
				continue
			}
			if seen == f.Pick {
				b.Buyer, ids = demo.BuyerID(n), got
				break
			}
			seen++
		}
		if b.Buyer == "" {
			return Bindings{}, fmt.Errorf("no %s demo buyer (pick %d) has orders of kinds %v", locale, f.Pick, want)
		}
	}
	for i, id := range ids {
		if i == 0 && f.Order != "" {
			b.Vars["order"] = id
			// {{item}} and {{item_amount}}: the order's first line, as
			// the seed wrote it and as a reply in the case's language
			// writes its amount; {{item2}}…, the second; {{order_amount}},
			// what the order cost (the sum of its lines), which a full
			// refund returns.
			var total int64
			for k, it := range lines[id] {
				total += it.AmountMinor()
				if k < 2 {
					suffix := map[int]string{0: "", 1: "2"}[k]
					b.Vars["item"+suffix] = it.Name
					b.Vars["item"+suffix+"_amount"] = l10n.Money(locale, it.AmountMinor(), it.Currency)
				}
			}
			if items := lines[id]; len(items) > 0 {
				b.Vars["order_amount"] = l10n.Money(locale, total, items[0].Currency)
			}
			continue
		}
		n := i + 1
		if f.Order == "" {
			n = i + 2
		}
		b.Vars["order"+strconv.Itoa(n)] = id
	}
	if f.Other != "" {
		for _, o := range plan {
			if o.BuyerID != b.Buyer && o.Kind.String() == f.Other {
				b.Vars["other_order"] = o.ID
				break
			}
		}
	}
	b.Vars["buyer"] = b.Buyer
	b.Vars["locale"] = locale
	return b, nil
}

var placeholder = regexp.MustCompile(`\{\{\s*([a-z_0-9]+)\s*\}\}`)

// expand replaces the placeholders in s with their bindings.
func (b Bindings) expand(s string) string {
	return placeholder.ReplaceAllStringFunc(s, func(m string) string {
		name := placeholder.FindStringSubmatch(m)[1]
		if v, ok := b.Vars[name]; ok {
			return v
		}
		return m
	})
}

func (b Bindings) expandAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = b.expand(s)
	}
	return out
}

// placeholders lists the names of the placeholders in s.
func placeholders(s string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// provided lists the placeholders a fixture defines.
func (f Fixture) provided() []string {
	out := []string{"buyer", "locale"}
	if f.Order != "" {
		out = append(out, "order", "item", "item_amount", "order_amount")
	}
	if f.MinItems >= 2 {
		out = append(out, "item2", "item2_amount")
	}
	for i := range f.Extra {
		out = append(out, "order"+strconv.Itoa(i+2))
	}
	if f.Other != "" {
		out = append(out, "other_order")
	}
	return out
}

// shopIDs lists the demo shops' ids.
func shopIDs() []string {
	var out []string
	for _, o := range demo.Plan() {
		if !slices.Contains(out, o.ShopID) {
			out = append(out, o.ShopID)
		}
	}
	slices.Sort(out)
	return out
}

func validBuyer(id string) bool {
	n, ok := strings.CutPrefix(id, "buyer-")
	if !ok {
		return false
	}
	i, err := strconv.Atoi(n)
	return err == nil && i >= 1 && i <= demo.Buyers && id == demo.BuyerID(i-1)
}

// Bindings resolves case c's fixture the way a run does: the buyer and
// orders its placeholders stand for, in its language. `csagent eval
// fixtures` prints them so a suite's author sees them before running it.
func (s *Suite) Bindings(c *Case) (Bindings, error) {
	return resolve(s.fixture(c), s.locale(c))
}
