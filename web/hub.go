package web

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/sethvargo/go-retry"
)

// The channels migrations/00005_web.sql's triggers notify, with the scope
// migrations/00006_scope.sql added: every stored message, and every change
// of a message's shop, as "<conversation id>:<seq>:<shop>:<old shop>";
// every change of a conversation's status or routing as "<conversation
// id>:<status>:<routed shop>:<old routed shop>". An empty shop is platform
// scope.
const (
	messagesChannel      = "csagent_messages"
	conversationsChannel = "csagent_conversations"
	// sessionsChannel carries raised token versions (00008_sessions.sql),
	// as "<role>:<person id>:<version>", to the subscribers of that
	// person's sessionTopic.
	sessionsChannel = "csagent_sessions"
)

const (
	hubBackoffMin = 100 * time.Millisecond
	hubBackoffMax = 10 * time.Second
)

// hubEvent is one notification about a conversation: a stored message
// (Seq), a new status (Status), or, after the listener reconnected, Resync:
// notifications may have been lost, so subscribers reload what they show.
type hubEvent struct {
	ConversationID string
	Seq            int64
	Status         string
	Resync         bool
	// Shop is the message's shop, or the shop the conversation is routed
	// to; OldShop what it was before the change. Empty is platform scope.
	Shop, OldShop string
	// Version is a person's raised token version (sessionsChannel); the
	// person's sessionTopic is in ConversationID.
	Version int64
}

// subscription is one receiver of a conversation's events, or of every
// conversation's when conv is empty. fn runs on the listener's goroutine and
// must not block: receivers note what changed and load it on their own
// goroutine. fn runs under the subscription's own lock, not the hub's, so
// that one receiver's filtering holds up no other's subscribing, and never
// after unsubscribe has returned.
type subscription struct {
	conv string
	fn   func(hubEvent)

	mu   sync.Mutex
	gone bool
}

// deliver hands e to s unless s was unsubscribed.
func (s *subscription) deliver(e hubEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.gone {
		s.fn(e)
	}
}

// hub fans the database's notifications out to this process's open chats
// and seller panels. It owns one dedicated listening connection (not one of
// the pool's), reconnects with backoff when it fails, and announces a resync
// after each reconnect so nothing is missed. Delivery is the receivers' job:
// a notification says only that something changed, and each receiver loads
// it from the database, so a lost or repeated notification costs a query,
// never a message.
type hub struct {
	logger  *slog.Logger
	metrics *metrics
	connect func(context.Context) (*pgx.Conn, error)
	done    chan struct{}

	// mu guards the subscriber lists, which are never changed in place:
	// subscribing and unsubscribing replace a list, so dispatch takes the
	// lists under mu and delivers after releasing it.
	mu     sync.Mutex
	byConv map[string][]*subscription
	all    []*subscription
}

func newHub(logger *slog.Logger, m *metrics, connect func(context.Context) (*pgx.Conn, error)) *hub {
	return &hub{
		logger:  logger.With("component", "hub"),
		metrics: m,
		connect: connect,
		done:    make(chan struct{}),
		byConv:  map[string][]*subscription{},
	}
}

// subscribe registers fn for the events of conversation conv, or of every
// conversation when conv is empty.
func (h *hub) subscribe(conv string, fn func(hubEvent)) *subscription {
	s := &subscription{conv: conv, fn: fn}
	h.mu.Lock()
	defer h.mu.Unlock()
	// A full slice expression: append copies, and lists dispatch took
	// stay as they were.
	if conv == "" {
		h.all = append(h.all[:len(h.all):len(h.all)], s)
	} else {
		set := h.byConv[conv]
		h.byConv[conv] = append(set[:len(set):len(set)], s)
	}
	h.metrics.subscriptions.Inc()
	return s
}

// unsubscribe removes s, waiting for a delivery to s under way; s gets
// nothing after it returns. A nil s is ignored.
func (h *hub) unsubscribe(s *subscription) {
	if s == nil {
		return
	}
	s.mu.Lock()
	s.gone = true
	s.mu.Unlock()
	h.mu.Lock()
	defer h.mu.Unlock()
	without := func(list []*subscription) ([]*subscription, bool) {
		i := slices.Index(list, s)
		if i < 0 {
			return list, false
		}
		return slices.Delete(slices.Clone(list), i, i+1), true
	}
	var ok bool
	if s.conv == "" {
		h.all, ok = without(h.all)
	} else {
		var list []*subscription
		if list, ok = without(h.byConv[s.conv]); len(list) == 0 {
			delete(h.byConv, s.conv)
		} else {
			h.byConv[s.conv] = list
		}
	}
	if ok {
		h.metrics.subscriptions.Dec()
	}
}

// run listens until ctx ends, reconnecting after failures.
func (h *hub) run(ctx context.Context) {
	defer close(h.done)
	newPauses := func() retry.Backoff {
		return retry.WithCappedDuration(hubBackoffMax, retry.NewExponential(hubBackoffMin))
	}
	pauses := newPauses()
	var err error
	b := retry.BackoffFunc(func() (time.Duration, bool) {
		pause, _ := pauses.Next()
		h.metrics.hubReconnects.Inc()
		h.logger.WarnContext(ctx, "chat notifications interrupted; reconnecting", "err", err, "retry_in", pause)
		return pause, false
	})
	// It never stops by itself: every failure is retried until ctx ends.
	_ = retry.Do(ctx, b, func(ctx context.Context) error {
		// A connection that listened starts the pauses from the shortest.
		err = h.listen(ctx, func() { pauses = newPauses() })
		h.metrics.listening.Set(0)
		if ctx.Err() != nil {
			return nil
		}
		if err == nil {
			err = errors.New("listening connection ended")
		}
		return retry.RetryableError(err)
	})
}

// listen opens the listening connection and dispatches its notifications
// until it fails or ctx ends. connected runs once it listens.
func (h *hub) listen(ctx context.Context, connected func()) error {
	conn, err := h.connect(ctx)
	if err != nil {
		return err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		conn.Close(cctx) //nolint:errcheck // the connection is being dropped either way
	}()
	for _, ch := range []string{messagesChannel, conversationsChannel, sessionsChannel} {
		if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{ch}.Sanitize()); err != nil {
			return err
		}
	}
	connected()
	h.metrics.listening.Set(1)
	// Whatever was notified while no one listened is reloaded now.
	h.broadcast(hubEvent{Resync: true})
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		h.dispatch(n)
	}
}

// dispatch hands one notification to the subscribers it concerns.
func (h *hub) dispatch(n *pgconn.Notification) {
	if n.Channel == sessionsChannel {
		topic, v, ok := parseSessionNotice(n.Payload)
		if !ok {
			h.logger.Warn("malformed session notification", "channel", n.Channel)
			return
		}
		h.metrics.notifications.WithLabelValues(n.Channel).Inc()
		h.mu.Lock()
		subs := h.byConv[topic]
		h.mu.Unlock()
		for _, s := range subs {
			s.deliver(hubEvent{ConversationID: topic, Version: v})
		}
		return
	}
	conv, rest, ok := strings.Cut(n.Payload, ":")
	if !ok || conv == "" {
		h.logger.Warn("malformed chat notification", "channel", n.Channel)
		return
	}
	e := hubEvent{ConversationID: conv}
	rest, scope, _ := strings.Cut(rest, ":")
	e.Shop, e.OldShop, _ = strings.Cut(scope, ":")
	switch n.Channel {
	case messagesChannel:
		seq, err := strconv.ParseInt(rest, 10, 64)
		if err != nil || seq <= 0 {
			h.logger.Warn("malformed chat notification", "channel", n.Channel)
			return
		}
		e.Seq = seq
	case conversationsChannel:
		e.Status = rest
	default:
		return
	}
	h.metrics.notifications.WithLabelValues(n.Channel).Inc()
	// Each receiver filters (a seller's stream, by shop) outside the
	// hub's lock.
	h.mu.Lock()
	subs, all := h.byConv[conv], h.all
	h.mu.Unlock()
	for _, s := range subs {
		s.deliver(e)
	}
	for _, s := range all {
		s.deliver(e)
	}
}

// broadcast hands e to every subscriber, each with its own conversation id.
func (h *hub) broadcast(e hubEvent) {
	h.mu.Lock()
	byConv := maps.Clone(h.byConv)
	all := h.all
	h.mu.Unlock()
	for conv, subs := range byConv {
		e.ConversationID = conv
		for _, s := range subs {
			s.deliver(e)
		}
	}
	e.ConversationID = ""
	for _, s := range all {
		s.deliver(e)
	}
}
