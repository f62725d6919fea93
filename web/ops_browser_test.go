package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

func TestBrowserOps(t *testing.T) {
	t.Parallel()
	browserTurn(t)
	dir := os.Getenv("CSAGENT_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	e := newEnvOpts(t, envOptions{web: func(o *web.Options) { o.Dev = true }})
	opsData(t, e)
	if err := demo.History(t.Context(), e.pool, 1500, 30, time.Now()); err != nil {
		t.Fatal(err)
	}
	// History asked for a rebuild of every day; do it now rather than at
	// the refresher's next minute.
	rollUp(t, e, "", "")
	tab := newBrowser(t)
	urls := requestedURLs(t, tab)
	do(t, tab, "the dev login", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(e.srv.URL+"/"))
	do(t, tab, "the operations dashboard", chromedp.Click(chromedp.CSS("#ops-login")))
	do(t, tab, "the operations dashboard", chromedp.WaitVisible(chromedp.CSS(".card-num")))
	// The token travels in the fragment once and then only in headers.
	for _, u := range urls() {
		if before, _, _ := strings.Cut(u, "#"); strings.Contains(before, "access_token") || strings.Contains(before, "eyJ") {
			t.Errorf("the page requested %s, a URL with a token", u)
		}
	}
	setHash(t, tab, "a 30-day view", "#/dashboard?days=30")
	waitJS(t, tab, "the 30-day view", `(document.getElementById("view").dataset.loaded || "").includes("days=30")`)
	waitJS(t, tab, "eight plots", `document.querySelectorAll("svg.chart").length === 8`)
	for _, w := range []int64{1280, 375} {
		do(t, tab, "resize", chromedp.EmulateViewport(w, 900))
		waitJS(t, tab, "no horizontal scroll at "+strconv.FormatInt(w, 10)+" px",
			`window.innerWidth === `+strconv.FormatInt(w, 10)+` && document.documentElement.scrollWidth <= window.innerWidth`)
	}
	shoot(t, tab, filepath.Join(dir, "ops-desktop.png"), 1280, 1000, 1)
	shoot(t, tab, filepath.Join(dir, "ops-phone.png"), 375, 812, 2)
	do(t, tab, "back to the desktop", chromedp.EmulateViewport(1280, 900))

	// A sortable table sorts.
	do(t, tab, "sort by conversations", chromedp.Click(chromedp.CSS(`#days th:nth-child(2)`)))
	waitJS(t, tab, "ascending order", `(() => {
		const v = [...document.querySelectorAll("#days tbody tr td:nth-child(2)")].map((td) => +td.textContent);
		return v.length > 1 && v.every((x, i) => i === 0 || v[i-1] <= x);
	})()`)

	// From a number to the conversations behind it, to a transcript, to a
	// review and the eval export.
	setHash(t, tab, "the handoffs behind the handoff rate", "#/conversations?from=2026-11-10&to=2026-11-11&metric=handoff")
	waitJS(t, tab, "the handed-off conversation", `document.querySelector('#conversations tr[data-id="c_a000000002"]') !== null && document.querySelector('#conversations tr[data-id="c_a000000001"]') === null`)
	do(t, tab, "its transcript", chromedp.Click(chromedp.CSS(`#conversations tr[data-id="c_a000000002"] a`)))
	waitJS(t, tab, "the transcript", `document.querySelector(".turn.assistant .verdict.fallback") !== null`)
	do(t, tab, "review it",
		chromedp.Click(chromedp.CSS(`input[name=label][value=incorrect]`)),
		chromedp.SetValue(chromedp.CSS(`select[name=reason]`), "needless_fallback"),
		chromedp.SetValue(chromedp.CSS(`textarea[name=comment]`), "The refund question has an answer in policy."),
		chromedp.Click(chromedp.CSS("#review-btn")))
	waitJS(t, tab, "the export button", `document.getElementById("export-btn") !== null && document.getElementById("review-label").textContent === "incorrect"`)
	shoot(t, tab, filepath.Join(dir, "ops-review-desktop.png"), 1280, 900, 1)
	setHash(t, tab, "the queue", "#/reviews?status=done")
	waitJS(t, tab, "the reviewed conversation in the queue", `document.querySelector('#queue tr[data-id="c_a000000002"]') !== null`)
}

// setHash moves tab's page to the view at fragment.
func setHash(t *testing.T, tab context.Context, what, fragment string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.hash = `+jsString(fragment))); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}
