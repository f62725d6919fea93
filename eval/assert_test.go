package eval

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func ptr[T any](v T) *T { return &v }

var testBindings = Bindings{Buyer: "buyer-001", Locale: "en", Vars: map[string]string{"order": "ORD-10042", "buyer": "buyer-001"}}

// statuses returns the statuses of rs, for compact comparisons.
func statuses(rs []AssertionResult) string {
	var b strings.Builder
	for i, r := range rs {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(string(r.Status))
	}
	return b.String()
}

func TestCheckText(t *testing.T) {
	tests := []struct {
		name   string
		expect Expect
		reply  Reply
		events []Event
		want   string
	}{
		{"contains with a placeholder", Expect{Contains: []string{"{{order}}"}}, Reply{Text: "Order ORD-10042 shipped"}, nil, "pass"},
		{"contains ignores case", Expect{Contains: []string{"SHIPPED"}}, Reply{Text: "it shipped"}, nil, "pass"},
		{"contains ignores case in Cyrillic", Expect{Contains: []string{"ЗАКАЗ ОТМЕНЁН"}}, Reply{Text: "Ваш заказ отменён."}, nil, "pass"},
		{"contains folds ß", Expect{Contains: []string{"STRASSE"}}, Reply{Text: "Hauptstraße 1"}, nil, "pass"},
		{"contains normalizes Hangul", Expect{Contains: []string{"환불"}}, Reply{Text: "\u1112\u116a\u11ab\u1107\u116e\u11af 완료"}, nil, "pass"},
		{"contains missing", Expect{Contains: []string{"refund"}}, Reply{Text: "it shipped"}, nil, "fail"},
		{"not contains", Expect{NotContains: []string{"guarantee"}}, Reply{Text: "We Guarantee it"}, nil, "fail"},
		{"not contains passes", Expect{NotContains: []string{"guarantee"}}, Reply{Text: "no promises"}, nil, "pass"},
		{"regex", Expect{Regex: []string{`rf-[a-z0-9]+`}}, Reply{Text: "Done: RF-3ECY of 5 USD"}, nil, "pass"},
		{"regex in Spanish", Expect{Regex: []string{`ENTREG`}}, Reply{Text: "se entregó el lunes"}, nil, "pass"},
		{"regex in Russian", Expect{Regex: []string{`срок возврата`}}, Reply{Text: "Срок возврата истёк"}, nil, "pass"},
		{"regex fails", Expect{Regex: []string{`DSP-\d+`}}, Reply{Text: "no dispute"}, nil, "fail"},
		{"not regex", Expect{NotRegex: []string{`\bdone\b`}}, Reply{Text: "Done: refund"}, nil, "fail"},
		{"confirm requested", Expect{ConfirmRequest: ptr(true)}, Reply{}, []Event{{Kind: EventConfirm}}, "pass"},
		{"confirm missing", Expect{ConfirmRequest: ptr(true)}, Reply{}, []Event{{Kind: EventTool}}, "fail"},
		{"confirm forbidden", Expect{ConfirmRequest: ptr(false)}, Reply{}, []Event{{Kind: EventConfirm}}, "fail"},
		{"handoff", Expect{Handoff: ptr(true)}, Reply{}, []Event{{Kind: EventHandoff}}, "pass"},
		{"no handoff", Expect{Handoff: ptr(false)}, Reply{}, []Event{{Kind: EventHandoff}}, "fail"},
		{"citation stored", Expect{Citations: []string{"refunds"}}, Reply{Citations: []string{"shipping", "refunds"}}, nil, "pass"},
		{"citation in text", Expect{Citations: []string{"refunds"}}, Reply{Text: "30 days. [refunds §Refund window]"}, nil, "pass"},
		{"citation of another document", Expect{Citations: []string{"refunds"}}, Reply{Text: "15 days [shipping §Late]", Citations: []string{"shipping"}}, nil, "fail"},
		{"citation prefix is not the document", Expect{Citations: []string{"refund"}}, Reply{Text: "[refunds §x]"}, nil, "fail"},
		{"guardrail", Expect{Guardrail: "pass"}, Reply{Guardrail: "pass"}, nil, "pass"},
		{"guardrail other", Expect{Guardrail: "pass"}, Reply{Guardrail: "fallback"}, nil, "fail"},
		{"guardrail missing", Expect{Guardrail: "pass"}, Reply{}, nil, "fail"},
		{"language en", Expect{Language: "en"}, Reply{Text: "Order ORD-10101 from Casa Sol shipped on 2026-11-30 with Correos."}, nil, "pass"},
		{"language ko", Expect{Language: "ko"}, Reply{Text: "주문 ORD-10256은(는) 2026-12-01에 배송 완료되었습니다."}, nil, "pass"},
		{"language es", Expect{Language: "es"}, Reply{Text: "El pedido ORD-10103 de Casa Sol se entregó el 2026-11-27."}, nil, "pass"},
		{"language ru", Expect{Language: "ru"}, Reply{Text: "Заказ ORD-10258 отменён 2026-11-18."}, nil, "pass"},
		{"language wrong", Expect{Language: "ko"}, Reply{Text: "Your order has been delivered, thank you for shopping with us."}, nil, "fail"},
		{"several at once", Expect{Contains: []string{"a"}, NotContains: []string{"z"}, Language: "en"}, Reply{Text: "a reply in plain English words"}, nil, "pass pass pass"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkText(tt.expect, testBindings, scope{reply: tt.reply, events: tt.events})
			if s := statuses(got); s != tt.want {
				t.Errorf("checkText(%+v) on %q = %s (%+v), want %s", tt.expect, tt.reply.Text, s, got, tt.want)
			}
		})
	}
}

// Names quoted from tool results (a Russian product in a Korean reply) do
// not decide the reply's language; a reply that is all quotation does.
func TestLanguageIgnoresQuotedNames(t *testing.T) {
	items := []string{"Электрический самовар ×2, Шкатулка из бересты ×1", "Bolso de esparto ×1", "Rechargeable camp lantern ×2",
		"Валенки ручной работы ×2, Шарф из шерсти ×2, Электрический самовар ×1", "Шкатулка из бересты ×2, Валенки ручной работы ×1"}
	text := "최근 주문 내역입니다:"
	var orders []map[string]string
	for _, it := range items {
		text += "\n- ORD-10056: " + it + " (배송 중)"
		orders = append(orders, map[string]string{"items": it})
	}
	result, _ := json.Marshal(map[string]any{"orders": orders})
	if got := language(text, nil); got == "ko" {
		t.Fatalf("language(list) without the tool results = ko; the test needs names that outweigh the Korean")
	}
	if got := language(text, []ToolCall{{Name: "list_orders", Result: result}}); got != "ko" {
		t.Errorf("language(list with Russian names) = %q, want ko", got)
	}
	passage := "Запросить возврат средств можно в течение 30 дней после доставки заказа."
	res, _ := json.Marshal(map[string]any{"hits": []map[string]string{{"text": passage}}})
	if got := language(passage+" [refunds §Срок]", []ToolCall{{Name: "search_policy", Result: res}}); got != "ru" {
		t.Errorf("language(extractive answer) = %q, want ru", got)
	}
}

func TestCheckTools(t *testing.T) {
	get := ToolCall{Name: "get_order", Arguments: json.RawMessage(`{"order_id":"ORD-10042"}`), ArgsKnown: true}
	other := ToolCall{Name: "get_order", Arguments: json.RawMessage(`{"order_id":"ORD-10001"}`), ArgsKnown: true}
	refund := ToolCall{Name: "request_refund", Arguments: json.RawMessage(`{"order_id":"ORD-10042","amount_minor":500,"opts":{"a":[1,"x"]}}`), ArgsKnown: true}
	nameOnly := ToolCall{Name: "get_order"}
	tests := []struct {
		name   string
		expect ToolExpect
		made   []ToolCall
		want   Status
		prf    [3]float64
	}{
		{"one exact", ToolExpect{Calls: []ToolCallExpect{{Name: "get_order", Args: map[string]any{"order_id": "{{order}}"}}}}, []ToolCall{get}, StatusPass, [3]float64{1, 1, 1}},
		{"argument case-insensitive", ToolExpect{Calls: []ToolCallExpect{{Name: "GET_ORDER", Args: map[string]any{"order_id": "ord-10042"}}}}, []ToolCall{get}, StatusPass, [3]float64{1, 1, 1}},
		{"wrong argument", ToolExpect{Calls: []ToolCallExpect{{Name: "get_order", Args: map[string]any{"order_id": "{{order}}"}}}}, []ToolCall{other}, StatusFail, [3]float64{0, 0, 0}},
		{"numbers and nested", ToolExpect{Calls: []ToolCallExpect{{Name: "request_refund", Args: map[string]any{"amount_minor": 500, "opts": map[string]any{"a": []any{1, "X"}}}}}}, []ToolCall{refund}, StatusPass, [3]float64{1, 1, 1}},
		{"wrong number", ToolExpect{Calls: []ToolCallExpect{{Name: "request_refund", Args: map[string]any{"amount_minor": 501}}}}, []ToolCall{refund}, StatusFail, [3]float64{0, 0, 0}},
		{"extra call allowed", ToolExpect{Calls: []ToolCallExpect{{Name: "request_refund"}}}, []ToolCall{get, refund}, StatusPass, [3]float64{0.5, 1, 2.0 / 3}},
		{"extra call with only", ToolExpect{Calls: []ToolCallExpect{{Name: "request_refund"}}, Only: true}, []ToolCall{get, refund}, StatusFail, [3]float64{0.5, 1, 2.0 / 3}},
		{"missing one of two", ToolExpect{Calls: []ToolCallExpect{{Name: "get_order"}, {Name: "cancel_order"}}}, []ToolCall{get}, StatusFail, [3]float64{1, 0.5, 2.0 / 3}},
		{"unordered", ToolExpect{Calls: []ToolCallExpect{{Name: "request_refund"}, {Name: "get_order"}}}, []ToolCall{get, refund}, StatusPass, [3]float64{1, 1, 1}},
		{"ordered wrong order", ToolExpect{Calls: []ToolCallExpect{{Name: "request_refund"}, {Name: "get_order"}}, Ordered: true}, []ToolCall{get, refund}, StatusFail, [3]float64{0.5, 0.5, 0.5}},
		{"ordered right order", ToolExpect{Calls: []ToolCallExpect{{Name: "get_order"}, {Name: "request_refund"}}, Ordered: true}, []ToolCall{get, refund}, StatusPass, [3]float64{1, 1, 1}},
		{"loose and strict share a call", ToolExpect{Calls: []ToolCallExpect{{Name: "get_order"}, {Name: "get_order", Args: map[string]any{"order_id": "{{order}}"}}}}, []ToolCall{get, other}, StatusPass, [3]float64{1, 1, 1}},
		{"not called", ToolExpect{NotCalled: []string{"request_refund"}}, []ToolCall{get, refund}, StatusFail, [3]float64{0, 1, 0}},
		{"not called passes", ToolExpect{NotCalled: []string{"cancel_order"}}, []ToolCall{get}, StatusPass, [3]float64{0, 1, 0}},
		{"nothing made, nothing expected", ToolExpect{Only: true}, nil, StatusPass, [3]float64{1, 1, 1}},
		{"arguments not visible", ToolExpect{Calls: []ToolCallExpect{{Name: "get_order", Args: map[string]any{"order_id": "x"}}}}, []ToolCall{nameOnly}, StatusError, [3]float64{0, 0, 0}},
		{"names visible suffice without args", ToolExpect{Calls: []ToolCallExpect{{Name: "get_order"}}}, []ToolCall{nameOnly}, StatusPass, [3]float64{1, 1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := checkTools(&tt.expect, testBindings, tt.made)
			if r.Status != tt.want {
				t.Errorf("checkTools = %s (%s), want %s", r.Status, r.Detail, tt.want)
			}
			got := [3]float64{r.Tools.Precision, r.Tools.Recall, r.Tools.F1}
			for i := range got {
				if d := got[i] - tt.prf[i]; d > 1e-9 || d < -1e-9 {
					t.Errorf("precision/recall/F1 = %v, want %v", got, tt.prf)
					break
				}
			}
		})
	}
}

func TestCheckLimits(t *testing.T) {
	usage := &Usage{PromptTokens: 900, CompletionTokens: 200, CostUSD: 0.002}
	tests := []struct {
		name   string
		expect Expect
		s      scope
		want   string
	}{
		{"latency under", Expect{MaxLatency: Duration(time.Second)}, scope{latency: 300 * time.Millisecond}, "pass"},
		{"latency over", Expect{MaxLatency: Duration(time.Second)}, scope{latency: 1500 * time.Millisecond}, "fail"},
		{"tokens under", Expect{MaxTokens: 1100}, scope{usage: usage}, "pass"},
		{"tokens over", Expect{MaxTokens: 1000}, scope{usage: usage}, "fail"},
		{"cost over", Expect{MaxCostUSD: 0.001}, scope{usage: usage}, "fail"},
		{"cost under", Expect{MaxCostUSD: 0.01}, scope{usage: usage}, "pass"},
		{"no usage reported", Expect{MaxTokens: 10, MaxCostUSD: 1}, scope{}, "skip skip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := statuses(checkLimits(tt.expect, tt.s)); got != tt.want {
				t.Errorf("checkLimits = %s, want %s", got, tt.want)
			}
		})
	}
}

// judgeFunc is a Judge made of a function.
type judgeFunc func(ctx context.Context, rubric, transcript string) (JudgeVerdict, error)

func (f judgeFunc) Judge(ctx context.Context, rubric, transcript string) (JudgeVerdict, error) {
	return f(ctx, rubric, transcript)
}

// A rubric is judged only with a judge; the judge's failure is an error,
// never a fail, and its reasoning is kept.
func TestCheckRubric(t *testing.T) {
	var gotRubric, gotTranscript string
	pass := judgeFunc(func(_ context.Context, rubric, transcript string) (JudgeVerdict, error) {
		gotRubric, gotTranscript = rubric, transcript
		return JudgeVerdict{Pass: true, Score: 0.9, Reasoning: "polite and correct"}, nil
	})
	fail := judgeFunc(func(context.Context, string, string) (JudgeVerdict, error) {
		return JudgeVerdict{Pass: false, Score: 0.2, Reasoning: "promised a refund"}, nil
	})
	broken := judgeFunc(func(context.Context, string, string) (JudgeVerdict, error) {
		return JudgeVerdict{}, errors.New("503 from the judge")
	})
	s := scope{transcript: "Buyer: hi\nAgent: hello\n"}
	tests := []struct {
		name      string
		j         Judge
		want      Status
		reasoning string
	}{
		{"no judge", nil, StatusSkip, ""},
		{"pass", pass, StatusPass, "polite and correct"},
		{"fail", fail, StatusFail, "promised a refund"},
		{"judge failed", broken, StatusError, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := checkRubric(t.Context(), tt.j, "mentions {{order}}", testBindings, s)
			if r.Status != tt.want || r.Reasoning != tt.reasoning {
				t.Errorf("checkRubric = %+v, want %s with reasoning %q", r, tt.want, tt.reasoning)
			}
		})
	}
	if gotRubric != "mentions ORD-10042" || gotTranscript != s.transcript {
		t.Errorf("the judge saw rubric %q and transcript %q", gotRubric, gotTranscript)
	}
}
