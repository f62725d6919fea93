package local

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// windowOrder is a delivered order of lines (name, quantity, unit price
// in minor units, already refunded) for the window-offer tests.
func windowOrder(t testing.TB, id, currency string, deliveredDaysAgo int, lines ...tools.Item) json.RawMessage {
	t.Helper()
	o := tools.Order{ID: id, Status: "delivered", DeliveredAt: daysAgo(deliveredDaysAgo), RefundUntil: daysAgo(deliveredDaysAgo - 30)}
	for i, it := range lines {
		it.Line, it.Refundable, it.UnitPrice.Currency = i+1, true, currency
		o.Items = append(o.Items, it)
		o.Total = tools.Money{Minor: o.Total.Minor + it.UnitPrice.Minor*int64(it.Quantity), Currency: currency}
	}
	data, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// "How long do I have to send ORD-… back?" about an order inside its
// window: the days, the order's last day, then what it would get back and
// whether to prepare it; a yes prepares that refund as a card (the buyer
// still confirms). Nothing is offered when the window is over, when the
// buyer named one line of several (the amount would be a guess), or when
// the order is refunded already.
func TestWindowAnswerOffersTheRefund(t *testing.T) {
	m := newModel(t)
	item := func(name string, qty int, minor int64) tools.Item {
		return tools.Item{Name: name, Quantity: qty, UnitPrice: tools.Money{Minor: minor}}
	}
	tests := []struct {
		name, locale, text, yes string
		data                    json.RawMessage
		// offer is the amount offered, "" for no offer.
		offer string
	}{
		{"en one line", "en", "how many days have i got to send back ORD-20601? the boots pinch", "yes please",
			windowOrder(t, "ORD-20601", "USD", 4, item("Hiking boots", 1, 7450)), "$74.50"},
		{"en two lines, none named", "en", "until when can I return ORD-20602?", "ok go ahead",
			windowOrder(t, "ORD-20602", "USD", 6, item("Camp mug", 2, 1200), item("Kettle", 1, 3000)), "$54.00"},
		{"ko one line", "ko", "ORD-20603 반품 며칠 안에 해야 돼요? 사이즈가 안 맞아요", "네 해주세요",
			windowOrder(t, "ORD-20603", "KRW", 2, item("겨울 장갑", 1, 25000)), "₩25,000"},
		{"es one line", "es", "¿hasta cuándo puedo devolver el pedido ORD-20604? no me convence", "sí, por favor",
			windowOrder(t, "ORD-20604", "EUR", 5, item("Bolso de mimbre", 1, 3590)), "35,90 €"},
		{"ru one line", "ru", "сколько дней у меня есть, чтобы вернуть заказ ORD-20605? не подошёл размер", "да, давайте",
			windowOrder(t, "ORD-20605", "RUB", 3, item("Пуховик", 1, 1250000)), "12 500,00 ₽"},
		{"en window over", "en", "how long do i have to return ORD-20606?", "",
			windowOrder(t, "ORD-20606", "USD", 45, item("Lamp", 1, 2000)), ""},
		{"en one line of several named", "en", "how many days do I have to return the kettle from ORD-20607?", "",
			windowOrder(t, "ORD-20607", "USD", 3, item("Camp mug", 2, 1200), item("Kettle", 1, 3000)), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := []agent.Message{user(tt.text)}
			look := gen(t, m, tt.locale, msgs...)
			name, args := callArgs(t, look)
			if name != "get_order" {
				t.Fatalf("%q = %s, want get_order", tt.text, describe(look))
			}
			msgs = append(msgs, toolMsgs("get_order", `{"order_id":"`+args["order_id"].(string)+`"}`, agent.ToolResult{OK: true, Data: tt.data})...)
			search := gen(t, m, tt.locale, msgs...)
			if name, _ := callArgs(t, search); name != "search_policy" {
				t.Fatalf("after the order = %s, want search_policy", describe(search))
			}
			hits, _ := json.Marshal(map[string]any{"hits": []map[string]any{{"doc": "refunds", "section": "Refund window", "locale": tt.locale,
				"text": "You can request a refund up to 30 days after your order was delivered."}}})
			msgs = append(msgs, toolMsgs("search_policy", `{}`, agent.ToolResult{OK: true, Data: hits})...)
			reply := gen(t, m, tt.locale, msgs...)
			id := args["order_id"].(string)
			ask := render(tt.locale, "window_refund_ask", id)
			if tt.offer == "" {
				if strings.Contains(reply.Content, ask) {
					t.Errorf("reply = %q, want no refund offered", reply.Content)
				}
				return
			}
			if !strings.Contains(reply.Content, tt.offer) || !strings.Contains(reply.Content, ask) {
				t.Fatalf("reply = %q, want the refund of %s offered for %s", reply.Content, tt.offer, id)
			}
			msgs = append(msgs, reply, user(tt.yes))
			next := gen(t, m, tt.locale, msgs...)
			for i := 0; i < 3 && len(next.ToolCalls) == 1 && next.ToolCalls[0].Name == "get_order"; i++ {
				msgs = append(msgs, toolMsgs("get_order", string(next.ToolCalls[0].Arguments), agent.ToolResult{OK: true, Data: tt.data})...)
				next = gen(t, m, tt.locale, msgs...)
			}
			if name, args := callArgs(t, next); name != "request_refund" || args["order_id"] != id {
				t.Errorf("%q after the offer = %s, want request_refund of %s", tt.yes, describe(next), id)
			}
		})
	}
}

// offeredRefund never offers more than is left of the order, nor lines
// already refunded.
func TestOfferedRefundLeavesRefunded(t *testing.T) {
	usd := func(minor int64) tools.Money { return tools.Money{Minor: minor, Currency: "USD"} }
	now := time.Now()
	tests := []struct {
		name string
		o    tools.Order
		want int64
		ok   bool
	}{
		{"one of two refunded", tools.Order{Total: usd(5400), Refunded: usd(2400), Items: []tools.Item{
			{Name: "Camp mug", Quantity: 2, RefundedQuantity: 2, UnitPrice: usd(1200), Refundable: true},
			{Name: "Kettle", Quantity: 1, UnitPrice: usd(3000), Refundable: true}}}, 3000, true},
		{"all refunded", tools.Order{Total: usd(3000), Refunded: usd(3000), Items: []tools.Item{
			{Name: "Kettle", Quantity: 1, RefundedQuantity: 1, UnitPrice: usd(3000), Refundable: true}}}, 0, false},
		{"partial amount refunded", tools.Order{Total: usd(3000), Refunded: usd(1000), DeliveredAt: &now, Items: []tools.Item{
			{Name: "Kettle", Quantity: 1, UnitPrice: usd(3000), Refundable: true}}}, 2000, true},
		{"gift card only", tools.Order{Total: usd(5000), Items: []tools.Item{
			{Name: "Gift card", Quantity: 1, UnitPrice: usd(5000), Refundable: false}}}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, ok := offeredRefund(tt.o, "how long do I have to return it?")
			if ok != tt.ok || got.Minor != tt.want {
				t.Errorf("offeredRefund = %d, %v; want %d, %v", got.Minor, ok, tt.want, tt.ok)
			}
		})
	}
}
