package web_test

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/web"
)

// Every page sends a strict Content-Security-Policy and framing rules,
// and no page carries inline script or inline event handlers (the policy
// would block them anyway).
func TestPagesSecurityHeaders(t *testing.T) {
	t.Parallel()
	e := newEnvOpts(t, envOptions{policies: true, web: func(o *web.Options) {
		o.FrameAncestors = []string{"https://shop.example", "bad value; script-src *"}
		o.Dev = true
	}})
	tests := []struct {
		path, ancestors, xfo string
	}{
		{"/chat", "frame-ancestors 'self' https://shop.example", ""},
		{"/seller", "frame-ancestors 'none'", "DENY"},
		{"/policies/refunds/en", "frame-ancestors 'none'", "DENY"},
		{"/", "frame-ancestors 'none'", "DENY"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := e.call(t, http.MethodGet, tt.path, "", nil)
			csp := r.header.Get("Content-Security-Policy")
			if r.status != http.StatusOK {
				t.Fatalf("GET %s = %d", tt.path, r.status)
			}
			for _, want := range []string{"default-src 'none'", "script-src 'self';", "base-uri 'none'", tt.ancestors} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "script-src *") {
				t.Errorf("CSP %q is not strict", csp)
			}
			if got := r.header.Get("X-Frame-Options"); got != tt.xfo {
				t.Errorf("X-Frame-Options = %q, want %q", got, tt.xfo)
			}
			if r.header.Get("X-Content-Type-Options") != "nosniff" {
				t.Error("no nosniff")
			}
			checkNoInlineScript(t, r.body)
		})
	}
	// Without configured shops the widget may be framed by its own origin.
	plain := newEnv(t)
	r := plain.call(t, http.MethodGet, "/chat", "", nil)
	if !strings.Contains(r.header.Get("Content-Security-Policy"), "frame-ancestors 'self'") || r.header.Get("X-Frame-Options") != "SAMEORIGIN" {
		t.Errorf("default /chat framing: CSP %q, XFO %q", r.header.Get("Content-Security-Policy"), r.header.Get("X-Frame-Options"))
	}
}

func checkNoInlineScript(t *testing.T, page []byte) {
	t.Helper()
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			hasSrc := false
			for _, a := range tok.Attr {
				if strings.HasPrefix(a.Key, "on") {
					t.Errorf("<%s> has an inline handler %s", tok.Data, a.Key)
				}
				if a.Key == "src" {
					hasSrc = true
				}
				if strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:") {
					t.Errorf("<%s %s> is a javascript: URL", tok.Data, a.Key)
				}
			}
			if tok.Data == "script" && !hasSrc {
				t.Errorf("inline <script> in the page")
			}
		}
	}
}

// A policy document renders as HTML with an anchor per heading, and
// whatever the document holds is escaped: no script, no javascript: link.
func TestPolicyPage(t *testing.T) {
	t.Parallel()
	e := newEnvOpts(t, envOptions{policies: true})
	r := e.call(t, http.MethodGet, "/policies/refunds/en", "", nil)
	page := string(r.body)
	if r.status != http.StatusOK || !strings.Contains(page, `<h2 id="refund-window">Refund window`) || !strings.Contains(page, `href="#refund-window"`) {
		t.Fatalf("refunds policy page = %d, want the Refund window section with its anchor:\n%.2000s", r.status, page)
	}
	if r := e.call(t, http.MethodGet, "/policies/refunds/ko", "", nil); r.status != http.StatusOK || !strings.Contains(string(r.body), `lang="ko"`) {
		t.Errorf("Korean refunds policy = %d", r.status)
	}

	if _, err := e.pool.Exec(t.Context(), `INSERT INTO policy_documents (doc_id, locale, version, title, audience, effective_at, body, content_hash)
		VALUES ('evil', 'en', 1, '<script>alert(1)</script>', 'buyer', '2026-01-01', $1, 'x')`,
		"# Evil <img src=x onerror=alert(1)>\n\n## Steal\n\n<script>alert(2)</script> [click](javascript:alert(3)) **bold** [ok](https://example.com)\n\n| a | <b>b</b> |\n|---|---|\n| 1 | 2 |"); err != nil {
		t.Fatal(err)
	}
	r = e.call(t, http.MethodGet, "/policies/evil/en", "", nil)
	page = string(r.body)
	if r.status != http.StatusOK {
		t.Fatalf("evil policy = %d", r.status)
	}
	for _, bad := range []string{"<script>alert", "<img", "javascript:", "<b>b</b>"} {
		if strings.Contains(page, bad) {
			t.Errorf("policy page contains %q unescaped", bad)
		}
	}
	for _, good := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "<strong>bold</strong>", `<a href="https://example.com">ok</a>`, `<h2 id="steal">`} {
		if !strings.Contains(page, good) {
			t.Errorf("policy page lacks %q", good)
		}
	}
	checkNoInlineScript(t, r.body)

	for path, want := range map[string]int{
		"/policies/refunds/xx":       http.StatusFound, // no such translation: English
		"/policies/refunds/x1":       http.StatusNotFound,
		"/policies/nope/en":          http.StatusNotFound,
		"/policies/REFUNDS/en":       http.StatusNotFound,
		"/policies/..%2Fetc%2Fx/en":  http.StatusNotFound,
		"/policies/refunds/english":  http.StatusNotFound,
		"/policies/evil/ko":          http.StatusFound, // only in English: redirected there
		"/policies/refunds/en?x=<a>": http.StatusOK,
	} {
		if r := e.call(t, http.MethodGet, path, "", nil); r.status != want {
			t.Errorf("GET %s = %d, want %d", path, r.status, want)
		}
	}
}

// The dev login exists only in dev mode: it lists the demo people and
// mints a token in the URL fragment of the person's page.
func TestDevLogin(t *testing.T) {
	t.Parallel()
	prod := newEnv(t)
	if r := prod.call(t, http.MethodGet, "/dev/login/buyer/buyer-001", "", nil); r.status != http.StatusNotFound {
		t.Errorf("dev login outside dev mode = %d, want 404", r.status)
	}
	if r := prod.call(t, http.MethodGet, "/", "", nil); strings.Contains(string(r.body), "/dev/login") {
		t.Error("the root page offers the dev login outside dev mode")
	}

	e := newEnvOpts(t, envOptions{web: func(o *web.Options) { o.Dev = true }})
	r := e.call(t, http.MethodGet, "/", "", nil)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `href="/dev/login/seller/seller-maple"`) || !strings.Contains(string(r.body), `href="/dev/login/buyer/buyer-050"`) ||
		!strings.Contains(string(r.body), `href="/dev/login/support/support-1"`) {
		t.Fatalf("dev login page = %d, want links for every demo person", r.status)
	}
	for _, tt := range []struct {
		path, page string
		role       tools.Role
	}{
		{"/dev/login/buyer/buyer-001", "/chat", tools.RoleBuyer},
		{"/dev/login/seller/seller-taiga", "/seller", tools.RoleSeller},
		{"/dev/login/support/support-1", "/seller", tools.RoleSupport},
	} {
		r := e.call(t, http.MethodGet, tt.path, "", nil)
		loc := r.header.Get("Location")
		tok, ok := strings.CutPrefix(loc, tt.page+"#access_token=")
		if r.status != http.StatusSeeOther || !ok {
			t.Fatalf("GET %s = %d to %q", tt.path, r.status, loc)
		}
		id, err := e.auth.Verify(tok)
		if err != nil || id.Role != tt.role {
			t.Errorf("minted token %v, %v; want a %s's", id, err, tt.role)
		}
	}
	for _, path := range []string{"/dev/login/buyer/buyer-999", "/dev/login/admin/root", "/dev/login/seller/buyer-001", "/dev/login/support/seller-maple"} {
		if r := e.call(t, http.MethodGet, path, "", nil); r.status != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, r.status)
		}
	}
}

// The embedded assets are served with their types and revalidate by ETag.
func TestAssets(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for path, typ := range map[string]string{
		"/assets/chat.js":     "text/javascript",
		"/assets/seller.js":   "text/javascript",
		"/assets/common.js":   "text/javascript",
		"/assets/i18n.js":     "text/javascript",
		"/assets/app.css":     "text/css",
		"/assets/favicon.svg": "image/svg+xml",
	} {
		r := e.call(t, http.MethodGet, path, "", nil)
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), typ) || r.header.Get("ETag") == "" {
			t.Errorf("GET %s = %d %q", path, r.status, r.header.Get("Content-Type"))
			continue
		}
		if again := e.call(t, http.MethodGet, path, "", nil, "If-None-Match", r.header.Get("ETag")); again.status != http.StatusNotModified {
			t.Errorf("GET %s with its ETag = %d, want 304", path, again.status)
		}
	}
	for _, path := range []string{"/assets/nope.js", "/assets/../server.go", "/assets/"} {
		if r := e.call(t, http.MethodGet, path, "", nil); r.status != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, r.status)
		}
	}
}

// Every language of the pages has every word English has.
func TestPageWordsInEveryLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	src := string(e.call(t, http.MethodGet, "/assets/i18n.js", "", nil).body)
	blocks := regexp.MustCompile(`(?m)^  (en|ko|es|ru): \{$`).FindAllStringSubmatchIndex(src, -1)
	if len(blocks) != 4 {
		t.Fatalf("found %d language blocks in i18n.js, want 4", len(blocks))
	}
	keyRE := regexp.MustCompile(`(?m)(?:^\s+|, )([a-z][a-z0-9_]*): "`)
	keys := map[string]map[string]bool{}
	for i, b := range blocks {
		end := len(src)
		if i+1 < len(blocks) {
			end = blocks[i+1][0]
		}
		lang := src[b[2]:b[3]]
		keys[lang] = map[string]bool{}
		for _, m := range keyRE.FindAllStringSubmatch(src[b[1]:end], -1) {
			keys[lang][m[1]] = true
		}
	}
	if len(keys["en"]) < 100 {
		t.Fatalf("found only %d English words", len(keys["en"]))
	}
	for _, lang := range []string{"ko", "es", "ru"} {
		for k := range keys["en"] {
			if !keys[lang][k] {
				t.Errorf("%s lacks %q", lang, k)
			}
		}
	}
}

// /v1/me tells a page who signed in.
func TestMe(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var me struct {
		Role, ID, Name, Locale string
		ShopName               string `json:"shop_name"`
	}
	e.call(t, http.MethodGet, "/v1/me", e.sellerToken(t, "seller-hangang"), nil).json(t, &me)
	if me.Role != "seller" || me.Locale != "ko" || me.ShopName == "" || me.Name == "" {
		t.Errorf("seller /v1/me = %+v", me)
	}
	e.call(t, http.MethodGet, "/v1/me", e.buyerToken(t, "buyer-002"), nil).json(t, &me)
	if me.Role != "buyer" || me.ID != "buyer-002" || me.Locale != "ko" {
		t.Errorf("buyer /v1/me = %+v", me)
	}
	if r := e.call(t, http.MethodGet, "/v1/me", "", nil); r.status != http.StatusUnauthorized {
		t.Errorf("anonymous /v1/me = %d", r.status)
	}
}
