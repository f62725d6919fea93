package local

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// Two requests that name their orders only by the goods in them are each
// served on the order holding those goods: the buyer's orders are looked
// up once, then the cancellation goes to the order with the goods the
// cancelling words name, and the money back to the other, never the other
// way round, in the four languages. "Both" with one action names one
// request for each order.
func TestTwoRequestsNamedByGoods(t *testing.T) {
	m := newModel(t)
	tests := []struct {
		locale, text string
		orders       []tools.OrderRow
		// want is the consequential tool asked for each order.
		want map[string][]string
	}{
		{"en", "two things: please cancel the kettle I ordered yesterday, and the lantern from my other order flickers, I'd like my money back for it",
			[]tools.OrderRow{{ID: "ORD-20001", Status: "paid", Items: "Electric kettle ×1", Lines: 1}, {ID: "ORD-20002", Status: "delivered", Items: "Waterproof rain jacket ×1, Rechargeable camp lantern ×1", Lines: 2}},
			map[string][]string{"ORD-20001": {"cancel_order"}, "ORD-20002": {"request_refund"}}},
		{"ko", "텀블러는 찌그러져서 환불해 주시고 주전자는 취소해 주세요",
			[]tools.OrderRow{{ID: "ORD-20011", Status: "paid", Items: "전기 주전자 ×1", Lines: 1}, {ID: "ORD-20012", Status: "delivered", Items: "극세사 담요 ×1, 보온 텀블러 ×1", Lines: 2}},
			map[string][]string{"ORD-20011": {"cancel_order"}, "ORD-20012": {"request_refund"}}},
		{"es", "quiero cancelar el bolso y que me devuelvan el dinero de las sandalias, me quedan chicas",
			[]tools.OrderRow{{ID: "ORD-20021", Status: "paid", Items: "Bolso de esparto ×1", Lines: 1}, {ID: "ORD-20022", Status: "delivered", Items: "Sandalias de cuero ×1", Lines: 1}},
			map[string][]string{"ORD-20021": {"cancel_order"}, "ORD-20022": {"request_refund"}}},
		{"ru", "самовар отмените, а за шарф верните деньги, он колется",
			[]tools.OrderRow{{ID: "ORD-20031", Status: "paid", Items: "Электрический самовар ×1", Lines: 1}, {ID: "ORD-20032", Status: "delivered", Items: "Шарф из шерсти ×1, Шкатулка из бересты ×1", Lines: 2}},
			map[string][]string{"ORD-20031": {"cancel_order"}, "ORD-20032": {"request_refund"}}},
		{"en", "cancel ORD-20051 and get me a refund for the lantern",
			[]tools.OrderRow{{ID: "ORD-20051", Status: "paid", Items: "Trail hiking boots ×1", Lines: 1}, {ID: "ORD-20052", Status: "delivered", Items: "Waterproof rain jacket ×1, Rechargeable camp lantern ×1", Lines: 2}},
			map[string][]string{"ORD-20051": {"cancel_order"}, "ORD-20052": {"request_refund"}}},
		{"es", "cancela el bolso y también las sandalias",
			[]tools.OrderRow{{ID: "ORD-20061", Status: "paid", Items: "Bolso de esparto ×1", Lines: 1}, {ID: "ORD-20062", Status: "paid", Items: "Sandalias de cuero ×1", Lines: 1}},
			map[string][]string{"ORD-20061": {"cancel_order"}, "ORD-20062": {"cancel_order"}}},
		{"ko", "주전자랑 담요 둘 다 취소해 주세요",
			[]tools.OrderRow{{ID: "ORD-20041", Status: "paid", Items: "전기 주전자 ×1", Lines: 1}, {ID: "ORD-20042", Status: "paid", Items: "극세사 담요 ×1", Lines: 1}},
			map[string][]string{"ORD-20041": {"cancel_order"}, "ORD-20042": {"cancel_order"}}},
	}
	for _, tt := range tests {
		msg := gen(t, m, tt.locale, user(tt.text))
		if len(msg.ToolCalls) != 1 || msg.ToolCalls[0].Name != "list_orders" {
			t.Errorf("%s %q: %s, want the buyer's orders looked up first", tt.locale, tt.text, describe(msg))
			continue
		}
		history := []agent.Message{user(tt.text), msg, toolResult(t, msg.ToolCalls[0], tools.OrderList{Orders: tt.orders})}
		// Each order the requests look up is answered as get_order would,
		// until every request has its action.
		got := map[string][]string{}
		for step := 0; step < 4; step++ {
			msg = gen(t, m, tt.locale, history...)
			if len(msg.ToolCalls) == 0 {
				break
			}
			history = append(history, msg)
			for _, c := range msg.ToolCalls {
				id := orderIDIn(c.Arguments)
				if c.Name != "get_order" {
					got[id] = append(got[id], c.Name)
					history = append(history, toolResult(t, c, map[string]any{"order_id": id}))
					continue
				}
				history = append(history, toolResult(t, c, orderOf(tt.orders, id)))
			}
			if len(got) == len(tt.want) {
				break
			}
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s %q: calls %v, want one request for each of %v", tt.locale, tt.text, got, tt.want)
			continue
		}
		for order, names := range got {
			if !slices.Equal(names, tt.want[order]) {
				t.Errorf("%s %q: %s gets %v, want %v", tt.locale, tt.text, order, names, tt.want[order])
			}
		}
	}
}

// A question whether two things can be done asks how things work: the
// buyer's orders are not looked up to split it into requests.
func TestQuestionAboutTwoActionsIsNotSplit(t *testing.T) {
	m := newModel(t)
	for _, tt := range []struct{ locale, text string }{
		{"en", "can I cancel the boots and get the refund on my card?"},
		{"es", "¿puedo cancelar el bolso y que me devuelvan el dinero de las sandalias?"},
		{"ru", "можно ли отменить самовар и вернуть деньги за шарф?"},
		{"ko", "주전자는 취소하고 담요는 환불할 수 있나요?"},
	} {
		msg := gen(t, m, tt.locale, user(tt.text))
		if len(msg.ToolCalls) > 0 && msg.ToolCalls[0].ID == goodsRequestsCall {
			t.Errorf("%s %q: %s, want no split into requests", tt.locale, tt.text, describe(msg))
		}
	}
}

// A message whose goods are all in one order is one request, not two:
// "cancel the kettle, or refund it if it's too late" is about one order.
func TestGoodsOfOneOrderAreOneRequest(t *testing.T) {
	orders := []tools.OrderRow{{ID: "ORD-20001", Status: "paid", Items: "Electric kettle ×1", Lines: 1}, {ID: "ORD-20002", Status: "delivered", Items: "Rechargeable camp lantern ×1", Lines: 1}}
	for _, text := range []string{
		"cancel the kettle, or refund it if it's too late",
		"주전자 취소하거나 환불해 주세요",
	} {
		if reqs := goodsGroups(text, orders); len(reqs) > 1 {
			t.Errorf("%q: %d requests %+v, want it read whole", text, len(reqs), reqs)
		}
	}
}

// toolResult is the tool message answering call c with data.
func toolResult(t *testing.T, c agent.ToolCall, data any) agent.Message {
	t.Helper()
	raw, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(agent.ToolResult{OK: true, Data: raw})
	if err != nil {
		t.Fatal(err)
	}
	return agent.Message{Role: agent.RoleTool, Name: c.Name, ToolCallID: c.ID, Content: string(b)}
}

// orderOf is order id of rows as get_order returns it: each item of the
// row a line of its own at 10.00, refundable.
func orderOf(rows []tools.OrderRow, id string) tools.Order {
	o := tools.Order{ID: id}
	for _, r := range rows {
		if r.ID != id {
			continue
		}
		o.Status = r.Status
		for i, name := range strings.Split(r.Items, ", ") {
			name, _, _ = strings.Cut(name, " ×")
			o.Items = append(o.Items, tools.Item{Line: i + 1, Name: name, Quantity: 1, UnitPrice: tools.Money{Minor: 1000, Currency: "USD"}, Refundable: true})
			o.Total.Minor += 1000
		}
		o.Total.Currency = "USD"
	}
	return o
}

// Of two requests named by their goods, the refund covers the goods asked
// back and never those the buyer names and then keeps by pointing back at
// them ("the jacket is a gift, that one stays"), in the four languages.
func TestTwoRequestsByGoodsKeepWhatIsPointedAt(t *testing.T) {
	m := newModel(t)
	for _, tt := range []struct {
		locale, text string
		orders       []tools.OrderRow
		// refund is the order refunded and the one line it covers.
		refund string
		line   int
	}{
		{"en", "two things: cancel the kettle from yesterday, and from the other order refund the lantern, it flickers (the jacket is a gift, that one stays)",
			[]tools.OrderRow{{ID: "ORD-20101", Status: "paid", Items: "Electric kettle ×1", Lines: 1}, {ID: "ORD-20102", Status: "delivered", Items: "Waterproof rain jacket ×1, Rechargeable camp lantern ×1", Lines: 2}},
			"ORD-20102", 2},
		{"es", "dos cosas: cancela el bolso, y del otro pedido devuélveme las sandalias que se rompieron (la chaqueta es para mi hermana, esa se queda)",
			[]tools.OrderRow{{ID: "ORD-20111", Status: "paid", Items: "Bolso de esparto ×1", Lines: 1}, {ID: "ORD-20112", Status: "delivered", Items: "Chaqueta impermeable ×1, Sandalias de cuero ×1", Lines: 2}},
			"ORD-20112", 2},
		{"ru", "две просьбы: отмените самовар, а по другому заказу верните деньги за шарф, он колется. шкатулка для мамы, её оставлю",
			[]tools.OrderRow{{ID: "ORD-20121", Status: "paid", Items: "Электрический самовар ×1", Lines: 1}, {ID: "ORD-20122", Status: "delivered", Items: "Шкатулка из бересты ×1, Шарф из шерсти ×1", Lines: 2}},
			"ORD-20122", 2},
		{"ko", "주전자는 취소해 주시고 텀블러는 찌그러져서 환불해 주세요. 담요는 선물이라서 그건 둘게요",
			[]tools.OrderRow{{ID: "ORD-20131", Status: "paid", Items: "전기 주전자 ×1", Lines: 1}, {ID: "ORD-20132", Status: "delivered", Items: "극세사 담요 ×1, 보온 텀블러 ×1", Lines: 2}},
			"ORD-20132", 2},
	} {
		msg := gen(t, m, tt.locale, user(tt.text))
		if len(msg.ToolCalls) != 1 || msg.ToolCalls[0].Name != "list_orders" {
			t.Errorf("%s %q: %s, want the buyer's orders looked up first", tt.locale, tt.text, describe(msg))
			continue
		}
		history := []agent.Message{user(tt.text), msg, toolResult(t, msg.ToolCalls[0], tools.OrderList{Orders: tt.orders})}
		var refund *agent.ToolCall
		for step := 0; step < 4 && refund == nil; step++ {
			msg = gen(t, m, tt.locale, history...)
			if len(msg.ToolCalls) == 0 {
				break
			}
			history = append(history, msg)
			for _, c := range msg.ToolCalls {
				id := orderIDIn(c.Arguments)
				switch c.Name {
				case "get_order":
					history = append(history, toolResult(t, c, orderOf(tt.orders, id)))
				case "request_refund":
					refund = &c
				default:
					history = append(history, toolResult(t, c, map[string]any{"order_id": id}))
				}
			}
		}
		if refund == nil {
			t.Errorf("%s %q: no refund asked, last %s", tt.locale, tt.text, describe(msg))
			continue
		}
		var args struct {
			OrderID string `json:"order_id"`
			Items   []struct {
				Line int `json:"line"`
			} `json:"items"`
		}
		if err := json.Unmarshal(refund.Arguments, &args); err != nil {
			t.Fatal(err)
		}
		if args.OrderID != tt.refund || len(args.Items) != 1 || args.Items[0].Line != tt.line {
			t.Errorf("%s %q: request_refund %s, want %s line %d only", tt.locale, tt.text, refund.Arguments, tt.refund, tt.line)
		}
	}
}
