package web_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

// "New conversation" refused (the buyer started too many) leaves the chat
// on the conversation it shows, as the server leaves the connection: the
// transcript stays on the page, the next message is stored there and its
// reply shown with it. Before, the page emptied itself and forgot the
// conversation while the connection kept talking to it.
func TestBrowserRefusedNewConversationKeepsTheShownOne(t *testing.T) {
	t.Parallel()
	browserTurn(t)
	e := newEnvOpts(t, envOptions{web: func(o *web.Options) {
		o.Limits.ConversationsPerHour, o.Limits.ConversationBurst = 1, 1
	}})
	buyer, order := buyerWith(t, "en", demo.InTransit)
	tab := newBrowser(t)
	openChat(t, e, tab, buyer)
	say(t, tab, "Where is my order "+order+"?")
	waitJS(t, tab, "the reply", bubbleWith("assistant", order))
	conv := evalJS[string](t, tab, "the conversation shown", `Object.keys(localStorage).map(k => localStorage.getItem(k)).find(v => v.startsWith("c_")) || ""`)

	do(t, tab, "ask for a new conversation", chromedp.Click(chromedp.CSS("#new-btn")))
	waitJS(t, tab, "the refusal", `document.querySelector('.note.error') !== null`)
	time.Sleep(200 * time.Millisecond)
	if !evalJS[bool](t, tab, "the transcript", bubbleWith("assistant", order)) {
		t.Error("the refused new conversation emptied the page")
	}
	if got := evalJS[string](t, tab, "the conversation kept", `Object.keys(localStorage).map(k => localStorage.getItem(k)).find(v => v.startsWith("c_")) || ""`); got != conv {
		t.Errorf("the page keeps conversation %q after the refusal, want %q", got, conv)
	}
	say(t, tab, "thanks, and when will it arrive?")
	waitJS(t, tab, "the next reply", `document.querySelectorAll('.row.assistant').length >= 2`)
	if n := e.count(t, `SELECT count(*) FROM messages WHERE conversation_id = $1 AND role = 'user'`, conv); n != 2 {
		t.Errorf("conversation %s has %d of the buyer's messages, want both", conv, n)
	}
}

// "New conversation" allowed: the page empties once the new conversation is
// open, and the next message goes there.
func TestBrowserNewConversation(t *testing.T) {
	t.Parallel()
	browserTurn(t)
	e := newEnv(t)
	buyer, order := buyerWith(t, "en", demo.InTransit)
	tab := newBrowser(t)
	openChat(t, e, tab, buyer)
	say(t, tab, "Where is my order "+order+"?")
	waitJS(t, tab, "the reply", bubbleWith("assistant", order))
	const shown = `Object.keys(localStorage).map(k => localStorage.getItem(k)).find(v => v.startsWith("c_")) || ""`
	first := evalJS[string](t, tab, "the first conversation", shown)

	do(t, tab, "start a new conversation", chromedp.Click(chromedp.CSS("#new-btn")))
	waitJS(t, tab, "the new conversation", `!document.querySelector('.row.assistant') && (`+shown+`) !== `+jsString(first)+` && (`+shown+`) !== ""`)
	second := evalJS[string](t, tab, "the new conversation", shown)
	say(t, tab, "hello")
	waitJS(t, tab, "its reply", `document.querySelectorAll('.row.assistant').length === 1`)
	if n := e.count(t, `SELECT count(*) FROM messages WHERE conversation_id = $1 AND role = 'user'`, second); n != 1 {
		t.Errorf("the new conversation %s has %d of the buyer's messages, want 1", second, n)
	}
}
