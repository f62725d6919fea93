package web

import (
	"bytes"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// code is a stable error code a client sees, in an HTTP error body or an
// error frame. Codes are never renamed; messages may be reworded.
type code string

const (
	codeInvalid      code = "invalid"
	codeNotFound     code = "not_found"
	codeConflict     code = "conflict"
	codeUnauthorized code = "unauthorized"
	// codeForbidden refuses a request the caller may not make whoever
	// they are: a browser origin not allowed to open the chat.
	codeForbidden   code = "forbidden"
	codeRateLimited code = "rate_limited"
	codeUnavailable code = "unavailable"
	codeInternal    code = "internal"
	// codeTokenInURL refuses a bearer token sent in a URL (?access_token=),
	// where logs, history and Referer headers would keep it.
	codeTokenInURL code = "token_in_url"
)

// reason refines a code for a client that words its errors itself: the
// chat widget shows each in the buyer's language, and offers to send again
// only when sending again can succeed. Reasons, like codes, are never
// renamed.
type reason string

const (
	// reasonTooLong: the message has more than agent.MaxMessageChars
	// characters; the same text always fails.
	reasonTooLong reason = "too_long"
	// reasonEmpty: the message has no text.
	reasonEmpty reason = "empty"
	// reasonNotText: the message holds control characters.
	reasonNotText reason = "not_text"
	// reasonTooFast: over the buyer's message rate; the same message
	// succeeds after retry_after seconds.
	reasonTooFast reason = "too_fast"
	// reasonBusy: too many of the buyer's messages wait for their reply.
	reasonBusy reason = "busy"
)

// httpStatus is the one table from codes to HTTP statuses.
var httpStatus = map[code]int{
	codeInvalid:      http.StatusBadRequest,
	codeNotFound:     http.StatusNotFound,
	codeConflict:     http.StatusConflict,
	codeUnauthorized: http.StatusUnauthorized,
	codeForbidden:    http.StatusForbidden,
	codeRateLimited:  http.StatusTooManyRequests,
	codeUnavailable:  http.StatusServiceUnavailable,
	codeInternal:     http.StatusInternalServerError,
	codeTokenInURL:   http.StatusBadRequest,
}

type errorBody struct {
	Error struct {
		Code    code   `json:"code"`
		Message string `json:"message"`
		Reason  reason `json:"reason,omitempty"`
	} `json:"error"`
}

// writeError answers with the error body of code c and msg, at c's status:
// JSON for API clients, and a small page in the site's style for a browser
// that navigated here (an unknown URL typed in the address bar, a link to
// an API route), which would otherwise show raw JSON.
func writeError(w http.ResponseWriter, r *http.Request, c code, msg string) {
	writeErrorReason(w, r, c, "", msg)
}

// writeErrorReason is writeError with a reason refining c.
func writeErrorReason(w http.ResponseWriter, r *http.Request, c code, why reason, msg string) {
	status := httpStatus[c]
	if wantsHTML(r) && writeErrorPage(w, r, status, c, msg) {
		return
	}
	var b errorBody
	b.Error.Code, b.Error.Message, b.Error.Reason = c, msg, why
	encode(w, r, status, b)
}

// errorHeadings are the pages' headings by status; the message below says
// the rest.
var errorHeadings = map[int]string{
	http.StatusBadRequest:          "That request could not be understood",
	http.StatusUnauthorized:        "Please sign in",
	http.StatusForbidden:           "Not allowed",
	http.StatusNotFound:            "Not found",
	http.StatusConflict:            "That changed meanwhile",
	http.StatusTooManyRequests:     "Too many requests",
	http.StatusServiceUnavailable:  "Unavailable for a moment",
	http.StatusInternalServerError: "Something went wrong",
}

// writeErrorPage renders the error page with the pages' security headers.
// It reports false, having written nothing, if the page could not be
// rendered, so the caller answers JSON instead.
func writeErrorPage(w http.ResponseWriter, r *http.Request, status int, c code, msg string) bool {
	heading := errorHeadings[status]
	if heading == "" {
		heading = http.StatusText(status)
	}
	if c == codeNotFound && msg == "no such endpoint" {
		msg = "There is no page at this address."
	}
	data := pageData{Lang: requestLocale(r), Title: heading + " · Maru Market", Asset: assetVersion, Data: struct {
		Status           string
		Code             code
		Heading, Message string
	}{strconv.Itoa(status), c, heading, msg}}
	var buf bytes.Buffer
	if err := pageTemplates.ExecuteTemplate(&buf, "error.html", data); err != nil {
		return false
	}
	securityHeaders("'none'")(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Vary", "Accept")
		w.WriteHeader(status)
		w.Write(buf.Bytes()) //nolint:errcheck // the client went away
	})).ServeHTTP(w, r)
	return true
}

// wantsHTML reports whether r is a browser's navigation: a GET or HEAD
// whose Accept names text/html and prefers it to JSON (a tie is an API
// client that listed JSON). curl's */*, fetch's
// default and an explicit application/json get JSON.
func wantsHTML(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	html, json := -1.0, -1.0
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if q, err = strconv.ParseFloat(v, 64); err != nil {
				continue
			}
		}
		switch mt {
		case "text/html":
			html = max(html, q)
		case "application/json":
			json = max(json, q)
		}
	}
	return html > 0 && html > json
}
