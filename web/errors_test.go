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

// An error page speaks the reader's language: the browser's
// (Accept-Language), or on a policy link, the language the link names, as
// the chat's citations do. It offers a retry only where one can help.
func TestErrorPageInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	tests := []struct {
		name, path, acceptLanguage, lang string
		want                             []string
	}{
		{"an unknown address, Korean browser", "/no/such/page", "ko-KR,ko;q=0.9", "ko", []string{"페이지를 찾을 수 없습니다", "이 주소에는 페이지가 없습니다.", "시작 페이지로 돌아가기"}},
		{"an unknown address, Spanish browser", "/no/such/page", "es-MX,es;q=0.9", "es", []string{"No encontrado", "No hay ninguna página en esta dirección.", "Volver a la página de inicio"}},
		{"an API route without a token, Russian browser", "/v1/me", "ru", "ru", []string{"Войдите в систему", "Для этой страницы нужно войти."}},
		{"a missing policy in Korean, English browser", "/policies/withdrawn/ko", "en-US", "ko", []string{"페이지를 찾을 수 없습니다", "시작 페이지로 돌아가기"}},
		{"a missing policy in Russian, no language said", "/policies/withdrawn/ru", "", "ru", []string{"Страница не найдена"}},
		{"an unreadable address, Spanish browser", "/policies/refunds%00/es", "es", "es", []string{"No se pudo entender la solicitud", "Revísela"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := []string{"Accept", browser}
			if tt.acceptLanguage != "" {
				header = append(header, "Accept-Language", tt.acceptLanguage)
			}
			r := e.call(t, http.MethodGet, tt.path, "", nil, header...)
			body := string(r.body)
			if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(body, `<html lang="`+tt.lang+`"`) {
				t.Fatalf("GET %s (Accept-Language %q) = %d %s, want a page in %s", tt.path, tt.acceptLanguage, r.status, body, tt.lang)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("GET %s (Accept-Language %q): the page lacks %q:\n%s", tt.path, tt.acceptLanguage, w, body)
				}
			}
			for _, english := range []string{"Not found", "Please sign in", "Back to the start page", "There is no"} {
				if strings.Contains(body, english) {
					t.Errorf("GET %s (Accept-Language %q): the page says %q in English", tt.path, tt.acceptLanguage, english)
				}
			}
			if strings.Contains(body, "try again") || strings.Contains(body, "다시 시도") || strings.Contains(body, "intentarlo") || strings.Contains(body, "попробуйте") {
				t.Errorf("GET %s: the page asks for a retry that cannot help:\n%s", tt.path, body)
			}
		})
	}
}
