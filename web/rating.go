package web

import (
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/csagent/csagent/agent"
)

// maxCommentChars bounds a rating's comment, in characters.
const maxCommentChars = 1000

// rating is a buyer's verdict on a conversation: thumbs up or down, a CSAT
// score from 1 to 5, a comment; at least one of them.
type rating struct {
	ConversationID string    `json:"conversation_id"`
	Thumbs         *string   `json:"thumbs"`
	CSAT           *int      `json:"csat"`
	Comment        string    `json:"comment"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// handleRating stores the buyer's rating of a conversation; rating again
// replaces it.
func (s *Server) handleRating(ag *agent.Agent, db querier) http.Handler {
	type request struct {
		Thumbs  *string `json:"thumbs"`
		CSAT    *int    `json:"csat"`
		Comment string  `json:"comment"`
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		caller, conv, err := buyerConversation(r, ag)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		req, err := decode[request](w, r, 0)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		comment := strings.TrimSpace(req.Comment)
		switch {
		case req.Thumbs != nil && *req.Thumbs != "up" && *req.Thumbs != "down":
			err = refuse(codeInvalid, `thumbs must be "up" or "down"`)
		case req.CSAT != nil && (*req.CSAT < 1 || *req.CSAT > 5):
			err = refuse(codeInvalid, "csat must be a whole number from 1 to 5")
		case utf8.RuneCountInString(comment) > maxCommentChars:
			err = refuse(codeInvalid, "comment must have at most %d characters", maxCommentChars)
		case !printable(comment):
			err = refuse(codeInvalid, "comment must be text")
		case req.Thumbs == nil && req.CSAT == nil && comment == "":
			err = refuse(codeInvalid, "give thumbs, csat or a comment")
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out := rating{ConversationID: conv.ID, Thumbs: req.Thumbs, CSAT: req.CSAT, Comment: comment}
		// Only a conversation that was answered (by the assistant or a
		// person) can be rated, so ratings cannot be stuffed by opening
		// empty conversations; rating again replaces the one rating.
		err = db.QueryRow(r.Context(), `
			INSERT INTO ratings (conversation_id, buyer_id, thumbs, csat, comment)
			SELECT $1, $2, $3, $4, $5
			WHERE EXISTS (SELECT 1 FROM messages WHERE conversation_id = $1 AND role IN ('assistant', 'agent'))
			ON CONFLICT (conversation_id) DO UPDATE SET thumbs = EXCLUDED.thumbs, csat = EXCLUDED.csat,
				comment = EXCLUDED.comment, updated_at = now()
			RETURNING updated_at`, conv.ID, caller.ID, req.Thumbs, req.CSAT, comment).Scan(&out.UpdatedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			s.fail(w, r, refuse(codeConflict, "this conversation has no reply to rate yet"))
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		thumbs := "none"
		if req.Thumbs != nil {
			thumbs = *req.Thumbs
		}
		s.metrics.ratings.WithLabelValues(thumbs).Inc()
		encode(w, r, http.StatusOK, out)
	})
}
