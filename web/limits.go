package web

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limits bounds what one buyer may use of one replica. Zero fields take the
// defaults in parentheses.
type Limits struct {
	// MessagesPerMinute is the sustained rate of messages and decisions a
	// buyer may send, over the websocket and the HTTP API together (30).
	MessagesPerMinute int
	// MessageBurst is how many may come at once before the rate applies (10).
	MessageBurst int
	// ConnectionsPerBuyer is how many chat websockets one buyer may hold
	// open (5): a few tabs and devices, not a botnet.
	ConnectionsPerBuyer int
	// ConversationsPerHour is the sustained rate at which one buyer may
	// start conversations, over the websocket and the HTTP API together
	// (60), after a burst of ConversationBurst (10).
	ConversationsPerHour int
	ConversationBurst    int
	// SellerMessagesPerMinute is the rate of replies one seller may send
	// (30, half of it at once).
	SellerMessagesPerMinute int
	// SuggestionsPerMinute is the rate of suggested-reply and translation
	// requests of one seller, each of which may call a model (20, half of
	// it at once).
	SuggestionsPerMinute int
	// TrackedBuyers bounds the memory of the rate limiter (100000 buyers);
	// past it, buyers whose allowance is full again are forgotten first.
	TrackedBuyers int
	// IdleTimeout closes a chat websocket that has sent nothing, not even
	// a pong, for this long (75 s); the server pings at 2/5 of it (30 s),
	// so a live client always answers in time.
	IdleTimeout time.Duration
	// WriteTimeout is how long a frame may wait to be written to a chat
	// websocket whose client has stopped reading before the connection is
	// dropped (10 s).
	WriteTimeout time.Duration
}

func (l Limits) withDefaults() Limits {
	if l.MessagesPerMinute <= 0 {
		l.MessagesPerMinute = 30
	}
	if l.MessageBurst <= 0 {
		l.MessageBurst = 10
	}
	if l.ConnectionsPerBuyer <= 0 {
		l.ConnectionsPerBuyer = 5
	}
	if l.ConversationsPerHour <= 0 {
		l.ConversationsPerHour = 60
	}
	if l.ConversationBurst <= 0 {
		l.ConversationBurst = 10
	}
	if l.SellerMessagesPerMinute <= 0 {
		l.SellerMessagesPerMinute = 30
	}
	if l.SuggestionsPerMinute <= 0 {
		l.SuggestionsPerMinute = 20
	}
	if l.TrackedBuyers <= 0 {
		l.TrackedBuyers = 100000
	}
	if l.IdleTimeout <= 0 {
		l.IdleTimeout = 75 * time.Second
	}
	if l.WriteTimeout <= 0 {
		l.WriteTimeout = 10 * time.Second
	}
	return l
}

// The limits a request can hit, as metric labels.
const (
	limitRate        = "messages_per_minute"
	limitConnections = "connections_per_buyer"
	limitFrameSize   = "frame_size"
	limitBodySize    = "body_size"
	limitOrigin      = "origin"
	limitIdle        = "idle_timeout"
	limitQueue       = "queued_turns"
	limitSlowClient  = "slow_client"
	limitFrameRate   = "frames_per_second"
)

// limiter keeps the per-buyer limits: a token bucket of messages and a count
// of open connections, each in a bounded map.
type limiter struct {
	cfg     Limits
	metrics *metrics
	every   rate.Limit

	mu      sync.Mutex
	buckets map[string]*bucket
	conns   map[string]int
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(cfg Limits, m *metrics) *limiter {
	return &limiter{
		cfg:     cfg,
		metrics: m,
		every:   rate.Limit(float64(cfg.MessagesPerMinute) / 60),
		buckets: map[string]*bucket{},
		conns:   map[string]int{},
	}
}

// allowMessage takes one message from buyer's bucket, and reports whether
// there was one. A refusal is counted.
func (l *limiter) allowMessage(buyer string, now time.Time) bool {
	l.mu.Lock()
	b := l.buckets[buyer]
	if b == nil {
		if len(l.buckets) >= l.cfg.TrackedBuyers {
			l.evict(now)
		}
		b = &bucket{lim: rate.NewLimiter(l.every, l.cfg.MessageBurst)}
		l.buckets[buyer] = b
	}
	b.seen = now
	ok := b.lim.AllowN(now, 1)
	l.mu.Unlock()
	if !ok {
		l.metrics.limited.WithLabelValues(limitRate).Inc()
	}
	return ok
}

// retryAfter returns how long buyer waits, from now, until their bucket
// holds a message again: what a refused client is told, so that it offers
// to send again only when that can succeed.
func (l *limiter) retryAfter(buyer string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[buyer]
	if b == nil {
		return 0
	}
	missing := 1 - b.lim.TokensAt(now)
	if missing <= 0 {
		return 0
	}
	return time.Duration(missing / float64(l.every) * float64(time.Second))
}

// retrySeconds is d rounded up to whole seconds, as error frames carry it.
func retrySeconds(d time.Duration) int {
	return int((d + time.Second - 1) / time.Second)
}

// evict makes room in the bucket map. A bucket untouched for as long as it
// takes to refill is full again, the same as a new one, so forgetting it
// changes nothing. If too few are, arbitrary ones go until the map is 1%
// below its bound (so the next buyers do not sweep again at once), which at
// worst gives those buyers a fresh allowance early.
func (l *limiter) evict(now time.Time) {
	refill := time.Duration(float64(l.cfg.MessageBurst) / float64(l.every) * float64(time.Second))
	for id, b := range l.buckets {
		if now.Sub(b.seen) >= refill {
			delete(l.buckets, id)
		}
	}
	target := l.cfg.TrackedBuyers - max(l.cfg.TrackedBuyers/100, 1)
	for id := range l.buckets {
		if len(l.buckets) <= target {
			break
		}
		delete(l.buckets, id)
	}
	l.metrics.limiterEvictions.Inc()
}

// openConn counts a new connection of buyer and reports whether it is within
// the limit; a refused one is not counted and must not be closed.
func (l *limiter) openConn(buyer string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conns[buyer] >= l.cfg.ConnectionsPerBuyer {
		l.metrics.limited.WithLabelValues(limitConnections).Inc()
		return false
	}
	l.conns[buyer]++
	return true
}

// closeConn forgets one connection of buyer.
func (l *limiter) closeConn(buyer string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conns[buyer] <= 1 {
		delete(l.conns, buyer)
		return
	}
	l.conns[buyer]--
}
