package tools

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// insertEvidence adds e to dispute disputeID in tx. The database's trigger
// checks the dispute is open and has room, under its row lock; its refusals
// come back as the policy's codes.
func insertEvidence(ctx context.Context, tx pgx.Tx, disputeID string, e evidenceArg, now time.Time) (Evidence, error) {
	_, err := tx.Exec(ctx, `INSERT INTO dispute_evidence (dispute_id, kind, reference, note, created_at) VALUES ($1, $2, $3, $4, $5)`,
		disputeID, e.Kind, e.Reference, e.Note, now)
	switch constraintOf(err) {
	case "":
	case "dispute_evidence_limit":
		return Evidence{}, &Error{Code: CodeLimitReached, Message: fmt.Sprintf("dispute %s already has %d evidence items, the most one dispute can carry", disputeID, MaxDisputeEvidence), Err: err}
	case "dispute_evidence_while_open":
		return Evidence{}, &Error{Code: CodeNotEligible, Message: fmt.Sprintf("dispute %s is closed, so evidence can no longer be added", disputeID), Err: err}
	}
	if err != nil {
		return Evidence{}, fmt.Errorf("add evidence to %s: %w", disputeID, err)
	}
	return Evidence{Kind: e.Kind, Reference: e.Reference, Note: e.Note, AddedAt: now}, nil
}

type evidenceArgs struct {
	DisputeID string `json:"dispute_id"`
	evidenceArg
}

func (a *evidenceArgs) Validate() error {
	if err := checkDisputeID(&a.DisputeID); err != nil {
		return err
	}
	return a.check()
}

var evidenceArgsSchema = `{
  "type": "object",
  "properties": {
    "dispute_id": {"type": "string", "description": "The dispute id, e.g. DSP-7K2M9QX4BD.", "pattern": "^DSP-[0-9A-Za-z]{4,32}$"},
    "kind": {"type": "string", "enum": ` + enumJSON(EvidenceKinds) + `},
    "reference": {"type": "string", "minLength": 1, "maxLength": 500, "description": "Where the evidence is: an uploaded file's id or link, a tracking number, a message id."},
    "note": {"type": "string", "maxLength": 1000, "description": "What it shows, in a sentence."}
  },
  "required": ["dispute_id", "kind", "reference"],
  "additionalProperties": false
}`

// addEvidence adds e to dispute id of c under the dispute's row lock. The
// same evidence (kind and reference) twice is added once.
func (s *Store) addEvidence(ctx context.Context, c Caller, id string, e evidenceArg) (Dispute, bool, error) {
	if c.Role != RoleBuyer {
		return Dispute{}, false, ErrNotFound
	}
	col, val := scope(c)
	added := false
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var status string
		var n int
		var dup bool
		err := tx.QueryRow(ctx, `
			SELECT d.status FROM disputes d JOIN orders o ON o.id = d.order_id
			WHERE d.id = $1 AND `+col+` = $2 FOR NO KEY UPDATE OF d`, id, val).Scan(&status)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("lock dispute %s: %w", id, err)
		}
		if !isOpen(status) {
			return Errorf(CodeNotEligible, "dispute %s is %s, so evidence can no longer be added", id, strings.ReplaceAll(status, "_", " "))
		}
		err = tx.QueryRow(ctx, `SELECT count(*), coalesce(bool_or(kind = $2 AND reference = $3), false)
			FROM dispute_evidence WHERE dispute_id = $1`, id, e.Kind, e.Reference).Scan(&n, &dup)
		if err != nil {
			return fmt.Errorf("count evidence of %s: %w", id, err)
		}
		switch {
		case dup:
			return nil
		case n >= MaxDisputeEvidence:
			return Errorf(CodeLimitReached, "dispute %s already has %d evidence items, the most one dispute can carry", id, MaxDisputeEvidence)
		}
		_, err = insertEvidence(ctx, tx, id, e, dbNow())
		added = err == nil
		return err
	})
	if err != nil {
		return Dispute{}, false, err
	}
	ds, err := disputes(ctx, s.db, c, id, "")
	if err != nil {
		return Dispute{}, false, err
	}
	if len(ds) == 0 {
		return Dispute{}, false, ErrNotFound
	}
	return ds[0], added, nil
}

// AddDisputeEvidence returns the add_dispute_evidence tool.
func AddDisputeEvidence(s *Store) Tool {
	return New("add_dispute_evidence",
		"Add one item of evidence to one of the customer's open disputes: a photo, tracking record, message or document the customer "+
			"has provided, by reference, with a short note on what it shows. A dispute carries at most 10 items; adding the same "+
			"reference twice adds it once. Errors: not_eligible (the dispute is decided or withdrawn), limit_reached (10 items already), "+
			"not_found, invalid_argument.",
		evidenceArgsSchema, []Role{RoleBuyer},
		func(ctx context.Context, a evidenceArgs) (Result, error) {
			c, _ := CallerFrom(ctx)
			d, added, err := s.addEvidence(ctx, c, a.DisputeID, a.evidenceArg)
			if errors.Is(err, ErrNotFound) {
				return Result{}, disputeNotFound(a.DisputeID)
			}
			if err != nil {
				return Result{}, err
			}
			text := describeDispute(d)
			if !added {
				text = "That evidence was already on the dispute. " + text
			}
			return Result{Data: d, Text: text}, nil
		})
}
