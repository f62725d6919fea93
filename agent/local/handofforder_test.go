package local

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// answered appends the model's call msg and its result r to msgs, under
// the call's own id (the model reads its lookups back by it).
func answered(t *testing.T, msgs []agent.Message, msg agent.Message, r agent.ToolResult) []agent.Message {
	t.Helper()
	if len(msg.ToolCalls) != 1 {
		t.Fatalf("want one call, got %s", describe(msg))
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	c := msg.ToolCalls[0]
	return append(msgs, agent.Message{Role: agent.RoleAssistant, ToolCalls: msg.ToolCalls},
		agent.Message{Role: agent.RoleTool, Name: c.Name, ToolCallID: c.ID, Content: string(b)})
}

// A buyer who tells their problem by the goods, never by an order number,
// and then asks for a person is handed over with the order their words
// name (or their only order) looked up first, so the person's card names
// it; before, the summary named no order and the handoff went to platform
// support with "Nothing was tried yet". A buyer whose words name none of
// several orders is handed over as before, without a guess.
func TestHandoffLooksUpTheOrderTheBuyerMeans(t *testing.T) {
	m := newModel(t)
	two := tools.OrderList{Orders: []tools.OrderRow{
		{ID: "ORD-20001", Status: "delivered", Items: "Wool throw blanket ×1"},
		{ID: "ORD-20002", Status: "shipped", Items: "Ceramic teapot ×1"},
	}}
	one := tools.OrderList{Orders: []tools.OrderRow{{ID: "ORD-20003", Status: "delivered", Items: "Leather sandals ×1"}}}
	tests := []struct {
		name, locale, told, ask string
		list                    tools.OrderList
		want                    string // the order handed over with, "" for none
	}{
		{"en goods name one of two", "en", "the teapot still hasn't shown up and the tracking page just errors out", "put me through to a human please", two, "ORD-20002"},
		{"ko goods name one of two", "ko", "담요 반품 신청하는데 계속 에러가 떠요", "상담원이랑 얘기하고 싶어요", two, "ORD-20001"},
		{"es only order", "es", "las sandalias me llegaron descosidas y nadie me contesta", "quiero hablar con una persona ya", one, "ORD-20003"},
		{"ru only order", "ru", "сандалии порвались через день, это безобразие", "соедините с оператором", one, "ORD-20003"},
		{"en nothing named of two", "en", "my parcel is late again and the tracking link is broken", "get me a real person", two, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := []agent.Message{user(tt.told), assistant("…"), user(tt.ask)}
			look := gen(t, m, tt.locale, msgs...)
			if name, _ := callArgs(t, look); name != "list_orders" {
				t.Fatalf("%q with no order named = %s, want list_orders first", tt.ask, describe(look))
			}
			data, _ := json.Marshal(tt.list)
			msgs = answered(t, msgs, look, agent.ToolResult{OK: true, Data: data})
			next := gen(t, m, tt.locale, msgs...)
			if tt.want != "" {
				name, args := callArgs(t, next)
				if name != "get_order" || args["order_id"] != tt.want {
					t.Fatalf("after the list = %s, want get_order %s", describe(next), tt.want)
				}
				msgs = answered(t, msgs, next, agent.ToolResult{OK: true, Data: json.RawMessage(`{"order_id":"` + tt.want + `"}`)})
				next = gen(t, m, tt.locale, msgs...)
			}
			name, args := callArgs(t, next)
			if name != "handoff_to_human" {
				t.Fatalf("last step = %s, want handoff_to_human", describe(next))
			}
			summary, _ := args["summary"].(string)
			if tt.want != "" && !strings.Contains(summary, "Order: "+tt.want) || tt.want == "" && strings.Contains(summary, "ORD-") {
				t.Errorf("handoff summary = %q, want it to name order %q and no other", summary, tt.want)
			}
			if strings.Contains(summary, "list_orders") {
				t.Errorf("handoff summary = %q, want no list lookup among what was tried", summary)
			}
		})
	}
}

// A conversation already about an order is handed over at once: the
// order is known, nothing is to be looked up; nor is anything for a
// request about no order ("change my email").
func TestHandoffWithAnOrderLooksNothingUp(t *testing.T) {
	m := newModel(t)
	msgs := shippedLookup(t, "where is ORD-10042?")
	msgs = append(msgs, assistant(gen(t, m, "en", msgs...).Content), user("forget it, I want to talk to a person"))
	reply := gen(t, m, "en", msgs...)
	if name, args := callArgs(t, reply); name != "handoff_to_human" || !strings.Contains(args["summary"].(string), "ORD-10042") {
		t.Errorf("a person asked for about ORD-10042 = %s, want handoff_to_human naming ORD-10042", describe(reply))
	}
	for locale, text := range map[string]string{"en": "can I talk to a person about my account settings", "es": "quiero hablar con una persona sobre mi cuenta"} {
		if name, _ := callArgs(t, gen(t, m, locale, user(text))); name != "handoff_to_human" {
			t.Errorf("%q = %s, want handoff_to_human at once", text, name)
		}
	}
}
