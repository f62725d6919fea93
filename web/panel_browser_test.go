package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

// Platform support works on the same panel as the sellers (the dev login
// sends them there): it opens on their inbox, with every shop's
// conversations, rather than asking them to sign in.
func TestBrowserSupportUsesThePanel(t *testing.T) {
	t.Parallel()
	browserTurn(t)
	e := newEnv(t)
	o, _ := shopOrder(t, "shop-hangang", "ko", demo.InTransit)
	e.startChat(t, o.BuyerID, o.ID+" 주문 어디쯤 왔나요?")

	tab := newBrowser(t)
	do(t, tab, "open the panel as support",
		chromedp.Navigate(e.srv.URL+"/seller#access_token="+e.token(t, tools.RoleSupport, demo.SupportID)),
		chromedp.WaitVisible(chromedp.CSS("#inbox li button")))
	if shown := evalJS[bool](t, tab, "the sign-in prompt", `!document.getElementById("signin").hidden`); shown {
		t.Error("support is asked to sign in on the panel")
	}
	do(t, tab, "open the hangang buyer's chat", chromedp.Click(chromedp.CSS("#inbox li:first-child button")))
	waitJS(t, tab, "the buyer's message", bubbleWith("user", o.ID))
}

// The panel words a refused request in the seller's language by its code
// and reason, as the chat does for buyers; the API's message is English,
// for developers.
func TestBrowserPanelErrorsInTheSellersLanguage(t *testing.T) {
	t.Parallel()
	browserTurn(t)
	e := newEnv(t)
	o, seller := shopOrder(t, "shop-hangang", "ko", demo.InTransit)
	e.startChat(t, o.BuyerID, o.ID+" 주문 어디쯤 왔나요?")

	tab := newBrowser(t)
	do(t, tab, "open the panel as the Korean seller",
		chromedp.Navigate(e.srv.URL+"/seller#access_token="+e.sellerToken(t, seller)),
		chromedp.WaitVisible(chromedp.CSS("#inbox li button")),
		chromedp.Click(chromedp.CSS("#inbox li:first-child button")))
	waitJS(t, tab, "the buyer's message", bubbleWith("user", o.ID))
	evalJS[bool](t, tab, "write a reply over the limit", `(document.getElementById("reply").value = `+jsString(strings.Repeat("가", 4001))+`, true)`)
	do(t, tab, "send it", chromedp.Click(chromedp.CSS("#send-btn")))
	waitJS(t, tab, "the error", `!document.getElementById("toast").hidden && document.getElementById("toast").classList.contains("error")`)
	toast := evalJS[string](t, tab, "the error's text", `document.getElementById("toast").textContent`)
	if !strings.Contains(toast, "메시지가 너무 깁니다") {
		t.Errorf("a reply over the limit shows %q, want the Korean words for a message too long", toast)
	}
}
