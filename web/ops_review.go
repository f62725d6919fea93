package web

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"github.com/csagent/csagent/eval"
	"github.com/csagent/csagent/tools"
)

// The review queue: conversations flagged by staff, or queued by the rules
// in migrations/00010_ops.sql (fallback, injection, low rating, handoff, a
// random share); a reviewer labels each, and a reviewed one is saved as an
// eval regression case.

type flagRequest struct {
	Note string `json:"note"`
}

type reviewRequest struct {
	Label          string   `json:"label"`
	Reason         string   `json:"reason"`
	Comment        string   `json:"comment"`
	MustContain    string   `json:"must_contain"`
	MustNotContain string   `json:"must_not_contain"`
	Tools          []string `json:"tools"`
}

var toolName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

func (q reviewRequest) validate() error {
	switch {
	case q.Label != "correct" && q.Label != "incorrect":
		return errors.New("label must be correct or incorrect")
	case q.Label == "incorrect" && !slices.Contains(reviewReasons, q.Reason):
		return fmt.Errorf("an incorrect conversation needs a reason: one of %s", strings.Join(reviewReasons, ", "))
	case q.Reason != "" && !slices.Contains(reviewReasons, q.Reason):
		return fmt.Errorf("reason must be one of %s", strings.Join(reviewReasons, ", "))
	case len(q.Comment) > 2000 || len(q.MustContain) > 500 || len(q.MustNotContain) > 500:
		return errors.New("the comment or an expected text is too long")
	case len(q.Tools) > 20:
		return errors.New("at most 20 expected tools")
	}
	for _, t := range q.Tools {
		if !toolName.MatchString(t) {
			return fmt.Errorf("%q is not a tool name", t)
		}
	}
	return nil
}

func (s *Server) handleOpsFlag(db querier) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := decode[flagRequest](w, r, 0)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if len(req.Note) > 2000 {
			writeError(w, r, codeInvalid, "the note is too long")
			return
		}
		c, _ := tools.CallerFrom(r.Context())
		tag, err := db.Exec(r.Context(), `INSERT INTO reviews (conversation_id, queued_for, flagged_by, note)
            SELECT id, 'flagged', $2, $3 FROM conversations WHERE id = $1
            ON CONFLICT (conversation_id) DO UPDATE SET queued_for = 'flagged', flagged_by = $2, note = $3`,
			chi.URLParam(r, "id"), c.ID, req.Note)
		if err != nil {
			opsFail(w, r, s.logger, fmt.Errorf("flag conversation: %w", err))
			return
		}
		if tag.RowsAffected() == 0 {
			writeError(w, r, codeNotFound, "no such conversation")
			return
		}
		encode(w, r, http.StatusOK, map[string]bool{"queued": true})
	})
}

func (s *Server) handleOpsReview(db querier) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := decode[reviewRequest](w, r, 0)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if err := req.validate(); err != nil {
			writeError(w, r, codeInvalid, err.Error())
			return
		}
		if req.Tools == nil {
			req.Tools = []string{}
		}
		var reason *string
		if req.Reason != "" {
			reason = &req.Reason
		}
		c, _ := tools.CallerFrom(r.Context())
		// A conversation reviewed without being queued is queued as
		// flagged by its reviewer.
		tag, err := db.Exec(r.Context(), `INSERT INTO reviews (conversation_id, queued_for, flagged_by, label, reason, comment,
                must_contain, must_not_contain, expect_tools, reviewed_by, reviewed_at)
            SELECT id, 'flagged', $9, $2, $3, $4, $5, $6, $7, $8, now() FROM conversations WHERE id = $1
            ON CONFLICT (conversation_id) DO UPDATE SET label = $2, reason = $3, comment = $4, must_contain = $5,
                must_not_contain = $6, expect_tools = $7, reviewed_by = $8, reviewed_at = now()`,
			chi.URLParam(r, "id"), req.Label, reason, req.Comment, req.MustContain, req.MustNotContain, req.Tools, c.ID, c.ID)
		if err != nil {
			opsFail(w, r, s.logger, fmt.Errorf("store review: %w", err))
			return
		}
		if tag.RowsAffected() == 0 {
			writeError(w, r, codeNotFound, "no such conversation")
			return
		}
		encode(w, r, http.StatusOK, map[string]bool{"reviewed": true})
	})
}

// handleOpsExport answers a reviewed conversation as an eval suite of one
// case (YAML), with the review's assertions.
func (s *Server) handleOpsExport(db querier) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := chi.URLParam(r, "id")
		rv, err := eval.LoadReview(r.Context(), db, id)
		if errors.Is(err, eval.ErrNotReviewed) {
			writeError(w, r, codeConflict, "review the conversation first: the case asserts what the review says")
			return
		}
		if err != nil {
			opsFail(w, r, s.logger, err)
			return
		}
		out, err := eval.ExportConversation(r.Context(), db, id, rv)
		if err != nil {
			opsFail(w, r, s.logger, err)
			return
		}
		w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="review-`+strings.TrimPrefix(id, "c_")+`.yaml"`)
		w.Header().Set("Cache-Control", "no-store")
		w.Write(out) //nolint:errcheck // the client went away
	})
}

// opsQueueView is the review queue.
type opsQueueView struct {
	Done bool
	Rows []opsQueueRow
}

type opsQueueRow struct {
	ID, Link, QueuedFor, Queued, Label, Reason, Reviewer, Locale string
}

func (s *Server) handleOpsQueue(db querier) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		done := r.URL.Query().Get("status") == "done"
		rows, err := db.Query(r.Context(), `SELECT r.conversation_id, r.queued_for, r.queued_at, coalesce(r.label, ''),
                coalesce(r.reason, ''), coalesce(r.reviewed_by, ''), c.locale
            FROM reviews r JOIN conversations c ON c.id = r.conversation_id
            WHERE (r.label IS NOT NULL) = $1
            ORDER BY CASE r.queued_for WHEN 'flagged' THEN 0 WHEN 'sample' THEN 2 ELSE 1 END, r.queued_at DESC LIMIT 500`, done)
		if err != nil {
			opsFail(w, r, s.logger, fmt.Errorf("query review queue: %w", err))
			return
		}
		list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (opsQueueRow, error) {
			var q opsQueueRow
			var at time.Time
			err := r.Scan(&q.ID, &q.QueuedFor, &at, &q.Label, &q.Reason, &q.Reviewer, &q.Locale)
			q.Link, q.Queued = "#/conversation/"+q.ID, at.UTC().Format("2006-01-02 15:04")
			return q, err
		})
		if err != nil {
			opsFail(w, r, s.logger, fmt.Errorf("read review queue: %w", err))
			return
		}
		renderOps(w, r, s.logger, "ops_queue", opsQueueView{Done: done, Rows: list})
	})
}
