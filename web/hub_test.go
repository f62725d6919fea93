package web_test

import (
	"net/http"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools/demo"
)

// One conversation open in two tabs: each tab gets every stored message,
// its own and the other's, exactly once and in order; progress frames go
// only to the tab whose message is running.
func TestChatTwoTabsSeeEveryMessageOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := orderWithKind(t, demo.InTransit)
	a := e.dial(t, o.BuyerID)
	ready := a.hello("", 0)
	b := e.dial(t, o.BuyerID)
	b.hello(ready.ConversationID, 0)

	reply, before := a.ask("q1", "where is my order "+o.ID)
	var echoes []frame
	for _, f := range before {
		if f.Type == "message" {
			echoes = append(echoes, f)
		}
	}
	if len(echoes) != 1 || echoes[0].Seq != 1 || echoes[0].Role != "user" || echoes[0].ID != "q1" {
		t.Errorf("tab A got its own message as %+v, want it once with seq 1 and id q1", echoes)
	}
	got := b.messages(2)
	if got[0].Seq != 1 || got[0].Role != "user" || got[0].ID != "q1" || got[1].Seq != 2 || got[1].Text != reply.Text {
		t.Errorf("tab B got %+v, want the question (seq 1) and the reply (seq 2)", got)
	}

	// The other way round.
	reply2, _ := b.ask("q2", "thanks")
	got = a.messages(2)
	if got[0].Seq != 3 || got[0].ID != "q2" || got[1].Seq != 4 || got[1].Text != reply2.Text {
		t.Errorf("tab A got %+v, want seqs 3 and 4", got)
	}
	a.quiet()
	b.quiet()
}

// A seller replying on one replica reaches the buyer connected to another,
// through Postgres LISTEN/NOTIFY; while the seller has the conversation the
// assistant stays silent, and after the hand-back it answers again.
func TestSellerReplyReachesTheBuyerOnAnotherReplica(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	other := e.replica(t)
	o, seller := shopOrder(t, "shop-maple", "en", demo.DeliveredRecently)
	c := e.dial(t, o.BuyerID)
	ready := c.hello("", 0)
	c.ask("1", "I want to talk to a human about "+o.ID)

	sellerTok := e.sellerToken(t, seller)
	r := callURL(t, other.srv.URL, http.MethodPost, "/v1/seller/conversations/"+ready.ConversationID+"/messages", sellerTok,
		map[string]string{"id": "s1", "text": "Hi, this is Dana from the shop. Let me check " + o.ID + "."})
	if r.status != http.StatusCreated {
		t.Fatalf("seller's reply on the other replica = %d %s", r.status, r.body)
	}
	msg := c.messages(1, "status")[0]
	if msg.Role != "agent" || msg.Text != "Hi, this is Dana from the shop. Let me check "+o.ID+"." {
		t.Fatalf("buyer got %+v, want the seller's message", msg)
	}

	// The conversation is the seller's now: the buyer's next message is
	// stored and shown, and the assistant does not answer it.
	c.sendJSON(map[string]any{"type": "user_message", "id": "2", "text": "thank you, waiting"})
	echo := c.messages(1, "status")[0]
	if echo.Role != "user" || echo.ID != "2" {
		t.Fatalf("after sending: %+v, want only the buyer's own message", echo)
	}
	c.quiet()
	var assistants int
	if err := e.pool.QueryRow(t.Context(), `SELECT count(*) FROM messages WHERE conversation_id = $1 AND seq > $2 AND role = 'assistant'`,
		ready.ConversationID, msg.Seq).Scan(&assistants); err != nil {
		t.Fatal(err)
	}
	if assistants != 0 {
		t.Errorf("the assistant answered %d times while the seller had the conversation", assistants)
	}

	// Handed back, on the other replica: the buyer hears of it and the
	// assistant answers again.
	if r := callURL(t, other.srv.URL, http.MethodPost, "/v1/seller/conversations/"+ready.ConversationID+"/handback", sellerTok, nil); r.status != http.StatusOK {
		t.Fatalf("hand back = %d %s", r.status, r.body)
	}
	c.waitStatus("open")
	reply, _ := c.ask("3", "where is my order "+o.ID)
	if reply.Role != "assistant" {
		t.Errorf("after the hand-back the reply is %+v, want the assistant's", reply)
	}
}

// When the listening connection drops, the hub reconnects and every open
// chat reloads what it missed meanwhile, exactly once: the messages and the
// conversation's status.
func TestHubReconnectsAndCatchesUp(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := orderWithKind(t, demo.Paid)
	c := e.dial(t, o.BuyerID)
	ready := c.hello("", 0)
	eventually(t, "the listener to connect", func() bool { return metric(t, e.metrics, "csagent_hub_listening") == 1 })

	var killed int
	if err := e.pool.QueryRow(t.Context(), `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'`).Scan(&killed); err != nil {
		t.Fatal(err)
	}
	if killed != 1 {
		t.Fatalf("terminated %d listening connections, want 1", killed)
	}
	// Stored while nobody listens, as another replica would.
	if _, _, err := e.agent.Store().Append(t.Context(), ready.ConversationID, agent.StoredMessage{
		TurnID: agent.NewID("t_"), Role: "agent", AuthorID: "seller-maple", Text: "written while the listener was down",
	}); err != nil {
		t.Fatal(err)
	}
	// And a status change, as a seller's take-over on another replica.
	if _, err := e.pool.Exec(t.Context(), `UPDATE conversations SET status = 'agent' WHERE id = $1`, ready.ConversationID); err != nil {
		t.Fatal(err)
	}
	got := c.messages(1)[0]
	if got.Text != "written while the listener was down" || got.Seq != 1 {
		t.Errorf("after the reconnect the buyer got %+v", got)
	}
	c.waitStatus("agent")
	if metric(t, e.metrics, "csagent_hub_reconnects_total") < 1 {
		t.Error("the reconnect was not counted")
	}
	c.quiet()
}
