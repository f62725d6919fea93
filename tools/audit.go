package tools

import (
	"context"
	"encoding/json"
	"fmt"
)

// Audit writes tool calls to the tool_calls table. The row keeps arguments
// and results whole — it is the record of what was done for whom — while
// logs never carry them above debug.
type Audit struct {
	db DB
}

// NewAudit returns an Audit writing through db.
func NewAudit(db DB) *Audit { return &Audit{db: db} }

// Record stores one call and its outcome.
func (a *Audit) Record(ctx context.Context, c Caller, call Call, out Outcome) error {
	args := call.Arguments
	if !json.Valid(args) {
		// Malformed arguments are evidence too; keep them as a JSON string.
		args, _ = json.Marshal(string(args))
	}
	var result any
	if out.Data != nil {
		result = out.Data
	}
	var code *string
	if out.Err != nil {
		s := string(out.Err.Code)
		code = &s
		if result == nil {
			result, _ = json.Marshal(map[string]string{"error": out.Err.Message})
		}
	}
	role := string(c.Role)
	if role == "" {
		role = "system"
	}
	var conv *string
	if call.ConversationID != "" {
		conv = &call.ConversationID
	}
	_, err := a.db.Exec(ctx, `
		INSERT INTO tool_calls (conversation_id, turn_id, call_id, actor_role, actor_id, tool, arguments, result, error_code, latency_us)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		conv, call.TurnID, call.ID, role, c.ID, truncate(call.Name, 128), args, result, code, out.Latency.Microseconds())
	if err != nil {
		return fmt.Errorf("record tool call %s: %w", call.Name, err)
	}
	return nil
}
