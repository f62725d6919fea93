package agent

import (
	"hash/maphash"
	"math/rand/v2"
	"strings"
	"testing"
)

// A text's escaping from the cache is the escaping itself: on its first
// sighting, from the cache, after a text of the same length, and after the
// cache started over.
func TestEscapedTextsMatchEscaping(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pieces := []string{`{"ok":true,"data":{"order_id":"ORD-10042","status":"shipped"}}`, "\n", "\t", `\`, "한국어 ", "\u2028", "\xff", "<b>&</b>", "plain words ", "\x01"}
	c := &escapeCache{seed: maphash.MakeSeed(), m: map[uint64]escapedText{}}
	var texts []string
	for range 300 {
		var b strings.Builder
		for b.Len() < minEscapedText+rng.IntN(3000) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	for round := range 3 {
		for _, s := range texts {
			want := appendJSONString([]byte("x"), s)
			if got := c.append([]byte("x"), s); string(got) != string(want) {
				t.Fatalf("round %d: cached escaping of %.60q = %.80q, want %.80q", round, s, got, want)
			}
			if got := appendJSONText([]byte("x"), s); string(got) != string(want) {
				t.Fatalf("round %d: appendJSONText(%.60q) = %.80q, want %.80q", round, s, got, want)
			}
		}
		if round == 1 {
			c.mu.Lock()
			c.size = maxEscapedMemory // the next store starts over
			c.mu.Unlock()
		}
	}
	if len(c.m) == 0 || c.size > maxEscapedMemory {
		t.Errorf("cache holds %d texts, %d bytes; want some, at most %d", len(c.m), c.size, maxEscapedMemory)
	}
}

// BenchmarkEncodeChatWindow writes a request with a window of six
// get_order results, as each model call of a --mix order turn does.
func BenchmarkEncodeChatWindow(b *testing.B) {
	result := `{"ok":true,"data":{"order_id":"ORD-10042","status":"shipped","placed_at":"2026-11-30T10:00:00Z","total":{"minor":4250,"currency":"USD"},` +
		`"items":[{"title":"Wireless earbuds, charcoal","qty":1,"price":{"minor":4250,"currency":"USD"}}],"shipping":{"carrier":"UPS","tracking_number":"1Z999AA10123456784",` +
		`"eta":"2026-12-09"},"seller":{"id":"seller-0007","name":"Sound Shop"}},"summary":"Order ORD-10042 shipped with UPS on 2026-12-02 and should arrive by 2026-12-09."}`
	msgs := []Message{{Role: RoleSystem, Content: systemPrompt(PromptVersion, "en")}}
	for i := range 6 {
		id := "call_" + string(rune('a'+i))
		msgs = append(msgs, Message{Role: RoleUser, Content: "where is my order ORD-10042?"},
			Message{Role: RoleAssistant, ToolCalls: []ToolCall{{ID: id, Name: "get_order", Arguments: []byte(`{"order_id":"ORD-10042"}`)}}},
			Message{Role: RoleTool, ToolCallID: id, Name: "get_order", Content: result},
			Message{Role: RoleAssistant, Content: "Your order ORD-10042 shipped with UPS and should arrive by December 9."})
	}
	b.ReportAllocs()
	for b.Loop() {
		encodeChat(chatBody{model: "m"}, msgs, 16<<10)
	}
}
