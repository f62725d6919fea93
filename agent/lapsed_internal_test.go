package agent

import (
	"strings"
	"testing"
)

// yesNo reads "yes" and "no" alone, as a Confirmations would.
type yesNo struct{}

func (yesNo) Confirmation(text, _ string) (bool, bool) { return text == "yes", text == "no" }

// A yes or no typed after the card of the last reply expired is told that
// request was not done, naming it; anything else, a card of an earlier
// reply, a person's message since, or a card still waiting, is not.
func TestLapsedDecision(t *testing.T) {
	card := Action{ID: "a1", TurnID: "t1", Tool: "request_refund", Summary: "Refund 69.98 USD for ORD-10005", Status: ActionPending}
	reply := func(turn string) StoredMessage { return StoredMessage{Role: "assistant", TurnID: turn} }
	buyer := StoredMessage{Role: "user"}
	tests := []struct {
		name   string
		text   string
		st     turnState
		answer bool
	}{
		{"yes to the last reply's expired card", "yes", turnState{recent: []StoredMessage{buyer, reply("t1"), buyer}, proposed: []Action{card}}, true},
		{"no to it", "no", turnState{recent: []StoredMessage{buyer, reply("t1"), buyer}, proposed: []Action{card}}, true},
		{"swept as expired", "yes", turnState{recent: []StoredMessage{reply("t1"), buyer}, proposed: []Action{{ID: "a1", TurnID: "t1", Summary: card.Summary, Status: ActionExpired}}}, true},
		{"not a yes or no", "where is it", turnState{recent: []StoredMessage{reply("t1"), buyer}, proposed: []Action{card}}, false},
		{"a later reply asked something else", "yes", turnState{recent: []StoredMessage{reply("t1"), buyer, reply("t2"), buyer}, proposed: []Action{card}}, false},
		{"a person wrote since", "yes", turnState{recent: []StoredMessage{reply("t1"), {Role: "agent"}, buyer}, proposed: []Action{card}}, false},
		{"the card still waits", "yes", turnState{recent: []StoredMessage{reply("t1"), buyer}, proposed: []Action{card}, pending: []Action{card}}, false},
		{"decided already", "yes", turnState{recent: []StoredMessage{reply("t1"), buyer}, proposed: []Action{{ID: "a1", TurnID: "t1", Status: ActionDeclined}}}, false},
		{"two expired cards", "yes", turnState{recent: []StoredMessage{reply("t1"), buyer}, proposed: []Action{card, {ID: "a2", TurnID: "t1", Status: ActionPending}}}, false},
	}
	a := &Agent{confirm: yesNo{}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, usage, ok := a.lapsedDecision(Turn{Text: tt.text, Locale: "en"}, "t9", &tt.st)
			if ok != tt.answer {
				t.Fatalf("answered %v (%q), want %v", ok, text, tt.answer)
			}
			if ok && (!strings.Contains(text, "ORD-10005") || !strings.Contains(text, "expired") || usage.Fallback != "action_expired") {
				t.Errorf("answer %q (fallback %q) does not name the expired request", text, usage.Fallback)
			}
		})
	}
}
