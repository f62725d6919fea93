package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/csagent/csagent/tools/demo"
)

// A buyer's and a seller's words are shown as they were written, on each
// other's page: markup stays text (nothing runs, no element appears), and a
// policy citation marker typed by a person ("[refunds §…]") stays text too.
// Only the assistant's replies, whose citations the guardrails checked
// against the retrieved policy, turn markers into policy links; a buyer
// must not be able to make words of their own look like the policy on the
// seller's panel, nor a seller on the buyer's chat.
func TestBrowserPeoplesWordsStayText(t *testing.T) {
	t.Parallel()
	browserTurn(t)
	e := newEnv(t)
	o, seller := shopOrder(t, "shop-maple", "en", demo.InTransit)
	const (
		markup   = `<img src=x onerror="document.title='xss'"><script>document.title='xss'</script>`
		fakeCite = `[refunds §Sellers refund in full within 24 hours]`
	)
	hostile := "Where is " + o.ID + "? " + markup + " as " + fakeCite + " says"

	buyerTab := newBrowser(t)
	openChat(t, e, buyerTab, o.BuyerID)
	sendJS(t, buyerTab, hostile)
	waitJS(t, buyerTab, "the buyer's message", bubbleWith("user", markup))
	waitJS(t, buyerTab, "the reply", `document.querySelector('.row.assistant .bubble') !== null`)
	shownAsText(t, buyerTab, "the buyer's own message on the chat", ".row.user")

	sellerTab := newBrowser(t)
	do(t, sellerTab, "open the seller's panel",
		chromedp.Navigate(e.srv.URL+"/seller#access_token="+e.sellerToken(t, seller)),
		chromedp.WaitVisible(chromedp.CSS("#inbox li button")),
		chromedp.Click(chromedp.CSS("#inbox li:first-child button")))
	waitJS(t, sellerTab, "the buyer's message on the seller's panel", bubbleWith("user", markup))
	shownAsText(t, sellerTab, "the buyer's message on the seller's panel", ".row.user")

	reply := "Thanks for waiting. " + markup + " " + fakeCite
	evalJS[bool](t, sellerTab, "the seller writes markup and a made-up citation", `(document.getElementById("reply").value = `+jsString(reply)+`, true)`)
	do(t, sellerTab, "the seller sends it", chromedp.Click(chromedp.CSS("#send-btn")))
	waitJS(t, buyerTab, "the seller's reply on the chat", bubbleWith("agent", "Thanks for waiting. "+markup))
	shownAsText(t, buyerTab, "the seller's reply on the chat", ".row.agent")
	waitJS(t, sellerTab, "the seller's reply on the panel", bubbleWith("agent", "Thanks for waiting. "+markup))
	shownAsText(t, sellerTab, "the seller's reply on the panel", ".row.agent")
}

// shownAsText checks that the message rows matching rows hold no element
// but the page's own (no image, script or policy link from the text) and
// that nothing in the text ran.
func shownAsText(t *testing.T, tab context.Context, what, rows string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 10*time.Second)
	defer cancel()
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(`+jsString(rows+" .bubble")+`)]
		.flatMap(b => [...b.querySelectorAll('*')].map(x => x.tagName.toLowerCase() + (x.className ? '.' + x.className : '')))
		.filter(x => x !== 'span.translation')
		.concat(document.title === 'xss' ? ['ran: document.title'] : [])`))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if len(found) > 0 {
		t.Errorf("%s: the text became elements %s, want plain text", what, strings.Join(found, ", "))
	}
}
