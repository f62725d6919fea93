package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"time"

	"github.com/csagent/csagent/retrieval"
	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
)

// Policy pages: the platform's policy documents as simple HTML, one anchor
// per heading, so a citation in a reply ("[refunds §Refund window]") links
// to the passage it rests on. Policies are public platform text.

var (
	docIDPattern  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
	localePattern = regexp.MustCompile(`^[a-z]{2}$`)
)

// policyDoc is a policy document as its page shows it.
type policyDoc struct {
	DocID     string
	Locale    string
	Title     string
	Version   int
	Effective time.Time
	Body      template.HTML
	Headings  []heading
	Words     map[string]string
}

// errNoPolicy is a document not in force in that locale.
var errNoPolicy = errors.New("no such policy document")

// policy returns the version in force of document docID in locale.
func (st store) policy(ctx context.Context, docID, locale string) (policyDoc, string, error) {
	d := policyDoc{DocID: docID, Locale: locale}
	var body string
	err := st.db.QueryRow(ctx, `SELECT title, version, effective_at, body FROM policy_documents
		WHERE doc_id = $1 AND locale = $2 AND retired_at IS NULL ORDER BY version DESC LIMIT 1`,
		docID, locale).Scan(&d.Title, &d.Version, &d.Effective, &body)
	if errors.Is(err, pgx.ErrNoRows) {
		return policyDoc{}, "", errNoPolicy
	}
	if err != nil {
		return policyDoc{}, "", fmt.Errorf("load policy %s/%s: %w", docID, locale, err)
	}
	return d, body, nil
}

// citations resolves policy document ids to links to their pages in
// locale (English where the document has no translation); documents not in
// force are left out.
func (st store) citations(ctx context.Context, docIDs []string, locale string) []draftCitation {
	out := []draftCitation{}
	if len(docIDs) == 0 {
		return out
	}
	rows, err := st.db.Query(ctx, `SELECT DISTINCT ON (doc_id) doc_id, locale, title FROM policy_documents
		WHERE doc_id = ANY($1) AND locale IN ($2, 'en') AND retired_at IS NULL
		ORDER BY doc_id, (locale = $2) DESC, version DESC`, docIDs, locale)
	if err != nil {
		return out
	}
	found := map[string]draftCitation{}
	for rows.Next() {
		var c draftCitation
		var loc string
		if rows.Scan(&c.DocID, &loc, &c.Title) == nil {
			c.URL = retrieval.PageURL(c.DocID, loc, "")
			found[c.DocID] = c
		}
	}
	rows.Close()
	for _, id := range docIDs {
		if c, ok := found[id]; ok {
			out = append(out, c)
		}
	}
	return out
}

// policyWords are the page's own words around a document, by language.
var policyWords = map[string]map[string]string{
	"en": {"policies": "Maru Market policies", "version": "Version", "effective": "In effect since", "contents": "Contents"},
	"ko": {"policies": "마루 마켓 정책", "version": "버전", "effective": "시행일", "contents": "목차"},
	"es": {"policies": "Políticas de Maru Market", "version": "Versión", "effective": "Vigente desde", "contents": "Contenido"},
	"ru": {"policies": "Правила Maru Market", "version": "Версия", "effective": "Действует с", "contents": "Содержание"},
}

// handlePolicy renders GET /policies/{doc}/{locale}. A document without a
// translation in locale redirects to its English version.
func handlePolicy(logger *slog.Logger, st store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		docID, locale := chi.URLParam(r, "doc"), chi.URLParam(r, "locale")
		// A citation link names the reader's language; another address
		// gets the browser's.
		notFound := func() {
			lang := requestLocale(r)
			if slices.Contains(pageLocales, locale) {
				lang = locale
			}
			if !writeErrorPageIn(w, r, lang, http.StatusNotFound, codeNotFound) {
				writeError(w, r, codeNotFound, "no such policy")
			}
		}
		if !docIDPattern.MatchString(docID) || !localePattern.MatchString(locale) {
			notFound()
			return
		}
		d, body, err := st.policy(r.Context(), docID, locale)
		if errors.Is(err, errNoPolicy) && locale != "en" {
			if _, _, err := st.policy(r.Context(), docID, "en"); err == nil {
				http.Redirect(w, r, "/policies/"+docID+"/en", http.StatusFound)
				return
			}
		}
		if errors.Is(err, errNoPolicy) {
			notFound()
			return
		}
		if err != nil {
			logger.ErrorContext(r.Context(), "load policy", "err", err)
			writeError(w, r, codeUnavailable, "the policy could not be loaded; please retry")
			return
		}
		d.Body, d.Headings = renderPolicy(body)
		// The document's own title heading is the page's title; the
		// contents list its sections.
		var sections []heading
		for _, h := range d.Headings {
			if h.Level == 2 {
				sections = append(sections, h)
			}
		}
		d.Headings = sections
		d.Words = policyWords[locale]
		if d.Words == nil {
			d.Words = policyWords["en"]
		}
		renderPage(w, r, logger, http.StatusOK, "policy.html", pageData{Lang: locale, Title: d.Title, Data: d})
	})
}
