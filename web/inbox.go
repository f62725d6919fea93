package web

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// The seller's view of conversations, in SQL: which a shop may see, its
// inbox, and taking a conversation over from the assistant and handing it
// back (docs/protocol.md, "Who sees what").
//
// Every message carries the shop it concerns (messages.shop_id, stamped by
// agent.Store.Append); a shop sees the conversations that have a message
// of its own, and of them only its own messages. A conversation is routed
// to one shop or to platform support (conversations.shop_id, NULL for
// support): only its shop, or support, may take it over, hand it back or
// reply, and the shop alone sees its real status and its handoff. Support
// sees everything. Each query below carries these conditions in its WHERE
// clause; nothing is filtered in Go after loading.

// errNotVisible is a conversation the seller's shop may not see, or none.
var errNotVisible = errors.New("conversation not visible to this shop")

// errNotRouted is a conversation the viewer may see but that is routed to
// another party: they may not act on it.
var errNotRouted = errors.New("conversation routed elsewhere")

// inboxWindow is how far back the inbox reaches.
const inboxWindow = 30 * 24 * time.Hour

// statusElsewhere is the status a shop sees of a conversation routed to
// someone else: it learns neither whether nor why a person has it.
const statusElsewhere = "elsewhere"

// viewer is who reads the panel: a shop's seller, or platform support. Its
// queries take the shop as $2 (NULL for support) and support as $3.
type viewer struct {
	shop    string
	support bool
}

// viewerOf returns the viewer c is, or false for a caller the panel does
// not serve (a buyer, a seller with no shop).
func viewerOf(c tools.Caller) (viewer, bool) {
	switch {
	case c.Role == tools.RoleSupport:
		return viewer{support: true}, true
	case c.Role == tools.RoleSeller && c.ShopID != "":
		return viewer{shop: c.ShopID}, true
	}
	return viewer{}, false
}

// args returns the viewer's query parameters $2 and $3.
func (v viewer) args() (any, bool) {
	if v.support {
		return nil, true
	}
	return v.shop, false
}

// The viewer's conditions, on message m, conversation cv and handoff hh.
const (
	// messageVisible: the message concerns the viewer's shop.
	messageVisible = `($3 OR m.shop_id = $2)`
	// routedHere: the viewer may act on the conversation.
	routedHere = `($3 OR coalesce(cv.shop_id = $2, false))`
	// inViewersQueue: the conversation waits in the viewer's own queue: the
	// shop's, or support's (routed to no shop).
	inViewersQueue = `(cv.shop_id IS NOT DISTINCT FROM $2)`
	// handoffVisible: the handoff was routed to the viewer's shop.
	handoffVisible = `($3 OR hh.shop_id = $2)`
)

// inboxItem is one conversation in a seller's inbox.
type inboxItem struct {
	ConversationID string `json:"conversation_id"`
	BuyerName      string `json:"buyer_name"`
	Locale         string `json:"locale"`
	// Status is the conversation's, or "elsewhere" when it is routed to
	// another party.
	Status string `json:"status"`
	// Seq, LastRole, LastText and UpdatedAt are of the last message the
	// viewer may see.
	Seq           int64     `json:"seq"`
	LastRole      string    `json:"last_role"`
	LastText      string    `json:"last_text"`
	UpdatedAt     time.Time `json:"updated_at"`
	HandoffReason string    `json:"handoff_reason,omitempty"`
	// Claimed says the conversation is routed to the viewer, who may take
	// it over, hand it back and reply.
	Claimed bool `json:"claimed"`
}

// sellerConversation is one conversation as the panel shows it.
type sellerConversation struct {
	inboxItem
	BuyerID        string `json:"-"`
	HandoffSummary string `json:"handoff_summary,omitempty"`
	// HandoffBrief is the escalation card's summary for the reader, in
	// their language, a sentence a line: the order, the problem, what the
	// buyer wants, the policy's window, what was tried, the buyer's words.
	HandoffBrief []string `json:"handoff_brief,omitempty"`
	TakenBy      string   `json:"taken_by,omitempty"`
}

// shopOrderRow is one of the buyer's orders in the seller's shop.
type shopOrderRow struct {
	OrderID  string      `json:"order_id"`
	Status   string      `json:"status"`
	Total    tools.Money `json:"total"`
	PlacedAt time.Time   `json:"placed_at"`
}

// store runs this package's own queries: the seller's view of
// conversations, policy pages, the people the pages greet.
type store struct {
	db querier
}

// A shop reads the summary built from its own scope (shop_summary); only
// support reads the model's, which may draw on the whole conversation.
const inboxColumns = `cv.id, b.name, cv.locale, CASE WHEN ` + routedHere + ` THEN cv.status ELSE '` + statusElsewhere + `' END,
	lm.seq, lm.role, lm.text, lm.created_at, coalesce(h.reason, ''), ` + routedHere + `, cv.buyer_id,
	coalesce(h.summary, ''), coalesce(h.taken_by, '')`

const inboxJoins = `FROM conversations cv
	JOIN buyers b ON b.id = cv.buyer_id
	JOIN LATERAL (SELECT m.seq, m.role, left(m.text, 300) AS text, m.created_at FROM messages m
		WHERE m.conversation_id = cv.id AND ` + messageVisible + ` ORDER BY m.seq DESC LIMIT 1) lm ON true
	LEFT JOIN LATERAL (SELECT hh.reason, CASE WHEN $3 THEN hh.summary ELSE hh.shop_summary END AS summary, hh.taken_by
		FROM handoffs hh WHERE hh.conversation_id = cv.id AND hh.status IN ('open', 'taken') AND ` + handoffVisible + `
		ORDER BY hh.created_at DESC LIMIT 1) h ON true`

func scanSellerConversation(r pgx.CollectableRow) (sellerConversation, error) {
	var c sellerConversation
	err := r.Scan(&c.ConversationID, &c.BuyerName, &c.Locale, &c.Status, &c.Seq, &c.LastRole, &c.LastText,
		&c.UpdatedAt, &c.HandoffReason, &c.Claimed, &c.BuyerID, &c.HandoffSummary, &c.TakenBy)
	return c, err
}

// inbox returns the viewer's recent conversations: escalated ones in the
// viewer's own queue first, then other escalated ones (support sees every
// shop's), then those a person answers, then the rest, newest first within
// each, at most 100.
func (st store) inbox(ctx context.Context, v viewer, now time.Time) ([]inboxItem, error) {
	shop, support := v.args()
	rows, err := st.db.Query(ctx, `SELECT `+inboxColumns+` `+inboxJoins+`
		WHERE cv.status <> 'closed' AND lm.created_at > $1
			AND (($3 AND cv.id IN (SELECT m.conversation_id FROM messages m WHERE m.created_at > $1))
				OR cv.id IN (SELECT m.conversation_id FROM messages m WHERE m.shop_id = $2 AND m.created_at > $1))
		ORDER BY CASE WHEN NOT `+routedHere+` THEN 4 WHEN cv.status = 'handoff' AND `+inViewersQueue+` THEN 0
			WHEN cv.status = 'handoff' THEN 1 WHEN cv.status = 'agent' THEN 2 ELSE 3 END, lm.created_at DESC
		LIMIT 100`, now.Add(-inboxWindow), shop, support)
	if err != nil {
		return nil, fmt.Errorf("load inbox: %w", err)
	}
	cs, err := pgx.CollectRows(rows, scanSellerConversation)
	if err != nil {
		return nil, fmt.Errorf("load inbox: %w", err)
	}
	out := make([]inboxItem, len(cs))
	for i, c := range cs {
		out[i] = c.inboxItem
	}
	return out, nil
}

// conversation returns conversation id if the viewer may see it: it has a
// message of the viewer's shop. Otherwise errNotVisible.
func (st store) conversation(ctx context.Context, v viewer, id string) (sellerConversation, error) {
	shop, support := v.args()
	rows, err := st.db.Query(ctx, `SELECT `+inboxColumns+` `+inboxJoins+` WHERE cv.id = $1`, id, shop, support)
	if err != nil {
		return sellerConversation{}, fmt.Errorf("load conversation %s: %w", id, err)
	}
	c, err := pgx.CollectExactlyOneRow(rows, scanSellerConversation)
	if errors.Is(err, pgx.ErrNoRows) {
		return sellerConversation{}, errNotVisible
	}
	if err != nil {
		return sellerConversation{}, fmt.Errorf("load conversation %s: %w", id, err)
	}
	return c, nil
}

const scopedMessageColumns = `m.seq, m.turn_id, m.role, m.author_id, m.text, m.citations, coalesce(m.guardrail, ''), m.created_at,
	coalesce(m.shop_id, '')`

func scanScopedMessage(r pgx.CollectableRow) (agent.StoredMessage, error) {
	var m agent.StoredMessage
	err := r.Scan(&m.Seq, &m.TurnID, &m.Role, &m.AuthorID, &m.Text, &m.Citations, &m.Guardrail, &m.CreatedAt, &m.ShopID)
	return m, err
}

// messages returns up to limit of the messages of conversation convID the
// viewer may read, with a seq above after, in order; with only set, just
// those with these seqs.
func (st store) messages(ctx context.Context, v viewer, convID string, after int64, limit int, only ...int64) ([]agent.StoredMessage, error) {
	shop, support := v.args()
	cond, arg := `m.seq > $4`, any(after)
	if len(only) > 0 {
		cond, arg = `m.seq = ANY($4)`, only
	}
	rows, err := st.db.Query(ctx, `SELECT `+scopedMessageColumns+` FROM messages m
		WHERE m.conversation_id = $1 AND `+messageVisible+` AND `+cond+` ORDER BY m.seq LIMIT $5`, convID, shop, support, arg, limit)
	if err != nil {
		return nil, fmt.Errorf("load messages of %s: %w", convID, err)
	}
	msgs, err := pgx.CollectRows(rows, scanScopedMessage)
	if err != nil {
		return nil, fmt.Errorf("load messages of %s: %w", convID, err)
	}
	return msgs, nil
}

// recent returns the last n messages of conversation convID the viewer may
// read, oldest first.
func (st store) recent(ctx context.Context, v viewer, convID string, n int) ([]agent.StoredMessage, error) {
	shop, support := v.args()
	rows, err := st.db.Query(ctx, `SELECT * FROM (SELECT `+scopedMessageColumns+` FROM messages m
		WHERE m.conversation_id = $1 AND `+messageVisible+` ORDER BY m.seq DESC LIMIT $4) r ORDER BY seq`,
		convID, shop, support, n)
	if err != nil {
		return nil, fmt.Errorf("load recent messages of %s: %w", convID, err)
	}
	msgs, err := pgx.CollectRows(rows, scanScopedMessage)
	if err != nil {
		return nil, fmt.Errorf("load recent messages of %s: %w", convID, err)
	}
	return msgs, nil
}

// buyerOrders returns the buyer's newest orders in the viewer's shop (for
// support, in any shop), at most n.
func (st store) buyerOrders(ctx context.Context, v viewer, buyerID string, n int) ([]shopOrderRow, error) {
	shop, support := v.args()
	rows, err := st.db.Query(ctx, `SELECT o.id, o.status, o.total_minor, o.currency, o.placed_at FROM orders o
		WHERE o.buyer_id = $1 AND ($3 OR o.shop_id = $2) ORDER BY o.placed_at DESC, o.id DESC LIMIT $4`, buyerID, shop, support, n)
	if err != nil {
		return nil, fmt.Errorf("load orders of buyer: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (shopOrderRow, error) {
		var o shopOrderRow
		err := r.Scan(&o.OrderID, &o.Status, &o.Total.Minor, &o.Total.Currency, &o.PlacedAt)
		return o, err
	})
	if err != nil {
		return nil, fmt.Errorf("load orders of buyer: %w", err)
	}
	if out == nil {
		out = []shopOrderRow{}
	}
	return out, nil
}

// takeOver makes the viewer conversation id's voice: status agent, so the
// assistant stops answering, and the open handoff of the viewer's queue
// taken by them. Support taking over routes the conversation to support,
// so the shop it was routed to stops hearing the buyer. Taking over one's
// own conversation again changes nothing.
func (st store) takeOver(ctx context.Context, c tools.Caller, id string) error {
	return st.move(ctx, c, id, func(tx pgx.Tx, v viewer) error {
		return takeOverIn(ctx, tx, c, v, id)
	})
}

// takeOverIn is takeOver inside move's transaction tx.
func takeOverIn(ctx context.Context, tx pgx.Tx, c tools.Caller, v viewer, id string) error {
	shop, support := v.args()
	if _, err := tx.Exec(ctx, `UPDATE conversations cv SET shop_id = CASE WHEN $3 THEN NULL ELSE cv.shop_id END,
		status = 'agent', updated_at = now()
		WHERE cv.id = $1 AND (cv.status <> 'agent' OR NOT `+inViewersQueue+`)`, id, shop, support); err != nil {
		return fmt.Errorf("take over conversation %s: %w", id, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE handoffs hh SET status = 'taken', taken_by = $4, taken_at = now()
		WHERE hh.conversation_id = $1 AND hh.status = 'open' AND `+handoffVisible, id, shop, support, c.ID); err != nil {
		return fmt.Errorf("take handoff of %s: %w", id, err)
	}
	return nil
}

// handBack gives conversation id back to the assistant: status open, and
// its handoff closed.
func (st store) handBack(ctx context.Context, c tools.Caller, id string) error {
	return st.move(ctx, c, id, func(tx pgx.Tx, v viewer) error {
		shop, support := v.args()
		if _, err := tx.Exec(ctx, `UPDATE conversations SET status = 'open', updated_at = now()
			WHERE id = $1 AND status <> 'open'`, id); err != nil {
			return fmt.Errorf("hand back conversation %s: %w", id, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE handoffs hh SET status = 'closed', closed_at = now()
			WHERE hh.conversation_id = $1 AND hh.status IN ('open', 'taken') AND `+handoffVisible, id, shop, support); err != nil {
			return fmt.Errorf("close handoff of %s: %w", id, err)
		}
		return nil
	})
}

// move locks conversation id if it is routed to the viewer c is (support:
// any) and not closed, and runs fn in that transaction: errNotVisible if
// the viewer may not see it, errNotRouted if it is routed elsewhere. The
// lock is the one the handoff tool takes, so a handoff and a take-over
// never cross.
func (st store) move(ctx context.Context, c tools.Caller, id string, fn func(pgx.Tx, viewer) error) error {
	v, ok := viewerOf(c)
	if !ok {
		return errNotVisible
	}
	shop, support := v.args()
	return pgx.BeginFunc(ctx, st.db, func(tx pgx.Tx) error {
		var status string
		var routed bool
		err := tx.QueryRow(ctx, `SELECT cv.status, `+routedHere+` FROM conversations cv WHERE cv.id = $1
			AND ($3 OR EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = cv.id AND m.shop_id = $2))
			FOR NO KEY UPDATE OF cv`, id, shop, support).Scan(&status, &routed)
		if errors.Is(err, pgx.ErrNoRows) {
			return errNotVisible
		}
		if err != nil {
			return fmt.Errorf("lock conversation %s: %w", id, err)
		}
		if !routed {
			return errNotRouted
		}
		if status == statusClosed {
			return errClosed
		}
		return fn(tx, v)
	})
}

// person is a buyer, seller or support agent as the pages greet them.
type person struct {
	Role     tools.Role `json:"role"`
	ID       string     `json:"id"`
	Name     string     `json:"name"`
	Locale   string     `json:"locale"`
	ShopID   string     `json:"shop_id,omitempty"`
	ShopName string     `json:"shop_name,omitempty"`
}

// supportDesk is the name the panel shows for platform support, where a
// seller's shop name goes.
const supportDesk = "Platform support"

// whoIs returns the person c is, with their name and shop.
func (st store) whoIs(ctx context.Context, c tools.Caller) (person, error) {
	p := person{Role: c.Role, ID: c.ID, Locale: c.Locale, ShopID: c.ShopID}
	var err error
	switch c.Role {
	case tools.RoleBuyer:
		err = st.db.QueryRow(ctx, `SELECT name FROM buyers WHERE id = $1`, c.ID).Scan(&p.Name)
	case tools.RoleSeller:
		err = st.db.QueryRow(ctx, `SELECT s.name, sh.name FROM sellers s JOIN shops sh ON sh.id = s.shop_id WHERE s.id = $1`,
			c.ID).Scan(&p.Name, &p.ShopName)
	case tools.RoleSupport:
		err = st.db.QueryRow(ctx, `SELECT name FROM support_staff WHERE id = $1`, c.ID).Scan(&p.Name)
		p.ShopName = supportDesk
	}
	if err != nil {
		return person{}, fmt.Errorf("load %s %s: %w", c.Role, c.ID, err)
	}
	return p, nil
}
