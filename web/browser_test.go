package web_test

import (
	"bytes"
	"context"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/csagent/csagent/guardrails"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

// End-to-end tests in a real headless browser: Debian's chromium, driven
// through the DevTools protocol by chromedp. They fail, never skip, when
// chromium is missing; scripts/test.sh installs it.

// chromiumPath finds the browser: $CSAGENT_CHROMIUM, else chromium on the
// PATH, else /usr/bin/chromium.
func chromiumPath(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("CSAGENT_CHROMIUM"); p != "" {
		return p
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	t.Fatal("chromium is not installed, and the browser tests need it: run scripts/test.sh, which installs it " +
		"(apt-get install -y chromium), or set CSAGENT_CHROMIUM to a Chromium or Chrome binary")
	return ""
}

// browserSlot lets one browser test run at a time. The browser tests run
// in parallel with the package's other tests (they mostly wait on chromium
// and the server), but two chromium sessions starting and rendering side by
// side on a small machine slow each other down more than they overlap.
var browserSlot = make(chan struct{}, 1)

// browserTurn waits for the browser tests' slot and holds it until t ends.
func browserTurn(t *testing.T) {
	t.Helper()
	browserSlot <- struct{}{}
	t.Cleanup(func() { <-browserSlot })
}

// newBrowser starts a headless chromium with a fresh profile for the test
// and returns the context of its first tab. Each person (the buyer, the
// seller) gets a browser of their own, as they would in life; chromedp's
// JavaScript evaluation does not answer in a browser's second tab with
// this chromium.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		// Background tabs (the buyer's, while the seller's acts) keep
		// their timers and sockets running.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// requestedURLs records every URL tab requests from now on, websockets
// included, and returns a function listing them so far.
func requestedURLs(t *testing.T, tab context.Context) func() []string {
	t.Helper()
	var mu sync.Mutex
	var urls []string
	err := chromedp.Listen(tab, func(ev any) {
		var u string
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			u = ev.Request.URL + ev.Request.URLFragment
		case *network.EventWebSocketCreated:
			u = ev.URL
		default:
			return
		}
		mu.Lock()
		urls = append(urls, u)
		mu.Unlock()
	})
	if err != nil {
		t.Fatalf("listen to the tab's requests: %v", err)
	}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), urls...)
	}
}

// noTokenInURLs fails the test if a URL the page requested carries a
// bearer token (a JWT starts "eyJ"), apart from the sign-in hand-over in
// the fragment of the page's own address, which is never sent; and checks
// that the live connection was opened with a ticket.
func noTokenInURLs(t *testing.T, urls []string, live string) {
	t.Helper()
	var ticketed bool
	for _, u := range urls {
		if strings.Contains(u, live) && strings.Contains(u, "ticket=") {
			ticketed = true
		}
		if before, _, ok := strings.Cut(u, "#"); ok {
			u = before
		}
		if strings.Contains(u, "access_token") || strings.Contains(u, "eyJ") {
			t.Errorf("the page requested %s, a URL with a token", u)
		}
	}
	if !ticketed {
		t.Errorf("no request opened %s with a ticket; requested %q", live, urls)
	}
}

// do runs steps in tab within a minute, failing the test with what was
// being done.
func do(t *testing.T, tab context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// waitJS waits until the JavaScript expression holds in tab.
func waitJS(t *testing.T, tab context.Context, what, expr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
}

// text returns the text of the first element matching the CSS selector.
func text(t *testing.T, tab context.Context, sel string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// bubbleWith is a JavaScript test that a message of role shows text.
func bubbleWith(role, text string) string {
	return `[...document.querySelectorAll('.row.` + role + ` .bubble')].some(b => b.textContent.includes(` + jsString(text) + `))`
}

// openChat opens the buyer's chat signed in as buyer and waits until it
// can send.
func openChat(t *testing.T, e *env, tab context.Context, buyer string) {
	t.Helper()
	do(t, tab, "open the chat",
		chromedp.Navigate(e.srv.URL+"/chat#access_token="+e.buyerToken(t, buyer)),
		chromedp.WaitEnabled(chromedp.CSS("#input")))
}

// say types text into the chat and sends it.
func say(t *testing.T, tab context.Context, text string) {
	t.Helper()
	do(t, tab, "send "+text,
		chromedp.SendKeys(chromedp.CSS("#input"), text),
		chromedp.Click(chromedp.CSS("#send")))
}

// A buyer asks for a refund in the chat page, confirms it with the button
// and sees the result; exactly one refund is made, and the sign-in token
// does not stay in the address bar.
func TestBrowserBuyerRefund(t *testing.T) {
	t.Parallel()
	browserTurn(t)
	e := newEnv(t)
	buyer, order := buyerWith(t, "en", demo.DeliveredRecently)
	tab := newBrowser(t)
	urls := requestedURLs(t, tab)
	openChat(t, e, tab, buyer)
	waitJS(t, tab, "the token to leave the address bar", `location.hash === ""`)
	defer func() { noTokenInURLs(t, urls(), "/v1/chat/ws") }()

	say(t, tab, "I want a refund for "+order+", it arrived damaged")
	do(t, tab, "wait for the confirmation", chromedp.WaitVisible(chromedp.CSS(".confirm-card .primary")))
	if s := text(t, tab, ".confirm-card p"); !strings.Contains(s, order) {
		t.Errorf("confirmation card says %q, want the refund of %s", s, order)
	}
	if n, _ := e.refunds(t, order); n != 0 {
		t.Fatalf("%d refunds before the buyer confirmed", n)
	}

	do(t, tab, "confirm", chromedp.Click(chromedp.CSS(".confirm-card .primary")))
	waitJS(t, tab, "the refund in a reply", bubbleWith("assistant", "RF-"))
	waitJS(t, tab, "the card to settle", `document.querySelector('.confirm-card.done') !== null`)
	if n, total := e.refunds(t, order); n != 1 || total <= 0 {
		t.Errorf("%d refunds totalling %d after one confirmation, want one", n, total)
	}
	waitJS(t, tab, "every sent message to be stored", `document.querySelectorAll('.row.user.pending, .row.user.failed').length === 0`)

	// A reload resumes the conversation: the same messages, once each.
	before := text(t, tab, "#log")
	do(t, tab, "reload", chromedp.Reload(), chromedp.WaitEnabled(chromedp.CSS("#input")))
	waitJS(t, tab, "the transcript to come back", bubbleWith("assistant", "RF-"))
	if after := text(t, tab, "#log"); strings.Count(after, "RF-") != strings.Count(before, "RF-") {
		t.Errorf("after a reload the transcript has %d refund mentions, before %d", strings.Count(after, "RF-"), strings.Count(before, "RF-"))
	}
}

// A buyer asks for a person; the seller signs in through the dev login,
// opens the escalated chat first in the inbox, picks a suggested reply,
// edits it and sends it; the buyer's page shows it live, from the shop.
func TestBrowserSellerAnswersAnEscalatedChat(t *testing.T) {
	t.Parallel()
	browserTurn(t)
	e := newEnvOpts(t, envOptions{web: func(o *web.Options) { o.Dev = true }})
	o, seller := shopOrder(t, "shop-maple", "en", demo.InTransit)
	buyerTab := newBrowser(t)
	openChat(t, e, buyerTab, o.BuyerID)
	say(t, buyerTab, "Where is my order "+o.ID+"?")
	waitJS(t, buyerTab, "the order's status", bubbleWith("assistant", o.ID))
	waitJS(t, buyerTab, "tool progress", `document.querySelector('.activity .step.done') !== null`)
	say(t, buyerTab, "I want to talk to a human")
	do(t, buyerTab, "wait for the handoff banner", chromedp.WaitVisible(chromedp.CSS("#banner")))

	sellerTab := newBrowser(t)
	sellerURLs := requestedURLs(t, sellerTab)
	defer func() { noTokenInURLs(t, sellerURLs(), "/v1/seller/events") }()
	do(t, sellerTab, "sign in as the seller",
		chromedp.Navigate(e.srv.URL+"/"),
		chromedp.Click(chromedp.CSS(`a[href="/dev/login/seller/`+seller+`"]`)),
		chromedp.WaitVisible(chromedp.CSS("#inbox li button")))
	waitJS(t, sellerTab, "the escalated chat first", `document.querySelector('#inbox li:first-child .pill.handoff') !== null`)
	do(t, sellerTab, "open it and pick the first suggestion",
		chromedp.Click(chromedp.CSS("#inbox li:first-child button")),
		chromedp.WaitVisible(chromedp.CSS(".suggestion .use")),
		chromedp.Click(chromedp.CSS(".suggestion .use")))
	ctx, cancel := context.WithTimeout(sellerTab, 10*time.Second)
	draft, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#reply")))
	cancel()
	if err != nil || !strings.Contains(draft, o.ID) {
		t.Fatalf("the picked suggestion is %q (%v), want a reply about %s", draft, err, o.ID)
	}
	const edit = " I'll keep an eye on it for you."
	do(t, sellerTab, "edit and send",
		chromedp.SendKeys(chromedp.CSS("#reply"), edit),
		chromedp.Click(chromedp.CSS("#send-btn")))

	waitJS(t, buyerTab, "the seller's reply on the buyer's page", bubbleWith("agent", strings.TrimSpace(draft)+edit))
	waitJS(t, buyerTab, "the shop's team banner", `document.querySelector('#banner.agent') !== null`)
	waitJS(t, sellerTab, "the reply in the seller's transcript", bubbleWith("agent", edit))
	waitJS(t, sellerTab, "the taken-over status", `document.querySelector('#status-pill.agent') !== null`)
}

// TestScreenshots takes the pages' screenshots at desktop (1280×800) and
// phone (390×844) width through a whole demo (a cited answer, a confirm
// card, a handoff, the seller's panel) and checks each is a picture of a
// page, not a blank. They go to a temporary folder, or to the folder named
// by CSAGENT_SCREENSHOTS to refresh the ones in the repo:
//
//	CSAGENT_SCREENSHOTS=$PWD/docs/screenshots go test -run TestScreenshots ./web/
func TestScreenshots(t *testing.T) {
	t.Parallel()
	browserTurn(t)
	dir := os.Getenv("CSAGENT_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	g, err := guard()
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvOpts(t, envOptions{policies: true, web: func(o *web.Options) {
		o.Dev = true
		o.Checker = sellerChecker{g}
	}})
	o, seller := shopOrder(t, "shop-maple", "en", demo.InTransit)
	_, refundable := buyerOrder(t, o.BuyerID, demo.DeliveredRecently)
	// Other buyers' chats fill the seller's inbox.
	for _, kind := range []demo.Kind{demo.Paid, demo.DeliveredLongAgo} {
		other, _ := shopOrder(t, "shop-maple", "es", kind)
		e.startChat(t, other.BuyerID, "¿Dónde está mi pedido "+other.ID+"?")
	}
	ru, _ := shopOrder(t, "shop-maple", "ru", demo.InTransit)
	e.startChat(t, ru.BuyerID, "Где мой заказ "+ru.ID+"?")

	tab := newBrowser(t)
	openChat(t, e, tab, o.BuyerID)
	say(t, tab, "Where is my order "+o.ID+"?")
	waitJS(t, tab, "the status", bubbleWith("assistant", o.ID))
	say(t, tab, "Who pays for return shipping?")
	waitJS(t, tab, "a cited policy answer", `document.querySelector('.row.assistant .cite') !== null`)
	say(t, tab, "I want a refund for "+refundable+", it arrived damaged")
	do(t, tab, "the confirmation", chromedp.WaitVisible(chromedp.CSS(".confirm-card .primary")))
	shoot(t, tab, filepath.Join(dir, "chat-desktop.png"), 1280, 800, 1)
	shoot(t, tab, filepath.Join(dir, "chat-phone.png"), 390, 844, 2)
	do(t, tab, "back to the desktop", chromedp.EmulateViewport(1280, 800))
	do(t, tab, "confirm", chromedp.Click(chromedp.CSS(".confirm-card .primary")))
	waitJS(t, tab, "the refund", bubbleWith("assistant", "RF-"))
	say(t, tab, "I want to talk to a human about "+o.ID)
	do(t, tab, "the handoff", chromedp.WaitVisible(chromedp.CSS("#banner")))

	sellerTab := newBrowser(t)
	do(t, sellerTab, "the dev login", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(e.srv.URL+"/"))
	shoot(t, sellerTab, filepath.Join(dir, "dev-login.png"), 1280, 800, 1)
	do(t, sellerTab, "the seller's panel",
		chromedp.Click(chromedp.CSS(`a[href="/dev/login/seller/`+seller+`"]`)),
		chromedp.WaitVisible(chromedp.CSS("#inbox li button")),
		chromedp.Click(chromedp.CSS("#inbox li:first-child button")),
		chromedp.WaitVisible(chromedp.CSS(".suggestion .use")),
		chromedp.Click(chromedp.CSS(".suggestion .use")))
	shoot(t, sellerTab, filepath.Join(dir, "seller-desktop.png"), 1280, 800, 1)
	shoot(t, sellerTab, filepath.Join(dir, "seller-phone.png"), 390, 844, 2)
	do(t, sellerTab, "send",
		chromedp.EmulateViewport(1280, 800),
		chromedp.Click(chromedp.CSS("#send-btn")))
	waitJS(t, tab, "the seller's reply", `document.querySelector('.row.agent') !== null`)
	shoot(t, tab, filepath.Join(dir, "chat-seller-reply-phone.png"), 390, 844, 2)

	do(t, sellerTab, "a policy page", chromedp.Navigate(e.srv.URL+"/policies/refunds/en"))
	shoot(t, sellerTab, filepath.Join(dir, "policy-desktop.png"), 1280, 800, 1)
}

// sellerChecker holds the seller's suggested replies to the guardrails, as
// serve does, so the screenshots show their verdicts.
type sellerChecker struct{ g *guardrails.Checker }

func (c sellerChecker) CheckReply(_ context.Context, text, locale string, evidence []string) (web.ReplyCheck, error) {
	r := c.g.CheckOutput(text, locale, "seller", guardrails.Evidence{Texts: evidence})
	return web.ReplyCheck{Verdict: string(r.Verdict), Text: r.Text}, nil
}

// buyerOrder returns an order of buyer in situation kind.
func buyerOrder(t *testing.T, buyer string, kind demo.Kind) (demo.Order, string) {
	t.Helper()
	for _, o := range demo.Plan() {
		if o.BuyerID == buyer && o.Kind == kind {
			return o, o.ID
		}
	}
	t.Fatalf("buyer %s has no %v order", buyer, kind)
	return demo.Order{}, ""
}

// shoot writes a screenshot of tab's viewport at width×height.
func shoot(t *testing.T, tab context.Context, path string, width, height int64, scale float64) {
	t.Helper()
	opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(scale)}
	if width < 600 {
		opts = append(opts, chromedp.EmulateMobile)
	}
	do(t, tab, "resize", chromedp.EmulateViewport(width, height, opts...))
	// Laid out at the new width, every transcript scrolled to its end.
	waitJS(t, tab, "the layout at "+strconv.FormatInt(width, 10)+" px", `(() => {
		const logs = [...document.querySelectorAll('.log')];
		logs.forEach((l) => { l.style.scrollBehavior = 'auto'; l.scrollTop = l.scrollHeight; });
		return window.innerWidth === `+strconv.FormatInt(width, 10)+` && logs.every((l) => l.scrollTop + l.clientHeight >= l.scrollHeight - 1);
	})()`)
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", path, err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot %s is not a PNG: %v", path, err)
	}
	if b, want := img.Bounds(), int(float64(width)*scale); b.Dx() != want {
		t.Errorf("screenshot %s is %d px wide, want %d", path, b.Dx(), want)
	}
	// A rendered page has text, buttons and bubbles: many colours. A blank
	// or half-loaded one has a handful.
	colours := map[color.Color]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y && len(colours) < 64; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			colours[img.At(x, y)] = true
		}
	}
	if len(colours) < 64 {
		t.Errorf("screenshot %s has %d colours: the page looks blank", path, len(colours))
	}
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
}
