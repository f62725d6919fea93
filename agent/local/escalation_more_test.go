package local

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
)

// Asked to take the matter above the assistant, the model hands over,
// whatever the classifier made of the complaint around the words; a rule
// question naming who is "responsible" is no such request.
func TestEscalationRequestHandsOver(t *testing.T) {
	m := newModel(t)
	tests := []struct {
		locale, text string
		handoff      bool
	}{
		{"en", "please escalate this, I've had enough of waiting", true},
		{"en", "I want to speak with your manager about how this was handled", true},
		{"ko", "이 건 상급자한테 넘겨 주세요", true},
		{"es", "necesito hablar con un gerente, esto no puede seguir así", true},
		{"ru", "соедините меня с руководителем, пожалуйста", true},
		{"en", "who is responsible for the return shipping cost?", false},
		{"es", "¿quién es el responsable de pagar la devolución?", false},
		// A dispute told as opened asks where it stands, not for a person.
		{"en", "I escalated that one to a dispute last week, any news?", false},
		{"en", "please escalate my case to a dispute team supervisor", true},
	}
	for _, tt := range tests {
		reply := gen(t, m, tt.locale, user(tt.text))
		name, _ := callArgs(t, reply)
		got := name == "handoff_to_human" || name != "" && strings.HasPrefix(reply.ToolCalls[0].ID, handoffCallPrefix)
		if got != tt.handoff {
			t.Errorf("%q = %s, want a handoff %v", tt.text, describe(reply), tt.handoff)
		}
	}
}

// A message that asks whether the assistant is a bot and something else
// gets both: the honest answer first, then the answer to the rest. Before,
// the order was looked up and the bot question left unanswered, or the
// bot question answered and the rest dropped.
func TestBotQuestionWithARequestGetsBoth(t *testing.T) {
	m := newModel(t)
	for locale, text := range map[string]string{
		"en": "wait, am I talking to a bot?? anyway where is ORD-10042",
		"ko": "혹시 봇이에요? ORD-10042 어디쯤 왔어요?",
		"es": "¿eres un robot? ¿dónde está el pedido ORD-10042?",
		"ru": "вы бот? где мой заказ ORD-10042?",
	} {
		msgs := []agent.Message{user(text)}
		look := gen(t, m, locale, msgs...)
		if name, args := callArgs(t, look); name == "" || args["order_id"] != "ORD-10042" {
			t.Fatalf("%q = %s, want ORD-10042 looked up", text, describe(look))
		}
		data := shippedLookup(t, "x")[2].Content
		reply := gen(t, m, locale, append(msgs, agent.Message{Role: agent.RoleAssistant, ToolCalls: look.ToolCalls},
			agent.Message{Role: agent.RoleTool, Name: look.ToolCalls[0].Name, ToolCallID: look.ToolCalls[0].ID, Content: data})...)
		if !strings.HasPrefix(reply.Content, botAsides[locale]) || !strings.Contains(reply.Content, "ORD-10042") {
			t.Errorf("reply to %q = %q, want the honest answer, then ORD-10042", text, reply.Content)
		}
	}
	// Alone, the bot question gets the whole honest answer.
	if reply := gen(t, m, "en", user("r u a real agent or a chatbot")); reply.Content != botAnswers["en"] {
		t.Errorf("a bot question alone = %s, want the honest answer", describe(reply))
	}
}

// The summary of a buyer who told of a dispute already open, or a
// cancellation already made, says they want it decided or their money,
// not "to open a dispute" or "to cancel the order" again.
func TestHandoffSummaryOfAnActionTold(t *testing.T) {
	m := newModel(t)
	for _, tt := range []struct{ locale, told, ask, want string }{
		{"ru", "спор по ORD-60001 открыт уже две недели, продавец не отвечает", "дайте оператора", "dispute decided"},
		{"es", "cancelé el ORD-60002 hace una semana y sigo sin mi dinero", "páseme con una persona", "money of the cancellation"},
		{"ko", "ORD-60003 분쟁 열었는데 답이 없어요", "상담원 연결해 주세요", "dispute decided"},
		{"en", "I already cancelled ORD-60004 and the charge is still there", "get me a human", "money of the cancellation"},
	} {
		reply := gen(t, m, tt.locale, user(tt.told), assistant("…"), user(tt.ask))
		name, args := callArgs(t, reply)
		if summary, _ := args["summary"].(string); name != "handoff_to_human" || !strings.Contains(summary, tt.want) {
			t.Errorf("%q then %q = %s, want a handoff whose summary says %q", tt.told, tt.ask, describe(reply), tt.want)
		}
	}
}

// A buyer who tells of an action already taken and asks, in the same
// message, to escalate gets where it stands and the handoff in one turn:
// the status is looked up, the conversation handed over, and the reply
// says both.
func TestToldActionAndEscalationInOneMessage(t *testing.T) {
	m := newModel(t)
	for _, tt := range []struct{ locale, text, tool, order, handed string }{
		{"ru", "Спор по ORD-60010 открыт уже неделю, продавец молчит. Эскалируйте, пожалуйста", "get_dispute", "ORD-60010", "Я передал"},
		{"en", "I opened a dispute on ORD-60011 ten days ago and heard nothing. Escalate this to a supervisor.", "get_dispute", "ORD-60011", "passed this conversation"},
	} {
		msgs := []agent.Message{user(tt.text)}
		look := gen(t, m, tt.locale, msgs...)
		if name, args := callArgs(t, look); name != tt.tool || args["order_id"] != tt.order {
			t.Fatalf("%q = %s, want %s %s", tt.text, describe(look), tt.tool, tt.order)
		}
		dispute := json.RawMessage(`{"dispute_id":"DSP-1","order_id":"` + tt.order + `","status":"open","decide_by":"2026-12-20T00:00:00Z"}`)
		msgs = answered(t, msgs, look, agent.ToolResult{OK: true, Data: dispute})
		hand := gen(t, m, tt.locale, msgs...)
		if name, args := callArgs(t, hand); name != "handoff_to_human" || !strings.Contains(args["summary"].(string), tt.order) {
			t.Fatalf("after the status = %s, want handoff_to_human naming %s", describe(hand), tt.order)
		}
		msgs = answered(t, msgs, hand, agent.ToolResult{OK: true, Data: json.RawMessage(`{"handoff_id":1}`)})
		reply := gen(t, m, tt.locale, msgs...)
		if !strings.Contains(reply.Content, "DSP-1") || !strings.Contains(reply.Content, tt.handed) {
			t.Errorf("reply = %q, want the dispute DSP-1 and the handoff", reply.Content)
		}
	}
}

// A complaint that ends by asking for a person, in so many words, is a
// request for one however the classifier reads the complaint around it
// ("아니 …" reads as a no); a complaint that names no person, and a person
// named with no request for one, are not.
func TestComplaintEndingWithAPersonAsked(t *testing.T) {
	m := newModel(t)
	for _, tt := range []struct {
		locale, text string
		handoff      bool
	}{
		{"ko", "아니 벌써 세 번째 물어보는 거예요 계속 기다리라고만 하고 그냥 상담원 연결해 주세요", true},
		{"en", "no, you said the same thing last week and nothing changed. just transfer me to a human", true},
		{"es", "no, otra vez lo mismo que la semana pasada, pásame con una persona ya", true},
		{"ru", "нет, вы уже третий раз это пишете, соедините с живым человеком", true},
		{"en", "no, you said the same thing last week and nothing changed", false},
		{"en", "no, the person at the post office said it was delivered", false},
		{"en", "no, can I talk about my refund first? it was a week ago", false},
		// Someone, whoever, or whoever handles it, asked to be put through
		// to (helper-14C round 9).
		{"en", "third time I'm writing about this. transfer me to someone who can actually fix it", true},
		{"en", "can someone check my refund? it was a week ago", false},
		{"ko", "몇 번을 말해요 담당자 바꿔 주세요", true},
		{"ko", "누구든 좋으니까 연결 좀 해주세요 진짜", true},
		{"es", "ya es la segunda vez, pásame con alguien que sepa", true},
		{"es", "¿alguien revisó mi reembolso?", false},
		{"ru", "опять одно и то же, соедините хоть с кем-нибудь", true},
		{"ru", "кому писать, если посылка не пришла?", false},
	} {
		reply := gen(t, m, tt.locale, user(tt.text))
		name, _ := callArgs(t, reply)
		if got := name == "handoff_to_human"; got != tt.handoff {
			t.Errorf("%q = %s, want a handoff: %v", tt.text, describe(reply), tt.handoff)
		}
	}
}
