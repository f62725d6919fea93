package web

import (
	"io"
	"log/slog"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/prometheus/client_golang/prometheus"
)

// Receivers run outside the hub's lock: a seller's stream filtering a
// notification holds up no one else's subscribing or unsubscribing. A
// receiver unsubscribed while a notification is being handed out gets
// nothing after unsubscribe returns, and the others still get it.
func TestHubDeliversOutsideItsLock(t *testing.T) {
	t.Parallel()
	h := newHub(slog.New(slog.NewTextHandler(io.Discard, nil)), newMetrics(prometheus.NewRegistry()), nil)
	var locked, later int
	var got []string
	var second *subscription
	first := h.subscribe("", func(e hubEvent) {
		got = append(got, "first")
		// Under the hub's lock, this would find it held.
		if !h.mu.TryLock() {
			locked++
			return
		}
		h.mu.Unlock()
		h.unsubscribe(second)
		h.subscribe("c_other", func(hubEvent) { later++ })
	})
	second = h.subscribe("", func(hubEvent) { got = append(got, "second") })
	h.subscribe("c_1", func(hubEvent) { got = append(got, "conversation") })
	h.dispatch(&pgconn.Notification{Channel: messagesChannel, Payload: "c_1:3:shop-a:"})
	if locked != 0 || len(got) != 2 || got[0] != "conversation" || got[1] != "first" {
		t.Errorf("delivered to %v with the hub locked %d times, want the conversation's and the first receiver, unlocked", got, locked)
	}
	h.unsubscribe(first)
	h.dispatch(&pgconn.Notification{Channel: messagesChannel, Payload: "c_other:1::"})
	if later != 1 || len(got) != 2 {
		t.Errorf("after unsubscribing: %v, and the receiver subscribed meanwhile got %d; want no more, and 1", got, later)
	}
}
