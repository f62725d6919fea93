package fakellm

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
)

// Autopilot is a Respond function that plays a plausible support model, so
// an unscripted fake gives a benchmark the turns a real one would: a tool
// call, then an answer built from its result. It is deterministic: the same
// request always gets the same reply. The rules, first match wins:
//
//  1. A tool has answered since the last user message: answer in text,
//     the latest results' "summary" fields (or their error messages)
//     followed by a closing question. So it calls at most one tool per
//     buyer message and a turn always ends, also when the client asks again
//     after a draft (a guardrail's regeneration).
//  2. It asks for a person (human, agent, 사람, 상담원, humano, оператор…):
//     handoff_to_human with the message as the summary.
//  3. The last user message names an order and asks to act on it:
//     cancel_order to cancel, open_dispute for a dispute or claim,
//     request_refund for a refund or return the message asks for (I want,
//     please, 주세요, quiero, хочу…), with the reason read from the message (damaged, wrong item, not received, not as described,
//     changed mind; else other). The agent, not the fake, then asks the
//     buyer to confirm, as it does for a real model's call.
//  4. The last user message names an order (ORD-10042, or five digits):
//     track_shipment when it asks where the parcel is (track, ship, deliver,
//     arrive, where; 배송, envío, доставк), otherwise get_order, with
//     {"order_id":"ORD-10042"}.
//  5. It asks about refunds, returns or policy: search_policy with the
//     message as {"query":…}.
//  6. It mentions orders: list_orders with {}.
//  7. Otherwise: a greeting that asks for the order id.
//
// A rule that needs a tool the request does not offer falls through to the
// next, so the fake never calls a function it was not given.
func Autopilot(req Request) Reply {
	if results := latestToolResults(req.Messages); len(results) > 0 {
		return Text(answerFromTools(results))
	}
	user := req.LastUser()
	lower := strings.ToLower(user)
	offered := func(name string) bool {
		return slices.ContainsFunc(req.Tools, func(t ToolDef) bool { return t.Name == name })
	}
	if offered("handoff_to_human") && containsAny(lower, personWords) {
		args, _ := json.Marshal(map[string]string{"reason": "customer_request", "summary": user})
		return Reply{ToolCalls: []ToolCall{{Name: "handoff_to_human", Arguments: string(args)}}}
	}
	if id := orderID(user); id != "" {
		args := `{"order_id":"` + id + `"}`
		if call, ok := actionCall(id, user, lower, offered); ok {
			return Reply{ToolCalls: []ToolCall{call}}
		}
		if offered("track_shipment") && containsAny(lower, shippingWords) {
			return Reply{ToolCalls: []ToolCall{{Name: "track_shipment", Arguments: args}}}
		}
		if offered("get_order") {
			return Reply{ToolCalls: []ToolCall{{Name: "get_order", Arguments: args}}}
		}
	}
	if offered("search_policy") && containsAny(lower, policyWords) {
		q, _ := json.Marshal(struct {
			Query string `json:"query"`
		}{user})
		return Reply{ToolCalls: []ToolCall{{Name: "search_policy", Arguments: string(q)}}}
	}
	if offered("list_orders") && containsAny(lower, orderWords) {
		return Reply{ToolCalls: []ToolCall{{Name: "list_orders", Arguments: "{}"}}}
	}
	return Text("Hello! I can help with your orders, deliveries, refunds and disputes. " +
		"Which order is it about? An order id looks like ORD-10042.")
}

var (
	orderPattern  = regexp.MustCompile(`(?i)\bORD-?(\d{5})\b`)
	digitsPattern = regexp.MustCompile(`\b(\d{5})\b`)

	shippingWords = []string{"track", "ship", "deliver", "arriv", "where", "parcel", "package", "배송", "어디", "envío", "envio", "dónde", "donde", "доставк", "где"}
	policyWords   = []string{"refund", "return", "policy", "warranty", "환불", "반품", "reembolso", "devoluci", "возврат"}
	orderWords    = []string{"order", "주문", "pedido", "заказ"}
	personWords   = []string{"human", "a person", "real person", "live agent", "manager", "사람", "상담원", "상담사", "humano", "una persona", "оператор", "человек", "менеджер"}

	cancelWords  = []string{"cancel", "취소", "cancela", "отмен"}
	disputeWords = []string{"dispute", "claim", "분쟁", "이의", "disputa", "reclamaci", "спор", "претензи"}
	refundWords  = []string{"refund", "money back", "return it", "send it back", "환불", "반품", "reembolso", "devolver", "devuelv", "верни", "вернуть", "возврат"}
	// wantWords tell a request from a statement or a claim ("ORD-10042 was
	// refunded, can you confirm?" is a lookup, not a refund request).
	wantWords = []string{"i want", "i'd like", "i would like", "i need", "please", "pls", "can i get", "can you refund", "give me",
		"주세요", "해줘", "싶어", "원해", "quiero", "quisiera", "necesito", "por favor", "хочу", "верните", "прошу", "пожалуйста"}

	// reasonWords map a buyer's words to the reason the refund and dispute
	// tools take, first match wins.
	reasonWords = []struct {
		reason string
		words  []string
	}{
		{"wrong_item", []string{"wrong", "잘못", "다른 상품", "equivocad", "incorrect", "не тот", "не то"}},
		{"not_received", []string{"never arrived", "not arrived", "didn't arrive", "didnt arrive", "not received", "never got", "안 왔", "안왔", "못 받", "no llegó", "no llego", "no ha llegado", "не пришел", "не пришёл", "не получил"}},
		{"damaged", []string{"broken", "damaged", "cracked", "defect", "doesn't work", "doesnt work", "won't", "wont", "stopped working", "파손", "깨졌", "고장", "불량", "roto", "rota", "dañad", "no funciona", "сломан", "разбит", "не работает", "брак"}},
		{"not_as_described", []string{"not as described", "different from", "fake", "사진과 다", "설명과 다", "no es como", "no coincide", "не соответствует", "не как на"}},
		{"changed_mind", []string{"changed my mind", "don't need", "dont need", "don't want", "dont want", "마음이 바뀌", "필요 없", "cambié de opinión", "cambie de opinion", "ya no lo quiero", "передумал", "не нужен", "не нужно"}},
	}
)

// actionCall is the consequential call a message naming order id asks for,
// if any: a cancellation, a dispute or a refund, with its reason.
func actionCall(id, user, lower string, offered func(string) bool) (ToolCall, bool) {
	reason := "other"
	for _, r := range reasonWords {
		if containsAny(lower, r.words) {
			reason = r.reason
			break
		}
	}
	switch {
	case offered("cancel_order") && containsAny(lower, cancelWords):
		return ToolCall{Name: "cancel_order", Arguments: `{"order_id":"` + id + `"}`}, true
	case offered("open_dispute") && containsAny(lower, disputeWords):
		if reason == "other" || reason == "changed_mind" {
			reason = "not_as_described"
		}
		args, _ := json.Marshal(map[string]string{"order_id": id, "reason": reason, "description": user})
		return ToolCall{Name: "open_dispute", Arguments: string(args)}, true
	case offered("request_refund") && containsAny(lower, refundWords) && containsAny(lower, wantWords):
		args, _ := json.Marshal(map[string]string{"order_id": id, "reason": reason})
		return ToolCall{Name: "request_refund", Arguments: string(args)}, true
	}
	return ToolCall{}, false
}

// orderID finds the order a message names, in the form the tools take.
func orderID(s string) string {
	if m := orderPattern.FindStringSubmatch(s); m != nil {
		return "ORD-" + m[1]
	}
	if m := digitsPattern.FindStringSubmatch(s); m != nil {
		return "ORD-" + m[1]
	}
	return ""
}

func containsAny(s string, words []string) bool {
	return slices.ContainsFunc(words, func(w string) bool { return strings.Contains(s, w) })
}

// latestToolResults returns the last run of tool messages after the last
// user message, nil when no tool has answered since.
func latestToolResults(msgs []Message) []Message {
	end := -1
	for i := len(msgs) - 1; i >= 0 && msgs[i].Role != "user"; i-- {
		if msgs[i].Role == "tool" {
			end = i
			break
		}
	}
	if end < 0 {
		return nil
	}
	start := end
	for start > 0 && msgs[start-1].Role == "tool" {
		start--
	}
	return msgs[start : end+1]
}

// answerFromTools writes the reply to the tool results at the end of msgs,
// from what each result says of itself, as a model grounded in its tools
// would.
func answerFromTools(msgs []Message) string {
	var parts []string
	for i := len(msgs) - 1; i >= 0 && msgs[i].Role == "tool"; i-- {
		var res struct {
			Summary string `json:"summary"`
			Error   *struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		switch {
		case json.Unmarshal([]byte(msgs[i].Content), &res) != nil:
		case res.Error != nil && res.Error.Message != "":
			parts = append(parts, "I could not complete that: "+res.Error.Message)
		case res.Summary != "":
			parts = append(parts, res.Summary)
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "I have looked into it for you.")
	}
	slices.Reverse(parts)
	return strings.Join(parts, " ") + " Is there anything else I can help you with?"
}
