package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/csagent/csagent/tools/demo"
)

// A reply whose answer was lost on the way back (the server stored it, the
// panel saw a network error) and that the seller sends again is stored
// once: the panel resends it under the same client id, which the server
// answers as a duplicate. Before, every press of Send drew a new id, so the
// buyer got the reply twice.
func TestBrowserPanelResendIsStoredOnce(t *testing.T) {
	t.Parallel()
	browserTurn(t)
	e := newEnv(t)
	o, seller := shopOrder(t, "shop-maple", "en", demo.InTransit)
	conv := e.startChat(t, o.BuyerID, "Where is my order "+o.ID+"?")

	tab := newBrowser(t)
	do(t, tab, "open the panel",
		chromedp.Navigate(e.srv.URL+"/seller#access_token="+e.sellerToken(t, seller)),
		chromedp.WaitVisible(chromedp.CSS("#inbox li button")),
		chromedp.Click(chromedp.CSS("#inbox li:first-child button")))
	waitJS(t, tab, "the buyer's message", bubbleWith("user", o.ID))
	// The first reply reaches the server, but its answer is lost.
	evalJS[bool](t, tab, "lose the first reply's answer", `(() => {
		const real = window.fetch;
		let lost = false;
		window.fetch = async (url, opts) => {
			const r = await real(url, opts);
			if (!lost && opts && opts.method === "POST" && String(url).endsWith("/messages")) {
				lost = true;
				throw new TypeError("Failed to fetch");
			}
			return r;
		};
		document.getElementById("reply").value = "It is on its way, tracking attached.";
		return true;
	})()`)
	do(t, tab, "send", chromedp.Click(chromedp.CSS("#send-btn")))
	waitJS(t, tab, "the network error", `!document.getElementById("toast").hidden && document.getElementById("toast").classList.contains("error")`)
	waitJS(t, tab, "the reply kept in the box", `document.getElementById("reply").value !== "" && !document.getElementById("send-btn").disabled`)
	do(t, tab, "send again", chromedp.Click(chromedp.CSS("#send-btn")))
	waitJS(t, tab, "the reply sent", `document.getElementById("reply").value === ""`)

	var n int
	if err := e.pool.QueryRow(t.Context(), `SELECT count(*) FROM messages WHERE conversation_id = $1 AND role = 'agent'`, conv).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("the seller's reply is stored %d times, want once", n)
	}
}
