package local

import (
	"encoding/json"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// A refund's or a dispute's status asked by the goods, with no number,
// is looked up on the order holding those goods, or on the one order it
// can be about; before, the buyer was asked for an RF- or ORD- number
// they may not have. Goods that no order holds alone leave the choice to
// the buyer.
func TestStatusByGoodsFindsTheOrder(t *testing.T) {
	m := newModel(t)
	two := tools.OrderList{Orders: []tools.OrderRow{
		{ID: "ORD-40001", Status: "delivered", Items: "Wool throw blanket ×1"},
		{ID: "ORD-40002", Status: "delivered", Items: "Electric kettle ×1"},
	}}
	one := tools.OrderList{Orders: []tools.OrderRow{{ID: "ORD-40003", Status: "cancelled", Items: "Leather sandals ×1"}}}
	tests := []struct {
		locale, text string
		list         tools.OrderList
		tool, order  string // "" for no call after the list
	}{
		{"en", "the refund for my kettle never showed up on my card", two, "get_refund_status", "ORD-40002"},
		{"es", "el reembolso de la manta no me ha llegado", two, "get_refund_status", "ORD-40001"},
		{"ko", "담요 환불 진행 상황 좀 확인해 주세요", two, "get_refund_status", "ORD-40001"},
		{"es", "¿qué pasó con el reembolso de las sandalias?", one, "get_refund_status", "ORD-40003"},
		{"ru", "что с возвратом денег за чайник? до сих пор не пришли", two, "get_refund_status", "ORD-40002"},
		{"en", "I opened a dispute about the blanket, what's happening with it?", two, "get_dispute", "ORD-40001"},
		{"ru", "спор по пледу открыт уже неделю, что с ним?", two, "get_dispute", "ORD-40001"},
		{"en", "where is my refund?", two, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.locale+" "+tt.text, func(t *testing.T) {
			msgs := []agent.Message{user(tt.text)}
			look := genWith(t, m, statusTools, tt.locale, msgs...)
			if name, _ := callArgs(t, look); name != "list_orders" {
				t.Fatalf("%q = %s, want list_orders", tt.text, describe(look))
			}
			data, _ := json.Marshal(tt.list)
			next := genWith(t, m, statusTools, tt.locale, answered(t, msgs, look, agent.ToolResult{OK: true, Data: data})...)
			name, args := callArgs(t, next)
			if tt.tool == "" {
				if name != "" {
					t.Errorf("after the list = %s, want the list shown to pick from", describe(next))
				}
				return
			}
			if name != tt.tool || args["order_id"] != tt.order {
				t.Errorf("after the list = %s, want %s %s", describe(next), tt.tool, tt.order)
			}
		})
	}
}

// statusTools are allTools and the status lookups.
var statusTools = append([]agent.ToolSpec{{Name: "get_refund_status"}, {Name: "get_dispute"}}, allTools...)

// genWith answers msgs with the tools ts.
func genWith(t *testing.T, m *Model, ts []agent.ToolSpec, locale string, msgs ...agent.Message) agent.Message {
	t.Helper()
	resp, err := m.Generate(t.Context(), agent.Request{Messages: msgs, Tools: ts, Locale: locale}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return resp.Message
}
