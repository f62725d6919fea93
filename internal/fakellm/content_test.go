package fakellm

import (
	"encoding/json"
	"testing"
)

// TestWireContentMatchesDecodeContent: a message's content decoded in
// place reads as decodeContent reads the raw value, whatever its form.
func TestWireContentMatchesDecodeContent(t *testing.T) {
	for _, raw := range []string{
		`"plain text"`, `""`, `"with \"escapes\" and \u00e9\n"`, "\"caf\xe9\"", `"café 한국어"`, `null`,
		`"{\"ok\":true,\"shop_name\":\"Maple \u0026 Pine\"}"`, `"\b\f\n\r\t\/\\\""`, `"\u00E9\u20ac\uD83D\uDE00 end"`,
		`"lone \uD83D here"`, `"lone low \uDE00"`, `"high then text \uD83Dx"`, `"two highs \uD83D\uD83D\uDE00"`, `"\u0000\u001f"`, `"at the end \uD83D"`,
		`[{"type":"text","text":"a"},{"type":"image_url"},{"type":"text","text":"b"}]`, `[]`, `42`, `{"text":"x"}`, `true`,
	} {
		var m struct {
			Content wireContent `json:"content"`
		}
		if err := json.Unmarshal([]byte(`{"content":`+raw+`}`), &m); err != nil {
			t.Fatalf("decode %s: %v", raw, err)
		}
		text, ok := decodeContent(json.RawMessage(raw))
		if m.Content.text != text || m.Content.bad == ok {
			t.Errorf("content %s = %q (bad %v), want %q (ok %v)", raw, m.Content.text, m.Content.bad, text, ok)
		}
	}
	var absent struct {
		Content wireContent `json:"content"`
	}
	if err := json.Unmarshal([]byte(`{}`), &absent); err != nil || absent.Content.text != "" || absent.Content.bad {
		t.Errorf("absent content = %+v (%v), want empty and fine", absent.Content, err)
	}
}
