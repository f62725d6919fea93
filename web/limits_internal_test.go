package web

import (
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// The rate limiter's memory stays bounded: past its bound, buyers whose
// bucket is full again are forgotten first (which changes nothing for
// them), and only if none is, arbitrary ones.
func TestLimiterStaysBounded(t *testing.T) {
	t.Parallel()
	l := newLimiter(Limits{MessagesPerMinute: 60, MessageBurst: 2, TrackedBuyers: 100}.withDefaults(), newMetrics(prometheus.NewRegistry()))
	now := time.Unix(1e9, 0)
	var allowed int
	for range 3 {
		if l.allowMessage("busy", now) {
			allowed++
		}
	}
	if allowed != 2 {
		t.Fatalf("a burst of 2 allowed %d", allowed)
	}
	for i := range 1000 {
		l.allowMessage(fmt.Sprint("b", i), now)
		if len(l.buckets) > 100 {
			t.Fatalf("%d buckets, want at most 100", len(l.buckets))
		}
	}
	// Two seconds on every bucket is full again: one new buyer sweeps
	// them all away.
	now = now.Add(2 * time.Second)
	l.allowMessage("late", now)
	if len(l.buckets) != 1 {
		t.Errorf("%d buckets after the sweep, want only the new buyer's", len(l.buckets))
	}
}

func TestConnectionCount(t *testing.T) {
	t.Parallel()
	l := newLimiter(Limits{ConnectionsPerBuyer: 2}.withDefaults(), newMetrics(prometheus.NewRegistry()))
	var opened int
	for range 3 {
		if l.openConn("a") {
			opened++
		}
	}
	if opened != 2 || !l.openConn("b") {
		t.Fatalf("a limit of 2 opened %d connections of one buyer", opened)
	}
	l.closeConn("a")
	if !l.openConn("a") {
		t.Error("a closed connection did not make room")
	}
	l.closeConn("a")
	l.closeConn("a")
	l.closeConn("b")
	if len(l.conns) != 0 {
		t.Errorf("%d buyers still counted after every connection closed", len(l.conns))
	}
}
