package web_test

import (
	"context"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

// seqs returns the seqs of message frames, in the order they came.
func seqs(frames []frame) []int64 {
	var out []int64
	for _, f := range frames {
		out = append(out, f.Seq)
	}
	return out
}

// Messages stored while the buyer is away (a seller's reply, the buyer's
// own message from another device) reach them on reconnecting, after
// last_seq, each exactly once and in order; a message stored after the
// replay arrives live, once; a last_seq past the end replays nothing.
func TestChatResumeGetsWhatWasStoredWhileAway(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o, seller := shopOrder(t, "shop-maple", "en", demo.DeliveredRecently)
	c := e.dial(t, o.BuyerID)
	ready := c.hello("", 0)
	c.ask("a", "hi, it's about "+o.ID)
	c.ws.Close()

	conv := "/v1/conversations/" + ready.ConversationID
	sellerPath := "/v1/seller/conversations/" + ready.ConversationID + "/messages"
	sellerTok := e.sellerToken(t, seller)
	if r := e.call(t, http.MethodPost, sellerPath, sellerTok, map[string]string{"id": "s1", "text": "Hello from the shop"}); r.status != http.StatusCreated {
		t.Fatalf("seller's reply = %d %s", r.status, r.body)
	}
	// The seller has the conversation now, so this is stored unanswered.
	if r := e.call(t, http.MethodPost, conv+"/messages", e.buyerToken(t, o.BuyerID), map[string]string{"id": "phone", "text": "sent from my phone"}); r.status != http.StatusOK {
		t.Fatalf("message from another device = %d %s", r.status, r.body)
	}

	tests := []struct {
		name     string
		lastSeq  int64
		wantSeqs []int64
	}{
		{"from what the tab saw", 2, []int64{3, 4}},
		{"from the start", 0, []int64{1, 2, 3, 4}},
		{"from the middle", 3, []int64{4}},
		{"at the end", 4, nil},
		{"past the end", 99, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.dial(t, o.BuyerID)
			r := c.hello(ready.ConversationID, tt.lastSeq)
			if r.Seq != 4 || r.Status != "agent" {
				t.Fatalf("ready = %+v, want seq 4 and status agent", r)
			}
			got := c.messages(len(tt.wantSeqs))
			if !slices.Equal(seqs(got), tt.wantSeqs) {
				t.Errorf("replayed seqs %v, want %v", seqs(got), tt.wantSeqs)
			}
			for _, f := range got {
				if f.Seq == 3 && (f.Role != "agent" || f.Text != "Hello from the shop") {
					t.Errorf("seq 3 = %+v, want the seller's reply", f)
				}
				if f.Seq == 4 && (f.Role != "user" || f.ID != "phone") {
					t.Errorf("seq 4 = %+v, want the buyer's message from the phone", f)
				}
			}
			c.quiet()
		})
	}

	// After a replay, live messages continue the sequence exactly once.
	c2 := e.dial(t, o.BuyerID)
	c2.hello(ready.ConversationID, 2)
	c2.messages(2)
	if r := e.call(t, http.MethodPost, sellerPath, sellerTok, map[string]string{"id": "s2", "text": "Found it"}); r.status != http.StatusCreated {
		t.Fatalf("seller's second reply = %d %s", r.status, r.body)
	}
	if got := c2.messages(1)[0]; got.Seq != 5 || got.Text != "Found it" {
		t.Errorf("live after the replay: %+v, want the seller's seq 5", got)
	}
	c2.quiet()
}

// A buyer who sends a message and leaves at once finds the question and
// the reply, which the server finished without them, on reconnecting.
func TestChatTurnFinishedAfterTheBuyerLeftIsReplayed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := orderWithKind(t, demo.InTransit)
	c := e.dial(t, o.BuyerID)
	ready := c.hello("", 0)
	c.sendJSON(map[string]any{"type": "user_message", "id": "gone", "text": "where is my order " + o.ID})
	c.ws.Close()
	eventually(t, "the turn to be stored", func() bool {
		var n int
		err := e.pool.QueryRow(t.Context(), "SELECT count(*) FROM messages WHERE conversation_id = $1", ready.ConversationID).Scan(&n)
		return err == nil && n == 2
	})

	c2 := e.dial(t, o.BuyerID)
	c2.hello(ready.ConversationID, 0)
	got := c2.messages(2)
	if got[0].Seq != 1 || got[0].ID != "gone" || got[1].Seq != 2 || got[1].Role != "assistant" {
		t.Errorf("replay = %+v, want the question (seq 1) and the reply (seq 2)", got)
	}
	c2.quiet()
}

// The same client id sent from two tabs at the same moment is processed
// once: one question and one reply are stored, and each tab ends up with
// both. A tab may see the reply twice (its resend is answered with it),
// never under another seq.
func TestChatSameClientIDFromTwoTabsAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := orderWithKind(t, demo.InTransit)
	a := e.dial(t, o.BuyerID)
	ready := a.hello("", 0)
	b := e.dial(t, o.BuyerID)
	b.hello(ready.ConversationID, 0)

	msg := map[string]any{"type": "user_message", "id": "twice", "text": "where is my order " + o.ID}
	var wg sync.WaitGroup
	for _, c := range []*client{a, b} {
		wg.Go(func() {
			if err := c.ws.WriteJSON(msg); err != nil {
				t.Errorf("send: %v", err)
			}
		})
	}
	wg.Wait()
	for name, c := range map[string]*client{"A": a, "B": b} {
		seen := map[int64]bool{}
		for !seen[1] || !seen[2] {
			f := c.next()
			if f.Type != "message" {
				continue // tool progress of the turn
			}
			if f.Seq != 1 && f.Seq != 2 {
				t.Fatalf("tab %s got %+v, want only seqs 1 and 2", name, f)
			}
			seen[f.Seq] = true
		}
	}
	var n, calls int
	if err := e.pool.QueryRow(t.Context(), `SELECT (SELECT count(*) FROM messages WHERE conversation_id = $1),
		(SELECT count(*) FROM tool_calls WHERE conversation_id = $1)`, ready.ConversationID).Scan(&n, &calls); err != nil {
		t.Fatal(err)
	}
	if n != 2 || calls != 1 {
		t.Errorf("stored %d messages and %d tool calls, want 2 and 1", n, calls)
	}
}

// A client that stops reading is dropped once a write has waited the write
// timeout; the server never holds more of its conversation than the
// bounded queue and the socket buffers, the drop is counted, and the
// connection's slot is freed.
func TestChatSlowReaderIsDropped(t *testing.T) {
	// Not t.Parallel: it runs against wall-clock windows (a deadline, a
	// lifetime or a grace period of a second or less), so it runs alone.
	e := newEnvOpts(t, withLimits(web.Limits{WriteTimeout: 300 * time.Millisecond}))
	buyer := demo.BuyerID(13)
	tok := e.buyerToken(t, buyer)
	convID := e.newConversation(t, tok)
	// A long conversation: 2000 messages of 16 000 characters, 32 MB,
	// several times what the queue and the socket buffers hold.
	const stored = 2000
	if _, err := e.pool.Exec(t.Context(), `
		INSERT INTO messages (conversation_id, seq, turn_id, role, author_id, text)
		SELECT $1, g, 't_bulk' || g, 'agent', 'seller-maple', repeat('x', 16000) FROM generate_series(1, $2::int) g`,
		convID, stored); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(t.Context(), `UPDATE conversations SET last_seq = $2 WHERE id = $1`, convID, stored); err != nil {
		t.Fatal(err)
	}

	// A small receive buffer keeps the kernel from absorbing the lot.
	dialer := websocket.Dialer{NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		if tcp, ok := conn.(*net.TCPConn); ok {
			if err := tcp.SetReadBuffer(16 << 10); err != nil {
				conn.Close()
				return nil, err
			}
		}
		return conn, nil
	}}
	ws, _, err := dialer.DialContext(t.Context(), e.wsURL(), http.Header{"Authorization": {"Bearer " + tok}})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if err := ws.WriteJSON(map[string]any{"type": "hello", "conversation_id": convID, "last_seq": 0}); err != nil {
		t.Fatal(err)
	}
	// Reading nothing, the client stalls the replay.
	eventually(t, "the slow client to be dropped", func() bool {
		return metric(t, e.metrics, "csagent_web_limited_total", "limit", "slow_client") == 1
	})
	eventually(t, "the connection to be released", func() bool {
		return metric(t, e.metrics, "csagent_ws_connections") == 0
	})

	// The server stopped loading the conversation for it: it queued no
	// more than the bounded queue and what the socket took.
	if got := metric(t, e.metrics, "csagent_ws_messages_delivered_total"); got >= stored/2 {
		t.Errorf("queued %v of the %d messages for a client that read none, want far fewer", got, stored)
	}
	ws.Close()
	// The buyer can come back and read normally.
	c := e.dial(t, buyer)
	c.hello(convID, stored-1)
	if f := c.messages(1)[0]; f.Seq != stored {
		t.Errorf("after reconnecting: %+v, want seq %d", f, stored)
	}
}

// One buyer cannot decide another's pending action, whether from their own
// conversation or over the HTTP API: the answer is not_found, nothing is
// refunded, and the owner can still confirm.
func TestChatConfirmOfAnotherBuyersActionIsNotFound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	owner, order := buyerWith(t, "en", demo.DeliveredRecently)
	c := e.dial(t, owner)
	c.hello("", 0)
	_, before := c.ask("r1", "I want a refund for "+order+", it arrived damaged")
	var actionID string
	for _, f := range before {
		if f.Type == "confirm_request" {
			actionID = f.ActionID
		}
	}
	if actionID == "" {
		t.Fatalf("frames %+v, want a confirm_request", before)
	}

	intruder := demo.BuyerID(0)
	if intruder == owner {
		intruder = demo.BuyerID(1)
	}
	ic := e.dial(t, intruder)
	ready := ic.hello("", 0)
	ic.sendJSON(map[string]any{"type": "confirm", "action_id": actionID, "approved": true})
	if f := ic.next(); f.Type != "error" || f.Code != "not_found" {
		t.Errorf("another buyer's confirm = %+v, want not_found", f)
	}
	r := e.call(t, http.MethodPost, "/v1/conversations/"+ready.ConversationID+"/confirm", e.buyerToken(t, intruder),
		map[string]any{"action_id": actionID, "approved": true})
	if r.status != http.StatusNotFound || r.errorCode() != "not_found" {
		t.Errorf("another buyer's confirm over HTTP = %d %s, want 404 not_found", r.status, r.body)
	}
	if n, _ := e.refunds(t, order); n != 0 {
		t.Fatalf("%d refunds after another buyer's confirm, want 0", n)
	}

	c.sendJSON(map[string]any{"type": "confirm", "action_id": actionID, "approved": true})
	if done, _ := c.reply(); !strings.Contains(done.Text, "RF-") {
		t.Errorf("owner's confirm = %+v, want the refund", done)
	}
	if n, _ := e.refunds(t, order); n != 1 {
		t.Errorf("%d refunds after the owner's confirm, want 1", n)
	}
}
