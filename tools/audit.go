package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
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
	r := auditRow(c, call, out)
	err := a.insert(ctx, r)
	var pgErr *pgconn.PgError
	if r.ConversationID != nil && errors.As(err, &pgErr) && pgErr.Code == "23503" {
		// A conversation that is not (or no longer) stored must not cost
		// the record of the call.
		r.ConversationID = nil
		err = a.insert(ctx, r)
	}
	if err != nil {
		return fmt.Errorf("record tool call %s: %w", r.Tool, err)
	}
	return nil
}

func (a *Audit) insert(ctx context.Context, r AuditRow) error {
	_, err := a.db.Exec(ctx, AuditInsertSQL, r.Args()...)
	return err
}

// auditJSON returns raw as a JSON value Postgres's jsonb accepts.
func auditJSON(raw []byte) json.RawMessage {
	if len(raw) > maxAuditBytes || !utf8.Valid(raw) || !json.Valid(raw) {
		// Malformed or oversized arguments are evidence too; keep them as
		// a JSON string.
		return mustJSON(clean(string(raw), maxAuditBytes))
	}
	if !refusedEscape(raw) {
		// Other escapes (a tool's "\u0026" for &) jsonb reads as the
		// decoding below would write them: decoding and encoding such a
		// result again was most of an audit row's allocations.
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

// refusedEscape reports whether raw may hold an escape jsonb refuses: a
// NUL (\u0000) or a surrogate half (\ud800 to \udfff, of which a valid
// pair is accepted but not told apart here). It looks at the bytes, not
// the JSON, so an escaped backslash before "u0000" counts too: a false
// alarm only sends raw through the decoding.
func refusedEscape(raw []byte) bool {
	for i := 0; ; {
		k := bytes.Index(raw[i:], []byte(`\u`))
		if k < 0 {
			return false
		}
		i += k + 2
		if len(raw)-i < 4 {
			return true // cut short: not valid JSON anyway
		}
		h := raw[i : i+4]
		if string(h) == "0000" || (h[0] == 'd' || h[0] == 'D') && strings.IndexByte("89abcdefABCDEF", h[1]) >= 0 {
			return true
		}
	}
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

// AuditRow is one tool call as the audit log keeps it, ready to insert
// with AuditInsertSQL.
type AuditRow struct {
	ConversationID *string
	TurnID         string
	CallID         string
	Role           string
	ActorID        string
	Tool           string
	Arguments      json.RawMessage
	// Result is the call's data, or its error as {"error": message}; nil
	// when it had neither.
	Result    json.RawMessage
	ErrorCode *string
	LatencyUS int64
}

// AuditInsertSQL inserts one AuditRow, with Args as its arguments.
const AuditInsertSQL = `INSERT INTO tool_calls (conversation_id, turn_id, call_id, actor_role, actor_id, tool, arguments, result, error_code, latency_us)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`

// Args returns r's values in AuditInsertSQL's order.
func (r AuditRow) Args() []any {
	var result any
	if r.Result != nil {
		result = r.Result
	}
	return []any{r.ConversationID, r.TurnID, r.CallID, r.Role, r.ActorID, r.Tool, r.Arguments, result, r.ErrorCode, r.LatencyUS}
}

// auditRow builds the row Record stores for call, made by c, and its outcome.
func auditRow(c Caller, call Call, out Outcome) AuditRow {
	r := AuditRow{
		TurnID: clean(call.TurnID, 128), CallID: clean(call.ID, 128), Role: string(c.Role), ActorID: clean(c.ID, 128),
		Tool: clean(call.Name, 128), Arguments: auditJSON(call.Arguments), LatencyUS: out.Latency.Microseconds(),
	}
	if out.Data != nil {
		r.Result = auditJSON(out.Data)
	}
	if out.Err != nil {
		s := string(out.Err.Code)
		r.ErrorCode = &s
		if r.Result == nil {
			r.Result = auditJSON(mustJSON(map[string]string{"error": out.Err.Message}))
		}
	}
	if r.Role == "" {
		r.Role = "system"
	}
	if call.ConversationID != "" {
		id := clean(call.ConversationID, 64)
		r.ConversationID = &id
	}
	return r
}

// AuditLater collects the audit rows of a turn's calls that change nothing
// (consequential ones are always recorded at once, with their effect), for
// the turn to write with its reply in one transaction: a row per call, a
// transaction per turn. A turn that dies before its reply is stored loses
// the rows of its lookups, and with them nothing that was done.
type AuditLater struct {
	mu   sync.Mutex
	rows []AuditRow
}

type auditLaterKey struct{}

// DeferAudit returns ctx in which Registry.Call hands the audit rows of
// calls that change nothing to later instead of writing them.
func DeferAudit(ctx context.Context, later *AuditLater) context.Context {
	return context.WithValue(ctx, auditLaterKey{}, later)
}

func (l *AuditLater) add(r AuditRow) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.rows = append(l.rows, r)
}

// Rows returns the rows collected so far, in the order the calls ended.
func (l *AuditLater) Rows() []AuditRow {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.rows)
}

// AuditLaterFrom returns the AuditLater DeferAudit put in ctx, or nil.
func AuditLaterFrom(ctx context.Context) *AuditLater {
	l, _ := ctx.Value(auditLaterKey{}).(*AuditLater)
	return l
}
