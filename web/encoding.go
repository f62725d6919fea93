package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/csagent/csagent/agent"
)

// maxBodyBytes bounds a JSON request body unless a handler says otherwise.
const maxBodyBytes = 16 << 10

// maxMessageBodyBytes bounds the body of a request carrying a message:
// agent.MaxMessageChars characters of up to 4 bytes each, or 12 as a
// JSON escape pair, and the rest of the object.
const maxMessageBodyBytes = 64 << 10

// encode writes v as a JSON response with status.
func encode(w http.ResponseWriter, _ *http.Request, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v) //nolint:errcheck // the client went away; nothing to do
}

// requestError is a request refused before it was processed, with the code
// and message the client sees and the limit it hit, if any.
type requestError struct {
	code   code
	msg    string
	limit  string
	reason reason
}

func (e *requestError) Error() string { return string(e.code) + ": " + e.msg }

// decode reads one JSON object of at most limit bytes (maxBodyBytes when
// limit is 0) from r's body into a T. Unknown fields, trailing data, another
// content type, an oversized body, bytes that are not UTF-8 and strings
// holding a NUL character are refused with a *requestError. The last two
// would otherwise be stored as U+FFFD or fail in Postgres (which cannot
// store NUL) and be answered as unavailable, inviting a retry that fails
// again; the websocket refuses the same frames (decodeFrame).
func decode[T any](w http.ResponseWriter, r *http.Request, limit int64) (T, error) {
	var v T
	if limit <= 0 {
		limit = maxBodyBytes
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return v, &requestError{code: codeInvalid, msg: "the body must be JSON (Content-Type: application/json)"}
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return v, decodeError(err, limit)
	}
	if !utf8.Valid(body) {
		return v, &requestError{code: codeInvalid, msg: "the body must be valid UTF-8"}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return v, decodeError(err, limit)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return v, &requestError{code: codeInvalid, msg: "the body must be a single JSON object"}
	}
	if holdsNUL(body) {
		return v, &requestError{code: codeInvalid, msg: "the body must be text: no string may hold a NUL character (\\u0000)", reason: reasonNotText}
	}
	return v, nil
}

// holdsNUL reports whether a JSON document has a string holding U+0000.
// JSON can only write it as the escape \u0000 (a raw control byte in a
// string is malformed), so it looks for that escape not itself preceded by
// an escaped backslash.
func holdsNUL(doc []byte) bool {
	for i := 0; ; {
		j := bytes.Index(doc[i:], []byte(`\u0000`))
		if j < 0 {
			return false
		}
		j += i
		backslashes := 0
		for k := j - 1; k >= 0 && doc[k] == '\\'; k-- {
			backslashes++
		}
		if backslashes%2 == 0 {
			return true
		}
		i = j + 1
	}
}

func decodeError(err error, limit int64) *requestError {
	var tooLarge *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &tooLarge):
		return &requestError{code: codeInvalid, msg: fmt.Sprintf("the body is too large (at most %d bytes)", limit), limit: limitBodySize}
	case errors.Is(err, io.EOF):
		return &requestError{code: codeInvalid, msg: "the body is empty; send a JSON object"}
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return &requestError{code: codeInvalid, msg: "the body must be a JSON object"}
		}
		return &requestError{code: codeInvalid, msg: fmt.Sprintf("field %q has the wrong type", typeErr.Field)}
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		return &requestError{code: codeInvalid, msg: "the body is not valid JSON"}
	}
	// json reports unknown fields as `json: unknown field "x"`.
	return &requestError{code: codeInvalid, msg: "the body was not accepted: " + trimJSONPrefix(err.Error())}
}

func trimJSONPrefix(s string) string {
	const p = "json: "
	if len(s) > len(p) && s[:len(p)] == p {
		s = s[len(p):]
	}
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// fail answers a request that failed with err: a *requestError as it says
// (counting the limit it hit), anything else as unavailable, its detail
// logged, never shown.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var re *requestError
	if errors.As(err, &re) {
		if re.limit != "" {
			s.metrics.limited.WithLabelValues(re.limit).Inc()
		}
		writeErrorReason(w, r, re.code, re.reason, re.msg)
		return
	}
	s.logger.ErrorContext(r.Context(), "request failed", "route", routePattern(r), "err", err)
	writeError(w, r, codeUnavailable, "the service could not answer; please retry")
}

// refuse returns a *requestError with code c and a formatted message.
func refuse(c code, format string, args ...any) error {
	return &requestError{code: c, msg: fmt.Sprintf(format, args...)}
}

// messageText is the text of a message sent over HTTP, trimmed, or the
// refusal to show when it is empty, too long or not text a person wrote.
func messageText(raw string) (string, error) {
	text := strings.TrimSpace(raw)
	switch {
	case text == "":
		return "", &requestError{code: codeInvalid, msg: "text must not be empty", reason: reasonEmpty}
	case !agent.MessageLengthOK(text):
		return "", &requestError{code: codeInvalid, msg: fmt.Sprintf("text must have at most %d characters", agent.MaxMessageChars), reason: reasonTooLong}
	case !printable(text):
		return "", &requestError{code: codeInvalid, msg: "text must be text, without control characters", reason: reasonNotText}
	}
	return text, nil
}

// textURL refuses a request whose path or query holds bytes that are not
// UTF-8 or control characters: no route takes them, and passed on they
// reach Postgres as ids and filters, which cannot store NUL and refuse
// invalid UTF-8, so the request would fail as unavailable and invite a retry
// that fails again. It is one wall for every route, present and future.
func textURL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok := urlText(r.URL.Path)
		if ok && r.URL.RawQuery != "" {
			// A malformed pair is left out here as by r.URL.Query, which
			// is what the handlers read.
			q, _ := url.ParseQuery(r.URL.RawQuery)
			for k, vs := range q {
				ok = ok && urlText(k)
				for _, v := range vs {
					ok = ok && urlText(v)
				}
			}
		}
		if !ok {
			writeError(w, r, codeInvalid, "the address must be text: valid UTF-8 without control characters")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// urlText reports whether s, a decoded path or query part, is UTF-8 without
// control characters.
func urlText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}
