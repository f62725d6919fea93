package agent

import "testing"

func TestRoutingDecision(t *testing.T) {
	r := Routing{Enabled: true}.withDefaults()
	tests := []struct {
		name   string
		rd     Reading
		st     turnState
		local  bool
		reason string
	}{
		{"routine and sure", Reading{Intent: "order_status", Confidence: 0.95}, turnState{}, true, reasonRoutine},
		{"at the threshold", Reading{Intent: "greeting", Confidence: DefaultRouteThreshold}, turnState{}, true, reasonRoutine},
		{"under the threshold", Reading{Intent: "order_status", Confidence: DefaultRouteThreshold - 0.01}, turnState{}, false, reasonLowConfidence},
		{"an action by default", Reading{Intent: "refund_request", Confidence: 0.99}, turnState{}, true, reasonRoutine},
		{"not routine", Reading{Intent: "translate", Confidence: 0.99}, turnState{}, false, reasonNotRoutine},
		{"unknown intent", Reading{Intent: "", Confidence: 1}, turnState{}, false, reasonNotRoutine},
		{"pending action", Reading{Intent: "order_status", Confidence: 0.99}, turnState{pending: []Action{{ID: "a_1"}}}, false, reasonPending},
		{"a person wrote", Reading{Intent: "thanks", Confidence: 0.99}, turnState{recent: []StoredMessage{{Role: "agent"}, {Role: "user"}}}, false, reasonHandoff},
		{"handed off", Reading{Intent: "order_status", Confidence: 0.99}, turnState{
			recent: []StoredMessage{{Role: "user", TurnID: "t1"}, {Role: "assistant", TurnID: "t1"}, {Role: "user", TurnID: "t2"}},
			calls:  map[string][]pastCall{"t1": {{tool: handoffTool}}}}, false, reasonHandoff},
		{"a person offered", Reading{Intent: "order_status", Confidence: 0.99, OfferedHuman: true}, turnState{}, false, reasonHandoff},
		{"llm topic", Reading{Intent: "order_status", Confidence: 0.99}, turnState{lastRoute: lastRoute{RouteLLM, reasonNotRoutine}}, false, reasonLLMTopic},
		{"escalated last", Reading{Intent: "order_status", Confidence: 0.99}, turnState{lastRoute: lastRoute{RouteEscalated, reasonAbstained}}, false, reasonLLMTopic},
		{"the thread lasts one turn", Reading{Intent: "order_status", Confidence: 0.99}, turnState{lastRoute: lastRoute{RouteLLM, reasonLLMTopic}}, true, reasonRoutine},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			local, reason := r.decide(tt.rd, openThread(&tt.st, tt.rd))
			if local != tt.local || reason != tt.reason {
				t.Errorf("decide(%+v) = %v, %q; want %v, %q", tt.rd, local, reason, tt.local, tt.reason)
			}
		})
	}
	custom := Routing{Enabled: true, Threshold: 0.5, Routine: []string{"refund_request"}}.withDefaults()
	if local, _ := custom.decide(Reading{Intent: "refund_request", Confidence: 0.6}, ""); !local {
		t.Error("a configured routine set and threshold are not used")
	}
	if local, _ := custom.decide(Reading{Intent: "order_status", Confidence: 0.99}, ""); local {
		t.Error("an intent outside the configured routine set went to the local model")
	}
	cautious := Routing{Enabled: true, Routine: CautiousRoutine}.withDefaults()
	for _, intent := range []string{"refund_request", "cancel_order", "open_dispute"} {
		if local, reason := cautious.decide(Reading{Intent: intent, Confidence: 0.99}, ""); local {
			t.Errorf("the cautious set routed %s to the local model (%s)", intent, reason)
		}
	}
}

// Nothing about an order or an account is ever cached: a question or an
// answer naming one is refused.
func TestNamesAccountData(t *testing.T) {
	for _, s := range []string{
		"Your order ORD-10042 was refunded.", "Refund RF-8K2M is pending.", "dispute DSP-123AB", "You paid 42.50 USD.",
		"a refund of $42.50", "₩286,000 will be returned", "136,40 € back", "5 000,00 ₽", "tracking 1Z999AA10123456784",
		"write to alice@example.com", "my order 10042",
	} {
		if !namesAccountData(s) {
			t.Errorf("namesAccountData(%q) = false, want true", s)
		}
	}
	for _, s := range []string{
		"You can ask for a refund within 30 days of delivery [refunds §Refund window].",
		"반품 배송비는 판매자가 부담합니다 [refunds §Return shipping].", "Digital downloads cannot be refunded.",
	} {
		if namesAccountData(s) {
			t.Errorf("namesAccountData(%q) = true, want false", s)
		}
	}
}

func TestPolicyCacheKeys(t *testing.T) {
	if normaliseQuestion("  How long is the REFUND window?? ") != normaliseQuestion("how long is the refund window") {
		t.Error("the same question in other case and punctuation has another key")
	}
	a := cacheKey(keyQuestion, "how long", "en", "buyer")
	for _, other := range [][]string{
		{keyQuestion, "how long", "ko", "buyer"}, {keyQuestion, "how long", "en", "seller"},
		{keyQuestion, "how lon", "gen", "buyer"}, {keyPassages, "how long", "en", "buyer"},
	} {
		if string(cacheKey(other...)) == string(a) {
			t.Errorf("cacheKey(%q) = cacheKey of another question, locale or audience", other)
		}
	}
	res := `{"ok":true,"data":{"hits":[{"doc_id":"refunds","locale":"en","version":1,"chunk_id":7},{"doc_id":"refunds","locale":"en","version":1,"chunk_id":8},{"doc_id":"shipping","locale":"en","version":2,"chunk_id":3},{"doc_id":"x","locale":"en","version":1,"chunk_id":9}]}}`
	if got, want := topPassages(res), "refunds/en/1#7 refunds/en/1#8 shipping/en/2#3 "; got != want {
		t.Errorf("topPassages = %q, want %q", got, want)
	}
	if topPassages(`{"ok":false}`) != "" {
		t.Error("a failed search makes a passage key")
	}
}
