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
	} `json:"error"`
}

// writeError answers with the error body of code c and msg, at c's status.
func writeError(w http.ResponseWriter, r *http.Request, c code, msg string) {
	var b errorBody
	b.Error.Code, b.Error.Message = c, msg
	encode(w, r, httpStatus[c], b)
}
