package agent

import (
	"log/slog"
	"testing"
)

// A buyer's message is checked for injection once: on its own turn. The
// turns after it read it as an earlier message from the screening cache,
// with the verdict its own turn had (quoted as data when it was flagged).
func TestBuyerMessageIsCheckedOnce(t *testing.T) {
	for _, flag := range []bool{false, true} {
		g := &countingGuard{flag: flag}
		a := &Agent{guard: g, screened: newScreenCache(), logger: slog.New(slog.DiscardHandler)}
		first := []Message{{Role: RoleUser, Content: "where is ORD-10001?"}}
		tg := a.newTurnGuard(Turn{Locale: "en"}, "t1")
		read1 := tg.screen(t.Context(), first)

		second := append(first, Message{Role: RoleAssistant, Content: "It shipped."}, Message{Role: RoleUser, Content: "thanks"})
		tg = a.newTurnGuard(Turn{Locale: "en"}, "t2")
		read2 := tg.screen(t.Context(), second)
		if g.inputs != 2 {
			t.Errorf("flagged %v: %d input checks over two turns of one message each, want 2", flag, g.inputs)
		}
		// The first turn's message reads the same on both turns.
		n := len(read1)
		if len(read2) < n {
			t.Fatalf("flagged %v: the second turn read %d messages, want at least %d", flag, len(read2), n)
		}
		for i := range read1 {
			if read1[i].Role != read2[i].Role || read1[i].Content != read2[i].Content {
				t.Errorf("flagged %v: message %d read %+v on its turn, %+v on the next", flag, i, read1[i], read2[i])
			}
		}
		if want := map[bool]int{false: 1, true: 2}[flag]; n != want {
			t.Errorf("flagged %v: the first turn read %d messages, want %d (a flagged message follows a note)", flag, n, want)
		}
	}
}
