package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// A browser that lands on an unknown URL or an API route gets a small page
// in the site's style, under the pages' CSP; API clients (curl's */*,
// fetch, an explicit JSON Accept, any POST) get the JSON error as before.
func TestErrorPageForBrowsers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	tests := []struct {
		name, method, path, accept string
		status                     int
		html                       bool
		want                       string
	}{
		{"unknown URL in a browser", http.MethodGet, "/no/such/page", browser, 404, true, "There is no page at this address."},
		{"API route without a token in a browser", http.MethodGet, "/v1/me", browser, 401, true, "Please sign in"},
		{"unknown URL from curl", http.MethodGet, "/no/such/page", "*/*", 404, false, `"code":"not_found"`},
		{"unknown URL without Accept", http.MethodGet, "/no/such/page", "", 404, false, `"code":"not_found"`},
		{"JSON preferred", http.MethodGet, "/no/such/page", "application/json, text/html;q=0.5", 404, false, `"code":"not_found"`},
		{"JSON and HTML alike", http.MethodGet, "/no/such/page", "application/json, text/html", 404, false, `"code":"not_found"`},
		{"HTML refused", http.MethodGet, "/no/such/page", "text/html;q=0, */*", 404, false, `"code":"not_found"`},
		{"a POST from a browser form", http.MethodPost, "/v1/logout", browser, 401, false, `"code":"unauthorized"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var header []string
			if tt.accept != "" {
				header = []string{"Accept", tt.accept}
			}
			r := e.call(t, tt.method, tt.path, "", nil, header...)
			ct := r.header.Get("Content-Type")
			if r.status != tt.status || strings.HasPrefix(ct, "text/html") != tt.html || !strings.Contains(string(r.body), tt.want) {
				t.Fatalf("%s %s (Accept %q) = %d %s %q, want %d, HTML %v, containing %q", tt.method, tt.path, tt.accept, r.status, ct, r.body, tt.status, tt.html, tt.want)
			}
			if !tt.html {
				return
			}
			csp := r.header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors 'none'") || r.header.Get("X-Frame-Options") != "DENY" {
				t.Errorf("error page headers: CSP %q, XFO %q", csp, r.header.Get("X-Frame-Options"))
			}
			if !strings.Contains(r.header.Get("Vary"), "Accept") {
				t.Error("the error page does not say it varies by Accept")
			}
			body := string(r.body)
			if !strings.Contains(body, `href="/assets/app.css`) || !strings.Contains(body, `class="doc-page"`) || !strings.Contains(body, `href="/"`) {
				t.Errorf("the error page is not in the site's style with a way back:\n%s", body)
			}
			checkNoInlineScript(t, r.body)
		})
	}
	// What a person typed in the path is never echoed unescaped.
	r := e.call(t, http.MethodGet, "/%3Cscript%3Ealert(1)%3C/script%3E", "", nil, "Accept", browser)
	if strings.Contains(string(r.body), "<script>alert") {
		t.Errorf("the error page echoes the path unescaped:\n%s", r.body)
	}
}
