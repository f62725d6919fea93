package agent

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/csagent/csagent/tools"
)

// ErrNotFound is returned for a conversation that does not exist or is not
// the caller's; the two are deliberately the same answer.
var ErrNotFound = errors.New("conversation not found")

// Conversation is a buyer's chat with the shop's support.
type Conversation struct {
	ID      string
	BuyerID string
	Locale  string
	Status  string
	LastSeq int64
}

// StoredMessage is a message of the transcript, as clients see it.
type StoredMessage struct {
	Seq       int64           `json:"seq"`
	TurnID    string          `json:"turn_id"`
	Role      string          `json:"role"`
	AuthorID  string          `json:"-"`
	Text      string          `json:"text"`
	ClientID  string          `json:"-"`
	Citations json.RawMessage `json:"citations"`
	Guardrail string          `json:"guardrail,omitempty"`
	CreatedAt time.Time       `json:"created_at"`
	// Usage is the turn's record on an assistant message (TurnUsage as JSON).
	Usage json.RawMessage `json:"-"`
	// ShopID is the shop the message concerns, whose seller may read it;
	// empty is platform scope, for support only. The store sets it: a
	// person's message from the ShopID given, a buyer's from the orders it
	// names, an assistant's reply from the orders the turn touched, and the
	// agent's reply (appendReply) stamps its turn's buyer message too
	// (docs/protocol.md, "Who sees what").
	ShopID string `json:"-"`
	// Runner, on a buyer's message, registers its turn as running under
	// that runner (see Sweep); on a reply, it is the runner answering, and
	// the reply is refused (ErrTurnTaken) if another took the turn over.
	Runner string `json:"-"`
}

// ErrTurnTaken is returned for a reply to a turn that another runner took
// over, believing this one dead: that one answers it, once.
var ErrTurnTaken = errors.New("turn taken over by another runner")

// DB is what the Store needs of Postgres: what a tools store needs, and
// batches of queries in one round trip. A pool, a connection and a
// transaction all fit.
type DB interface {
	tools.DB
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// Store keeps conversations and their transcripts in Postgres.
type Store struct {
	// pool is usually a *pgxpool.Pool, which reset also resets.
	pool DB
	// calls are the conversations' past tool calls the process holds
	// (callcache.go).
	calls *callCache
}

// NewStore returns a Store on db.
func NewStore(db DB) *Store { return &Store{pool: db, calls: newCallCache(callCacheBytes)} }

// NewID returns a random id with prefix, e.g. "c_k3j…", for conversations
// and turns. 20 base-32 characters carry 100 bits: not guessable.
func NewID(prefix string) string {
	const alphabet = "0123456789abcdefghijklmnopqrstuv"
	b := make([]byte, 20)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[b[i]&31]
	}
	return prefix + string(b)
}

// Open returns the buyer's conversation id, or starts a new one when id is
// empty. A conversation of another buyer is ErrNotFound.
func (s *Store) Open(ctx context.Context, buyerID, id, locale string) (Conversation, error) {
	if id == "" {
		c := Conversation{ID: NewID("c_"), BuyerID: buyerID, Locale: locale, Status: "open"}
		_, err := s.pool.Exec(ctx, `INSERT INTO conversations (id, buyer_id, locale) VALUES ($1, $2, $3)`, c.ID, buyerID, locale)
		if err != nil {
			return Conversation{}, fmt.Errorf("start conversation: %w", err)
		}
		return c, nil
	}
	return s.Conversation(ctx, buyerID, id)
}

// Conversation loads the buyer's conversation id.
func (s *Store) Conversation(ctx context.Context, buyerID, id string) (Conversation, error) {
	c := Conversation{ID: id}
	err := s.retried(ctx, func() error {
		return s.pool.QueryRow(ctx, `SELECT buyer_id, locale, status, last_seq FROM conversations WHERE id = $1 AND buyer_id = $2`,
			id, buyerID).Scan(&c.BuyerID, &c.Locale, &c.Status, &c.LastSeq)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return Conversation{}, ErrNotFound
	}
	if err != nil {
		return Conversation{}, fmt.Errorf("load conversation %s: %w", id, err)
	}
	return c, nil
}

// Append stores m as the next message of conversation convID and returns it
// with its seq. For a user message whose ClientID was stored before, it
// stores nothing and returns the earlier message with dup set. The agent
// stores its own turns' replies with appendReply, which also ends the
// turn's registration and routes the conversation.
//
// A connection the database dropped is retried on a fresh one, after
// resetting the pool, whose other idle connections died with it: a restart
// of Postgres costs a turn nothing. With a deadline in ctx (a turn's reply
// has ten seconds to be stored) it keeps trying until the deadline, since a
// reply given up on leaves its question unanswered for good; without one
// (a buyer's message, which they can send again) it gives up after a few
// seconds. Only a failure in COMMIT leaves the outcome unknown; a user
// message is then found again by its client id, and any other message is
// not retried, so none is stored twice.
func (s *Store) Append(ctx context.Context, convID string, m StoredMessage) (StoredMessage, bool, error) {
	var out StoredMessage
	var dup bool
	err := tools.RetryConnection(ctx, s.tries(ctx), s.reset, func() (bool, error) {
		var committing bool
		var err error
		out, dup, committing, err = s.append(ctx, convID, m)
		return tools.ConnectionLost(err) && !(committing && m.ClientID == ""), err
	})
	return out, dup, err
}

// AppendIn is Append inside tx, the caller's transaction, for a person's
// message that must commit with what else the caller changes (a seller's
// reply with the take-over it implies) or not at all. The caller holds the
// conversation's row lock (FOR NO KEY UPDATE), so a ClientID stored before
// is found before inserting: it stores nothing and returns the earlier
// message with dup set. It is not retried: the caller's transaction is.
func (s *Store) AppendIn(ctx context.Context, tx pgx.Tx, convID string, m StoredMessage) (StoredMessage, bool, error) {
	if m.ClientID != "" {
		rows, err := tx.Query(ctx, `SELECT `+messageColumns+` FROM messages WHERE conversation_id = $1 AND client_id = $2`, convID, m.ClientID)
		if err != nil {
			return StoredMessage{}, false, fmt.Errorf("look up message %s: %w", m.ClientID, err)
		}
		prev, err := pgx.CollectExactlyOneRow(rows, scanMessage)
		if err == nil {
			return prev, true, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return StoredMessage{}, false, fmt.Errorf("look up message %s: %w", m.ClientID, err)
		}
	}
	if err := s.insert(ctx, tx, convID, &m); err != nil {
		return StoredMessage{}, false, fmt.Errorf("append message to %s: %w", convID, err)
	}
	return m, false, nil
}

// connectionAttempts bounds the tries of one Append or read whose
// connection breaks; with the waits of tools.ConnectionBackoff they span a
// restart of Postgres of about three seconds.
const connectionAttempts = 5

// tries is how many tries a write whose connection breaks gets: as many as
// ctx's deadline allows when it has one (a reply given up on leaves its
// question unanswered for good), else connectionAttempts.
func (s *Store) tries(ctx context.Context) int {
	if _, deadline := ctx.Deadline(); deadline {
		return 0
	}
	return connectionAttempts
}

// reset drops the pool's connections, which died with the one that failed.
func (s *Store) reset() {
	if p, ok := s.pool.(interface{ Reset() }); ok {
		p.Reset()
	}
}

// retried runs read, a query that changes nothing, again on a fresh
// connection when the database dropped the one it ran on, resetting the
// pool first: after a restart of Postgres every idle connection is dead,
// and each would fail one query of a turn.
func (s *Store) retried(ctx context.Context, read func() error) error {
	return tools.RetryConnection(ctx, connectionAttempts, s.reset, func() (bool, error) {
		err := read()
		return tools.ConnectionLost(err), err
	})
}

// append is one try of Append; committing reports that the failure, if
// any, came from COMMIT.
func (s *Store) append(ctx context.Context, convID string, m StoredMessage) (_ StoredMessage, dup, committing bool, err error) {
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := s.insert(ctx, tx, convID, &m); err != nil {
			return err
		}
		committing = true
		return nil
	})
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.ConstraintName == "messages_client_id_unique" {
		prev, err := s.byClientID(ctx, convID, m.ClientID)
		return prev, true, false, err
	}
	if err != nil {
		return StoredMessage{}, false, committing, fmt.Errorf("append message to %s: %w", convID, err)
	}
	return m, false, false, nil
}

// insert stores m as the next message of convID in tx, setting its seq,
// time and shop, and registers its turn as running when m is a buyer's
// message with a Runner.
func (s *Store) insert(ctx context.Context, tx pgx.Tx, convID string, m *StoredMessage) error {
	// The row lock on the conversation numbers its messages without gaps.
	if err := tx.QueryRow(ctx, `UPDATE conversations SET last_seq = last_seq + 1
		WHERE id = $1 RETURNING last_seq`, convID).Scan(&m.Seq); err != nil {
		return fmt.Errorf("number message: %w", err)
	}
	var clientID, guardrail *string
	if m.ClientID != "" {
		clientID = &m.ClientID
	}
	if m.Guardrail != "" {
		guardrail = &m.Guardrail
	}
	var usage any
	if m.Usage != nil {
		usage = m.Usage
	}
	if m.Citations == nil {
		m.Citations = json.RawMessage("[]")
	}
	// The message's scope, in SQL so that it is decided where it is
	// enforced: a buyer's message from the orders its text names, a
	// reply from every order its turn touched.
	args := []any{convID, m.Seq, m.TurnID, m.Role, m.AuthorID, m.Text, clientID, m.Citations, guardrail, usage}
	var shop string
	switch m.Role {
	case "user":
		shop = "message_shop($1, $6)"
	case "assistant":
		shop = "turn_shop($1, $3)"
	default:
		shop = "nullif($11::text, '')"
		args = append(args, m.ShopID)
	}
	var stamped *string
	if err := tx.QueryRow(ctx, `INSERT INTO messages (conversation_id, seq, turn_id, role, author_id, text, client_id, citations, guardrail, usage, shop_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, `+shop+`) RETURNING created_at, shop_id`,
		args...).Scan(&m.CreatedAt, &stamped); err != nil {
		return err
	}
	m.ShopID = ""
	if stamped != nil {
		m.ShopID = *stamped
	}
	return s.trackTurn(ctx, tx, convID, *m)
}

// trackTurn registers the turn of a buyer's message m as running under
// m.Runner, in the message's own transaction: a turn is running exactly
// while its question has no answer. A reply ends the registration in
// appendReply.
func (s *Store) trackTurn(ctx context.Context, tx pgx.Tx, convID string, m StoredMessage) error {
	if m.Runner == "" || m.Role != "user" {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO turn_runs (conversation_id, turn_id, runner) VALUES ($1, $2, $3)`, convID, m.TurnID, m.Runner)
	return err
}

// running reports whether turnID of convID is registered as running.
func (s *Store) running(ctx context.Context, convID, turnID string) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM turn_runs WHERE conversation_id = $1 AND turn_id = $2)`, convID, turnID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("look up turn %s: %w", turnID, err)
	}
	return ok, nil
}

const messageColumns = `seq, turn_id, role, author_id, text, coalesce(client_id, ''), citations, coalesce(guardrail, ''), created_at,
	coalesce(shop_id, '')`

func scanMessage(r pgx.CollectableRow) (StoredMessage, error) {
	var m StoredMessage
	// Citations scan as bytes: pgx copies a *[]byte's JSON once, where a
	// *json.RawMessage goes through json.Unmarshal (four allocations a
	// message of the window, every turn).
	err := r.Scan(&m.Seq, &m.TurnID, &m.Role, &m.AuthorID, &m.Text, &m.ClientID, (*[]byte)(&m.Citations), &m.Guardrail, &m.CreatedAt, &m.ShopID)
	return m, err
}

func (s *Store) byClientID(ctx context.Context, convID, clientID string) (StoredMessage, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+messageColumns+` FROM messages WHERE conversation_id = $1 AND client_id = $2`, convID, clientID)
	if err != nil {
		return StoredMessage{}, fmt.Errorf("load message %s: %w", clientID, err)
	}
	m, err := pgx.CollectExactlyOneRow(rows, scanMessage)
	if err != nil {
		return StoredMessage{}, fmt.Errorf("load message %s: %w", clientID, err)
	}
	return m, nil
}

// Messages returns up to limit messages of convID with a seq above after, in
// order.
func (s *Store) Messages(ctx context.Context, convID string, after int64, limit int) ([]StoredMessage, error) {
	var msgs []StoredMessage
	err := s.retried(ctx, func() error {
		rows, err := s.pool.Query(ctx, `SELECT `+messageColumns+` FROM messages
			WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, convID, after, limit)
		if err != nil {
			return err
		}
		msgs, err = pgx.CollectRows(rows, scanMessage)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load messages of %s: %w", convID, err)
	}
	return msgs, nil
}

// Reply returns the assistant's message of turnID in convID, if stored.
func (s *Store) Reply(ctx context.Context, convID, turnID string) (StoredMessage, bool, error) {
	var m StoredMessage
	err := s.retried(ctx, func() error {
		rows, err := s.pool.Query(ctx, `SELECT `+messageColumns+` FROM messages
			WHERE conversation_id = $1 AND turn_id = $2 AND role = 'assistant' ORDER BY seq DESC LIMIT 1`, convID, turnID)
		if err != nil {
			return err
		}
		m, err = pgx.CollectExactlyOneRow(rows, scanMessage)
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return StoredMessage{}, false, nil
	}
	if err != nil {
		return StoredMessage{}, false, fmt.Errorf("load reply of turn %s: %w", turnID, err)
	}
	return m, true, nil
}
