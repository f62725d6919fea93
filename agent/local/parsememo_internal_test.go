package local

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/csagent/csagent/agent"
)

// TestParseMemoReadsAsAFreshParse: the local model with its memo of
// parsed messages reads and answers every turn of a conversation exactly
// as a model that parses every message afresh, when the memo is cold and
// when it holds every message already (the conversation read again). The
// conversations switch language, name orders, amounts and reasons, and
// repeat a short message whose reading depends on the locale hint.
func TestParseMemoReadsAsAFreshParse(t *testing.T) {
	c, err := classifier()
	if err != nil {
		t.Fatal(err)
	}
	memo, fresh := New(c), &Model{nlu: c}
	convs := [][]string{
		{"hi", "where is my order ORD-10042?", "ok", "and the other one?", "it arrived broken, I want 25 USD back", "ok"},
		{"주문 ORD-10042 어디 있어요?", "ok", "환불 받고 싶어요, 물건이 고장 났어요", "ok"},
		{"как долго идёт возврат денег?", "ok", "where is ORD-10055", "ok thanks. what about ORD-10014?"},
		{"How many days do I have to return an item?", "who pays for return shipping?", "ok"},
	}
	for _, locale := range []string{"en", "ko"} {
		for _, conv := range convs {
			for pass := range 2 {
				var msgs []agent.Message
				for i, text := range conv {
					msgs = append(msgs, agent.Message{Role: agent.RoleUser, Content: text})
					req := agent.Request{Locale: locale, Messages: msgs}
					got, want := memo.Read(req), fresh.Read(req)
					got.Answer, want.Answer = nil, nil
					if !reflect.DeepEqual(got, want) {
						t.Errorf("%s pass %d, message %d %q: memo read %+v, fresh %+v", locale, pass, i, text, got, want)
					}
					gr, err := memo.Generate(context.Background(), req, nil)
					if err != nil {
						t.Fatal(err)
					}
					wr, err := fresh.Generate(context.Background(), req, nil)
					if err != nil {
						t.Fatal(err)
					}
					if g, w := mustJSON(t, gr), mustJSON(t, wr); g != w {
						t.Errorf("%s pass %d, message %d %q: memo answered %s, fresh %s", locale, pass, i, text, g, w)
					}
					msgs = append(msgs, gr.Message)
					if len(gr.Message.ToolCalls) > 0 {
						// The tools are not run here: the model sees a
						// failed call, as it would with the database down.
						for _, tc := range gr.Message.ToolCalls {
							msgs = append(msgs, agent.Message{Role: agent.RoleTool, ToolCallID: tc.ID, Name: tc.Name,
								Content: `{"ok":false,"error":{"code":"unavailable","message":"down"}}`})
						}
					}
				}
			}
		}
	}
	if len(memo.parses.m) == 0 {
		t.Error("the memo kept no reading")
	}
	// A reading is the text's under its hint: a short message keeps the
	// language it is read in.
	for _, text := range []string{"ok", "ORD-10042?", "thanks"} {
		for _, locale := range []string{"en", "ko", "ru", "es", "en"} {
			if got, want := memo.parse(text, locale), c.Parse(text, locale); !reflect.DeepEqual(got, want) {
				t.Errorf("parse(%q, %s) = %+v from the memo, %+v afresh", text, locale, got, want)
			}
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
