package web_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/csagent/csagent/tools/demo"
)

// sellerEvents opens the seller panel's event stream on the server at base
// for conversation convID after seq after, and returns its events (name,
// data) as they arrive; the stream closes when the test ends.
func sellerEvents(t *testing.T, base, token, convID string, after int64) <-chan [2]string {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet,
		base+"/v1/seller/events?after="+strconv.FormatInt(after, 10)+"&conversation_id="+convID, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("open the seller's event stream: %v", err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("seller events = %d", resp.StatusCode)
	}
	events := make(chan [2]string, 64)
	go func() {
		defer close(events)
		sc := bufio.NewScanner(resp.Body)
		var name string
		for sc.Scan() {
			if n, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				name = n
			} else if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				events <- [2]string{name, d}
			}
		}
	}()
	return events
}

// nextMessage returns the next "message" event of a seller's stream,
// skipping the others.
func nextMessage(t *testing.T, events <-chan [2]string) frame {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatal("the seller's event stream ended")
			}
			if ev[0] != "message" {
				continue
			}
			var f frame
			if err := json.Unmarshal([]byte(ev[1]), &f); err != nil {
				t.Fatalf("message event %q: %v", ev[1], err)
			}
			return f
		case <-timeout:
			t.Fatal("no message event in 10 s")
		}
	}
}

// Two replicas on one database, sharing nothing else: the buyer chats on
// A while the seller watches and answers on B, each sees the other's
// messages live; the conversation's confirmation, sent to both replicas at
// once, refunds once; and a buyer who moves to B resumes where they were.
func TestReplicasShareConversations(t *testing.T) {
	t.Parallel()
	a := newEnv(t)
	b := a.replica(t)
	o, seller := shopOrder(t, "shop-maple", "en", demo.DeliveredRecently)
	sellerTok := a.sellerToken(t, seller)

	onA := a.dial(t, o.BuyerID)
	ready := onA.hello("", 0)
	onA.ask("1", "I want to talk to a human about "+o.ID)
	var seq int64
	if err := a.pool.QueryRow(t.Context(), `SELECT last_seq FROM conversations WHERE id = $1`, ready.ConversationID).Scan(&seq); err != nil {
		t.Fatal(err)
	}

	t.Run("live both ways", func(t *testing.T) {
		events := sellerEvents(t, b.srv.URL, sellerTok, ready.ConversationID, seq)
		onA.sendJSON(map[string]any{"type": "user_message", "id": "2", "text": "is anyone there? my boots arrived torn"})
		if m := nextMessage(t, events); m.Role != "user" || m.Text != "is anyone there? my boots arrived torn" {
			t.Fatalf("the seller on B saw %+v, want the buyer's message from A", m)
		}
		// The assistant still answers while the conversation waits for a
		// person; its reply looks up every order of the buyer's, of several
		// shops, so the seller's stream does not carry it.
		onA.reply()

		r := callURL(t, b.srv.URL, http.MethodPost, "/v1/seller/conversations/"+ready.ConversationID+"/messages", sellerTok,
			map[string]string{"id": "s1", "text": "Hi, Dana from Maple & Pine here. Sorry about the boots!"})
		if r.status != http.StatusCreated {
			t.Fatalf("seller's reply on B = %d %s", r.status, r.body)
		}
		if m := onA.messages(1, "status")[0]; m.Role != "agent" || m.Text != "Hi, Dana from Maple & Pine here. Sorry about the boots!" {
			t.Fatalf("the buyer on A got %+v, want the seller's reply from B", m)
		}
		if m := nextMessage(t, events); m.Role != "agent" {
			t.Errorf("the seller's own stream on B showed %+v, want their reply", m)
		}
		// Hand back so the assistant answers the refund below.
		if r := callURL(t, b.srv.URL, http.MethodPost, "/v1/seller/conversations/"+ready.ConversationID+"/handback", sellerTok, nil); r.status != http.StatusOK {
			t.Fatalf("hand back = %d %s", r.status, r.body)
		}
		onA.waitStatus("open")
	})

	t.Run("one confirmation on two replicas", func(t *testing.T) {
		msg, before := onA.ask("3", "please refund "+o.ID+", it arrived damaged")
		var req frame
		for _, f := range before {
			if f.Type == "confirm_request" {
				req = f
			}
		}
		if req.ActionID == "" {
			t.Fatalf("reply %q without a confirm_request (%+v)", msg.Text, before)
		}
		onB := b.dial(t, o.BuyerID)
		onB.hello(ready.ConversationID, msg.Seq)
		if f := onB.next(); f.Type != "confirm_request" || f.ActionID != req.ActionID {
			t.Fatalf("the tab on B was asked %+v, want the pending confirmation again", f)
		}
		// Both tabs confirm at once, each on its own replica.
		var wg sync.WaitGroup
		for _, c := range []*client{onA, onB} {
			wg.Go(func() {
				c.ws.WriteJSON(map[string]any{"type": "confirm", "action_id": req.ActionID, "approved": true}) //nolint:errcheck // read below
			})
		}
		wg.Wait()
		replyA, _ := onA.reply()
		replyB, _ := onB.reply()
		if replyA.Seq != replyB.Seq || !strings.Contains(replyA.Text, "RF-") {
			t.Errorf("tab A got %+v, tab B %+v; want the one refund's reply on both", replyA, replyB)
		}
		if n, _ := a.refunds(t, o.ID); n != 1 {
			t.Fatalf("two confirmations on two replicas made %d refunds, want 1", n)
		}
		var executed int
		if err := a.pool.QueryRow(t.Context(), `SELECT count(*) FROM tool_calls WHERE conversation_id = $1 AND tool = 'request_refund' AND error_code IS NULL`,
			ready.ConversationID).Scan(&executed); err != nil {
			t.Fatal(err)
		}
		if executed != 1 {
			t.Errorf("request_refund ran %d times, want once", executed)
		}
	})

	t.Run("resume on the other replica", func(t *testing.T) {
		var seen int64
		if err := a.pool.QueryRow(t.Context(), `SELECT last_seq FROM conversations WHERE id = $1`, ready.ConversationID).Scan(&seen); err != nil {
			t.Fatal(err)
		}
		onA.ws.Close()
		// While the buyer is away, the seller writes on A.
		r := callURL(t, a.srv.URL, http.MethodPost, "/v1/seller/conversations/"+ready.ConversationID+"/messages", sellerTok,
			map[string]string{"id": "s2", "text": "Your refund is on its way."})
		if r.status != http.StatusCreated {
			t.Fatalf("seller's reply on A = %d %s", r.status, r.body)
		}
		back := b.dial(t, o.BuyerID)
		if got := back.hello(ready.ConversationID, seen); got.Seq != seen+1 {
			t.Errorf("ready on B says seq %d, want %d", got.Seq, seen+1)
		}
		missed := back.messages(1, "status")
		if missed[0].Seq != seen+1 || missed[0].Text != "Your refund is on its way." {
			t.Errorf("resuming on B replayed %+v, want only the seller's message at seq %d", missed, seen+1)
		}
		back.quiet()
	})
}
