package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
)

// maxAuditBytes bounds what one audit row keeps of arguments or results:
// four times what a call may carry, so every call that could run is kept
// whole.
const maxAuditBytes = 4 * MaxArgumentBytes

// Audit writes tool calls to the tool_calls table. The row keeps arguments
// and results whole — it is the record of what was done for whom — while
// logs never carry them above debug.
type Audit struct {
	db DB
}

// NewAudit returns an Audit writing through db.
func NewAudit(db DB) *Audit { return &Audit{db: db} }

// Record stores one call and its outcome. Whatever a model sent is kept:
// arguments that are not JSON are stored as a JSON string, and what jsonb
// and text columns cannot hold (NUL characters, invalid UTF-8, lone
// surrogates) is replaced by U+FFFD.
func (a *Audit) Record(ctx context.Context, c Caller, call Call, out Outcome) error {
	args := auditJSON(call.Arguments)
	var result any
	if out.Data != nil {
		result = auditJSON(out.Data)
	}
	var code *string
	if out.Err != nil {
		s := string(out.Err.Code)
		code = &s
		if result == nil {
			result = auditJSON(mustJSON(map[string]string{"error": out.Err.Message}))
		}
	}
	role := string(c.Role)
	if role == "" {
		role = "system"
	}
	var conv *string
	if call.ConversationID != "" {
		id := clean(call.ConversationID, 64)
		conv = &id
	}
	insert := func(conv *string) error {
		_, err := a.db.Exec(ctx, `
			INSERT INTO tool_calls (conversation_id, turn_id, call_id, actor_role, actor_id, tool, arguments, result, error_code, latency_us)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			conv, clean(call.TurnID, 128), clean(call.ID, 128), role, clean(c.ID, 128), clean(call.Name, 128),
			args, result, code, out.Latency.Microseconds())
		return err
	}
	err := insert(conv)
	var pgErr *pgconn.PgError
	if conv != nil && errors.As(err, &pgErr) && pgErr.Code == "23503" {
		// A conversation that is not (or no longer) stored must not cost
		// the record of the call.
		err = insert(nil)
	}
	if err != nil {
		return fmt.Errorf("record tool call %s: %w", clean(call.Name, 64), err)
	}
	return nil
}

// auditJSON returns raw as a JSON value Postgres's jsonb accepts.
func auditJSON(raw []byte) json.RawMessage {
	if len(raw) > maxAuditBytes || !utf8.Valid(raw) || !json.Valid(raw) {
		// Malformed or oversized arguments are evidence too; keep them as
		// a JSON string.
		return mustJSON(clean(string(raw), maxAuditBytes))
	}
	if !bytes.Contains(raw, []byte(`\u`)) {
		return raw
	}
	// An escape may spell a NUL or a lone surrogate, which jsonb refuses:
	// decode (lone surrogates become U+FFFD), replace NULs, encode again.
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return mustJSON(clean(string(raw), maxAuditBytes))
	}
	return mustJSON(scrub(v))
}

// scrub replaces NUL characters in every string and key of a decoded JSON
// value.
func scrub(v any) any {
	switch v := v.(type) {
	case string:
		return strings.ReplaceAll(v, "\x00", "\uFFFD")
	case []any:
		for i := range v {
			v[i] = scrub(v[i])
		}
		return v
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[strings.ReplaceAll(k, "\x00", "\uFFFD")] = scrub(e)
		}
		return out
	}
	return v
}

// clean makes s storable in a text column and at most n bytes long: invalid
// UTF-8 and NUL characters become U+FFFD.
func clean(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "\uFFFD")
	return truncate(s, n)
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		// Only strings and decoded JSON reach here, which always encode.
		return json.RawMessage("null")
	}
	return b
}
