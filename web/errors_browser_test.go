package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

// evalJS evaluates the JavaScript expression in tab and returns its value.
func evalJS[T any](t *testing.T, tab context.Context, what, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// sendJS puts text in the chat's input, as a paste would, and sends it.
func sendJS(t *testing.T, tab context.Context, text string) {
	t.Helper()
	evalJS[bool](t, tab, "fill the input", `(document.getElementById("input").value = `+jsString(text)+`, true)`)
	do(t, tab, "send a message", chromedp.Click(chromedp.CSS("#send")))
}

// A Russian buyer's long message (2,340 characters) is sent; one over the
// limit is refused in Russian, with no Retry button (the same text would
// fail again) and the text back in the input to shorten; a message over
// the rate is refused in Russian, without a Retry that would fail now.
func TestBrowserChatErrorsInTheBuyersLanguage(t *testing.T) {
	t.Parallel()
	browserTurn(t)
	e := newEnvOpts(t, envOptions{web: func(o *web.Options) {
		o.Limits = web.Limits{MessageBurst: 2, MessagesPerMinute: 1}
	}})
	buyer, _ := buyerWith(t, "ru", demo.DeliveredRecently)
	tab := newBrowser(t)
	openChat(t, e, tab, buyer)

	long := russianText(2340)
	sendJS(t, tab, long)
	waitJS(t, tab, "the long message to be stored", `document.querySelectorAll('.row.user').length === 1 && document.querySelectorAll('.row.user.pending, .row.user.failed').length === 0`)
	waitJS(t, tab, "the reply", `document.querySelectorAll('.row.assistant').length >= 1`)

	tooLong := russianText(4100)
	sendJS(t, tab, tooLong)
	waitJS(t, tab, "the refusal", `document.querySelector('.row.user.failed') !== null`)
	if why := text(t, tab, ".row.user.failed .time"); !strings.Contains(why, "Сообщение слишком длинное") || !strings.Contains(why, "4") {
		t.Errorf("a message over the limit shows %q, want the Russian refusal naming the limit", why)
	}
	if evalJS[bool](t, tab, "look for a Retry button", `document.querySelector('.row.user.failed .retry') !== null`) {
		t.Error("a message over the limit offers Retry, which cannot succeed")
	}
	if back := evalJS[string](t, tab, "read the input", `document.getElementById("input").value`); back != tooLong {
		t.Errorf("the input holds %d characters after the refusal, want the refused text back to shorten", len([]rune(back)))
	}

	evalJS[bool](t, tab, "clear the input", `(document.getElementById("input").value = "", true)`)
	sendJS(t, tab, "спасибо")
	waitJS(t, tab, "the second message to be stored", `document.querySelectorAll('.row.user.pending').length === 0`)
	sendJS(t, tab, "и ещё вопрос")
	waitJS(t, tab, "the rate refusal", `document.querySelectorAll('.row.user.failed').length === 2`)
	rows := `[...document.querySelectorAll('.row.user.failed')].at(-1)`
	if why := evalJS[string](t, tab, "read the rate refusal", rows+`.querySelector('.time').textContent`); !strings.Contains(why, "слишком часто") {
		t.Errorf("a message over the rate shows %q, want the Russian refusal", why)
	}
	if evalJS[bool](t, tab, "look for a Retry button", rows+`.querySelector('.retry') !== null`) {
		t.Error("a message over the rate offers Retry before it can succeed")
	}
	if body := text(t, tab, "#log"); strings.Contains(body, "bytes") || strings.Contains(body, "characters") || strings.Contains(body, "too fast") {
		t.Errorf("the chat shows the server's English message: %q", body)
	}
}
