package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools/demo"
)

// chatFrame is a server frame as this test reads it.
type chatFrame struct {
	Type           string `json:"type"`
	ConversationID string `json:"conversation_id"`
	Seq            int64  `json:"seq"`
	Role           string `json:"role"`
	Text           string `json:"text"`
	ActionID       string `json:"action_id"`
	Code           string `json:"code"`
	Status         string `json:"status"`
}

// chatConn is a buyer's chat websocket on one replica.
type chatConn struct {
	t  *testing.T
	ws *websocket.Conn
}

func dialChat(t *testing.T, addr, token string) *chatConn {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.DialContext(t.Context(), "ws://"+addr+"/v1/chat/ws", http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { ws.Close() })
	return &chatConn{t: t, ws: ws}
}

func (c *chatConn) send(v map[string]any) {
	c.t.Helper()
	if err := c.ws.WriteJSON(v); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// until reads frames until one satisfies ok, and returns it.
func (c *chatConn) until(what string, ok func(chatFrame) bool) chatFrame {
	c.t.Helper()
	for {
		c.ws.SetReadDeadline(time.Now().Add(60 * time.Second)) //nolint:errcheck
		var f chatFrame
		if err := c.ws.ReadJSON(&f); err != nil {
			c.t.Fatalf("waiting for %s: %v", what, err)
		}
		if f.Type == "error" {
			c.t.Fatalf("waiting for %s: error frame %+v", what, f)
		}
		if ok(f) {
			return f
		}
	}
}

func isReply(f chatFrame) bool { return f.Type == "message" && f.Role == "assistant" }

// serveReplica runs `csagent serve` on a free address until the test ends
// and returns the address once it is healthy.
func serveReplica(t *testing.T, getenv func(string) string) string {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out, errOut syncBuffer
	go func() {
		done <- run(ctx, []string{"csagent", "serve", "--addr", addr}, getenv, nil, &out, &errOut)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("replica %s returned %v after cancel", addr, err)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("replica %s did not stop within 30 s", addr)
		}
	})
	waitHealthy(t, "http://"+addr, done)
	return addr
}

// Two `csagent serve` processes' worth of server — two runs, sharing
// nothing but the database, both started at once (so both migrate it): the
// buyer on A and the seller on B see each other's messages live, a
// confirmation sent to both replicas refunds once, and the buyer resumes
// on B where they left A.
func TestTwoServeReplicasOnOneDatabase(t *testing.T) {
	t.Parallel()
	pool, dbURL := pgtest.NewWithURL(t)
	getenv := testEnv("DATABASE_URL", dbURL, "CSAGENT_AUTH_SECRET", testSecret)
	var a, b string
	var wg sync.WaitGroup
	wg.Go(func() { a = serveReplica(t, getenv) })
	wg.Go(func() { b = serveReplica(t, getenv) })
	wg.Wait()
	var out, errOut bytes.Buffer
	if err := run(t.Context(), []string{"csagent", "seed", "--demo"}, getenv, nil, &out, &errOut); err != nil {
		t.Fatalf("seed --demo: %v\n%s", err, errOut.String())
	}
	var order demo.Order
	for _, o := range demo.Plan() {
		if o.Kind == demo.DeliveredRecently && o.ShopID == "shop-maple" {
			order = o
			break
		}
	}
	mint := func(role, id string) string {
		t.Helper()
		out.Reset()
		if err := run(t.Context(), []string{"csagent", "token", role, id}, getenv, nil, &out, &errOut); err != nil {
			t.Fatalf("token %s %s: %v", role, id, err)
		}
		return strings.TrimSpace(out.String())
	}
	buyerTok, sellerTok := mint("buyer", order.BuyerID), mint("seller", "seller-maple")

	onA := dialChat(t, a, buyerTok)
	onA.send(map[string]any{"type": "hello", "locale": "en"})
	conv := onA.until("ready", func(f chatFrame) bool { return f.Type == "ready" }).ConversationID
	onA.send(map[string]any{"type": "user_message", "id": "1", "text": "I want to talk to a human about " + order.ID})
	onA.until("the reply", isReply)
	onB := dialChat(t, b, buyerTok)
	onB.send(map[string]any{"type": "hello", "conversation_id": conv, "last_seq": 2})
	onB.until("ready", func(f chatFrame) bool { return f.Type == "ready" })

	// Live, both ways: the seller answers on B, the buyer reads it on A;
	// the buyer writes on A, their tab on B shows it.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, "http://"+b+"/v1/seller/conversations/"+conv+"/messages",
		strings.NewReader(`{"id":"s1","text":"Hi, Dana from Maple & Pine here."}`))
	req.Header.Set("Authorization", "Bearer "+sellerTok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("seller's reply on B: %v %v", resp, err)
	}
	resp.Body.Close()
	onA.until("the seller's reply from B", func(f chatFrame) bool {
		return f.Type == "message" && f.Role == "agent" && f.Text == "Hi, Dana from Maple & Pine here."
	})
	onA.send(map[string]any{"type": "user_message", "id": "2", "text": "thanks Dana, the boots arrived damaged"})
	onB.until("the buyer's message from A", func(f chatFrame) bool {
		return f.Type == "message" && f.Role == "user" && f.Text == "thanks Dana, the boots arrived damaged"
	})
	// Handed back, the assistant takes the refund.
	req, _ = http.NewRequestWithContext(t.Context(), http.MethodPost, "http://"+a+"/v1/seller/conversations/"+conv+"/handback", nil)
	req.Header.Set("Authorization", "Bearer "+sellerTok)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("hand back on A: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	// The take-over's status may come after the seller's message (they
	// commit together): the hand-back is the status "open".
	onA.until("the hand-back", func(f chatFrame) bool { return f.Type == "status" && f.Status == "open" })

	// One confirmation, sent to both replicas at once.
	onA.send(map[string]any{"type": "user_message", "id": "3", "text": "please refund " + order.ID + ", it arrived damaged"})
	actionID := onA.until("the confirm_request", func(f chatFrame) bool { return f.Type == "confirm_request" }).ActionID
	onA.until("the reply", isReply)
	var send sync.WaitGroup
	for _, c := range []*chatConn{onA, onB} {
		send.Go(func() { c.ws.WriteJSON(map[string]any{"type": "confirm", "action_id": actionID, "approved": true}) }) //nolint:errcheck // read below
	}
	send.Wait()
	done := onA.until("the refund's reply", func(f chatFrame) bool { return isReply(f) && strings.Contains(f.Text, "RF-") })
	onB.until("the refund's reply", func(f chatFrame) bool { return isReply(f) && f.Seq == done.Seq })
	var refunds int
	if err := pool.QueryRow(t.Context(), `SELECT count(*) FROM refunds WHERE order_id = $1`, order.ID).Scan(&refunds); err != nil {
		t.Fatal(err)
	}
	if refunds != 1 {
		t.Fatalf("a confirmation sent to two replicas made %d refunds, want 1", refunds)
	}

	// The buyer leaves A and resumes on B from what they had seen.
	onA.ws.Close()
	seen := done.Seq
	back := dialChat(t, b, buyerTok)
	back.send(map[string]any{"type": "hello", "conversation_id": conv, "last_seq": seen - 1})
	if f := back.until("ready", func(f chatFrame) bool { return f.Type == "ready" }); f.Seq != seen {
		t.Errorf("ready on B = seq %d, want %d", f.Seq, seen)
	}
	if f := back.until("the replayed reply", func(f chatFrame) bool { return f.Type == "message" }); f.Seq != seen || f.Text != done.Text {
		t.Errorf("resuming on B replayed %+v, want the refund's reply at seq %d", f, seen)
	}
	if err := back.ws.WriteJSON(map[string]any{"type": "marker"}); err != nil {
		t.Fatal(err)
	}
	back.ws.SetReadDeadline(time.Now().Add(60 * time.Second)) //nolint:errcheck
	var f chatFrame
	if err := back.ws.ReadJSON(&f); err != nil || f.Type != "error" {
		t.Errorf("after the replay B sent %+v (%v), want only the error answering the marker", f, err)
	}
}
