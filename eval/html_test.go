package eval

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	osexec "os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The HTML report lists failures first, then errors, flaky cases, passes
// and skips; offers filters by verdict, suite, tag and language; and allows
// exactly its own inline style and script by hash.
func TestHTMLReportOrderFiltersAndCSP(t *testing.T) {
	r := sampleReport()
	r.Cases[0].Tags = []string{"refunds", "happy-path"}
	r.Cases[1].Tags = []string{"refunds"}
	var buf strings.Builder
	if err := WriteHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	page := buf.String()

	ids := regexp.MustCompile(`<details class="case" id="([^"]+)"`).FindAllStringSubmatch(page, -1)
	var order []string
	for _, m := range ids {
		order = append(order, m[1])
	}
	if want := "refunds/bad policy/judge-down refunds/ok policy/later"; strings.Join(order, " ") != want {
		t.Errorf("cases in the page: %v, want %s", order, want)
	}
	if r.Cases[0].ID != "ok" {
		t.Error("WriteHTML reordered the report's own cases")
	}
	for _, want := range []string{
		`<option value="fail">fail</option><option value="error">error</option><option value="pass">pass</option><option value="skip">skip</option></select>`,
		`<option>policy</option><option>refunds</option>`,
		`<option>happy-path</option><option>refunds</option>`,
		`<option>en</option><option>ko</option>`,
		`data-status="fail" data-suite="refunds" data-tags="refunds" data-locale="ko" data-flaky="false"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the HTML report lacks %q", want)
		}
	}

	csp := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]+)">`).FindStringSubmatch(page)
	if csp == nil {
		t.Fatal("the HTML report has no Content-Security-Policy")
	}
	policy := html.UnescapeString(csp[1])
	for _, tag := range []string{"style", "script"} {
		m := regexp.MustCompile(`(?s)<`+tag+`>(.*?)</`+tag+`>`).FindAllStringSubmatch(page, -1)
		if len(m) != 1 {
			t.Fatalf("the HTML report has %d <%s> elements, want 1", len(m), tag)
		}
		sum := sha256.Sum256([]byte(m[0][1]))
		if want := tag + "-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(policy, want) {
			t.Errorf("CSP %q does not allow the page's own %s (%s)", policy, tag, want)
		}
	}
	if !strings.Contains(policy, "default-src 'none'") || strings.Contains(policy, "unsafe-inline") {
		t.Errorf("CSP %q is not strict", policy)
	}
}

// In chromium, under its CSP: the style and the filter script run, the
// filter shows only the chosen cases, and at a phone's 375 px nothing
// scrolls sideways, long unbroken replies and tool arguments included.
func TestHTMLReportInABrowser(t *testing.T) {
	r := sampleReport()
	r.Cases[0].Tags = []string{"refunds", "happy-path"}
	long := strings.Repeat("x", 400)
	r.Cases[1].Runs[0].Turns[0].Reply.Text = "https://example.com/" + long
	r.Cases[1].Runs[0].Turns[0].Reply.ToolCalls = []ToolCall{{Name: "get_order", Arguments: json.RawMessage(`{"order_id":"` + long + `"}`), Outcome: "ok", ArgsKnown: true}}
	r.Cases[1].Runs[0].Turns[0].Asserts[0].Detail = "reply: " + long
	r.Cases[1].ID = "a-case-with-a-long-name-" + strings.Repeat("y", 80)
	var buf strings.Builder
	if err := WriteHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(buf.String()))
	}))
	defer srv.Close()

	tab := newBrowser(t)
	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		ctx, cancel := context.WithTimeout(tab, time.Minute)
		defer cancel()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(expr string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(tab, 30*time.Second)
		defer cancel()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		return v
	}
	run("open the report", chromedp.EmulateViewport(375, 800, chromedp.EmulateMobile), chromedp.Navigate(srv.URL))
	run("wait for the filter", chromedp.WaitVisible(chromedp.CSS("#filters")))

	if got := eval(`getComputedStyle(document.body).maxWidth`); got != "1100px" {
		t.Errorf("the page's style did not apply (body max-width %q): the CSP blocked it?", got)
	}
	// Every case open, so the widest content is laid out.
	eval(`(() => { document.querySelectorAll('details.case').forEach((d) => d.open = true); return ''; })()`)
	width := eval(`(() => { const e = document.scrollingElement; return e.scrollWidth + ' ' + e.clientWidth; })()`)
	var sw, cw int
	if f := strings.Fields(width); len(f) == 2 {
		sw, _ = strconv.Atoi(f[0])
		cw, _ = strconv.Atoi(f[1])
	}
	if cw == 0 || sw > cw {
		t.Errorf("at 375 px the report scrolls sideways: scrollWidth %d, clientWidth %d", sw, cw)
	}

	visible := `[...document.querySelectorAll('details.case')].filter((d) => !d.hidden).map((d) => d.dataset.status).join(' ')`
	if got := eval(visible); got != "fail error pass skip" {
		t.Errorf("unfiltered, the page shows %q", got)
	}
	choose := func(name, value string) {
		eval(`(() => { const s = document.querySelector('select[name=` + name + `]'); s.value = '` + value + `'; s.dispatchEvent(new Event('change', {bubbles: true})); return ''; })()`)
	}
	choose("verdict", "fail")
	if got, shown := eval(visible), eval(`document.getElementById('shown').textContent`); got != "fail" || shown != "1 of 4 cases" {
		t.Errorf("filtered to failures, the page shows %q (%q)", got, shown)
	}
	choose("verdict", "")
	choose("suite", "policy")
	if got := eval(visible); got != "error skip" {
		t.Errorf("filtered to the policy suite, the page shows %q", got)
	}
	choose("suite", "")
	choose("tag", "happy-path")
	if got := eval(visible); got != "pass" {
		t.Errorf("filtered to a tag, the page shows %q", got)
	}
	choose("tag", "")
	choose("locale", "ko")
	if got := eval(visible); got != "fail" {
		t.Errorf("filtered to Korean, the page shows %q", got)
	}
}

// newBrowser starts a headless chromium with a fresh profile, like the web
// package's browser tests, and returns its first tab. It fails, never
// skips, when chromium is missing; scripts/test.sh installs it.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("CSAGENT_CHROMIUM")
	if path == "" {
		var err error
		if path, err = osexec.LookPath("chromium"); err != nil {
			path = "/usr/bin/chromium"
		}
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal("chromium is not installed, and the report's browser test needs it: run scripts/test.sh, which installs it, or set CSAGENT_CHROMIUM")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.UserDataDir(t.TempDir()),
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
