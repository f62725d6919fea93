package local

import (
	"strings"
	"testing"
	"unicode"

	"github.com/csagent/csagent/agent"
)

// A buyer who says the order is to stay as it is, or that the card's
// button is not to be pressed, says no to the card even when the message
// starts with a yes ("네 그대로 두세요"): before, the yes won and the
// cancellation the buyer declined was carried out. A plain yes is still
// a yes.
func TestLeaveAsIsIsANoEvenBesideAYes(t *testing.T) {
	c := NewConfirmations(newModel(t).nlu)
	tests := []struct {
		locale, text string
		yes, no      bool
	}{
		{"en", "yes, just keep it as it is please", false, true},
		{"en", "hmm don't press anything yet, I changed my mind", false, true},
		{"ko", "네 그대로 두세요 취소 안 할래요", false, true},
		{"ko", "아직 누르지 마세요", false, true},
		{"es", "sí, mejor déjalo como está", false, true},
		{"es", "no pulses nada, que me lo pienso mejor", false, true},
		{"ru", "да, пусть заказ будет без изменений, оставьте без изменений", false, true},
		{"ru", "ой, ничего не жмите пока", false, true},
		{"en", "yes please go ahead", true, false},
		{"ru", "да, подтверждаю", true, false},
	}
	for _, tt := range tests {
		yes, no := c.Confirmation(tt.text, tt.locale)
		if yes != tt.yes || no != tt.no {
			t.Errorf("Confirmation(%q, %s) = %v, %v, want %v, %v", tt.text, tt.locale, yes, no, tt.yes, tt.no)
		}
	}
}

// A yes or no typed in Latin letters in a Russian conversation ("da",
// "net") answers the card: alone such a word could be any language's, and
// before, "da" was read as a policy question and nothing was refunded.
// Elsewhere the same letters are not taken for Russian.
func TestLatinYesInRussian(t *testing.T) {
	c := NewConfirmations(newModel(t).nlu)
	tests := []struct {
		locale, text string
		yes, no      bool
	}{
		{"ru", "da", true, false},
		{"ru", "da, davajte", true, false},
		{"ru", "net", false, true},
		{"ru", "да", true, false},
		{"es", "da", false, false},
		{"en", "da", false, false},
	}
	for _, tt := range tests {
		yes, no := c.Confirmation(tt.text, tt.locale)
		if yes != tt.yes || no != tt.no {
			t.Errorf("Confirmation(%q, %s) = %v, %v, want %v, %v", tt.text, tt.locale, yes, no, tt.yes, tt.no)
		}
	}
}

// A withdrawal said again after the card was called off ("no really,
// keep the order as it is, don't cancel it") is told what stays as it
// was, with the order named: before, it got "Okay. Anything else?", which
// leaves the buyer unsure whether the order is still coming.
func TestWithdrawalAgainAfterTheDropSaysWhatStays(t *testing.T) {
	m := newModel(t)
	declined := agent.ToolResult{OK: true, PendingConfirmation: true, Decision: "declined", Data: []byte(`{"order_id":"ORD-10007"}`)}
	for _, tt := range []struct{ locale, ask, again string }{
		{"en", "cancel ORD-10007 please", "no really, I'd leave everything as it was, do not cancel"},
		{"ko", "ORD-10007 주문 취소해 주세요", "네네 취소하지 마시고 그대로 두세요"},
		{"es", "cancela el pedido ORD-10007", "que no, no lo canceles, déjalo así"},
		{"ru", "отмените заказ ORD-10007", "нет-нет, не отменяйте его, пусть так и будет"},
	} {
		history := append([]agent.Message{user(tt.ask)}, toolMsgs("cancel_order", `{"order_id":"ORD-10007"}`, declined)...)
		history = append(history, agent.Message{Role: agent.RoleAssistant, Content: "Called off."}, user(tt.again))
		msg := gen(t, m, tt.locale, history...)
		if want := render(tt.locale, "dropped_cancel", "ORD-10007"); len(msg.ToolCalls) > 0 || !strings.HasPrefix(msg.Content, want) {
			t.Errorf("%s %q after the drop: %s, want %q", tt.locale, tt.again, describe(msg), want)
		}
	}
}

// A person is asked for without a verb ("оператора мне!") or with the
// imperative said to several people or politely ("pasadme con alguien",
// "póngame con una persona"): such a message asks for a person, and is
// no question whether the assistant is one even when it says "someone
// real". A person told of in the nominative ("мне человек сказал") is
// asked for by no one.
func TestPersonAskedForInOtherForms(t *testing.T) {
	tests := []struct {
		text          string
		person, isBot bool
	}{
		{"enough of this, get me a real person", true, false},
		{"빨리 상담원 좀 연결해 주세요", true, false},
		{"pasadme con alguien de verdad, porfa", true, false},
		{"póngame con una persona del equipo", true, false},
		{"ya está bien, ponedme con un humano", true, false},
		{"хватит, оператора мне", true, false},
		{"мне специалиста, быстро", true, false},
		{"мне человек из службы доставки сказал ждать", false, false},
	}
	for _, tt := range tests {
		words := strings.FieldsFunc(strings.ToLower(tt.text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if got := asksForPerson(words); got != tt.person {
			t.Errorf("asksForPerson(%q) = %v, want %v", tt.text, got, tt.person)
		}
		if got := isBotQuestion(tt.text); got != tt.isBot {
			t.Errorf("isBotQuestion(%q) = %v, want %v", tt.text, got, tt.isBot)
		}
	}
}

// A Latin word with a Korean ending ("AI랑", "bot이에요", "GPT한테") asks
// about the assistant like the word alone: before, "AI랑 얘기하는 거예요?"
// was read as a request for a person and the chat handed over.
func TestBotWordWithAKoreanEnding(t *testing.T) {
	for text, want := range map[string]bool{
		"지금 AI랑 대화하는 건가요? 아님 직원?":  true,
		"혹시 bot이에요?":               true,
		"이거 GPT한테 물어보는 거예요?":       true,
		"is this an AI answering?": true,
		"¿eres una IA o qué?":      true,
		"ты бот что ли?":           true,
		"AS센터랑 통화했는데 안 돼요":         false,
	} {
		if got := isBotQuestion(text); got != want {
			t.Errorf("isBotQuestion(%q) = %v, want %v", text, got, want)
		}
	}
}
