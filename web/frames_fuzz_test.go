package web

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/csagent/csagent/agent"
)

// FuzzDecodeFrame feeds the inbound frame decoder arbitrary bytes. It must
// never panic; whatever it accepts must be a known type whose fields hold
// what the connection relies on (bounded, printable, a decision present),
// and must decode to the same frame again once re-encoded; whatever it
// refuses must say why in a message fit to show.
//
// The seeds are the frames of docs/protocol.md and the malformed frames of
// TestChatBadFramesLeaveTheConnectionUsable; testdata/fuzz/FuzzDecodeFrame
// holds more.
func FuzzDecodeFrame(f *testing.F) {
	for _, seed := range []string{
		`{"type":"hello"}`,
		`{"type":"hello","conversation_id":"c_01JEXAMPLE","last_seq":12,"locale":"ko-KR"}`,
		`{"type":"user_message","id":"m1","text":"Where is my order ORD-10042?"}`,
		`{"type":"user_message","id":"m2","text":"  환불해 주세요  "}`,
		`{"type":"confirm","action_id":"a_01JEXAMPLE","approved":true}`,
		`{"type":"confirm","action_id":"a_01JEXAMPLE","approved":false}`,
		`{"type":"confirm","action_id":"a_01JEXAMPLE"}`,
		`{"type":"user_message","id":7,"text":"hi"}`,
		`{"type":"user_message","text":"hi"}`,
		`{"type":"user_message","id":"x","text":"a\u0000b"}`,
		`{"type":"hello","last_seq":-1}`,
		`{"type":"hello","last_seq":"5"}`,
		`{"type":"launch_missiles"}`,
		`{"type":"hello","x":[[[[[[[[]]]]]]]]}`,
		`["hello"]`,
		`null`,
		`{}`,
		``,
		"{\"type\":\"user_message\",\"id\":\"u\",\"text\":\"\xff\xfe\"}",
		`{"type":"hello"} {"type":"hello"}`,
		`{"TYPE":"HELLO"}`,
		`{"type":"user_message","id":"d","id":"e","text":"dup keys"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, ferr := decodeFrame(data)
		if ferr != nil {
			if ferr.msg == "" || !utf8.ValidString(ferr.msg) {
				t.Fatalf("decodeFrame(%q) refused with message %q, want a readable one", data, ferr.msg)
			}
			if ferr.kind == "" {
				t.Fatalf("decodeFrame(%q) refused without a metric kind", data)
			}
			if len(ferr.id) > maxClientIDLen || !printable(ferr.id) {
				t.Fatalf("decodeFrame(%q) echoes id %q, which is not a valid client id", data, ferr.id)
			}
			return
		}
		checkFrame(t, data, fr)
		again, err := json.Marshal(fr)
		if err != nil {
			t.Fatalf("re-encode %+v: %v", fr, err)
		}
		fr2, ferr := decodeFrame(again)
		if ferr != nil {
			t.Fatalf("decodeFrame(%q) accepted, its re-encoding %s refused: %s", data, again, ferr.msg)
		}
		if !sameFrame(fr, fr2) {
			t.Fatalf("decodeFrame(%q) = %+v, re-decoded %+v", data, fr, fr2)
		}
	})
}

// checkFrame fails t unless fr, accepted from data, is what the connection
// may act on without further checks of its own.
func checkFrame(t *testing.T, data []byte, fr inFrame) {
	t.Helper()
	if !utf8.Valid(data) {
		t.Fatalf("decodeFrame accepted invalid UTF-8 %q", data)
	}
	switch fr.Type {
	case "hello":
		if fr.LastSeq < 0 || len(fr.ConversationID) > maxConversationIDLen || !printable(fr.ConversationID) || len(fr.Locale) > maxLocaleLen {
			t.Fatalf("decodeFrame(%q) accepted hello %+v", data, fr)
		}
	case "user_message":
		if fr.ID == "" || len(fr.ID) > maxClientIDLen || !printable(fr.ID) {
			t.Fatalf("decodeFrame(%q) accepted id %q", data, fr.ID)
		}
		if fr.Text == "" || !agent.MessageLengthOK(fr.Text) || !printable(fr.Text) || strings.TrimSpace(fr.Text) != fr.Text {
			t.Fatalf("decodeFrame(%q) accepted text %q", data, fr.Text)
		}
	case "confirm":
		if fr.ActionID == "" || len(fr.ActionID) > maxActionIDLen || fr.Approved == nil {
			t.Fatalf("decodeFrame(%q) accepted confirm %+v", data, fr)
		}
	default:
		t.Fatalf("decodeFrame(%q) accepted type %q", data, fr.Type)
	}
}

func sameFrame(a, b inFrame) bool {
	if (a.Approved == nil) != (b.Approved == nil) || (a.Approved != nil && *a.Approved != *b.Approved) {
		return false
	}
	a.Approved, b.Approved = nil, nil
	return a == b
}
