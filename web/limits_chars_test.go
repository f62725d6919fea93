package web_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

// russianText returns n characters of a Russian complaint: two bytes a
// letter, so more bytes than characters.
func russianText(n int) string {
	const s = "Здравствуйте! Заказ пришёл вчера, но молния на куртке сломалась в первый же день, прошу помочь. "
	var b strings.Builder
	for utf8.RuneCountInString(b.String()) < n {
		b.WriteString(s)
	}
	r := []rune(b.String())[:n]
	r[n-1] = '.'
	return string(r)
}

// The message limit counts characters, not bytes: a 2,340-character
// Russian message (4,6 KB) and a 4,000-character Korean one (12 KB) are
// taken; one character more is refused as too_long, echoing the message's
// id; a buyer over their rate is told when sending again can succeed.
func TestMessageLimitCountsCharacters(t *testing.T) {
	t.Parallel()
	e := newEnvOpts(t, envOptions{web: func(o *web.Options) {
		o.Limits = web.Limits{MessageBurst: 3, MessagesPerMinute: 1}
	}})
	buyer, _ := buyerWith(t, "ru", demo.DeliveredRecently)
	c := e.dial(t, buyer)
	c.hello("", 0)

	accepted := func(id, text string) {
		t.Helper()
		c.sendJSON(map[string]any{"type": "user_message", "id": id, "text": text})
		for {
			f := c.next()
			if f.Type == "error" {
				t.Fatalf("a message of %d characters (%d bytes) was refused: %+v", utf8.RuneCountInString(text), len(text), f)
			}
			if f.Type == "message" && f.Role == "user" && f.ID == id {
				if f.Text != text {
					t.Fatalf("stored %d characters, sent %d", utf8.RuneCountInString(f.Text), utf8.RuneCountInString(text))
				}
				// Let the reply come, so the next message waits for nothing.
				for f.Type != "message" || f.Role == "user" {
					f = c.next()
				}
				return
			}
		}
	}
	accepted("ru-2340", russianText(2340))
	accepted("ko-4000", strings.Repeat("가", 4000))

	c.sendJSON(map[string]any{"type": "user_message", "id": "ko-4001", "text": strings.Repeat("가", 4001)})
	if f := c.next(); f.Type != "error" || f.Code != "invalid" || f.Reason != "too_long" || f.ID != "ko-4001" {
		t.Fatalf("4,001 characters answered with %+v, want error invalid, reason too_long, id ko-4001", f)
	}

	accepted("third", "спасибо")
	c.sendJSON(map[string]any{"type": "user_message", "id": "fourth", "text": "и ещё вопрос"})
	f := c.next()
	if f.Type != "error" || f.Code != "rate_limited" || f.Reason != "too_fast" || f.ID != "fourth" {
		t.Fatalf("a message over the rate answered with %+v, want error rate_limited, reason too_fast", f)
	}
	// One message a minute, the bucket just emptied: a wait of at most a
	// minute, less by however long the turns above took to answer (on a
	// loaded machine they took 35 s), never none.
	if f.RetryAfter < 1 || f.RetryAfter > 60 {
		t.Errorf("retry_after = %d s, want the time until the bucket holds a message again (1 to 60 s)", f.RetryAfter)
	}
}
