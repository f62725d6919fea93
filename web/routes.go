package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/csagent/csagent/tools"
)

// routes lists every route the server answers.
func (s *Server) routes(o Options) http.Handler {
	st := store{db: o.Pool}
	drafter := o.Drafter
	if drafter == nil {
		drafter = TemplateDrafter{}
	}
	authn := authenticator{auth: o.Auth, dir: o.Directory, db: o.Pool}
	buyer := authn.require("", tools.RoleBuyer)
	// The seller panel serves sellers and platform support; what each sees
	// is decided in its queries (web/inbox.go).
	seller := authn.require("", tools.RoleSeller, tools.RoleSupport)
	anyone := authn.require("", tools.RoleBuyer, tools.RoleSeller, tools.RoleSupport)
	// Browsers cannot send headers on these two: they take a ticket.
	buyerChat := authn.require(purposeChat, tools.RoleBuyer)
	sellerEvents := authn.require(purposeEvents, tools.RoleSeller, tools.RoleSupport)
	page := securityHeaders("'none'")
	widget := securityHeaders(chatAncestors(o.FrameAncestors))

	r := chi.NewRouter()
	r.Use(middleware.RequestID)
	r.Use(middleware.Recoverer)
	r.Use(instrument(s.metrics))
	r.Use(textURL)

	// Operations.
	r.Get("/healthz", handleHealthz())
	r.Get("/readyz", handleReadyz(s.logger, o.Ready))
	// /metrics is served on the admin listener (NewAdminHandler), not here.

	// Pages and their assets.
	r.With(page).Method(http.MethodGet, "/", handleIndex(s.logger, o.Pool, o.Dev))
	r.With(widget).Method(http.MethodGet, "/chat", handlePage(s.logger, "chat.html", "Maru Market · Support", o.Dev))
	r.With(page).Method(http.MethodGet, "/seller", handlePage(s.logger, "seller.html", "Maru Market · Reply assist", o.Dev))
	r.With(page).Method(http.MethodGet, "/ops", handlePage(s.logger, "ops.html", "Maru Market · Operations", o.Dev))
	r.With(page).Method(http.MethodGet, "/policies/{doc}/{locale}", handlePolicy(s.logger, st))
	r.Method(http.MethodGet, "/assets/*", handleAssets())
	if o.Dev {
		r.With(page).Method(http.MethodGet, "/dev/login/{role}/{id}", handleDevToken(s.logger, o.Auth, o.Directory))
	}

	// Protocol v1: the websocket chat and its HTTP twin, for buyers.
	r.With(buyerChat).Method(http.MethodGet, "/v1/chat/ws", s.handleChat(o))
	r.With(buyer, s.perPerson(limitConversations)).Method(http.MethodPost, "/v1/conversations", s.handleNewConversation(o.Agent))
	r.With(buyer).Method(http.MethodGet, "/v1/conversations/{id}/messages", s.handleTranscript(o.Agent))
	r.With(buyer).Method(http.MethodPost, "/v1/conversations/{id}/messages", s.handleSendMessage(o.Agent))
	r.With(buyer).Method(http.MethodPost, "/v1/conversations/{id}/confirm", s.handleConfirm(o.Agent))
	r.With(buyer).Method(http.MethodPost, "/v1/conversations/{id}/rating", s.handleRating(o.Agent, o.Pool))
	r.With(anyone).Method(http.MethodGet, "/v1/me", s.handleMe(st, o.Translator))
	r.With(anyone).Method(http.MethodPost, "/v1/tickets", s.handleTicket(o.Pool))
	r.With(anyone).Method(http.MethodPost, "/v1/logout", s.handleLogout(o.Pool))

	// The seller's reply-assist API.
	r.With(seller).Method(http.MethodGet, "/v1/seller/conversations", s.handleInbox(st))
	r.With(seller).Method(http.MethodGet, "/v1/seller/conversations/{id}", s.handleSellerConversation(st, o.Translator))
	r.With(seller, s.perPerson(limitSuggestions)).Method(http.MethodGet, "/v1/seller/conversations/{id}/suggestions", s.handleSuggestions(st, o.Tools, drafter, o.Checker))
	r.With(seller, s.perPerson(limitSellerSends)).Method(http.MethodPost, "/v1/seller/conversations/{id}/messages", s.handleSellerSend(st, o.Agent))
	r.With(seller).Method(http.MethodPost, "/v1/seller/conversations/{id}/takeover", s.handleTakeOver(st))
	r.With(seller).Method(http.MethodPost, "/v1/seller/conversations/{id}/handback", s.handleHandBack(st))
	r.With(seller, s.perPerson(limitSuggestions)).Method(http.MethodPost, "/v1/seller/conversations/{id}/translate", s.handleTranslate(st, o.Translator))
	r.With(sellerEvents).Method(http.MethodGet, "/v1/seller/events", s.handleSellerEvents(st))

	// The operations dashboard and review queue, for platform staff (web/ops.go).
	ops := r.With(anyone, staffOnly)
	ops.Method(http.MethodGet, "/v1/ops/dashboard", s.handleOpsDashboard(o.Pool))
	ops.Method(http.MethodGet, "/v1/ops/conversations", s.handleOpsConversations(o.Pool))
	ops.Method(http.MethodGet, "/v1/ops/conversations/{id}", s.handleOpsConversation(o.Pool))
	ops.Method(http.MethodGet, "/v1/ops/conversations/{id}/eval.yaml", s.handleOpsExport(o.Pool))
	ops.Method(http.MethodPost, "/v1/ops/conversations/{id}/flag", s.handleOpsFlag(o.Pool))
	ops.Method(http.MethodPost, "/v1/ops/conversations/{id}/review", s.handleOpsReview(o.Pool))
	ops.Method(http.MethodGet, "/v1/ops/reviews", s.handleOpsQueue(o.Pool))
	ops.Method(http.MethodPost, "/v1/ops/rollups", s.handleOpsRollups())
	ops.Method(http.MethodGet, "/v1/ops/experiments", s.handleOpsExperiments(o.Pool, o.Experiments))
	ops.Method(http.MethodGet, "/v1/ops/experiments/{name}", s.handleOpsExperiment(o.Pool, o.Experiments))

	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, codeNotFound, "no such endpoint")
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, codeInvalid, "method not allowed here")
	})
	return r
}
