package local

import (
	"strings"
	"testing"

	"github.com/csagent/csagent/internal/litgate"
)

// The progress question's gate names the words its matches need, so it
// skips messages (it is not a gate that always runs), and it skips none
// that the pattern matches: every message of the tests' and the demo's
// phrasings, cut and recased, reads as the pattern alone reads it.
func TestProgressGate(t *testing.T) {
	need := litgate.Literals(progressAsked.String())
	if len(need) == 0 {
		t.Fatal("progressAsked gives the gate no literals: every message runs the pattern")
	}
	texts := []string{
		"is everything done?", "so both is done?", "¿ya está todo hecho?", "всё сделано?", "다 처리된 건가요?",
		"which one did you do? both?", "did you do both or just one?", "¿hiciste las dos?", "ну чё, сделал? оба?",
		"뭐 처리했어요?", "Is it all sorted now", "were they processed", "did it go through", "everything finished",
		"¿Cuál hiciste?", "оба?", "Where is my order ORD-10001?", "아니다 됐어요", "never mind, it's done",
		"Has that been taken care of?", "what did you actually do", "모두 완료됐나요", "это уже оформлено",
	}
	for _, s := range texts {
		for _, v := range []string{s, strings.ToUpper(s), strings.ToTitle(s), s[:len(s)/2], " " + s + " ok"} {
			if got, want := progressGate.MatchString(v), progressAsked.MatchString(v); got != want {
				t.Errorf("%q: gated %v, pattern %v", v, got, want)
			}
		}
	}
}

// BenchmarkAsksProgress reads a bench buyer's order question, which asks
// no progress, through the gate and through the pattern alone.
func BenchmarkAsksProgress(b *testing.B) {
	const text = "can you check order ORD-10042 for me [ref:r1234]"
	b.Run("gated", func(b *testing.B) {
		for b.Loop() {
			progressGate.MatchString(text)
		}
	})
	b.Run("pattern", func(b *testing.B) {
		for b.Loop() {
			progressAsked.MatchString(text)
		}
	})
}
