package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/csagent/csagent/tools/demo"
)

// A seller's reply takes the conversation over and stores the message in
// one transaction: when either write fails, neither stays — no take-over
// without the message the buyer was to read, no message in a conversation
// the assistant still answers. Another shop's seller is told there is no
// such conversation, as before, and changes nothing.
func TestSellerReplyAndTakeOverCommitTogether(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o, seller := shopOrder(t, "shop-maple", "en", demo.DeliveredRecently)
	conv := e.startChat(t, o.BuyerID, "hello, it's about "+o.ID)
	path := "/v1/seller/conversations/" + conv + "/messages"
	state := func() (status string, replies int) {
		t.Helper()
		if err := e.pool.QueryRow(t.Context(), `SELECT status, (SELECT count(*) FROM messages WHERE conversation_id = $1 AND role = 'agent')
			FROM conversations WHERE id = $1`, conv).Scan(&status, &replies); err != nil {
			t.Fatal(err)
		}
		return status, replies
	}

	// Each write fails in turn, as a database error at that point would.
	for _, tt := range []struct{ name, table, when string }{
		{"the message fails", "messages", "BEFORE INSERT ON messages FOR EACH ROW WHEN (NEW.role = 'agent')"},
		{"the take-over fails", "conversations", "BEFORE UPDATE ON conversations FOR EACH ROW WHEN (NEW.status = 'agent')"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := e.pool.Exec(t.Context(), `CREATE FUNCTION test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN RAISE EXCEPTION 'injected failure'; END $$`); err != nil {
				t.Fatal(err)
			}
			if _, err := e.pool.Exec(t.Context(), `CREATE TRIGGER test_fail `+tt.when+` EXECUTE FUNCTION test_fail()`); err != nil {
				t.Fatal(err)
			}
			r := e.call(t, http.MethodPost, path, e.sellerToken(t, seller), map[string]string{"id": "r1", "text": "Hello from the shop"})
			if _, err := e.pool.Exec(t.Context(), `DROP TRIGGER test_fail ON `+tt.table+`; DROP FUNCTION test_fail()`); err != nil {
				t.Fatal(err)
			}
			if r.status < 500 {
				t.Errorf("reply with %s = %d %s, want a server error", tt.name, r.status, r.body)
			}
			if status, replies := state(); status != "open" || replies != 0 {
				t.Errorf("after the failed reply: conversation %s with %d seller messages, want open with none", status, replies)
			}
		})
	}

	other := e.sellerToken(t, "seller-sol")
	r := e.call(t, http.MethodPost, path, other, map[string]string{"id": "r2", "text": "Hello from another shop"})
	if r.status != http.StatusNotFound || r.errorCode() != "not_found" || !strings.Contains(string(r.body), "no such conversation") {
		t.Errorf("another shop's reply = %d %s, want 404 not_found, no such conversation", r.status, r.body)
	}
	if status, replies := state(); status != "open" || replies != 0 {
		t.Errorf("after another shop's reply: conversation %s with %d seller messages, want open with none", status, replies)
	}

	if r := e.call(t, http.MethodPost, path, e.sellerToken(t, seller), map[string]string{"id": "r1", "text": "Hello from the shop"}); r.status != http.StatusCreated {
		t.Fatalf("reply = %d %s", r.status, r.body)
	}
	if status, replies := state(); status != "agent" || replies != 1 {
		t.Errorf("after the reply: conversation %s with %d seller messages, want agent with 1", status, replies)
	}
}
