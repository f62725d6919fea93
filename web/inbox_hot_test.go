package web_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

// TestSupportInboxByLastMessage: a turn no longer touches
// conversations.updated_at (the numbering stays a HOT update), so
// support's inbox finds a conversation by its messages' time: one started
// long ago with a message today is in it, one quiet since is not.
func TestSupportInboxByLastMessage(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	old := time.Now().Add(-60 * 24 * time.Hour)
	buyer := demo.BuyerID(0)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO conversations (id, buyer_id, locale, last_seq, created_at, updated_at) VALUES
			('c_hotlate0001', $1, 'en', 1, $2, $2), ('c_hotquiet001', $1, 'en', 1, $2, $2)`, []any{buyer, old}},
		{`INSERT INTO messages (conversation_id, seq, turn_id, role, author_id, text, created_at) VALUES
			('c_hotlate0001', 1, 't1', 'user', $1, 'long ago', $2), ('c_hotquiet001', 1, 't1', 'user', $1, 'long ago', $2)`, []any{buyer, old}},
		// As the agent numbers a late message: last_seq only.
		{`UPDATE conversations SET last_seq = 2 WHERE id = 'c_hotlate0001'`, nil},
		{`INSERT INTO messages (conversation_id, seq, turn_id, role, author_id, text) VALUES
			('c_hotlate0001', 2, 't2', 'user', $1, 'where is my order now')`, []any{buyer}},
	} {
		if _, err := e.pool.Exec(ctx, q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	r := e.call(t, http.MethodGet, "/v1/seller/conversations", e.token(t, tools.RoleSupport, demo.SupportID), nil)
	if r.status != http.StatusOK {
		t.Fatalf("support inbox = %d %s", r.status, r.body)
	}
	var out struct {
		Conversations []inboxItem `json:"conversations"`
	}
	r.json(t, &out)
	if !inboxHas(out.Conversations, "c_hotlate0001") {
		t.Error("support's inbox lacks the conversation with today's message")
	}
	if inboxHas(out.Conversations, "c_hotquiet001") {
		t.Error("support's inbox has a conversation quiet for 60 days (the window is 30)")
	}
}
