package agent_test

import (
	"testing"
	"time"

	"github.com/csagent/csagent/agent"
)

// A buyer's message stored by a turn that never stored its reply (the
// process killed mid-turn, the database down past the reply's window) is
// answered anew when the client sends it again after the turn could have
// ended; a younger one is still its own turn's to answer.
func TestRunAnswersAResentMessageWhoseTurnLeftNoReply(t *testing.T) {
	tests := []struct {
		name      string
		age       time.Duration
		wantReply bool
	}{
		{"turn long dead", 2 * time.Minute, true},
		{"turn may still run", 5 * time.Second, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			const turnID, clientID = "t_orphan", "c-1"
			user, _, err := h.store.Append(t.Context(), h.conv.ID, agent.StoredMessage{
				TurnID: turnID, Role: "user", AuthorID: h.conv.BuyerID, Text: "where is my parcel?", ClientID: clientID,
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := h.pool.Exec(t.Context(), `UPDATE messages SET created_at = now() - make_interval(secs => $1)
				WHERE conversation_id = $2 AND seq = $3`, tt.age.Seconds(), h.conv.ID, user.Seq); err != nil {
				t.Fatal(err)
			}
			calls := 0
			a := h.agent(fakeModel{func(agent.Request) (agent.Response, error) {
				calls++
				return textReply("It is on its way."), nil
			}}, &fakeTools{}, agent.Config{TurnTimeout: time.Minute})

			r, err := a.Run(h.ctx, agent.Turn{ConversationID: h.conv.ID, ClientID: clientID, Text: "where is my parcel?", Locale: "en"},
				func(agent.Event) error { return nil })
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if r.TurnID != turnID || r.User.Seq != user.Seq {
				t.Errorf("Run answered turn %q (user seq %d), want the stored message's turn %q (seq %d)", r.TurnID, r.User.Seq, turnID, user.Seq)
			}
			if r.HasReply != tt.wantReply || (calls > 0) != tt.wantReply {
				t.Fatalf("HasReply = %v after %d model calls, want a reply: %v", r.HasReply, calls, tt.wantReply)
			}
			var replies int
			var text string
			if err := h.pool.QueryRow(t.Context(), `SELECT count(*), coalesce(max(text), '') FROM messages
				WHERE conversation_id = $1 AND turn_id = $2 AND role = 'assistant'`, h.conv.ID, turnID).Scan(&replies, &text); err != nil {
				t.Fatal(err)
			}
			if tt.wantReply && (replies != 1 || text != "It is on its way." || r.Assistant.Text != text || r.Duplicate) {
				t.Errorf("stored %d replies %q, Run returned %q (duplicate %v); want one new reply under the turn", replies, text, r.Assistant.Text, r.Duplicate)
			}
			if !tt.wantReply && (replies != 0 || !r.Duplicate) {
				t.Errorf("stored %d replies, duplicate %v; want the echo only while the turn may still run", replies, r.Duplicate)
			}

			// Sent once more, the message now brings back the stored reply.
			if tt.wantReply {
				again, err := a.Run(h.ctx, agent.Turn{ConversationID: h.conv.ID, ClientID: clientID, Text: "where is my parcel?", Locale: "en"},
					func(agent.Event) error { return nil })
				if err != nil {
					t.Fatal(err)
				}
				if !again.Duplicate || !again.HasReply || again.Assistant.Seq != r.Assistant.Seq || calls != 1 {
					t.Errorf("third send = %+v after %d model calls, want the stored reply again", again, calls)
				}
			}
		})
	}
}
