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
	if wantsHTML(r) && writeErrorPage(w, r, status, c) {
		return
	}
	var b errorBody
	b.Error.Code, b.Error.Message, b.Error.Reason = c, msg, why
	encode(w, r, status, b)
}

// errorPageWords are an error page's words in one language: a heading and
// a sentence for people by status (the API's message is for developers,
// and English), and the way back. Only a status a retry can cure asks for
// one.
type errorPageWords struct {
	heading, message map[int]string
	back             string
}

var errorWords = map[string]errorPageWords{
	"en": {
		heading: map[int]string{
			http.StatusBadRequest:          "That request could not be understood",
			http.StatusUnauthorized:        "Please sign in",
			http.StatusForbidden:           "Not allowed",
			http.StatusNotFound:            "Not found",
			http.StatusConflict:            "That changed meanwhile",
			http.StatusTooManyRequests:     "Too many requests",
			http.StatusServiceUnavailable:  "Unavailable for a moment",
			http.StatusInternalServerError: "Something went wrong",
		},
		message: map[int]string{
			http.StatusBadRequest:          "This site cannot read that address. Check it, or go back to the start page.",
			http.StatusUnauthorized:        "This page needs you to be signed in.",
			http.StatusForbidden:           "You may not open this page.",
			http.StatusNotFound:            "There is no page at this address.",
			http.StatusConflict:            "What this page shows changed meanwhile. Go back and open it again.",
			http.StatusTooManyRequests:     "Please wait a moment, then try again.",
			http.StatusServiceUnavailable:  "Please try again in a moment.",
			http.StatusInternalServerError: "Please try again. If it keeps happening, contact support.",
		},
		back: "Back to the start page",
	},
	"ko": {
		heading: map[int]string{
			http.StatusBadRequest:          "요청을 처리할 수 없습니다",
			http.StatusUnauthorized:        "로그인해 주세요",
			http.StatusForbidden:           "허용되지 않습니다",
			http.StatusNotFound:            "페이지를 찾을 수 없습니다",
			http.StatusConflict:            "그 사이에 변경되었습니다",
			http.StatusTooManyRequests:     "요청이 너무 많습니다",
			http.StatusServiceUnavailable:  "잠시 이용할 수 없습니다",
			http.StatusInternalServerError: "문제가 발생했습니다",
		},
		message: map[int]string{
			http.StatusBadRequest:          "이 주소를 읽을 수 없습니다. 주소를 확인하거나 시작 페이지로 돌아가 주세요.",
			http.StatusUnauthorized:        "이 페이지는 로그인이 필요합니다.",
			http.StatusForbidden:           "이 페이지를 열 권한이 없습니다.",
			http.StatusNotFound:            "이 주소에는 페이지가 없습니다.",
			http.StatusConflict:            "그 사이에 내용이 바뀌었습니다. 돌아가서 다시 열어 주세요.",
			http.StatusTooManyRequests:     "잠시 기다린 후 다시 시도해 주세요.",
			http.StatusServiceUnavailable:  "잠시 후 다시 시도해 주세요.",
			http.StatusInternalServerError: "다시 시도해 주세요. 계속 발생하면 고객지원에 문의해 주세요.",
		},
		back: "시작 페이지로 돌아가기",
	},
	"es": {
		heading: map[int]string{
			http.StatusBadRequest:          "No se pudo entender la solicitud",
			http.StatusUnauthorized:        "Inicie sesión",
			http.StatusForbidden:           "No permitido",
			http.StatusNotFound:            "No encontrado",
			http.StatusConflict:            "Algo cambió mientras tanto",
			http.StatusTooManyRequests:     "Demasiadas solicitudes",
			http.StatusServiceUnavailable:  "No disponible por un momento",
			http.StatusInternalServerError: "Algo salió mal",
		},
		message: map[int]string{
			http.StatusBadRequest:          "Este sitio no puede leer esa dirección. Revísela o vuelva a la página de inicio.",
			http.StatusUnauthorized:        "Esta página requiere que inicie sesión.",
			http.StatusForbidden:           "No puede abrir esta página.",
			http.StatusNotFound:            "No hay ninguna página en esta dirección.",
			http.StatusConflict:            "Lo que muestra esta página cambió mientras tanto. Vuelva atrás y ábrala de nuevo.",
			http.StatusTooManyRequests:     "Espere un momento y vuelva a intentarlo.",
			http.StatusServiceUnavailable:  "Vuelva a intentarlo en un momento.",
			http.StatusInternalServerError: "Vuelva a intentarlo. Si sigue ocurriendo, contacte con soporte.",
		},
		back: "Volver a la página de inicio",
	},
	"ru": {
		heading: map[int]string{
			http.StatusBadRequest:          "Не удалось понять запрос",
			http.StatusUnauthorized:        "Войдите в систему",
			http.StatusForbidden:           "Нет доступа",
			http.StatusNotFound:            "Страница не найдена",
			http.StatusConflict:            "Тем временем что-то изменилось",
			http.StatusTooManyRequests:     "Слишком много запросов",
			http.StatusServiceUnavailable:  "Временно недоступно",
			http.StatusInternalServerError: "Что-то пошло не так",
		},
		message: map[int]string{
			http.StatusBadRequest:          "Сайт не может прочитать этот адрес. Проверьте его или вернитесь на начальную страницу.",
			http.StatusUnauthorized:        "Для этой страницы нужно войти.",
			http.StatusForbidden:           "У вас нет доступа к этой странице.",
			http.StatusNotFound:            "По этому адресу нет страницы.",
			http.StatusConflict:            "То, что показывает страница, изменилось. Вернитесь и откройте её снова.",
			http.StatusTooManyRequests:     "Подождите немного и попробуйте снова.",
			http.StatusServiceUnavailable:  "Попробуйте ещё раз через минуту.",
			http.StatusInternalServerError: "Попробуйте ещё раз. Если ошибка повторится, обратитесь в поддержку.",
		},
		back: "Вернуться на начальную страницу",
	},
}

// writeErrorPage renders the error page, in the reader's language
// (Accept-Language), with the pages' security headers. It reports false,
// having written nothing, if the page could not be rendered, so the caller
// answers JSON instead.
func writeErrorPage(w http.ResponseWriter, r *http.Request, status int, c code) bool {
	return writeErrorPageIn(w, r, requestLocale(r), status, c)
}

// writeErrorPageIn is writeErrorPage in language lang (one of pageLocales).
func writeErrorPageIn(w http.ResponseWriter, r *http.Request, lang string, status int, c code) bool {
	words, ok := errorWords[lang]
	if !ok {
		lang, words = "en", errorWords["en"]
	}
	heading, msg := words.heading[status], words.message[status]
	if heading == "" {
		heading, msg = http.StatusText(status), ""
	}
	data := pageData{Lang: lang, Title: heading + " · Maru Market", Asset: assetVersion, Data: struct {
		Status                 string
		Code                   code
		Heading, Message, Back string
	}{strconv.Itoa(status), c, heading, msg, words.back}}
	var buf bytes.Buffer
	if err := pageTemplates.ExecuteTemplate(&buf, "error.html", data); err != nil {
		return false
	}
	securityHeaders("'none'")(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Vary", "Accept, Accept-Language")
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
