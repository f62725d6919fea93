package local

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

var classifier = sync.OnceValues(nlu.New)

func newModel(t *testing.T) *Model {
	t.Helper()
	c, err := classifier()
	if err != nil {
		t.Fatal(err)
	}
	return New(c)
}

var orderTools = []agent.ToolSpec{{Name: "get_order"}}

func generate(t *testing.T, m *Model, locale string, msgs ...agent.Message) agent.Message {
	t.Helper()
	resp, err := m.Generate(t.Context(), agent.Request{Messages: msgs, Tools: orderTools, Locale: locale}, nil)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	if resp.Model != Name {
		t.Errorf("Model = %q, want %q", resp.Model, Name)
	}
	return resp.Message
}

func user(s string) agent.Message { return agent.Message{Role: agent.RoleUser, Content: s} }

func TestOrderStatusCallsGetOrderInEveryLanguage(t *testing.T) {
	m := newModel(t)
	tests := []struct{ locale, text string }{
		{"en", "where is my order ORD-10042?"},
		{"ko", "주문 ORD-10042 어디쯤 왔나요?"},
		{"es", "¿Dónde está mi pedido ORD-10042?"},
		{"ru", "Где мой заказ ORD-10042?"},
	}
	for _, tt := range tests {
		msg := generate(t, m, tt.locale, user(tt.text))
		if len(msg.ToolCalls) != 1 || msg.ToolCalls[0].Name != "get_order" || !strings.Contains(string(msg.ToolCalls[0].Arguments), "ORD-10042") {
			t.Errorf("Generate(%q) = %+v, want get_order for ORD-10042", tt.text, msg)
		}
	}
}

// "Where is my order?" → "which one?" → "ORD-10042" looks the order up.
func TestOrderIDCompletesTheEarlierQuestion(t *testing.T) {
	m := newModel(t)
	ask := generate(t, m, "en", user("where is my order?"))
	if len(ask.ToolCalls) != 0 || !strings.Contains(ask.Content, "ORD-10042") {
		t.Fatalf("first reply = %+v, want a question for the order number", ask)
	}
	msg := generate(t, m, "en", user("where is my order?"), agent.Message{Role: agent.RoleAssistant, Content: ask.Content}, user("ORD-10077"))
	if len(msg.ToolCalls) != 1 || !strings.Contains(string(msg.ToolCalls[0].Arguments), "ORD-10077") {
		t.Errorf("reply to the bare id = %+v, want get_order for ORD-10077", msg)
	}
}

func TestOrderRepliesComeFromTheToolResult(t *testing.T) {
	m := newModel(t)
	shipped := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	order := tools.Order{ID: "ORD-10042", Status: "shipped", ShopName: "Casa Sol", ShippedAt: &shipped,
		PaidAt: &shipped, Carrier: "Correos", TrackingNumber: "PQ1234567890", Total: tools.Money{Minor: 4990, Currency: "EUR"}}
	data, _ := json.Marshal(order)
	ok, _ := json.Marshal(agent.ToolResult{OK: true, Data: data})
	notFound, _ := json.Marshal(agent.ToolResult{Error: &agent.ToolError{Code: "not_found", Message: "no order"}})
	// The date as each language writes it, never ISO.
	dates := map[string]string{"en": "November 20, 2026", "ko": "2026년 11월 20일", "es": "20 de noviembre de 2026", "ru": "20 ноября 2026"}
	for _, locale := range []string{"en", "ko", "es", "ru"} {
		// "ORD-10042?" says nothing of its language, so the reply is in
		// the buyer's.
		msgs := []agent.Message{user("ORD-10042?"),
			{Role: agent.RoleAssistant, ToolCalls: []agent.ToolCall{{ID: "c", Name: "get_order"}}},
			{Role: agent.RoleTool, Name: "get_order", ToolCallID: "c", Content: string(ok)}}
		msg := generate(t, m, locale, msgs...)
		for _, want := range []string{"ORD-10042", "Casa Sol", dates[locale], "Correos", "PQ1234567890"} {
			if !strings.Contains(msg.Content, want) {
				t.Errorf("%s reply %q lacks %q", locale, msg.Content, want)
			}
		}
		msgs[2].Content = string(notFound)
		msg = generate(t, m, locale, msgs...)
		if msg.Content != render(locale, "not_found") {
			t.Errorf("%s reply to not_found = %q", locale, msg.Content)
		}
	}
}

func TestTemplatesCoverEveryLocaleAndKey(t *testing.T) {
	for key := range templates["en"] {
		for _, locale := range []string{"ko", "es", "ru"} {
			tmpl, ok := templates[locale][key]
			if !ok {
				t.Errorf("locale %s lacks template %q", locale, key)
				continue
			}
			if strings.Count(tmpl, "%") != strings.Count(templates["en"][key], "%") {
				t.Errorf("template %s/%q has other placeholders than English", locale, key)
			}
		}
	}
	for locale, set := range templates {
		if len(set) != len(templates["en"]) {
			t.Errorf("locale %s has %d templates, English %d", locale, len(set), len(templates["en"]))
		}
	}
}

func TestConfirmationsReadClearYesAndNo(t *testing.T) {
	c, err := classifier()
	if err != nil {
		t.Fatal(err)
	}
	conf := NewConfirmations(c)
	tests := []struct {
		text, locale string
		yes, no      bool
	}{
		{"yes", "en", true, false},
		{"네", "ko", true, false},
		{"sí", "es", true, false},
		{"да", "ru", true, false},
		{"no", "en", false, true},
		{"아니요", "ko", false, true},
		{"where is my order ORD-10042", "en", false, false},
	}
	for _, tt := range tests {
		yes, no := conf.Confirmation(tt.text, tt.locale)
		if yes != tt.yes || no != tt.no {
			t.Errorf("Confirmation(%q) = %v, %v; want %v, %v", tt.text, yes, no, tt.yes, tt.no)
		}
	}
}

func toolMsgs(name, args string, r agent.ToolResult) []agent.Message {
	b, _ := json.Marshal(r)
	return []agent.Message{
		{Role: agent.RoleAssistant, ToolCalls: []agent.ToolCall{{ID: "c1", Name: name, Arguments: json.RawMessage(args)}}},
		{Role: agent.RoleTool, Name: name, ToolCallID: "c1", Content: string(b)},
	}
}

var allTools = []agent.ToolSpec{{Name: "get_order"}, {Name: "list_orders"}, {Name: "request_refund"}, {Name: "open_dispute"},
	{Name: "cancel_order"}, {Name: "search_policy"}, {Name: "handoff_to_human"}, {Name: "track_shipment"}}

func gen(t *testing.T, m *Model, locale string, msgs ...agent.Message) agent.Message {
	t.Helper()
	resp, err := m.Generate(t.Context(), agent.Request{Messages: msgs, Tools: allTools, Locale: locale}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return resp.Message
}

// "I want a refund" → "which order?" → "the boots one": the model lists the
// buyer's orders and picks the one whose items match, in any language.
func TestItemDescriptionPicksTheOrder(t *testing.T) {
	m := newModel(t)
	list := tools.OrderList{Orders: []tools.OrderRow{
		{ID: "ORD-10001", Status: "delivered", Items: "Insulated steel bottle ×1"},
		{ID: "ORD-10002", Status: "delivered", Items: "Trail hiking boots ×1, Merino wool socks (3 pack) ×2"},
		{ID: "ORD-10003", Status: "delivered", Items: "무선 이어폰 ×1"},
	}}
	data, _ := json.Marshal(list)
	tests := []struct {
		locale, first, second, want string
	}{
		{"en", "I want a refund", "the shoes one", "ORD-10002"},
		{"ko", "환불하고 싶어요", "신발 주문이요", "ORD-10002"},
		{"es", "quiero un reembolso", "el de las botas", "ORD-10002"},
		{"ru", "хочу вернуть деньги", "за наушники", "ORD-10003"},
	}
	for _, tt := range tests {
		history := []agent.Message{user(tt.first), {Role: agent.RoleAssistant, Content: render(tt.locale, "ask_order_id")}, user(tt.second)}
		first := gen(t, m, tt.locale, history...)
		if len(first.ToolCalls) != 1 || first.ToolCalls[0].Name != "list_orders" {
			t.Errorf("%s: %q after %q = %+v, want list_orders", tt.locale, tt.second, tt.first, first)
			continue
		}
		next := gen(t, m, tt.locale, append(history, toolMsgs("list_orders", `{}`, agent.ToolResult{OK: true, Data: data})...)...)
		if len(next.ToolCalls) != 1 || next.ToolCalls[0].Name != "request_refund" || !strings.Contains(string(next.ToolCalls[0].Arguments), tt.want) {
			t.Errorf("%s: after the list = %+v, want request_refund for %s", tt.locale, next, tt.want)
		}
	}
	// Nothing matches: the model lists the orders and asks.
	history := []agent.Message{user("I want a refund"), {Role: agent.RoleAssistant, Content: "?"}, user("the lamp one")}
	msg := gen(t, m, "en", append(history, toolMsgs("list_orders", `{}`, agent.ToolResult{OK: true, Data: data})...)...)
	if len(msg.ToolCalls) != 0 || !strings.Contains(msg.Content, "ORD-10001") || !strings.Contains(msg.Content, "ORD-10002") {
		t.Errorf("no match = %+v, want the list and a question", msg)
	}
}

// Policy answers are sentences copied from the retrieved passage, with its
// citation; nothing is added.
func TestPolicyAnswerIsExtractiveAndCited(t *testing.T) {
	m := newModel(t)
	passage := "## Refund window\nYou can request a refund up to 30 days after the order was delivered. After 30 days, no self-service refund is possible. Opening a dispute may still be possible."
	hits, _ := json.Marshal(map[string]any{"hits": []map[string]any{{"doc_id": "refunds", "heading_path": "Refunds and returns > Refund window", "text": passage}}})
	msg := gen(t, m, "en", append([]agent.Message{user("how many days do I have to request a refund after delivery?")},
		toolMsgs("search_policy", `{"query":"x"}`, agent.ToolResult{OK: true, Data: hits})...)...)
	if !strings.Contains(msg.Content, "30 days after the order was delivered") || !strings.HasSuffix(msg.Content, "[refunds §Refund window]") {
		t.Errorf("policy answer = %q, want the passage's sentence and the citation", msg.Content)
	}
	for _, sentence := range strings.Split(strings.TrimSuffix(msg.Content, " [refunds §Refund window]"), ". ") {
		if !strings.Contains(passage, strings.TrimSuffix(sentence, ".")) {
			t.Errorf("sentence %q is not in the passage", sentence)
		}
	}
	empty, _ := json.Marshal(map[string]any{"hits": []any{}})
	msg = gen(t, m, "en", append([]agent.Message{user("what is the policy on unicorns?")},
		toolMsgs("search_policy", `{"query":"x"}`, agent.ToolResult{OK: true, Data: empty})...)...)
	if msg.Content != render("en", "policy_none") {
		t.Errorf("no hits = %q, want the no-policy reply", msg.Content)
	}
}

func TestToolErrorsAreExplainedInTheBuyersLanguage(t *testing.T) {
	m := newModel(t)
	for _, code := range []tools.Code{tools.CodeNotFound, tools.CodeWindowExpired, tools.CodeAlreadyRefunded, tools.CodeLimitReached,
		tools.CodeNotEligible, tools.CodeConflict, tools.CodeInvalidArgument, tools.CodeUnavailable, tools.CodeInternal} {
		for _, locale := range []string{"en", "ko", "es", "ru"} {
			msg := gen(t, m, locale, append([]agent.Message{user("refund ORD-10001")},
				toolMsgs("request_refund", `{"order_id":"ORD-10001"}`, agent.ToolResult{Error: &agent.ToolError{Code: string(code), Message: "English detail"}})...)...)
			if (code == tools.CodeWindowExpired || code == tools.CodeNotEligible) && len(msg.ToolCalls) == 1 && msg.ToolCalls[0].Name == "get_order" {
				// A refusal the policy explains: the model first reads the
				// order's dates (refusal.go), then explains.
				continue
			}
			if msg.Content == "" || strings.Contains(msg.Content, "English detail") || strings.Contains(msg.Content, "%!") {
				t.Errorf("%s %s: reply %q, want a localized explanation without the tool's English", locale, code, msg.Content)
			}
		}
	}
}

var disputeTools = []agent.ToolSpec{{Name: "get_order"}, {Name: "list_orders"}, {Name: "track_shipment"},
	{Name: "request_refund"}, {Name: "cancel_order"}, {Name: "open_dispute"}}

// converse plays the buyer's messages one by one, each followed by the
// model's reply to it when that reply is text, and returns the model's
// answer to the last message.
func converse(t *testing.T, m *Model, locale string, texts ...string) agent.Message {
	t.Helper()
	var msgs []agent.Message
	var reply agent.Message
	for _, text := range texts {
		msgs = append(msgs, user(text))
		resp, err := m.Generate(t.Context(), agent.Request{Messages: msgs, Tools: disputeTools, Locale: locale}, nil)
		if err != nil {
			t.Fatalf("Generate: %v", err)
		}
		reply = resp.Message
		if len(reply.ToolCalls) == 0 {
			msgs = append(msgs, reply)
		}
	}
	return reply
}

// The answer to the model's own question about a dispute's reason
// completes the dispute, even when the answer alone reads as another
// request: "it never arrived" as a delivery problem, "they sent me the
// wrong item" as a refund request.
func TestAnswerThatFillsTheAwaitedSlotCompletesTheRequest(t *testing.T) {
	m := newModel(t)
	tests := []struct {
		locale string
		turns  []string
		reason string
	}{
		{"en", []string{"I want to open a dispute for order ORD-10201", "they sent me the wrong item"}, nlu.ReasonWrongItem},
		{"en", []string{"I want to open a dispute for ORD-10201", "it never arrived"}, nlu.ReasonNotReceived},
		{"en", []string{"I want to open a dispute for ORD-10201", "it arrived damaged"}, nlu.ReasonDamaged},
		{"en", []string{"I want to open a dispute", "ORD-10201", "it never arrived"}, nlu.ReasonNotReceived},
		{"ko", []string{"ORD-10201 주문에 대해 분쟁을 열고 싶어요", "도착하지 않았어요"}, nlu.ReasonNotReceived},
		{"ko", []string{"ORD-10201 주문에 대해 분쟁을 열고 싶어요", "다른 상품이 왔어요"}, nlu.ReasonWrongItem},
		{"es", []string{"Quiero abrir una disputa por el pedido ORD-10201", "nunca llegó"}, nlu.ReasonNotReceived},
		{"es", []string{"Quiero abrir una disputa por el pedido ORD-10201", "me enviaron un artículo equivocado"}, nlu.ReasonWrongItem},
		{"ru", []string{"Хочу открыть спор по заказу ORD-10201", "он так и не пришёл"}, nlu.ReasonNotReceived},
		{"ru", []string{"Хочу открыть спор по заказу ORD-10201", "пришёл повреждённым"}, nlu.ReasonDamaged},
	}
	for _, tt := range tests {
		t.Run(tt.locale+"/"+tt.turns[len(tt.turns)-1], func(t *testing.T) {
			msg := converse(t, m, tt.locale, tt.turns...)
			if len(msg.ToolCalls) != 1 || msg.ToolCalls[0].Name != "open_dispute" {
				t.Fatalf("reply = %+v, want an open_dispute call", msg)
			}
			var args struct {
				OrderID string `json:"order_id"`
				Reason  string `json:"reason"`
			}
			if err := json.Unmarshal(msg.ToolCalls[0].Arguments, &args); err != nil {
				t.Fatal(err)
			}
			if args.OrderID != "ORD-10201" || args.Reason != tt.reason {
				t.Errorf("open_dispute(%s) = order %q reason %q, want ORD-10201 %s", msg.ToolCalls[0].Arguments, args.OrderID, args.Reason, tt.reason)
			}
		})
	}
}

// A confident request for another action is not taken for the awaited
// detail: asked which order to track, "cancel order ORD-10077" cancels.
func TestConfidentNewRequestIsNotTakenForTheAwaitedSlot(t *testing.T) {
	m := newModel(t)
	tests := []struct {
		locale string
		turns  []string
		tool   string
	}{
		{"en", []string{"where is my order?", "please cancel my order ORD-10077"}, "cancel_order"},
		{"en", []string{"I want to open a dispute for ORD-10201", "I'd like a refund for order ORD-10077 instead"}, "request_refund"},
	}
	for _, tt := range tests {
		t.Run(tt.turns[len(tt.turns)-1], func(t *testing.T) {
			msg := converse(t, m, tt.locale, tt.turns...)
			if len(msg.ToolCalls) != 1 || msg.ToolCalls[0].Name != tt.tool || !strings.Contains(string(msg.ToolCalls[0].Arguments), "ORD-10077") {
				t.Errorf("reply = %+v, want %s for ORD-10077", msg, tt.tool)
			}
		})
	}
}

// A message that takes the request back is a no, however much else it
// says, in the four languages; a problem, a question or "wait, let me
// look" is not.
func TestConfirmationsReadWithdrawals(t *testing.T) {
	c, err := classifier()
	if err != nil {
		t.Fatal(err)
	}
	conf := NewConfirmations(c)
	tests := []struct {
		text, locale string
		no           bool
	}{
		{"oh never mind, my wife says she'll use it after all", "en", true},
		{"forget it, I'll keep it", "en", true},
		{"hmm no wait, don't refund anything yet", "en", true},
		{"stop, I changed my mind about the refund", "en", true},
		{"아 그냥 없던 걸로 해주세요", "ko", true},
		{"취소하지 마세요, 그냥 쓸게요", "ko", true},
		{"ay, olvídalo, me lo quedo al final", "es", true},
		{"mejor no, déjalo así", "es", true},
		{"ой, забудьте, пусть остаётся", "ru", true},
		{"не надо ничего возвращать, оставлю себе", "ru", true},
		{"the kettle stopped working after a day", "en", false},
		{"wait, let me find the order number", "en", false},
		{"잠깐만요 주문번호 찾아볼게요", "ko", false},
		{"¿para el pedido ORD-10042 también?", "es", false},
		{"перестал работать через день", "ru", false},
	}
	for _, tt := range tests {
		yes, no := conf.Confirmation(tt.text, tt.locale)
		if yes || no != tt.no {
			t.Errorf("Confirmation(%q) = %v, %v; want false, %v", tt.text, yes, no, tt.no)
		}
	}
}
