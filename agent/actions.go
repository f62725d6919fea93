package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Action is a consequential tool call waiting for the buyer's explicit yes.
// The model proposes it; only the buyer's confirm executes it.
type Action struct {
	ID             string
	ConversationID string
	BuyerID        string
	TurnID         string
	Tool           string
	Arguments      json.RawMessage
	// Summary is the plain-language description the buyer confirms.
	Summary string
	// Details is the tool's structured preview (order, amount, items).
	Details        json.RawMessage
	Status         string
	ExpiresAt      time.Time
	DecisionTurnID string
	// Result and ErrorCode are what the executed tool returned.
	Result    json.RawMessage
	ErrorCode string
}

// Action statuses.
const (
	ActionPending  = "pending"
	ActionExecuted = "executed"
	ActionFailed   = "failed"
	ActionDeclined = "declined"
	ActionExpired  = "expired"
)

// ErrExpired is returned for a confirmation that came after its action
// expired.
var ErrExpired = errors.New("action expired")

const actionColumns = `id, conversation_id, buyer_id, turn_id, tool, arguments, summary, details, status, expires_at,
	coalesce(decision_turn_id, ''), result, coalesce(error_code, '')`

func scanAction(r pgx.CollectableRow) (Action, error) {
	var a Action
	err := r.Scan(&a.ID, &a.ConversationID, &a.BuyerID, &a.TurnID, &a.Tool, &a.Arguments, &a.Summary, &a.Details, &a.Status,
		&a.ExpiresAt, &a.DecisionTurnID, &a.Result, &a.ErrorCode)
	return a, err
}

// Propose stores a as pending. If the same tool with the same arguments is
// already pending in the conversation, that action is returned instead, so
// a model that asks twice does not make the buyer confirm twice.
func (s *Store) Propose(ctx context.Context, a Action) (Action, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+actionColumns+` FROM pending_actions
		WHERE conversation_id = $1 AND tool = $2 AND arguments = $3 AND status = 'pending' AND expires_at > now()
		LIMIT 1`, a.ConversationID, a.Tool, a.Arguments)
	if err != nil {
		return Action{}, fmt.Errorf("look up pending action: %w", err)
	}
	existing, err := pgx.CollectRows(rows, scanAction)
	if err != nil {
		return Action{}, fmt.Errorf("look up pending action: %w", err)
	}
	if len(existing) > 0 {
		return existing[0], nil
	}
	if a.Details == nil {
		a.Details = json.RawMessage("{}")
	}
	a.Status = ActionPending
	_, err = s.pool.Exec(ctx, `INSERT INTO pending_actions (id, conversation_id, buyer_id, turn_id, tool, arguments, summary, details, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		a.ID, a.ConversationID, a.BuyerID, a.TurnID, a.Tool, a.Arguments, a.Summary, a.Details, a.ExpiresAt)
	if err != nil {
		return Action{}, fmt.Errorf("store pending action: %w", err)
	}
	return a, nil
}

// Pending returns the conversation's actions still waiting for a decision
// and not expired, oldest first.
func (s *Store) Pending(ctx context.Context, convID string) ([]Action, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+actionColumns+` FROM pending_actions
		WHERE conversation_id = $1 AND status = 'pending' AND expires_at > now() ORDER BY created_at`, convID)
	if err != nil {
		return nil, fmt.Errorf("load pending actions: %w", err)
	}
	as, err := pgx.CollectRows(rows, scanAction)
	if err != nil {
		return nil, fmt.Errorf("load pending actions: %w", err)
	}
	return as, nil
}

// decide locks the buyer's action id in conversation convID and, if it is
// still pending, runs fn on it inside the lock and stores the decision fn
// returns. The lock makes concurrent confirmations — two tabs, two replicas —
// take turns, so the second finds the first one's decision and decided is
// false for it. A missing or foreign action is ErrNotFound; an expired one is
// marked so and ErrExpired.
func (s *Store) decide(ctx context.Context, buyerID, convID, id string, fn func(Action) Action) (out Action, decided bool, err error) {
	expired := false
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+actionColumns+` FROM pending_actions
			WHERE id = $1 AND conversation_id = $2 AND buyer_id = $3 FOR UPDATE`, id, convID, buyerID)
		if err != nil {
			return fmt.Errorf("lock action %s: %w", id, err)
		}
		a, err := pgx.CollectExactlyOneRow(rows, scanAction)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("lock action %s: %w", id, err)
		}
		out = a
		if a.Status != ActionPending {
			return nil
		}
		if !time.Now().Before(a.ExpiresAt) {
			expired = true
			out.Status = ActionExpired
		} else {
			out = fn(a)
			decided = true
		}
		var result any
		if out.Result != nil {
			result = out.Result
		}
		if _, err := tx.Exec(ctx, `UPDATE pending_actions SET status = $2, result = $3, error_code = nullif($4, ''),
			decision_turn_id = nullif($5, ''), decided_at = now() WHERE id = $1`,
			id, out.Status, result, out.ErrorCode, out.DecisionTurnID); err != nil {
			return fmt.Errorf("record decision on %s: %w", id, err)
		}
		return nil
	})
	if err == nil && expired {
		err = ErrExpired
	}
	return out, decided, err
}
