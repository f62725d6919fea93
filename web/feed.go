package web

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/csagent/csagent/agent"
)

// feed delivers the stored messages of a connection's conversation to it
// exactly once and in seq order, whichever way they come: the replay after
// hello, the reply of the connection's own turn, or the hub's notice that
// another tab, replica or a seller stored one. It remembers the last seq it
// delivered; anything at or below it is dropped, and a gap above it is
// filled from the store first.
//
// Notifications only raise announced and kick the feed's goroutine, which
// loads the missing messages; so the hub never blocks on a slow client.
// That goroutine runs only while there is something to deliver: an idle
// connection's feed holds none.
type feed struct {
	c *conn

	mu        sync.Mutex // held while loading and sending, so deliveries stay in order
	convID    string
	delivered int64
	sub       *subscription

	announced atomic.Int64 // the highest seq notified
	resync    atomic.Bool  // reload whatever was notified or not
	status    atomic.Value // string: the conversation's status, as last known
	sentState atomic.Value // string: the status last sent to the client
	kicked    atomic.Bool  // something changed since the goroutine last looked
	running   atomic.Bool  // the feed's goroutine runs
	// own counts the connection's own writes in flight (its turn's
	// messages): their notifications are not read back, since the turn
	// delivers what it stored itself (written) as soon as it is committed.
	own atomic.Int32
}

func newFeed(c *conn) *feed {
	f := &feed{c: c}
	f.status.Store("")
	f.sentState.Store("")
	return f
}

// hello follows conversation conv from seq after (what the client has
// seen): it sends ready, then every stored message after that seq. Holding
// the lock throughout keeps live deliveries from overtaking ready.
func (f *feed) hello(conv agent.Conversation, after int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.c.s.hub.unsubscribe(f.sub)
	f.convID, f.delivered = conv.ID, min(after, conv.LastSeq)
	f.announced.Store(0)
	f.resync.Store(false)
	f.status.Store(conv.Status)
	f.sentState.Store(conv.Status)
	f.sub = f.c.s.hub.subscribe(conv.ID, f.notify)
	f.c.send(readyFrame{Type: "ready", ConversationID: conv.ID, Seq: conv.LastSeq, Status: conv.Status})
	f.loadLocked(math.MaxInt64)
}

// stop ends the subscription.
func (f *feed) stop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.c.s.hub.unsubscribe(f.sub)
	f.sub = nil
}

// currentStatus returns the conversation's status as last known.
func (f *feed) currentStatus() string { return f.status.Load().(string) }

// statusOf returns the status of conversation convID: as last known if the
// feed follows it, else as stored. A turn queued before a hello switched
// conversations belongs to the one it was sent in, and must not act on the
// other's status (answer while a person has taken its own over, say).
func (f *feed) statusOf(ctx context.Context, convID string) (string, error) {
	f.mu.Lock()
	following, status := convID == f.convID, f.currentStatus()
	f.mu.Unlock()
	if following {
		return status, nil
	}
	conv, err := f.c.ag.Store().Conversation(ctx, f.c.caller.ID, convID)
	if err != nil {
		return "", err
	}
	return conv.Status, nil
}

// notify runs on the hub's goroutine: it records what changed and kicks.
func (f *feed) notify(e hubEvent) {
	switch {
	case e.Resync:
		f.resync.Store(true)
	case e.Seq > 0:
		for {
			cur := f.announced.Load()
			if e.Seq <= cur || f.announced.CompareAndSwap(cur, e.Seq) {
				break
			}
		}
	case e.Status != "":
		f.status.Store(e.Status)
	}
	f.poke()
}

// retryLoad is how long a feed waits before loading again after the
// database failed it.
const retryLoad = 2 * time.Second

// poke has the feed's goroutine look for news: it starts it unless it
// runs. Setting kicked before looking at running, against run's clearing
// running before looking at kicked, leaves no poke unanswered.
func (f *feed) poke() {
	f.kicked.Store(true)
	if f.running.CompareAndSwap(false, true) {
		go f.run()
	}
}

// run delivers what notifications announce until nothing more is
// announced or the connection ends.
func (f *feed) run() {
	for {
		for f.kicked.Swap(false) {
			select {
			case <-f.c.done:
				return // running stays set: nothing starts again
			default:
			}
			f.catchUp()
			f.sendStatus()
		}
		f.running.Store(false)
		if !f.kicked.Load() || !f.running.CompareAndSwap(false, true) {
			return
		}
	}
}

func (f *feed) sendStatus() {
	st := f.currentStatus()
	if st == "" || st == f.sentState.Load().(string) {
		return
	}
	f.sentState.Store(st)
	f.c.send(statusFrame{Type: "status", Status: st})
}

// catchUp delivers every stored message after the last delivered one, when
// a notification or a resync says there may be some.
func (f *feed) catchUp() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.convID == "" {
		return
	}
	if f.own.Load() > 0 && !f.resync.Load() {
		return // written pokes again once the turn has delivered its own
	}
	force := f.resync.Swap(false)
	if force {
		f.reloadStatusLocked()
	}
	if !force && f.announced.Load() <= f.delivered {
		return
	}
	f.loadLocked(math.MaxInt64)
}

// reloadStatusLocked reads the conversation's status again after a resync:
// a status change notified while no one listened was lost with the
// notification.
func (f *feed) reloadStatusLocked() {
	ctx, cancel := context.WithTimeout(f.c.s.base, 10*time.Second)
	defer cancel()
	conv, err := f.c.ag.Store().Conversation(ctx, f.c.caller.ID, f.convID)
	if err != nil {
		f.c.logger.WarnContext(ctx, "reload conversation status", "conversation_id", f.convID, "err", err)
		return
	}
	f.status.Store(conv.Status)
}

// deliver sends m, a message of the conversation the connection follows,
// after any it has not yet seen; a message already delivered is dropped.
func (f *feed) deliver(convID string, m agent.StoredMessage) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if convID != f.convID || m.Seq <= f.delivered {
		return
	}
	if m.Seq > f.delivered+1 {
		f.loadLocked(m.Seq - 1)
	}
	if m.Seq == f.delivered+1 {
		f.sendLocked(m)
	}
}

// writing says the connection's own turn is about to store a message.
func (f *feed) writing() { f.own.Add(1) }

// written delivers m, which the connection's own turn stored in
// conversation convID (a zero m: it stored nothing), and catches up with
// whatever else was notified meanwhile.
func (f *feed) written(convID string, m agent.StoredMessage) {
	if m.Seq > 0 {
		f.deliver(convID, m)
	}
	f.own.Add(-1)
	f.poke()
}

// redeliver is deliver for a reply the client asked for again by resending
// its message: if the connection has seen it already, it is sent again.
func (f *feed) redeliver(convID string, m agent.StoredMessage) {
	f.mu.Lock()
	seen := convID == f.convID && m.Seq <= f.delivered
	f.mu.Unlock()
	if seen {
		f.c.send(newMessageFrame(m))
		return
	}
	f.deliver(convID, m)
}

// loadLocked delivers the stored messages after the last delivered one, up
// to seq upTo, page by page.
func (f *feed) loadLocked(upTo int64) {
	ctx, cancel := context.WithTimeout(f.c.s.base, 10*time.Second)
	defer cancel()
	for f.delivered < upTo {
		select {
		case <-f.c.done:
			return // nobody to deliver to
		default:
		}
		msgs, err := f.c.ag.Store().Messages(ctx, f.convID, f.delivered, replayPage)
		if err != nil {
			f.c.logger.ErrorContext(ctx, "load messages to deliver", "conversation_id", f.convID, "err", err)
			// Try again on the next notification, or in a moment if the
			// conversation goes quiet: a timer, not a goroutine, and a
			// kick to a closed connection's feed is dropped.
			f.resync.Store(true)
			time.AfterFunc(retryLoad, f.poke)
			return
		}
		for _, m := range msgs {
			if m.Seq > upTo || !f.sendLocked(m) {
				return
			}
		}
		if len(msgs) < replayPage {
			return
		}
	}
}

// sendLocked queues m for the client and reports whether the connection
// took it.
func (f *feed) sendLocked(m agent.StoredMessage) bool {
	if !f.c.send(newMessageFrame(m)) {
		return false
	}
	f.delivered = m.Seq
	f.c.s.metrics.delivered.Inc()
	return true
}
