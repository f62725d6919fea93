package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

// A turn's window of past tool calls is the same whether the process held
// them from the conversation's last turn or read them in full, and what it
// held is what the read took: the held calls' contents are not fetched
// again; a held call no longer in the window is not shown.
func TestWindowCallsHeld(t *testing.T) {
	pool := pgtest.New(t, pgtest.Seed{Name: "demo", Run: func(ctx context.Context, pool *pgxpool.Pool) error {
		return demo.Seed(ctx, pool, time.Now())
	}})
	ctx := t.Context()
	s := NewStore(pool)
	conv, err := s.Open(ctx, "buyer-001", "", "en")
	if err != nil {
		t.Fatal(err)
	}
	q := stateQuery{window: 4} // two turns: the first of three drops out
	for i, call := range []struct{ result, code string }{
		{`{"order_id":"ORD-10001","status":"shipped","shop_name":"Maple \u0026 Co"}`, ""},
		{`{"message":"no such order"}`, "not_found"},
		{`{"order_id":"ORD-10051","status":"delivered"}`, ""},
	} {
		turn := fmt.Sprintf("t%d", i)
		if _, _, _, err := s.appendUser(ctx, conv.ID, StoredMessage{TurnID: turn, AuthorID: "buyer-001", Text: "where is ORD-10001"}, q, nil); err != nil {
			t.Fatal(err)
		}
		row := tools.AuditRow{ConversationID: &conv.ID, TurnID: turn, CallID: "c1", Role: "buyer", ActorID: "buyer-001",
			Tool: "get_order", Arguments: json.RawMessage(`{"order_id":"ORD-10001"}`), Result: json.RawMessage(call.result)}
		if call.code != "" {
			row.ErrorCode = &call.code
		}
		if _, err := s.appendReply(ctx, conv.ID, StoredMessage{TurnID: turn, AuthorID: "agent", Text: "Here it is."}, []tools.AuditRow{row}, 10, nil); err != nil {
			t.Fatal(err)
		}
	}

	fresh, err := NewStore(pool).loadState(ctx, conv.ID, q)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(fresh.calls); n != 2 || !strings.Contains(fresh.calls["t1"][0].result, `"code":"not_found"`) {
		t.Fatalf("the window's calls read in full = %v, want turns t1 (not_found) and t2", fresh.calls)
	}
	held := s.calls.get(conv.ID)
	if len(held) != 2 {
		t.Fatalf("the store holds %d calls of the window after its turns, want 2", len(held))
	}
	again, err := s.loadState(ctx, conv.ID, q)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again.calls, fresh.calls) {
		t.Errorf("the window's calls from what was held = %v, read in full %v", again.calls, fresh.calls)
	}

	// What is held is what the read takes, and an id held that the
	// window no longer has shows nowhere.
	marked := maps.Clone(s.calls.get(conv.ID))
	for id, kc := range marked {
		kc.call.result = "held"
		marked[id] = kc
	}
	marked[1<<40] = knownCall{turn: "t2", call: pastCall{callID: "gone", tool: "get_order", result: "gone"}}
	s.calls.put(conv.ID, marked)
	st, err := s.loadState(ctx, conv.ID, q)
	if err != nil {
		t.Fatal(err)
	}
	for turn, calls := range st.calls {
		for _, c := range calls {
			if c.result != "held" {
				t.Errorf("turn %s's call %s = %q, want what was held", turn, c.callID, c.result)
			}
		}
	}
	if n := len(st.calls["t1"]) + len(st.calls["t2"]); n != 2 || len(s.calls.get(conv.ID)) != 2 {
		t.Errorf("%d calls shown and %d held after a read, want 2 and 2 (the id not in the window dropped)", n, len(s.calls.get(conv.ID)))
	}
}

// The cache forgets the older generation of conversations once the newer
// fills half its budget: it holds about its budget, and what was used
// last.
func TestCallCacheBound(t *testing.T) {
	c := newCallCache(4 << 10)
	call := func(n int) knownCalls {
		return knownCalls{1: {turn: "t", call: pastCall{result: strings.Repeat("x", n)}}}
	}
	for i := range 40 {
		c.put(fmt.Sprintf("c_%02d", i), call(200))
	}
	held := 0
	for i := range 40 {
		if c.get(fmt.Sprintf("c_%02d", i)) != nil {
			held++
		}
	}
	if c.get("c_39") == nil || c.get("c_00") != nil || held > 4<<10/200 {
		t.Errorf("after 40 conversations of 200 bytes in a 4 KiB cache: holds %d, the last %v, the first %v", held, c.get("c_39") != nil, c.get("c_00") != nil)
	}
}
