package local

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/l10n"
)

func assistant(s string) agent.Message { return agent.Message{Role: agent.RoleAssistant, Content: s} }

// callArgs returns the name and arguments of msg's only tool call, or "".
func callArgs(t *testing.T, msg agent.Message) (string, map[string]any) {
	t.Helper()
	if len(msg.ToolCalls) != 1 {
		return "", nil
	}
	var args map[string]any
	if err := json.Unmarshal(msg.ToolCalls[0].Arguments, &args); err != nil {
		t.Fatalf("tool call arguments %s: %v", msg.ToolCalls[0].Arguments, err)
	}
	return msg.ToolCalls[0].Name, args
}

// Below the action threshold a refund, cancellation or dispute is never
// proposed: the model asks which the buyer means. "Yes" then proposes the
// action; "no" answers the policy question instead.
func TestUnsureActionAsksInsteadOfProposing(t *testing.T) {
	m := newModel(t)
	c, _ := classifier()
	var unsure []string
	for _, text := range []string{"ORD-10042 hmm stop", "ORD-10042 abort", "ORD-10042 refundable?", "ORD-10042 the money"} {
		if r := c.Parse(text, "en"); nlu.Consequential(r.Intent) && r.Confidence < nlu.ActionThreshold {
			unsure = append(unsure, text)
		}
	}
	if len(unsure) == 0 {
		t.Fatal("no candidate message is read as an unsure refund, cancellation or dispute; pick new ones")
	}
	// An order that could be refunded: the model may look it up first,
	// and still asks.
	delivered := time.Now().Add(-48 * time.Hour)
	order, _ := json.Marshal(tools.Order{ID: "ORD-10042", Status: "delivered", DeliveredAt: &delivered,
		Items: []tools.Item{{Line: 1, Name: "Trail hiking boots", Quantity: 1, Refundable: true}}})
	for _, text := range unsure {
		r := c.Parse(text, "en")
		ask := gen(t, m, "en", user(text))
		if name, _ := callArgs(t, ask); name == "get_order" {
			ask = gen(t, m, "en", append([]agent.Message{user(text)},
				toolMsgs("get_order", `{"order_id":"ORD-10042"}`, agent.ToolResult{OK: true, Data: order})...)...)
		}
		if len(ask.ToolCalls) != 0 || !strings.Contains(ask.Content, "ORD-10042") || !strings.Contains(ask.Content, "?") {
			t.Errorf("%q (%s %.2f) = %+v, want a clarifying question naming ORD-10042 and no tool call", text, r.Intent, r.Confidence, ask)
			continue
		}
		want := needsOrder[r.Intent]
		yes := gen(t, m, "en", user(text), assistant(ask.Content), user("yes"))
		if name, args := callArgs(t, yes); name != want || args["order_id"] != "ORD-10042" {
			t.Errorf("%q, then yes = %+v, want %s for ORD-10042", text, yes, want)
		}
		// A no is either the question the message was (its policy is
		// searched) or the action declined: then nothing is done and the
		// reply says so about ORD-10042 — never a tool that acts.
		no := gen(t, m, "en", user(text), assistant(ask.Content), user("no"))
		name, args := callArgs(t, no)
		searched := name == "search_policy" && strings.HasPrefix(fmt.Sprint(args["query"]), text)
		declined := len(no.ToolCalls) == 0 && strings.Contains(no.Content, "ORD-10042") && strings.Contains(no.Content, "won't")
		if !searched && !declined {
			t.Errorf("%q, then no = %+v, want search_policy for the first message or the action declined", text, no)
		}
	}
}

// "Is there a fee if I cancel?" is a question about the policy, answered
// from the policies, whatever the profile's language.
func TestPolicyQuestionWithActionWordsSearchesThePolicies(t *testing.T) {
	m := newModel(t)
	for _, tt := range []struct{ profile, text, want string }{
		{"en", "is there a fee if I cancel?", "en"},
		{"ru", "I would like to see your refund policy", "en"},
		{"en", "¿en qué casos puedo abrir una disputa?", "es"},
		{"es", "환불은 보통 며칠 걸려요?", "ko"},
	} {
		msg := gen(t, m, tt.profile, user(tt.text))
		name, args := callArgs(t, msg)
		if name != "search_policy" || args["locale"] != tt.want {
			t.Errorf("profile %s, %q = %+v, want search_policy in %s", tt.profile, tt.text, msg, tt.want)
		}
	}
}

// Platform requests get what the buyer can do instead and an offer of a
// person; a yes hands the conversation off. No order tool is called.
func TestPlatformRequestsGetTheAlternativeAndAHandoff(t *testing.T) {
	m := newModel(t)
	for _, tt := range []struct{ locale, text, key, yes string }{
		{"en", "delete my account", "oos_account", "yes please"},
		{"en", "I need an invoice for ORD-10042", "oos_invoice", "yes"},
		{"en", "cancel my newsletter subscription", "oos_newsletter", "yes"},
		{"ko", "리뷰 삭제해 주세요", "oos_review", "네"},
		{"es", "quiero cambiar mi método de pago", "oos_payment_method", "sí"},
		{"ru", "поменяйте адрес доставки в профиле", "oos_address", "да"},
	} {
		msg := gen(t, m, tt.locale, user(tt.text))
		if len(msg.ToolCalls) != 0 || msg.Content != render(tt.locale, tt.key) {
			t.Errorf("%q = %+v, want the %s reply in %s", tt.text, msg, tt.key, tt.locale)
			continue
		}
		next := gen(t, m, tt.locale, user(tt.text), assistant(msg.Content), user(tt.yes))
		if name, _ := callArgs(t, next); name != "handoff_to_human" {
			t.Errorf("%q, then %q = %+v, want handoff_to_human", tt.text, tt.yes, next)
		}
	}
	// A yes with no offer on the table is not a handoff.
	if name, _ := callArgs(t, gen(t, m, "en", user("yes"))); name == "handoff_to_human" {
		t.Error(`"yes" out of the blue handed off`)
	}
}

// The reply follows the message's language, not the profile's; a short
// message keeps the conversation's language.
func TestReplyFollowsTheMessageLanguage(t *testing.T) {
	m := newModel(t)
	delivered := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	data, _ := json.Marshal(tools.Order{ID: "ORD-10042", Status: "delivered", ShopName: "Casa Sol", DeliveredAt: &delivered})
	result := agent.ToolResult{OK: true, Data: data}
	tests := []struct {
		profile string
		history []agent.Message
		want    string
	}{
		{"ru", []agent.Message{user("where is my order ORD-10042")}, "en"},
		{"en", []agent.Message{user("¿dónde está mi pedido ORD-10042?")}, "es"},
		{"ko", []agent.Message{user("hi, where is my order?"), assistant(render("en", "ask_order_id")), user("ORD-10042")}, "en"},
		{"ru", []agent.Message{user("ORD-10042?")}, "ru"},
	}
	for _, tt := range tests {
		msgs := append(append([]agent.Message{}, tt.history...), toolMsgs("get_order", `{"order_id":"ORD-10042"}`, result)...)
		msg := gen(t, m, tt.profile, msgs...)
		if want := render(tt.want, "order_delivered", "ORD-10042", "Casa Sol", l10n.Date(tt.want, delivered)); msg.Content != want {
			t.Errorf("profile %s, %q: reply %q, want %q", tt.profile, tt.history[len(tt.history)-1].Content, msg.Content, want)
		}
	}
}

var lanternOrder = tools.Order{ID: "ORD-10003", Status: "delivered", ShopName: "Maple & Pine Outfitters", Items: []tools.Item{
	{Line: 1, Name: "Trail hiking boots", Quantity: 1},
	{Line: 2, Name: "Waterproof rain jacket", Quantity: 2},
	{Line: 3, Name: "Rechargeable camp lantern", Quantity: 1},
}}

// An item named, placed or counted within the buyer's own order is
// refunded alone: the model reads the order first (get_order only shows
// the caller's orders) and refunds the matching line.
func TestItemRefundResolvesWithinTheBuyersOwnOrder(t *testing.T) {
	m := newModel(t)
	data, _ := json.Marshal(lanternOrder)
	tests := []struct {
		text      string
		line, qty float64
	}{
		{"refund just the lantern from ORD-10003, it doesn't charge", 3, 1},
		{"ORD-10003: one of the two jackets has a broken zip, I want my money back for it", 2, 1},
		{"please refund the second item of ORD-10003", 2, 2},
	}
	for _, tt := range tests {
		first := gen(t, m, "en", user(tt.text))
		if name, args := callArgs(t, first); name != "get_order" || args["order_id"] != "ORD-10003" {
			t.Errorf("%q = %+v, want get_order for ORD-10003 first", tt.text, first)
			continue
		}
		next := gen(t, m, "en", append([]agent.Message{user(tt.text)}, toolMsgs("get_order", `{"order_id":"ORD-10003"}`, agent.ToolResult{OK: true, Data: data})...)...)
		name, args := callArgs(t, next)
		items, _ := args["items"].([]any)
		if name != "request_refund" || args["order_id"] != "ORD-10003" || len(items) != 1 {
			t.Errorf("%q after get_order = %+v, want request_refund of one line of ORD-10003", tt.text, next)
			continue
		}
		it := items[0].(map[string]any)
		if it["line"] != tt.line || it["quantity"] != tt.qty {
			t.Errorf("%q refunds line %v ×%v, want line %v ×%v", tt.text, it["line"], it["quantity"], tt.line, tt.qty)
		}
	}
	// Another buyer's order is not found by the tool, so nothing is
	// matched and nothing refunded.
	notFound := agent.ToolResult{Error: &agent.ToolError{Code: "not_found", Message: "no such order"}}
	text := "refund just the lantern from ORD-20077"
	msg := gen(t, m, "en", append([]agent.Message{user(text)}, toolMsgs("get_order", `{"order_id":"ORD-20077"}`, notFound)...)...)
	if len(msg.ToolCalls) != 0 || msg.Content != render("en", "not_found_order", "ORD-20077") {
		t.Errorf("item refund on another buyer's order = %+v, want the not_found reply", msg)
	}
}

// cancel_order cancels whole orders; asked to drop one item, the model
// looks the order up and says so instead of cancelling everything. Goods
// that are all the order holds name the order: "cancel the lantern order"
// of an order of one lantern is its cancellation (cancelpart.go).
func TestCancellingOneItemDoesNotCancelTheOrder(t *testing.T) {
	m := newModel(t)
	two, _ := json.Marshal(tools.Order{ID: "ORD-10003", Status: "paid", Items: []tools.Item{
		{Line: 1, Name: "Rechargeable camp lantern", Quantity: 1}, {Line: 2, Name: "Trail hiking boots", Quantity: 1}}})
	one, _ := json.Marshal(tools.Order{ID: "ORD-10003", Status: "paid", Items: []tools.Item{
		{Line: 1, Name: "Rechargeable camp lantern", Quantity: 1}}})
	for _, tt := range []struct{ locale, text string }{
		{"en", "please remove the lantern from ORD-10003, keep the rest"},
		{"ko", "ORD-10003 주문에서 랜턴만 취소해 주세요"},
		{"ru", "отмените только фонарь из заказа ORD-10003"},
	} {
		first := gen(t, m, tt.locale, user(tt.text))
		if name, args := callArgs(t, first); name != "get_order" || args["order_id"] != "ORD-10003" {
			t.Fatalf("%q = %+v, want the order looked up", tt.text, first)
		}
		msg := gen(t, m, tt.locale, append([]agent.Message{user(tt.text)}, toolMsgs("get_order", `{"order_id":"ORD-10003"}`, agent.ToolResult{OK: true, Data: two})...)...)
		if len(msg.ToolCalls) != 0 || msg.Content != render(tt.locale, "cancel_whole_only", "ORD-10003") {
			t.Errorf("%q = %+v, want the whole-order-only reply", tt.text, msg)
		}
	}
	text := "please cancel my lantern order ORD-10003, I don't need it any more"
	msg := gen(t, m, "en", append([]agent.Message{user(text)}, toolMsgs("get_order", `{"order_id":"ORD-10003"}`, agent.ToolResult{OK: true, Data: one})...)...)
	if name, args := callArgs(t, msg); name != "cancel_order" || args["order_id"] != "ORD-10003" {
		t.Errorf("%q of an order of one lantern = %+v, want its cancellation", text, msg)
	}
}

// "My last order" is the newest of the buyer's own orders.
func TestLastOrderIsTheNewestOfTheBuyersOrders(t *testing.T) {
	m := newModel(t)
	list, _ := json.Marshal(tools.OrderList{Orders: []tools.OrderRow{
		{ID: "ORD-10250", Status: "shipped", Items: "Insulated steel bottle ×1"},
		{ID: "ORD-10003", Status: "delivered", Items: "Trail hiking boots ×1"},
	}})
	text := "where is my last order?"
	first := gen(t, m, "en", user(text))
	if name, _ := callArgs(t, first); name != "list_orders" {
		t.Fatalf("%q = %+v, want list_orders", text, first)
	}
	next := gen(t, m, "en", append([]agent.Message{user(text)}, toolMsgs("list_orders", `{}`, agent.ToolResult{OK: true, Data: list})...)...)
	if name, args := callArgs(t, next); name != "get_order" || args["order_id"] != "ORD-10250" {
		t.Errorf("after the list = %+v, want get_order for the newest, ORD-10250", next)
	}
}
