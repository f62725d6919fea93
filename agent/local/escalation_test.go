package local

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// shippedLookup is the buyer's question about ORD-10042 and get_order's
// answer: shipped, with its carrier and tracking number.
func shippedLookup(t *testing.T, question string) []agent.Message {
	t.Helper()
	shipped := time.Now().Add(-72 * time.Hour)
	data, err := json.Marshal(tools.Order{ID: "ORD-10042", Status: "shipped", ShopName: "Casa Sol", PaidAt: &shipped, ShippedAt: &shipped,
		Carrier: "Correos", TrackingNumber: "PQ1234567890", Total: tools.Money{Minor: 4990, Currency: "EUR"}})
	if err != nil {
		t.Fatal(err)
	}
	return append([]agent.Message{user(question)}, toolMsgs("get_order", `{"order_id":"ORD-10042"}`, agent.ToolResult{OK: true, Data: data})...)
}

// A buyer who says the last answer did not help, or that they already did
// what it said, gets an apology and the offer of a person, not a guess at
// a request in their complaint; a yes, or a person named in any words
// after that offer, hands over, and so does a second complaint. Before,
// "your reply does not address the problem" got the delivery-address
// answer and the rest "I didn't quite understand".
func TestNotHelpedOffersAPersonThenHandsOver(t *testing.T) {
	m := newModel(t)
	tests := []struct {
		locale, lookup, complaint, then string
		reason                          string
	}{
		{"en", "where is ORD-10042?", "that doesn't help at all, I already did all of that yesterday", "ok fine, someone from your team then", "customer_request"},
		{"en", "where is ORD-10042?", "your answer does not address my question", "still doesn't help", "cannot_resolve"},
		{"ko", "ORD-10042 어디쯤 왔어요?", "그건 이미 해봤는데 전혀 도움이 안 돼요", "네", "customer_request"},
		{"es", "¿dónde está mi pedido ORD-10042?", "eso ya lo intenté y no me ayuda nada", "sí, con alguien de soporte", "customer_request"},
		{"ru", "где мой заказ ORD-10042?", "это не помогло, я уже пробовал так делать", "да, давайте сотрудника", "customer_request"},
		{"ru", "где мой заказ ORD-10042?", "мне уже третий раз говорят подождать", "переключите на оператора", "customer_request"},
		{"en", "where is ORD-10042?", "I already sent photos to the seller twice and nobody answers", "can a human being please deal with this", "customer_request"},
	}
	for _, tt := range tests {
		t.Run(tt.locale+" "+tt.complaint, func(t *testing.T) {
			msgs := shippedLookup(t, tt.lookup)
			msgs = append(msgs, assistant(gen(t, m, tt.locale, msgs...).Content), user(tt.complaint))
			reply := gen(t, m, tt.locale, msgs...)
			if want := render(tt.locale, "not_helped"); reply.Content != want {
				t.Fatalf("%q after a lookup = %s, want %q", tt.complaint, describe(reply), want)
			}
			msgs = append(msgs, assistant(reply.Content), user(tt.then))
			next := gen(t, m, tt.locale, msgs...)
			if name, args := callArgs(t, next); name != "handoff_to_human" || args["reason"] != tt.reason {
				t.Errorf("%q after the offer = %s, want handoff_to_human with reason %s", tt.then, describe(next), tt.reason)
			}
		})
	}
}

// A message that names an order, or asks for a person outright, is
// served as it asks, complaint or not.
func TestNotHelpedLeavesRequestsAlone(t *testing.T) {
	m := newModel(t)
	msgs := shippedLookup(t, "where is ORD-10042?")
	msgs = append(msgs, assistant(gen(t, m, "en", msgs...).Content), user("that doesn't help. where is my other order ORD-10055?"))
	reply := gen(t, m, "en", msgs...)
	if name, args := callArgs(t, reply); name == "" || args["order_id"] != "ORD-10055" {
		t.Errorf("a complaint naming ORD-10055 = %s, want a call about ORD-10055", describe(reply))
	}
}
