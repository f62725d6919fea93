package agent

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
)

// Every turn reads the tool calls of its history window again (the
// model sees them again), about ten a turn once a conversation has a few
// turns, and each call's result is a jsonb value Postgres turned back into
// text for every read: about 15 to 30 µs of backend CPU for a get_order
// result of 1 KB on the development machine, a tenth of a turn's Postgres
// CPU, and 10 KB a turn on the wire (docs/performance.md, 2026-12-07
// 17:00). An audit row is never changed once written, so a process keeps
// the rows it has read, by id, for the conversation's next turn: the read
// names the ids it holds ($3) and gets only their turn back, the rest in
// full. Another replica, or this one after forgetting, reads them in full
// as before; a row deleted since is not returned at all.

// windowCallsSQL reads the tool calls of the window's replies (the
// window is the newest $2 messages of conversation $1); the calls whose
// ids are in $3 come with their id and turn only.
const windowCallsSQL = `SELECT id, turn_id, known, CASE WHEN known THEN '' ELSE call_id END, CASE WHEN known THEN '' ELSE tool END,
		CASE WHEN known THEN NULL ELSE arguments END, CASE WHEN known THEN '' ELSE coalesce(result::text, '{}') END,
		CASE WHEN known THEN '' ELSE coalesce(error_code, '') END
	FROM (SELECT tc.*, coalesce(tc.id = ANY ($3::bigint[]), false) AS known FROM tool_calls tc
		WHERE tc.conversation_id = $1 AND tc.turn_id IN (SELECT w.turn_id FROM (SELECT turn_id, role FROM messages
			WHERE conversation_id = $1 ORDER BY seq DESC LIMIT $2) w WHERE w.role = 'assistant')) c
	ORDER BY id`

// knownCall is a tool call as the window read it, by its turn.
type knownCall struct {
	turn string
	call pastCall
}

// knownCalls are the window's calls of one conversation, by audit row id,
// as its last turn read them. A value is never changed once made: a turn
// replaces it, so one read while another turn replaces it stays whole.
type knownCalls map[int64]knownCall

// ids returns the ids k holds, for windowCallsSQL's $3.
func (k knownCalls) ids() []int64 {
	ids := make([]int64, 0, len(k))
	for id := range k {
		ids = append(ids, id)
	}
	return ids
}

// callCache keeps, per conversation, the tool calls its last turn read,
// in two generations of conversations bounded by bytes: when the newer
// fills half the budget it becomes the older and the older is forgotten,
// so it holds at most about budget bytes and the conversations in use
// stay.
type callCache struct {
	mu          sync.Mutex
	cur, old    map[string]knownCalls
	bytes, half int
}

// callCacheBytes bounds what a process keeps of past tool calls: about
// 1,600 conversations of ten 1 KB results.
const callCacheBytes = 16 << 20

func newCallCache(budget int) *callCache {
	return &callCache{cur: map[string]knownCalls{}, half: budget / 2}
}

// get returns the calls held for convID, nil for none.
func (c *callCache) get(convID string) knownCalls {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if k, ok := c.cur[convID]; ok {
		return k
	}
	return c.old[convID]
}

// put holds k as convID's calls, replacing what was held.
func (c *callCache) put(convID string, k knownCalls) {
	if c == nil {
		return
	}
	size := len(convID)
	for _, kc := range k {
		size += 64 + len(kc.turn) + len(kc.call.callID) + len(kc.call.tool) + len(kc.call.args) + len(kc.call.result)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bytes+size > c.half {
		c.old, c.cur, c.bytes = c.cur, map[string]knownCalls{}, 0
	}
	delete(c.old, convID)
	c.cur[convID] = k
	c.bytes += size
}

// collectWindowCalls reads windowCallsSQL's rows, by turn, taking the
// calls known held from known; it returns them with the calls to hold for
// the conversation's next turn (every call read, nothing else). window
// are the window's messages as read before: a call's turn id is one of
// theirs, and takes their string rather than a new one per row.
func collectWindowCalls(rows pgx.Rows, known knownCalls, window []StoredMessage) (map[string][]pastCall, knownCalls, error) {
	defer rows.Close()
	turns := replyTurns(window)
	// One value holds what a row scans into (pgx takes pointers to it),
	// and the calls and their turns gather in two slices, cut by turn at
	// the end: a few allocations a read instead of a few a call.
	var r struct {
		id        int64
		turn      string
		code      string
		isKnown   bool
		row       pastCall
		cols      [3]textColumn
		callTurns []string
		calls     []pastCall
	}
	r.calls, r.callTurns = make([]pastCall, 0, len(turns)), make([]string, 0, len(turns))
	for i := range r.cols {
		r.cols[i].seen = r.cols[i].buf[:0]
	}
	r.cols[0].dst, r.cols[1].dst, r.cols[2].dst = &r.turn, &r.row.tool, &r.code
	if len(turns) > 0 {
		r.cols[0].seed(turns)
	}
	next := make(knownCalls, len(turns))
	dest := []any{&r.id, &r.cols[0], &r.isKnown, &r.row.callID, &r.cols[1], (*[]byte)(&r.row.args), &r.row.result, &r.cols[2]}
	for rows.Next() {
		r.row = pastCall{}
		if err := rows.Scan(dest...); err != nil {
			return nil, nil, fmt.Errorf("load past tool calls: %w", err)
		}
		var c pastCall
		if r.isKnown {
			kc, ok := known[r.id]
			if !ok {
				// Only ids of known are sent as known.
				return nil, nil, fmt.Errorf("load past tool calls: call %d was not held", r.id)
			}
			c = kc.call
		} else {
			c = r.row
			if r.code != "" {
				c.result = fmt.Sprintf(`{"ok":false,"error":{"code":%q},"detail":%s}`, r.code, c.result)
			}
			if !json.Valid(c.args) {
				c.args = json.RawMessage("{}")
			}
		}
		next[r.id] = knownCall{turn: r.turn, call: c}
		r.calls, r.callTurns = append(r.calls, c), append(r.callTurns, r.turn)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("load past tool calls: %w", err)
	}
	out := make(map[string][]pastCall, len(turns))
	for i := 0; i < len(r.calls); {
		j := i + 1
		for j < len(r.calls) && r.callTurns[j] == r.callTurns[i] {
			j++
		}
		// A turn's run of calls is its slice, capped so that an append
		// (another run of the turn, readActions' proposals) copies it
		// rather than writing over the next turn's.
		t := r.callTurns[i]
		if prev, ok := out[t]; ok {
			out[t] = append(prev[:len(prev):len(prev)], r.calls[i:j]...)
		} else {
			out[t] = r.calls[i:j:j]
		}
		i = j
	}
	return out, next, nil
}

// replyTurns returns the turn ids of the replies among msgs.
func replyTurns(msgs []StoredMessage) []string {
	var turns []string
	for _, m := range msgs {
		if m.Role == "assistant" {
			if turns == nil {
				turns = make([]string, 0, len(msgs))
			}
			turns = append(turns, m.TurnID)
		}
	}
	return turns
}
