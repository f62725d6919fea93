package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/csagent/csagent/tools"
)

// Sessions: how a request proves who it speaks for, how a person signs out
// everywhere, and how a long-lived connection (the chat websocket, the
// seller's event stream) ends when its token does.
//
// A bearer token travels only in the Authorization header. A browser cannot
// set headers on a websocket or an EventSource, so it buys a ticket with its
// header (POST /v1/tickets) and opens the connection with ?ticket=: valid
// for ticketTTL, once, for one purpose, stored in Postgres so any replica
// redeems it. A token in the URL (?access_token=) is refused everywhere:
// URLs end up in proxy logs, browser history and Referer headers.
//
// Revocation is a per-person token version (migrations/00008_sessions.sql):
// tokens carry the version they were minted at, POST /v1/logout raises it,
// and every request checks it. Open connections learn of a raise through
// the hub's csagent_sessions notifications, and re-read the version after
// the listener reconnects, so a lost notification is caught too.

const (
	// ticketTTL is how long a ticket may wait to be redeemed.
	ticketTTL = 30 * time.Second
	// Ticket purposes: the connection a ticket may open.
	purposeChat   = "chat"
	purposeEvents = "events"
)

// The close codes and event reasons of a session that ended under an open
// connection (docs/protocol.md).
var (
	endExpired = sessionEnd{closeCode: 4001, reason: "token_expired", text: "token expired"}
	endRevoked = sessionEnd{closeCode: 4003, reason: "signed_out", text: "signed out"}
)

// sessionEnd says why a connection's session ended: as a websocket close
// code and text, and as the reason of the event stream's last event.
type sessionEnd struct {
	closeCode int
	reason    string
	text      string
}

type identityKey struct{}

// identityFrom returns the verified token behind r's caller.
func identityFrom(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(identityKey{}).(Identity)
	return id, ok
}

// authenticator admits requests by bearer token (or ticket) and checks
// revocation against the database.
type authenticator struct {
	auth *Auth
	dir  Directory
	db   querier
}

// require admits requests whose token (in the Authorization header) or,
// where purpose is not empty, whose ticket for that purpose (?ticket=)
// verifies, is not revoked and names someone the directory knows in one of
// roles. It puts the tools.Caller and the Identity in the request's
// context. Others get 401 with the same answer whatever was wrong, so a
// prober learns nothing; a token in the URL gets token_in_url.
func (a authenticator) require(purpose string, roles ...tools.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Has("access_token") {
				writeError(w, r, codeTokenInURL, "a token in the URL is not accepted: send it in the Authorization header, or open this with a ticket (POST /v1/tickets)")
				return
			}
			id, err := a.identify(r, purpose)
			if err == nil && !containsRole(roles, id.Role) {
				err = fmt.Errorf("%w: role %s not allowed here", errUnauthenticated, id.Role)
			}
			var c tools.Caller
			if err == nil {
				// One round trip: the person and their token version.
				var v int64
				if c, v, err = a.dir.ResolveVersion(r.Context(), id.Role, id.ID); err == nil && id.Version < v {
					err = fmt.Errorf("%w: token revoked", errUnauthenticated)
				}
			}
			if errors.Is(err, errUnavailable) || (err != nil && !errors.Is(err, tools.ErrNotFound) && !errors.Is(err, errUnauthenticated)) {
				writeError(w, r, codeUnavailable, "the service is temporarily unavailable; please retry")
				return
			}
			if err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="csagent"`)
				writeError(w, r, codeUnauthorized, "a valid bearer token is required")
				return
			}
			ctx := context.WithValue(tools.NewContext(r.Context(), c), identityKey{}, id)
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

var (
	errUnauthenticated = errors.New("not authenticated")
	errUnavailable     = errors.New("session store unavailable")
)

// identify returns the identity of r's bearer token or ticket, or
// errUnauthenticated, or errUnavailable when the database does not answer.
func (a authenticator) identify(r *http.Request, purpose string) (Identity, error) {
	h := r.Header.Get("Authorization")
	if h == "" && purpose != "" && r.URL.Query().Has("ticket") {
		return a.redeem(r.Context(), r.URL.Query().Get("ticket"), purpose)
	}
	if len(h) <= 7 || !strings.EqualFold(h[:7], "bearer ") {
		return Identity{}, errUnauthenticated
	}
	id, err := a.auth.Verify(strings.TrimSpace(h[7:]))
	if err != nil {
		return Identity{}, fmt.Errorf("%w: %w", errUnauthenticated, err)
	}
	// Whether id's version is still the person's is checked with the
	// person's lookup (require).
	return id, nil
}

// TokenVersion returns the token version of the person role/id, which
// tokens minted for them now must carry (Auth.MintVersion).
func TokenVersion(ctx context.Context, db interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, role tools.Role, id string) (int64, error) {
	var v int64
	err := db.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM token_versions WHERE role = $1 AND person_id = $2`,
		string(role), id).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("load token version of %s %s: %w", role, id, err)
	}
	return v, nil
}

// redeem exchanges a ticket for the identity it was bought with, once.
func (a authenticator) redeem(ctx context.Context, ticket, purpose string) (Identity, error) {
	if ticket == "" || len(ticket) > 128 {
		return Identity{}, errUnauthenticated
	}
	sum := sha256.Sum256([]byte(ticket))
	var id Identity
	var role string
	err := a.db.QueryRow(ctx, `DELETE FROM tickets WHERE hash = $1 AND purpose = $2 AND expires_at > now()
		RETURNING role, person_id, token_version, token_expires_at`, sum[:], purpose).
		Scan(&role, &id.ID, &id.Version, &id.Expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return Identity{}, fmt.Errorf("%w: unknown, used or expired ticket", errUnauthenticated)
	}
	if err != nil {
		return Identity{}, fmt.Errorf("%w: redeem ticket: %w", errUnavailable, err)
	}
	id.Role = tools.Role(role)
	if !time.Now().Before(id.Expires) {
		return Identity{}, fmt.Errorf("%w: the ticket's token has expired", errUnauthenticated)
	}
	return id, nil
}

// ticketPurposes says which roles may buy a ticket for which connection.
var ticketPurposes = map[string][]tools.Role{purposeChat: {tools.RoleBuyer}, purposeEvents: {tools.RoleSeller, tools.RoleSupport}}

// handleTicket sells a single-use ticket for the chat websocket or the
// seller's event stream to a caller authenticated by header.
func (s *Server) handleTicket(db querier) http.Handler {
	type request struct {
		Purpose string `json:"purpose"`
	}
	type response struct {
		Ticket    string    `json:"ticket"`
		Purpose   string    `json:"purpose"`
		ExpiresAt time.Time `json:"expires_at"`
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := identityFrom(r.Context())
		req, err := decode[request](w, r, 0)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		roles, ok := ticketPurposes[req.Purpose]
		if !ok {
			s.fail(w, r, refuse(codeInvalid, `purpose must be "chat" or "events"`))
			return
		}
		if !containsRole(roles, id.Role) {
			s.fail(w, r, refuse(codeForbidden, "a %s may not open %s", id.Role, req.Purpose))
			return
		}
		if !s.rates.allow(limitTickets, sessionTopic(id.Role, id.ID)) {
			s.refuseRate(w, r, limitTickets)
			return
		}
		raw := make([]byte, 32)
		rand.Read(raw)
		ticket := base64.RawURLEncoding.EncodeToString(raw)
		sum := sha256.Sum256([]byte(ticket))
		exp := time.Now().Add(ticketTTL)
		// Expired tickets are swept by whoever buys the next one; the
		// index keeps that cheap.
		_, err = db.Exec(r.Context(), `WITH swept AS (DELETE FROM tickets WHERE expires_at < now() - interval '1 minute')
			INSERT INTO tickets (hash, role, person_id, purpose, token_version, token_expires_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, sum[:], string(id.Role), id.ID, req.Purpose, id.Version, id.Expires, exp)
		if err != nil {
			s.fail(w, r, fmt.Errorf("store ticket: %w", err))
			return
		}
		encode(w, r, http.StatusCreated, response{Ticket: ticket, Purpose: req.Purpose, ExpiresAt: exp})
	})
}

// handleLogout signs the caller out everywhere: it raises their token
// version, so every token minted before is refused from now on, and their
// open websockets and event streams close on every replica.
func (s *Server) handleLogout(db querier) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := identityFrom(r.Context())
		var v int64
		err := db.QueryRow(r.Context(), `INSERT INTO token_versions (role, person_id, version) VALUES ($1, $2, $3)
			ON CONFLICT (role, person_id) DO UPDATE SET version = token_versions.version + 1, updated_at = now()
			RETURNING version`, string(id.Role), id.ID, id.Version+1).Scan(&v)
		if err != nil {
			s.fail(w, r, fmt.Errorf("raise token version: %w", err))
			return
		}
		s.logger.InfoContext(r.Context(), "signed out", "role", id.Role, "person_id", id.ID, "token_version", v)
		encode(w, r, http.StatusOK, map[string]any{"signed_out": true})
	})
}

// sessionTopic is the hub key under which a person's token version
// changes are announced; it cannot collide with a conversation id, which
// has no colon.
func sessionTopic(role tools.Role, id string) string { return string(role) + ":" + id }

// watchSession calls end once, on a goroutine of its own, when id's
// session ends: at the token's expiry, or when the person's token version
// rises above the token's (a logout on any replica). It stops watching when
// ctx ends; end must not block for long.
//
// It holds no goroutine while nothing happens (an idle chat connection
// would otherwise keep one for its whole life): the expiry is a timer, and
// a check of the token version runs on a goroutine started when a
// notification asks for one, which ends when no more are asked.
func (s *Server) watchSession(ctx context.Context, db querier, id Identity, end func(sessionEnd)) {
	var once sync.Once
	finish := func(e sessionEnd) {
		if ctx.Err() == nil {
			once.Do(func() { end(e) })
		}
	}
	var revoked, kicked, checking atomic.Bool
	check := func() {
		for {
			for kicked.Swap(false) {
				if ctx.Err() != nil {
					return
				}
				if revoked.Load() {
					finish(endRevoked)
					return
				}
				v, err := TokenVersion(ctx, db, id.Role, id.ID)
				if err != nil {
					if ctx.Err() == nil {
						s.logger.WarnContext(ctx, "re-check token version", "err", err)
					}
					continue
				}
				if v > id.Version {
					finish(endRevoked)
					return
				}
			}
			checking.Store(false)
			// A notification between the last check and the store
			// above found checking set and started nothing.
			if !kicked.Load() || !checking.CompareAndSwap(false, true) {
				return
			}
		}
	}
	poke := func() {
		kicked.Store(true)
		if checking.CompareAndSwap(false, true) {
			go check()
		}
	}
	sub := s.hub.subscribe(sessionTopic(id.Role, id.ID), func(e hubEvent) {
		if e.Version > id.Version {
			revoked.Store(true)
		}
		// A resync (the listener reconnected) re-reads the version, as
		// does the first pass: a logout between the request's check and
		// this subscription would otherwise go unnoticed.
		poke()
	})
	expiry := time.AfterFunc(time.Until(id.Expires), func() { finish(endExpired) })
	context.AfterFunc(ctx, func() {
		expiry.Stop()
		s.hub.unsubscribe(sub)
	})
	poke()
}

// sessionOver reports whether id's token has expired by now; frames and
// events check it so that nothing is served past the expiry, even before
// the watcher's timer fires.
func sessionOver(id Identity, now time.Time) bool { return !now.Before(id.Expires) }

// parseSessionNotice reads a csagent_sessions payload,
// "<role>:<person id>:<version>".
func parseSessionNotice(payload string) (topic string, version int64, ok bool) {
	i := strings.LastIndexByte(payload, ':')
	if i <= 0 {
		return "", 0, false
	}
	v, err := strconv.ParseInt(payload[i+1:], 10, 64)
	if err != nil || v <= 0 || !strings.Contains(payload[:i], ":") {
		return "", 0, false
	}
	return payload[:i], v, true
}

// streamSession watches the session of an event stream's request until ctx
// ends; the channel yields why it ended.
func (s *Server) streamSession(ctx context.Context, db querier) (Identity, <-chan sessionEnd) {
	id, _ := identityFrom(ctx)
	ended := make(chan sessionEnd, 1)
	s.watchSession(ctx, db, id, func(e sessionEnd) { ended <- e })
	return id, ended
}

// endStream ends an event stream with an "end" event saying why, so the
// page fetches a new token rather than reconnect with a dead one.
func endStream(stream *sseStream, e sessionEnd) {
	stream.send("end", map[string]string{"reason": e.reason, "message": e.text})
}
