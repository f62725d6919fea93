package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/csagent/csagent/tools"
)

// routes lists every route the server answers.
func (s *Server) routes(o Options) http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID)
	r.Use(middleware.Recoverer)

	r.Get("/healthz", handleHealthz())
	r.Get("/readyz", handleReadyz(s.logger, o.Ready))
	r.Method(http.MethodGet, "/metrics", promhttp.HandlerFor(o.Registry, promhttp.HandlerOpts{}))

	r.With(authenticate(o.Auth, o.Directory, tools.RoleBuyer)).
		Method(http.MethodGet, "/v1/chat/ws", s.handleChat(o))

	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, codeNotFound, "no such endpoint")
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, codeInvalid, "method not allowed here")
	})
	return r
}
