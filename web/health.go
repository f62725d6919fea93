package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// handleHealthz answers while the process is alive.
func handleHealthz() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		encode(w, r, http.StatusOK, map[string]string{"status": "ok"})
	}
}

// handleReadyz answers 200 when ready reports no error, 503 otherwise. The
// reason is logged, not shown: it may name internals.
func handleReadyz(logger *slog.Logger, ready func(context.Context) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := ready(ctx); err != nil {
			logger.WarnContext(ctx, "not ready", "err", err)
			encode(w, r, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
			return
		}
		encode(w, r, http.StatusOK, map[string]string{"status": "ready"})
	}
}
