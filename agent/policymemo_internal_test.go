package agent

import (
	"fmt"
	"strings"
	"testing"
)

// TestAnswerMemo: an answer is served only under the generation and date
// it was found in force under (a new day may bring a newer policy version
// into force with no write, and a lower or unknown generation is never
// trusted); the least recently used answer goes first when the memo is
// full; an answer too large is not kept.
func TestAnswerMemo(t *testing.T) {
	m := newAnswerMemo()
	key := cacheKey("q")
	g := policyGeneration{gen: 7, day: "2026-12-07"}
	ans := &policyAnswer{kind: keyQuestion, text: "30 days", evidence: "{}"}
	m.put(key, g, ans)
	if m.get(key, g) != ans {
		t.Fatal("the answer is not served under the generation it was found under")
	}
	for _, other := range []policyGeneration{{gen: 8, day: g.day}, {gen: 7, day: "2026-12-08"}, {}, {gen: 7}} {
		m.put(key, g, ans)
		if m.get(key, other) != nil {
			t.Errorf("served under %+v after being found in force under %+v", other, g)
		}
	}
	// A stale entry is dropped, not kept for a later turn of an older
	// generation.
	m.put(key, g, ans)
	m.get(key, policyGeneration{gen: 8, day: g.day})
	if m.get(key, g) != nil || m.order.Len() != 0 || m.bytes != 0 {
		t.Errorf("a stale entry was kept: %d entries, %d bytes", m.order.Len(), m.bytes)
	}
	m.put(key, policyGeneration{}, ans)
	if m.order.Len() != 0 {
		t.Error("an answer was kept under an unknown generation")
	}

	for i := range maxMemoAnswers {
		m.put(cacheKey(fmt.Sprint(i)), g, ans)
	}
	m.get(cacheKey("0"), g) // used: the oldest is now 1
	m.put(cacheKey("new"), g, ans)
	if m.get(cacheKey("0"), g) == nil || m.get(cacheKey("1"), g) != nil || m.get(cacheKey("new"), g) == nil {
		t.Error("a full memo did not drop its least recently used answer")
	}
	if m.order.Len() != maxMemoAnswers || len(m.m) != maxMemoAnswers {
		t.Errorf("%d entries (%d keys), want %d", m.order.Len(), len(m.m), maxMemoAnswers)
	}
	big := &policyAnswer{text: "x", evidence: strings.Repeat("x", maxMemoEntryBytes)}
	m.put(cacheKey("big"), g, big)
	if m.get(cacheKey("big"), g) != nil {
		t.Error("an answer larger than an entry's bound was kept")
	}
}
