package web

import "net/http"

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

// writeError answers with the error body of code c and msg, at c's status.
func writeError(w http.ResponseWriter, r *http.Request, c code, msg string) {
	writeErrorReason(w, r, c, "", msg)
}

// writeErrorReason is writeError with a reason refining c.
func writeErrorReason(w http.ResponseWriter, r *http.Request, c code, why reason, msg string) {
	var b errorBody
	b.Error.Code, b.Error.Message, b.Error.Reason = c, msg, why
	encode(w, r, httpStatus[c], b)
}
