package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/gorilla/websocket"
	"golang.org/x/time/rate"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

const (
	// maxFrameBytes is the largest frame the server reads; a larger one is
	// discarded unread and answered with an error frame.
	maxFrameBytes = 64 << 10
	// hardFrameBytes closes the connection: nothing legitimate comes close.
	hardFrameBytes = 8 << 20
	maxClientIDLen = 128
	// queuedTurns is how many of a connection's messages may wait behind
	// the running turn.
	queuedTurns = 8
	// outQueue is how many frames may wait for the writer before those
	// who send them wait too (at most the write timeout).
	outQueue   = 32
	replayPage = 200
	// frameRate and frameBurst bound the frames one connection may send,
	// whatever they are: far above what a person's page sends, low enough
	// that a flood of hellos (each a few queries) cannot load the database.
	frameRate  = 20 // a second
	frameBurst = 60
	// helloRate and helloBurst bound the hellos of one connection: a page
	// sends one per (re)connection and one per conversation it switches
	// to; more is a script opening conversations or probing ids.
	helloRate  = 0.2 // a second
	helloBurst = 10
	writeWait  = 10 * time.Second
)

// conn is one chat websocket. It has exactly one reader (the handler's
// goroutine), at most one writer and one turn worker; all end with the
// connection, except that the worker finishes the turns it accepted. The
// writer and the worker start when there is work: a connection that only
// said hello holds one goroutine, the reader (10,000 idle buyers are
// 10,000 goroutines, not 40,000).
type conn struct {
	s      *Server
	ws     *websocket.Conn
	ag     *agent.Agent
	caller tools.Caller
	// session is the token (or ticket) the connection was opened with; the
	// connection ends when it expires or is revoked.
	session Identity
	logger  *slog.Logger

	out chan any
	// encoders lend the writer a frame encoder while it runs.
	encoders  *sync.Pool
	done      chan struct{}
	closeOnce sync.Once
	turns     chan queuedTurn
	feed      *feed
	// writing is set while a writer goroutine runs (startWriter).
	writing atomic.Bool
	// pinger pings the client while the connection is open.
	pinger atomic.Pointer[time.Timer]

	// Read only by the reader.
	working        bool // the turn worker has started
	frames         *rate.Limiter
	hellos         *rate.Limiter
	conversationID string // set by hello
	locale         string
}

// queuedTurn is a buyer message to answer, or a decision on a pending
// action; both run on the connection's turn worker, in order.
type queuedTurn struct {
	turn    agent.Turn
	confirm *confirmation
}

// handleChat upgrades to the chat websocket after the origin check and the
// buyer's connection limit, then runs the connection: one reader (its own
// goroutine), one writer, one turn worker and one feed.
func (s *Server) handleChat(o Options) http.Handler {
	originOK := checkOrigin(o.PublicOrigin, o.AllowedOrigins)
	up := websocket.Upgrader{
		// 0: the connection reads through the HTTP server's buffer, which
		// the upgrade hands over anyway; writes borrow a buffer from the
		// pool for the length of a frame, so an idle connection holds none.
		ReadBufferSize:  0,
		WriteBufferSize: 4096,
		WriteBufferPool: &sync.Pool{},
		CheckOrigin:     func(*http.Request) bool { return true }, // checked below, with a clear answer
	}
	encoders := &sync.Pool{New: func() any { return newFrameEncoder() }}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		caller, _ := tools.CallerFrom(r.Context())
		session, _ := identityFrom(r.Context())
		if !originOK(r) {
			s.metrics.limited.WithLabelValues(limitOrigin).Inc()
			writeError(w, r, codeForbidden, "this origin may not open the chat; ask the operator to allow it")
			return
		}
		if !s.limits.openConn(caller.ID) {
			w.Header().Set("Retry-After", "30")
			writeError(w, r, codeRateLimited, fmt.Sprintf("too many open chat connections for this account (at most %d); close a tab and retry", s.limits.cfg.ConnectionsPerBuyer))
			return
		}
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			s.limits.closeConn(caller.ID)
			return // the upgrader has answered
		}
		c := &conn{
			s: s, ws: ws, ag: o.Agent, caller: caller, session: session,
			logger: s.logger.With("request_id", middleware.GetReqID(r.Context())),
			out:    make(chan any, outQueue), encoders: encoders,
			done:   make(chan struct{}),
			turns:  make(chan queuedTurn, queuedTurns),
			locale: caller.Locale,
			frames: rate.NewLimiter(frameRate, frameBurst),
			hellos: rate.NewLimiter(helloRate, helloBurst),
		}
		c.feed = newFeed(c)
		if !s.track(c) {
			ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, "server shutting down"), time.Now().Add(writeWait)) //nolint:errcheck
			ws.Close()
			s.limits.closeConn(caller.ID)
			return
		}
		s.metrics.connections.Inc()
		watchCtx, stopWatch := context.WithCancel(s.base)
		s.watchSession(watchCtx, o.Pool, session, c.endSession)
		c.startPinging()
		// The reader gets a goroutine of its own and the handler returns:
		// net/http then frees what it holds for a request in flight (its
		// 4 KiB write buffer and 2 KiB response buffer, the request, the
		// router's context, a deeper stack): an idle connection went from
		// 42 to 21 KiB (bench load --idle 10000).
		go func() {
			defer s.limits.closeConn(caller.ID)
			defer func() {
				s.metrics.connections.Dec()
				s.untrack(c)
			}()
			defer stopWatch()
			defer func() {
				// What the router's recoverer did while this ran inside
				// the handler: a panic ends the connection, not the
				// process.
				if p := recover(); p != nil {
					c.logger.Error("chat connection panicked", "panic", p, "stack", string(debug.Stack()))
				}
			}()
			defer c.feed.stop()
			defer c.close()
			defer close(c.turns) // the worker finishes what was accepted, then ends
			c.readLoop()
		}()
	})
}

// checkOrigin admits websocket upgrades from the server's public origin,
// from the allowed list, and from clients that send no Origin (apps, not
// browsers). Origins match on scheme and host (with port), never on the
// request's Host header, which whoever sends the request chooses.
func checkOrigin(public string, allowed []string) func(*http.Request) bool {
	ok := map[string]bool{}
	anyOrigin := false
	for _, a := range append([]string{public}, allowed...) {
		if a == "*" {
			anyOrigin = true
		} else if o, valid := canonicalOrigin(a); valid {
			ok[o] = true
		}
	}
	return func(r *http.Request) bool {
		origin := r.Header.Get("Origin")
		if origin == "" || anyOrigin {
			return true
		}
		o, valid := canonicalOrigin(origin)
		return valid && ok[o]
	}
}

// canonicalOrigin returns origin as "scheme://host[:port]" in lower case,
// without the scheme's default port, or false if it is not an http(s)
// origin.
func canonicalOrigin(origin string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(origin))
	if err != nil || u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", false
	}
	scheme, host := strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	switch {
	case scheme == "http":
		host = strings.TrimSuffix(host, ":80")
	case scheme == "https":
		host = strings.TrimSuffix(host, ":443")
	default:
		return "", false
	}
	return scheme + "://" + host, true
}

// endSession closes the connection because its session ended, with the
// close code that says why (4001 token expired, 4003 signed out), so the
// page knows to fetch a new token rather than retry.
func (c *conn) endSession(e sessionEnd) {
	c.ws.WriteControl(websocket.CloseMessage, //nolint:errcheck // closing anyway
		websocket.FormatCloseMessage(e.closeCode, e.text), time.Now().Add(time.Second))
	c.close()
}

func (c *conn) close() {
	c.closeOnce.Do(func() {
		close(c.done)
		c.ws.Close()
		if t := c.pinger.Load(); t != nil {
			t.Stop()
		}
	})
}

// goAway tells the client the server is leaving, then closes. A client
// that cannot take the close frame within a second is closed without it.
func (c *conn) goAway() {
	c.ws.WriteControl(websocket.CloseMessage, //nolint:errcheck // closing anyway
		websocket.FormatCloseMessage(websocket.CloseGoingAway, "server shutting down"), time.Now().Add(time.Second))
	c.close()
}

// send queues a frame for the writer and reports whether it did: after the
// connection ends it drops it. It waits while the queue is full, at most
// until the writer gives up on a client that does not read.
func (c *conn) send(f any) bool {
	select {
	case c.out <- f:
		c.startWriter()
		return true
	case <-c.done:
		return false
	}
}

// startWriter starts the writer unless it runs. Queuing a frame and then
// calling it, against the writer's clearing writing and then looking at
// the queue once more, leaves no frame without a writer.
func (c *conn) startWriter() {
	if c.writing.CompareAndSwap(false, true) {
		go c.writeLoop()
	}
}

func (c *conn) sendError(cd code, msg, id string) {
	c.s.metrics.errors.WithLabelValues(string(cd)).Inc()
	c.send(errorFrame{Type: "error", Code: cd, Message: msg, ID: id})
}

// writeLoop writes the queued frames until the queue is empty, then ends
// (send starts it again). A client that reads nothing for the write timeout
// is dropped: its frames wait in a bounded queue (out) and the socket's
// buffers, and those who queue them (the turn, the feed) wait at most that
// long before the connection ends and their frames are dropped; so a
// stalled client costs bounded memory and never holds a turn for long.
func (c *conn) writeLoop() {
	timeout := c.s.limits.cfg.WriteTimeout
	e := c.encoders.Get().(*frameEncoder)
	defer e.release(c.encoders)
	for {
		select {
		case f := <-c.out:
			c.ws.SetWriteDeadline(time.Now().Add(timeout)) //nolint:errcheck // a failed write reports it
			if err := e.write(c.ws, f); err != nil {
				c.writeFailed(err)
				c.close()
				return
			}
			continue
		case <-c.done:
			return
		default:
		}
		c.writing.Store(false)
		// A frame queued between the empty look above and the store
		// found writing set and started no writer: this one goes on.
		if len(c.out) == 0 || !c.writing.CompareAndSwap(false, true) {
			return
		}
	}
}

// frameEncoder writes frames as JSON text messages, as websocket's
// WriteJSON does, through one encoder and buffer kept between frames
// (WriteJSON makes a json.Encoder for each frame).
type frameEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

// maxKeptFrameBuffer is the largest buffer an encoder goes back to its pool
// with: a rare huge frame's buffer is left to the collector.
const maxKeptFrameBuffer = 64 << 10

func newFrameEncoder() *frameEncoder {
	e := &frameEncoder{}
	e.enc = json.NewEncoder(&e.buf)
	return e
}

func (e *frameEncoder) write(ws *websocket.Conn, f any) error {
	e.buf.Reset()
	if err := e.enc.Encode(f); err != nil {
		return fmt.Errorf("encode frame: %w", err)
	}
	return ws.WriteMessage(websocket.TextMessage, e.buf.Bytes())
}

func (e *frameEncoder) release(p *sync.Pool) {
	if e.buf.Cap() <= maxKeptFrameBuffer {
		p.Put(e)
	}
}

// startPinging pings the client every 2/5 of the idle timeout from a timer,
// not a goroutine, until the connection closes. A ping is a control frame,
// which the websocket library writes safely beside a writer's frames.
func (c *conn) startPinging() {
	every := c.s.limits.cfg.IdleTimeout * 2 / 5
	timeout := c.s.limits.cfg.WriteTimeout
	ping := func() {
		select {
		case <-c.done:
			return
		default:
		}
		if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(timeout)); err != nil {
			c.writeFailed(err)
			c.close()
			return
		}
		if t := c.pinger.Load(); t != nil {
			t.Reset(every)
		}
	}
	c.pinger.Store(time.AfterFunc(every, ping))
}

// writeFailed counts a write that timed out as a slow client. No close
// frame follows: the client is not reading, and a frame may be half
// written.
func (c *conn) writeFailed(err error) {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		c.s.metrics.limited.WithLabelValues(limitSlowClient).Inc()
		c.logger.Info("dropped a chat client that stopped reading")
	}
}

func (c *conn) readLoop() {
	c.ws.SetReadLimit(hardFrameBytes)
	idle := c.s.limits.cfg.IdleTimeout
	c.ws.SetReadDeadline(time.Now().Add(idle)) //nolint:errcheck
	c.ws.SetPongHandler(func(string) error {
		return c.ws.SetReadDeadline(time.Now().Add(idle))
	})
	for {
		mt, rd, err := c.ws.NextReader()
		if err != nil {
			c.readFailed(err)
			return
		}
		c.ws.SetReadDeadline(time.Now().Add(idle)) //nolint:errcheck
		if sessionOver(c.session, time.Now()) {
			// The watcher's timer may not have fired yet: nothing is
			// served past the expiry.
			c.endSession(endExpired)
			return
		}
		if !c.frames.Allow() {
			// Dropped unread: a flood costs neither a parse nor a query.
			if _, err := io.Copy(io.Discard, io.LimitReader(rd, hardFrameBytes)); err != nil {
				c.readFailed(err)
				return
			}
			c.s.metrics.limited.WithLabelValues(limitFrameRate).Inc()
			c.sendError(codeRateLimited, fmt.Sprintf("too many frames (at most %d a second); this one was dropped", frameRate), "")
			continue
		}
		data, err := io.ReadAll(io.LimitReader(rd, maxFrameBytes+1))
		if err != nil {
			c.readFailed(err)
			return
		}
		if len(data) > maxFrameBytes {
			if _, err := io.Copy(io.Discard, rd); err != nil {
				c.readFailed(err)
				return
			}
			c.s.metrics.frames.WithLabelValues("oversized").Inc()
			c.s.metrics.limited.WithLabelValues(limitFrameSize).Inc()
			c.sendError(codeInvalid, "the frame is too large (at most 64 KiB)", "")
			continue
		}
		if mt != websocket.TextMessage {
			c.s.metrics.frames.WithLabelValues("binary").Inc()
			c.sendError(codeInvalid, "frames must be JSON text", "")
			continue
		}
		c.handleFrame(data)
	}
}

// readFailed counts the limits that end a connection while reading: the
// idle timeout, answered with close code 1001 "idle timeout" (the client
// may reconnect when it has something to say), and a frame over
// hardFrameBytes, which the websocket library has answered with 1009.
func (c *conn) readFailed(err error) {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		c.s.metrics.limited.WithLabelValues(limitIdle).Inc()
		c.ws.WriteControl(websocket.CloseMessage, //nolint:errcheck // closing anyway
			websocket.FormatCloseMessage(websocket.CloseGoingAway, "idle timeout"), time.Now().Add(time.Second))
	case errors.Is(err, websocket.ErrReadLimit):
		c.s.metrics.frames.WithLabelValues("oversized").Inc()
		c.s.metrics.limited.WithLabelValues(limitFrameSize).Inc()
	}
}

func (c *conn) handleFrame(data []byte) {
	f, ferr := decodeFrame(data)
	if ferr != nil {
		c.s.metrics.frames.WithLabelValues(ferr.kind).Inc()
		c.s.metrics.errors.WithLabelValues(string(codeInvalid)).Inc()
		c.send(errorFrame{Type: "error", Code: codeInvalid, Message: ferr.msg, ID: ferr.id, Reason: ferr.reason})
		return
	}
	c.s.metrics.frames.WithLabelValues(f.Type).Inc()
	switch f.Type {
	case "hello":
		c.hello(f)
	case "user_message":
		c.userMessage(f)
	case "confirm":
		c.confirmFrame(f)
	}
}

// hello opens or resumes a conversation; f is a decoded hello.
func (c *conn) hello(f inFrame) {
	if !c.hellos.Allow() {
		c.s.metrics.limited.WithLabelValues(limitHellos).Inc()
		c.sendError(codeRateLimited, "too many hellos on this connection; wait a moment", "")
		return
	}
	if f.ConversationID == "" && !c.s.rates.allow(limitConversations, personKey(c.caller)) {
		c.sendError(codeRateLimited, c.s.rates.message(limitConversations), "")
		return
	}
	if f.Locale != "" {
		c.locale = normalizeLocale(f.Locale, c.locale)
	}
	if c.locale == "" {
		c.locale = "en"
	}
	ctx, cancel := context.WithTimeout(c.s.base, 10*time.Second)
	defer cancel()
	conv, err := c.ag.Store().Open(ctx, c.caller.ID, f.ConversationID, c.locale)
	if errors.Is(err, agent.ErrNotFound) {
		c.sendError(codeNotFound, "no such conversation", "")
		return
	}
	if err != nil {
		c.logger.ErrorContext(ctx, "open conversation", "err", err)
		c.sendError(codeUnavailable, "the conversation could not be opened; please retry", "")
		return
	}
	c.conversationID = conv.ID
	// ready, then every message the client has not seen; later ones
	// arrive live through the feed.
	c.feed.hello(conv, f.LastSeq)
	// Actions still waiting for a decision are asked again, so a buyer who
	// reconnects can still confirm them.
	pending, err := c.ag.Store().Pending(ctx, conv.ID)
	if err != nil {
		c.logger.ErrorContext(ctx, "load pending actions", "err", err)
		return
	}
	for _, p := range pending {
		if c.ag.TookEffect(ctx, p) {
			// Its decision was lost after it took effect: it is executed,
			// and the buyer told what was done, not asked again.
			c.enqueue(queuedTurn{
				turn:    agent.Turn{ConversationID: conv.ID, Locale: c.locale},
				confirm: &confirmation{actionID: p.ID, approved: true},
			}, "")
			continue
		}
		c.send(confirmRequestFrame{Type: "confirm_request", TurnID: p.TurnID, ActionID: p.ID, Tool: p.Tool, Summary: c.ag.Describe(p, c.locale)})
	}
}

// confirmFrame queues a decision; f is a decoded confirm.
func (c *conn) confirmFrame(f inFrame) {
	if c.conversationID == "" {
		c.sendError(codeInvalid, "send hello before confirm", "")
		return
	}
	c.enqueue(queuedTurn{
		turn:    agent.Turn{ConversationID: c.conversationID, Locale: c.locale},
		confirm: &confirmation{actionID: f.ActionID, approved: *f.Approved},
	}, "")
}

// printable reports whether s is text a person wrote: no NUL (which
// Postgres cannot store) and no other control characters but line breaks
// and tabs.
func printable(s string) bool {
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\r' && r != '\t') || r == 0x7f {
			return false
		}
	}
	return true
}

func normalizeLocale(l, fallback string) string {
	l = strings.ToLower(strings.TrimSpace(l))
	if len(l) >= 2 && l[0] >= 'a' && l[0] <= 'z' && l[1] >= 'a' && l[1] <= 'z' && (len(l) == 2 || l[2] == '-' || l[2] == '_') {
		return l[:2]
	}
	return fallback
}

// userMessage queues a buyer's message; f is a decoded user_message, its
// text trimmed and checked.
func (c *conn) userMessage(f inFrame) {
	if c.conversationID == "" {
		c.sendError(codeInvalid, "send hello before user_message", f.ID)
		return
	}
	c.enqueue(queuedTurn{turn: agent.Turn{ConversationID: c.conversationID, ClientID: f.ID, Text: maskBuyerText(f.Text), Locale: c.locale}}, f.ID)
}

// enqueue hands q to the turn worker, or refuses it when the buyer is over
// their rate, the server is draining or the connection already has too much
// waiting.
func (c *conn) enqueue(q queuedTurn, clientID string) {
	if now := time.Now(); !c.s.limits.allowMessage(c.caller.ID, now) {
		c.s.metrics.errors.WithLabelValues(string(codeRateLimited)).Inc()
		c.send(errorFrame{Type: "error", Code: codeRateLimited, ID: clientID, Reason: reasonTooFast,
			RetryAfter: max(retrySeconds(c.s.limits.retryAfter(c.caller.ID, now)), 1),
			Message:    fmt.Sprintf("you are sending messages too fast (at most %d a minute); please wait a moment", c.s.limits.cfg.MessagesPerMinute)})
		return
	}
	if !c.s.startTurn() {
		c.sendError(codeUnavailable, "the server is restarting; send it again after reconnecting", clientID)
		return
	}
	if !c.working {
		c.working = true
		go c.turnLoop()
	}
	select {
	case c.turns <- q:
	default:
		c.s.turns.Done()
		c.s.metrics.limited.WithLabelValues(limitQueue).Inc()
		c.s.metrics.errors.WithLabelValues(string(codeRateLimited)).Inc()
		c.send(errorFrame{Type: "error", Code: codeRateLimited, ID: clientID, Reason: reasonBusy,
			Message: "too many messages at once; wait for the reply"})
	}
}

// turnLoop runs the connection's turns one at a time, in the order they
// came. Turns live on the server's base context, so a turn whose client left
// still stores its reply.
func (c *conn) turnLoop() {
	for q := range c.turns {
		c.runTurn(q)
	}
}

func (c *conn) runTurn(q queuedTurn) {
	defer c.s.turns.Done()
	ctx := tools.NewContext(c.s.base, c.caller)
	emit := func(e agent.Event) error {
		c.send(newEventFrame(e))
		return nil
	}
	var reply agent.Reply
	t := q.turn
	// The turn hands the feed what it stores as soon as it is committed,
	// which the feed then need not read back. Run calls these on this
	// goroutine.
	own := 1
	c.feed.writing()
	t.Stored = func(m agent.StoredMessage) {
		own--
		c.feed.written(t.ConversationID, m)
	}
	t.Storing = func() {
		own++
		c.feed.writing()
	}
	status, err := c.feed.statusOf(ctx, t.ConversationID)
	if err == nil {
		reply, err = answer(ctx, c.ag, status, t, q.confirm, emit)
	}
	for ; own > 0; own-- {
		c.feed.written(t.ConversationID, agent.StoredMessage{})
	}
	if errors.Is(err, agent.ErrTurnTaken) {
		return // another runner answered it; the feed brings that reply
	}
	if err != nil {
		cd, msg := turnError(ctx, c.logger, t.ConversationID, err)
		c.sendError(cd, msg, t.ClientID)
		return
	}
	// Stored messages reach the client through the feed, exactly once;
	// the buyer's own message first. A resent id is answered with the
	// earlier reply even if this connection has seen it: the client asked.
	if reply.User.Seq > 0 {
		c.feed.deliver(t.ConversationID, reply.User)
	}
	switch {
	case reply.HasReply && reply.Duplicate:
		c.feed.redeliver(t.ConversationID, reply.Assistant)
	case reply.HasReply:
		c.feed.deliver(t.ConversationID, reply.Assistant)
	}
}
