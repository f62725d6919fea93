package web

import (
	"encoding/json"
	"net/http"
)

// code is a stable error code a client sees, in an HTTP error body or an
// error frame. Codes are never renamed; messages may be reworded.
type code string

const (
	codeInvalid      code = "invalid"
	codeNotFound     code = "not_found"
	codeConflict     code = "conflict"
	codeUnauthorized code = "unauthorized"
	codeRateLimited  code = "rate_limited"
	codeUnavailable  code = "unavailable"
	codeInternal     code = "internal"
)

// httpStatus is the one table from codes to HTTP statuses.
var httpStatus = map[code]int{
	codeInvalid:      http.StatusBadRequest,
	codeNotFound:     http.StatusNotFound,
	codeConflict:     http.StatusConflict,
	codeUnauthorized: http.StatusUnauthorized,
	codeRateLimited:  http.StatusTooManyRequests,
	codeUnavailable:  http.StatusServiceUnavailable,
	codeInternal:     http.StatusInternalServerError,
}

type errorBody struct {
	Error struct {
		Code    code   `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func writeError(w http.ResponseWriter, r *http.Request, c code, msg string) {
	var b errorBody
	b.Error.Code, b.Error.Message = c, msg
	encode(w, r, httpStatus[c], b)
}

// encode writes v as a JSON response with status.
func encode(w http.ResponseWriter, _ *http.Request, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v) //nolint:errcheck // the client went away; nothing to do
}
