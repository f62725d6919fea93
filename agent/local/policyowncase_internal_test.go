package local

import (
	"slices"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
)

// A rule asked of an order described without its number is a policy
// question; the same order asked after (where it is, whether it can
// still be returned) stays the lookup ownOrder makes.
func TestAsksDescribedOrderRule(t *testing.T) {
	tests := []struct {
		locale, msg string
		rule        bool
		// ownOrder: ownOrder reads it as a lookup first, which the
		// reader turns into the rule asked.
		ownOrder bool
	}{
		{"en", "The kettle I ordered came in the wrong colour. Do I have to pay to send it back?", true, false},
		{"en", "The toaster I received is not the model I ordered. Will I have to cover the cost of mailing it back?", true, true},
		{"en", "The jacket I received is not the size I ordered. Am I expected to pay to ship it back?", true, true},
		{"es", "Compré unas sandalias hace una semana y siguen en la caja. ¿Hasta cuándo tengo para devolverlas?", true, false},
		{"en", "Can you tell me where my lamp is? I ordered it last week.", false, false},
		{"en", "I ordered a kettle on Monday, when will it arrive?", false, false},
	}
	m := newModel(t)
	for _, tt := range tests {
		d, _ := m.readMessages(agent.Request{Messages: []agent.Message{{Role: agent.RoleUser, Content: tt.msg}}, Locale: tt.locale})
		by := readerNames(d.readBy)
		rule := d.intent == nlu.PolicyQuestion && !d.carried && d.slots.OrderID == ""
		if rule != tt.rule {
			t.Errorf("reading of %q = %s, carried %v, order %q (readers %q); want a policy question %v", tt.msg, d.intent, d.carried, d.slots.OrderID, by, tt.rule)
		}
		if tt.ownOrder && !slices.Contains(by, "asksDescribedOrderRule") {
			t.Errorf("readers of %q = %q, want asksDescribedOrderRule among them", tt.msg, by)
		}
	}
}
