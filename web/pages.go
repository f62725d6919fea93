package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"strings"

	"golang.org/x/text/language"
)

// The pages: server-rendered HTML shells (html/template, so everything is
// escaped) that load plain ES modules from /assets. Nothing is built: the
// files in templates/ and assets/ are embedded as they are.

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed assets
var assetFiles embed.FS

// pageTemplates parses every page with the shared layout.
var pageTemplates = template.Must(template.New("").ParseFS(templateFiles, "templates/*.html"))

// pageLocales are the languages of the pages' words.
var pageLocales = []string{"en", "ko", "es", "ru"}

var pageMatcher = language.NewMatcher([]language.Tag{language.English, language.Korean, language.Spanish, language.Russian})

// requestLocale picks the page language from Accept-Language, until the
// signed-in person's own locale takes over in the browser.
func requestLocale(r *http.Request) string {
	tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	_, i, _ := pageMatcher.Match(tags...)
	return pageLocales[i]
}

// pageData is what every page template sees.
type pageData struct {
	Lang  string
	Title string
	Dev   bool
	// Asset is the version query of the asset URLs.
	Asset string
	Data  any
}

// securityHeaders sets the headers every page carries: a strict Content
// Security Policy (scripts and styles from this origin only, no inline
// script), who may frame the page, and no sniffing or referrers. ancestors
// is the CSP frame-ancestors source list; "'none'" also sends
// X-Frame-Options DENY, "'self'" SAMEORIGIN, and a list of shops' origins
// relies on CSP alone, which every current browser honours.
func securityHeaders(ancestors string) func(http.Handler) http.Handler {
	csp := "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
		"font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors " + ancestors
	xfo := ""
	switch ancestors {
	case "'none'":
		xfo = "DENY"
	case "'self'":
		xfo = "SAMEORIGIN"
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Security-Policy", csp)
			if xfo != "" {
				h.Set("X-Frame-Options", xfo)
			}
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
			next.ServeHTTP(w, r)
		})
	}
}

// chatAncestors is the frame-ancestors list of the buyer's chat page: the
// server itself and the shops' sites that embed the widget.
func chatAncestors(origins []string) string {
	list := []string{"'self'"}
	for _, o := range origins {
		// Only scheme://host[:port] sources; anything else could widen
		// or break the policy.
		if o = strings.TrimSpace(o); o != "" && !strings.ContainsAny(o, " ;,'\"") {
			list = append(list, o)
		}
	}
	return strings.Join(list, " ")
}

// renderPage writes template name with data, or a plain error if it fails;
// the page is rendered into a buffer first so a failure never sends half a
// page.
func renderPage(w http.ResponseWriter, r *http.Request, logger *slog.Logger, status int, name string, data pageData) {
	data.Asset = assetVersion
	var buf bytes.Buffer
	if err := pageTemplates.ExecuteTemplate(&buf, name, data); err != nil {
		logger.ErrorContext(r.Context(), "render page", "page", name, "err", err)
		http.Error(w, "the page could not be shown", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}

// handlePage serves a page that needs nothing but its shell: the chat and
// the seller panel, which sign in and load everything from the browser.
func handlePage(logger *slog.Logger, name, title string, dev bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		renderPage(w, r, logger, http.StatusOK, name, pageData{Lang: requestLocale(r), Title: title, Dev: dev})
	})
}

// handleIndex is the root: the dev login in dev mode, else a short page
// that says where things are.
func handleIndex(logger *slog.Logger, db querier, dev bool) http.Handler {
	if dev {
		return handleDevLogin(logger, db)
	}
	return handlePage(logger, "index.html", "csagent", false)
}

// assetVersion identifies the embedded assets' content, for the pages'
// asset URLs: a new binary with new assets gets fresh URLs.
var assetVersion = func() string {
	h := sha256.New()
	fs.WalkDir(assetFiles, "assets", func(p string, d fs.DirEntry, err error) error { //nolint:errcheck // embedded: cannot fail
		if err == nil && !d.IsDir() {
			b, _ := assetFiles.ReadFile(p)
			h.Write([]byte(p))
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}()

// handleAssets serves the embedded CSS, JavaScript modules and images with
// an ETag, so browsers revalidate instead of refetching.
func handleAssets() http.Handler {
	type asset struct {
		body []byte
		etag string
		typ  string
	}
	assets := map[string]asset{}
	fs.WalkDir(assetFiles, "assets", func(p string, d fs.DirEntry, err error) error { //nolint:errcheck // embedded: cannot fail
		if err != nil || d.IsDir() {
			return nil
		}
		b, _ := assetFiles.ReadFile(p)
		sum := sha256.Sum256(b)
		typ := mime.TypeByExtension(path.Ext(p))
		if typ == "" {
			typ = "application/octet-stream"
		}
		assets[strings.TrimPrefix(p, "assets/")] = asset{body: b, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, typ: typ}
		return nil
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := assets[strings.TrimPrefix(r.URL.Path, "/assets/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.typ)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("ETag", a.etag)
		h.Set("Cache-Control", "no-cache")
		if r.Header.Get("If-None-Match") == a.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write(a.body) //nolint:errcheck // the client went away
	})
}
