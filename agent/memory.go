package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
)

// maxToolResultBytes is how much of one past tool result the model sees
// again; longer ones are cut with a marker so the model knows.
const maxToolResultBytes = 1500

const truncatedMarker = "…[truncated]"

// history builds, from the turn's state st, the window of the conversation the model sees: the system
// prompt, a note of any action waiting for confirmation, and the newest
// stored turns with the tool calls and results they made, dropping the
// oldest turns to fit the token budget. The buyer's message of this turn is
// always last.
func (a *Agent) history(t Turn, st *turnState) []Message {
	stored, calls := st.recent, st.calls

	// Group the transcript into units that are kept or dropped whole: a
	// tool call without its result would confuse any model. The units lie
	// one after another in all, unit i from starts[i] to starts[i+1]: one
	// slice for the window rather than one per unit.
	all := make([]Message, 0, len(stored)+2*len(calls))
	starts := make([]int, 0, len(stored)+1)
	for _, m := range stored {
		switch m.Role {
		case "user":
			starts = append(starts, len(all))
			all = append(all, Message{Role: RoleUser, Content: m.Text})
		case "assistant", "agent":
			starts = append(starts, len(all))
			if cs := calls[m.TurnID]; len(cs) > 0 {
				asked := Message{Role: RoleAssistant, ToolCalls: make([]ToolCall, 0, len(cs))}
				for _, c := range cs {
					asked.ToolCalls = append(asked.ToolCalls, ToolCall{ID: c.callID, Name: c.tool, Arguments: c.args})
				}
				all = append(all, asked)
				for _, c := range cs {
					all = append(all, Message{Role: RoleTool, ToolCallID: c.callID, Name: c.tool, Content: truncate(c.result, maxToolResultBytes)})
				}
			}
			msg := Message{Role: RoleAssistant, Content: m.Text}
			if m.Role == "agent" {
				msg.Content, msg.Staff = teamPrefix+m.Text, true
			}
			all = append(all, msg)
		}
	}
	starts = append(starts, len(all))
	units := len(starts) - 1

	version := PromptVersion
	if e := a.turnExposure(st); e.active && e.v.PromptVersion != "" {
		version = e.v.PromptVersion
	}
	head := []Message{{Role: RoleSystem, Content: systemPrompt(version, t.Locale)}}
	if pending := st.pending; len(pending) > 0 {
		var b strings.Builder
		b.WriteString("Actions waiting for the customer's confirmation (they confirm with the button or by replying yes; do not say they are done):")
		for _, p := range pending {
			fmt.Fprintf(&b, "\n- %s: %s", p.ID, p.Summary)
		}
		head = append(head, Message{Role: RoleSystem, Content: b.String()})
	}

	budget := a.cfg.ContextTokens
	for _, m := range head {
		budget -= estimateTokens(m)
	}
	// Keep units from the newest back while they fit; the newest is kept
	// even when it alone is over budget.
	keep := units
	for i := units - 1; i >= 0; i-- {
		cost := 0
		for _, m := range all[starts[i]:starts[i+1]] {
			cost += estimateTokens(m)
		}
		if budget-cost < 0 && i < units-1 {
			break
		}
		budget -= cost
		keep = i
	}
	msgs := make([]Message, 0, len(head)+1+len(all)-starts[keep])
	msgs = append(msgs, head...)
	if keep > 0 {
		msgs = append(msgs, Message{Role: RoleSystem, Content: fmt.Sprintf("[%d earlier messages of this conversation are not shown]", keep)})
	}
	return append(msgs, all[starts[keep]:]...)
}

// estimateTokens is a cheap, deliberately generous token count: about three
// characters a token covers English; Hangul and Cyrillic run denser, so
// counting runes rather than bytes keeps them from being undercounted.
func estimateTokens(m Message) int {
	n := utf8.RuneCountInString(m.Content)
	for _, c := range m.ToolCalls {
		n += len(c.Name) + len(c.Arguments)
	}
	return n/3 + 4
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + truncatedMarker
}

type pastCall struct {
	callID, tool string
	args         json.RawMessage
	result       string
}

// toolCalls returns the audited tool calls of the given turns, by turn.
func (s *Store) toolCalls(ctx context.Context, convID string, turnIDs []string) (map[string][]pastCall, error) {
	if len(turnIDs) == 0 {
		return map[string][]pastCall{}, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT turn_id, call_id, tool, arguments, coalesce(result::text, '{}'), coalesce(error_code, '')
		FROM tool_calls WHERE conversation_id = $1 AND turn_id = ANY($2) ORDER BY id`, convID, turnIDs)
	if err != nil {
		return nil, fmt.Errorf("load past tool calls: %w", err)
	}
	return collectCalls(rows)
}

// collectCalls reads rows of tool calls (turn, call id, tool, arguments,
// result, error code), by turn.
func collectCalls(rows pgx.Rows) (map[string][]pastCall, error) {
	defer rows.Close()
	out := map[string][]pastCall{}
	// The row's destinations are made once for all rows: each row's values
	// are fresh (pgx allocates every string and byte slice it scans), and
	// a destination per row put five variables and the Scan's argument
	// slice on the heap for every row of every turn's window.
	var turn, code string
	var row pastCall
	// The arguments scan as bytes, as scanMessage's citations do.
	dest := []any{&turn, &row.callID, &row.tool, (*[]byte)(&row.args), &row.result, &code}
	for rows.Next() {
		row = pastCall{}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("load past tool calls: %w", err)
		}
		c := row
		if code != "" {
			c.result = fmt.Sprintf(`{"ok":false,"error":{"code":%q},"detail":%s}`, code, c.result)
		}
		if !json.Valid(c.args) {
			c.args = json.RawMessage("{}")
		}
		out[turn] = append(out[turn], c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load past tool calls: %w", err)
	}
	return out, nil
}

// DailyTokens returns the LLM tokens used on day (UTC).
func (s *Store) DailyTokens(ctx context.Context, day time.Time) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT coalesce(sum(tokens), 0) FROM token_usage WHERE day = $1`, day.UTC().Format(time.DateOnly)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("load daily tokens: %w", err)
	}
	return n, nil
}
