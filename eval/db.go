package eval

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// snapshot is what existed before a case ran, so the end-state checks count
// only what the case created.
type snapshot struct {
	refunds   map[string]bool
	disputes  map[string]bool
	cancelled map[string]bool
}

func takeSnapshot(ctx context.Context, db DB) (snapshot, error) {
	s := snapshot{}
	var err error
	if s.refunds, err = idSet(ctx, db, `SELECT id::text FROM refunds`); err != nil {
		return s, fmt.Errorf("snapshot refunds: %w", err)
	}
	if s.disputes, err = idSet(ctx, db, `SELECT id::text FROM disputes`); err != nil {
		return s, fmt.Errorf("snapshot disputes: %w", err)
	}
	if s.cancelled, err = idSet(ctx, db, `SELECT id FROM orders WHERE status = 'cancelled'`); err != nil {
		return s, fmt.Errorf("snapshot cancellations: %w", err)
	}
	return s, nil
}

func idSet(ctx context.Context, db DB, sql string) (map[string]bool, error) {
	rows, err := db.Query(ctx, sql)
	if err != nil {
		return nil, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// dbRowFound is a row the case created that matched a DBRow.
type dbRowFound struct {
	ID     string `json:"id"`
	Status string `json:"status,omitempty"`
	Reason string `json:"reason,omitempty"`
	Amount int64  `json:"amount_minor,omitempty"`
}

// newRows returns the rows of r's kind for its order that the case
// created, narrowed by r's other fields.
func newRows(ctx context.Context, db DB, before snapshot, r DBRow, order string) ([]dbRowFound, error) {
	var sql string
	var seen map[string]bool
	switch r.Kind {
	case "refund":
		sql, seen = `SELECT id::text, status, reason, amount_minor FROM refunds WHERE order_id = $1 ORDER BY created_at`, before.refunds
	case "dispute":
		sql, seen = `SELECT id::text, status, reason, 0::bigint FROM disputes WHERE order_id = $1 ORDER BY created_at`, before.disputes
	case "cancellation":
		sql, seen = `SELECT id, status, '', 0::bigint FROM orders WHERE id = $1 AND status = 'cancelled'`, before.cancelled
	default:
		return nil, fmt.Errorf("unknown row kind %q", r.Kind)
	}
	rows, err := db.Query(ctx, sql, order)
	if err != nil {
		return nil, fmt.Errorf("read %ss of %s: %w", r.Kind, order, err)
	}
	found, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (dbRowFound, error) {
		var f dbRowFound
		err := row.Scan(&f.ID, &f.Status, &f.Reason, &f.Amount)
		return f, err
	})
	if err != nil {
		return nil, fmt.Errorf("read %ss of %s: %w", r.Kind, order, err)
	}
	var out []dbRowFound
	for _, f := range found {
		switch {
		case seen[f.ID]:
		case r.Status != "" && !strings.EqualFold(r.Status, f.Status):
		case r.Reason != "" && !strings.EqualFold(r.Reason, f.Reason):
		case r.AmountMinor != nil && *r.AmountMinor != f.Amount:
		default:
			out = append(out, f)
		}
	}
	return out, nil
}

// loadToolCalls reads the calls a turn made, with their arguments, from the
// audit log (calls that ran) and the pending actions (consequential calls
// proposed to the buyer), in the order they were made.
func loadToolCalls(ctx context.Context, db DB, convID, turnID string) ([]ToolCall, error) {
	rows, err := db.Query(ctx, `
		SELECT tool, arguments, coalesce(result, 'null'::jsonb), coalesce(error_code, 'ok'), created_at, id::text FROM tool_calls
		WHERE conversation_id = $1 AND turn_id = $2
		UNION ALL
		SELECT tool, arguments, details, 'proposed', created_at, id FROM pending_actions
		WHERE conversation_id = $1 AND turn_id = $2
		ORDER BY 5, 6`, convID, turnID)
	if err != nil {
		return nil, fmt.Errorf("read tool calls of turn %s: %w", turnID, err)
	}
	calls, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (ToolCall, error) {
		var c ToolCall
		var args, result []byte
		var at any
		var id string
		err := row.Scan(&c.Name, &args, &result, &c.Outcome, &at, &id)
		c.Arguments = json.RawMessage(args)
		if string(result) != "null" {
			c.Result = json.RawMessage(result)
		}
		c.ArgsKnown = true
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("read tool calls of turn %s: %w", turnID, err)
	}
	return slices.Clip(calls), nil
}
