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
	for _, locale := range []string{"en", "ko", "es", "ru"} {
		msgs := []agent.Message{user("where is ORD-10042"),
			{Role: agent.RoleAssistant, ToolCalls: []agent.ToolCall{{ID: "c", Name: "get_order"}}},
			{Role: agent.RoleTool, Name: "get_order", ToolCallID: "c", Content: string(ok)}}
		msg := generate(t, m, locale, msgs...)
		for _, want := range []string{"ORD-10042", "Casa Sol", "2026-11-20", "Correos", "PQ1234567890"} {
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
