package agent

import (
	"fmt"
	"slices"
	"testing"
)

// The conversations routing decides in, one for each kind of thread and
// who opened it. Turn t1 was the LLM's, t2 the routed local model's.
var (
	noThread = turnState{}
	// An action waits for the buyer's confirmation, proposed in t1 or t2.
	llmCard   = turnState{pending: []Action{{ID: "a_1", TurnID: "t1"}}, localTurns: []string{"t2"}}
	localCard = turnState{pending: []Action{{ID: "a_2", TurnID: "t2"}}, localTurns: []string{"t2"}}
	bothCards = turnState{pending: []Action{{ID: "a_2", TurnID: "t2"}, {ID: "a_1", TurnID: "t1"}}, localTurns: []string{"t2"}}
	// A handoff_to_human call in t1 or t2.
	llmHandoff   = handedOff("t1")
	localHandoff = handedOff("t2")
	// A person wrote after the local model's handoff.
	personWrote = turnState{recent: append(slices.Clone(localHandoff.recent), StoredMessage{Role: "agent"}, StoredMessage{Role: "user", TurnID: "t3"}),
		calls: localHandoff.calls, localTurns: localHandoff.localTurns}
	// The last reply was the LLM's, on a request the local model did not
	// take (or gave up on), or only because of such a reply.
	llmNotRoutine = turnState{lastRoute: lastRoute{RouteLLM, reasonNotRoutine}}
	llmUnsure     = turnState{lastRoute: lastRoute{RouteLLM, reasonLowConfidence}}
	llmEscalated  = turnState{lastRoute: lastRoute{RouteEscalated, reasonAbstained}}
	llmTopicOnce  = turnState{lastRoute: lastRoute{RouteLLM, reasonLLMTopic}}
	// The LLM's topic, with the local model's card still waiting.
	topicAndLocalCard = turnState{pending: localCard.pending, localTurns: localCard.localTurns, lastRoute: lastRoute{RouteLLM, reasonLowConfidence}}
)

// handedOff is a conversation whose turn turnID called handoff_to_human;
// the local model answered t2.
func handedOff(turnID string) turnState {
	return turnState{
		recent:     []StoredMessage{{Role: "user", TurnID: turnID}, {Role: "assistant", TurnID: turnID}, {Role: "user", TurnID: "t3"}},
		calls:      map[string][]pastCall{turnID: {{tool: handoffTool}}},
		localTurns: []string{"t2"},
	}
}

// TestRoutingDecision: each kind of thread, opened by the LLM, a person or
// the local model, against the readings that matter to it: a routine
// request the local model is sure of, one carried from an earlier message,
// one it is unsure of, a request it does not serve, and a yes or a no.
func TestRoutingDecision(t *testing.T) {
	r := Routing{Enabled: true}.withDefaults()
	sure := Reading{Intent: "order_status", Confidence: 0.95}
	howMuch := Reading{Intent: "refund_request", Confidence: 0.93}
	carried := Reading{Intent: "order_status", Confidence: 0.95, Carried: true}
	unsure := Reading{Intent: "order_status", Confidence: DefaultRouteThreshold - 0.01}
	notRoutine := Reading{Intent: "translate", Confidence: 0.99}
	yes := Reading{Intent: "affirm", Confidence: 0.97}
	no := Reading{Intent: "deny", Confidence: 0.97}
	unsureYes := Reading{Intent: "affirm", Confidence: DefaultRouteThreshold - 0.01}
	offered := func(rd Reading) Reading { rd.OfferedHuman = true; return rd }
	tests := []struct {
		name   string
		rd     Reading
		st     turnState
		local  bool
		reason string
	}{
		// No thread: the routine set and the threshold decide.
		{"routine and sure", sure, noThread, true, reasonRoutine},
		{"at the threshold", Reading{Intent: "greeting", Confidence: DefaultRouteThreshold}, noThread, true, reasonRoutine},
		{"under the threshold", unsure, noThread, false, reasonLowConfidence},
		{"an action by default", Reading{Intent: "refund_request", Confidence: 0.99}, noThread, true, reasonRoutine},
		{"not routine", notRoutine, noThread, false, reasonNotRoutine},
		{"unknown intent", Reading{Intent: "", Confidence: 1}, noThread, false, reasonNotRoutine},
		{"a yes to nothing", yes, noThread, false, reasonNotRoutine},

		// A pending action: the LLM's holds every turn; the local model's
		// holds none, and a yes or no to it is the local model's.
		{"llm card, routine", sure, llmCard, false, reasonPending},
		{"llm card, how much", howMuch, llmCard, false, reasonPending},
		{"llm card, yes", yes, llmCard, false, reasonPending},
		{"local card, how much", howMuch, localCard, true, reasonRoutine},
		{"local card, yes", yes, localCard, true, reasonOwnThread},
		{"local card, no", no, localCard, true, reasonOwnThread},
		{"local card, unsure yes", unsureYes, localCard, false, reasonNotRoutine},
		{"local card, unsure", unsure, localCard, false, reasonLowConfidence},
		{"local card, not routine", notRoutine, localCard, false, reasonNotRoutine},
		{"both cards: the llm's holds", howMuch, bothCards, false, reasonPending},
		{"local card, its turn out of the window", howMuch, turnState{pending: localCard.pending}, false, reasonPending},

		// A handoff: a person's thread and the LLM's hold every turn; the
		// local model's call and its offer hold none.
		{"llm handoff, routine", sure, llmHandoff, false, reasonHandoff},
		{"llm handoff, yes", yes, llmHandoff, false, reasonHandoff},
		{"local handoff, routine", sure, localHandoff, true, reasonRoutine},
		{"local handoff, yes", yes, localHandoff, true, reasonOwnThread},
		{"local handoff, unsure", unsure, localHandoff, false, reasonLowConfidence},
		{"a person wrote after the local handoff", sure, personWrote, false, reasonHandoff},
		{"a person wrote, yes", yes, personWrote, false, reasonHandoff},
		{"local offer, yes", offered(yes), noThread, true, reasonOwnThread},
		{"local offer, no", offered(no), noThread, true, reasonOwnThread},
		{"local offer, routine", offered(sure), noThread, true, reasonRoutine},
		{"local offer, not routine", offered(notRoutine), noThread, false, reasonNotRoutine},
		{"local offer, llm card", offered(yes), llmCard, false, reasonPending},

		// The LLM's topic holds a follow-up for one turn, not a new
		// routine request the local model is sure of.
		{"llm topic, new request", sure, llmNotRoutine, true, reasonNewRequest},
		{"llm topic, new action request", howMuch, llmUnsure, true, reasonNewRequest},
		{"llm topic, carried", carried, llmNotRoutine, false, reasonLLMTopic},
		{"llm topic, unsure", unsure, llmUnsure, false, reasonLLMTopic},
		{"llm topic, not routine", notRoutine, llmNotRoutine, false, reasonLLMTopic},
		{"llm topic, yes", yes, llmUnsure, false, reasonLLMTopic},
		{"escalated last, carried", carried, llmEscalated, false, reasonLLMTopic},
		{"escalated last, new request", sure, llmEscalated, true, reasonNewRequest},
		{"llm topic over the local card, yes", yes, topicAndLocalCard, false, reasonLLMTopic},
		{"the thread lasts one turn", carried, llmTopicOnce, true, reasonRoutine},
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
	if local, _ := custom.decide(Reading{Intent: "refund_request", Confidence: 0.6}, thread{}); !local {
		t.Error("a configured routine set and threshold are not used")
	}
	if local, _ := custom.decide(Reading{Intent: "order_status", Confidence: 0.99}, thread{}); local {
		t.Error("an intent outside the configured routine set went to the local model")
	}
	if local, _ := custom.decide(Reading{Intent: "order_status", Confidence: 0.99}, thread{kind: reasonLLMTopic}); local {
		t.Error("a new request outside the configured routine set ended the LLM's topic")
	}
	cautious := Routing{Enabled: true, Routine: CautiousRoutine}.withDefaults()
	for _, intent := range []string{"refund_request", "cancel_order", "open_dispute"} {
		for _, th := range []thread{{}, {kind: reasonLLMTopic}, {reasonPending, true}} {
			if local, reason := cautious.decide(Reading{Intent: intent, Confidence: 0.99}, th); local {
				t.Errorf("the cautious set routed %s to the local model (thread %+v: %s)", intent, th, reason)
			}
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

// BenchmarkRouteDecision is routing's decision on a full window: 40
// messages, 20 of them the local model's replies, one of which proposed
// the card that waits, and a tool call in every reply; the last reply the
// LLM's on a request the local model was unsure of.
func BenchmarkRouteDecision(b *testing.B) {
	st := turnState{calls: map[string][]pastCall{}, lastRoute: lastRoute{RouteLLM, reasonLowConfidence}}
	for i := range 20 {
		turn := fmt.Sprintf("t%02d", i)
		st.recent = append(st.recent, StoredMessage{Role: "user", TurnID: turn}, StoredMessage{Role: "assistant", TurnID: turn})
		st.calls[turn] = []pastCall{{tool: "get_order"}}
		st.localTurns = append(st.localTurns, turn)
	}
	st.pending = []Action{{ID: "a_1", TurnID: "t03"}}
	r := Routing{Enabled: true}.withDefaults()
	rd := Reading{Intent: "refund_request", Confidence: 0.93}
	b.ReportAllocs()
	for b.Loop() {
		if local, _ := r.decide(rd, openThread(&st, rd)); !local {
			b.Fatal("routed to the LLM")
		}
	}
}
