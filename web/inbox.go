package web

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/csagent/csagent/tools"
)

// The seller's view of conversations, in SQL: which a shop may see, its
// inbox, and taking a conversation over from the assistant and handing it
// back.
//
// A conversation belongs to no shop until a seller acts on it (replies or
// takes it over): then conversations.shop_id claims it for that seller's
// shop, and other shops no longer see it. Until then every shop the buyer
// has ordered from sees it, since the buyer's question may be about any of
// their orders.

// errNotVisible is a conversation the seller's shop may not see, or none.
var errNotVisible = errors.New("conversation not visible to this shop")

// inboxWindow is how far back the inbox reaches.
const inboxWindow = 30 * 24 * time.Hour

// visibleToShop is the SQL condition that conversation cv is shop $2's.
const visibleToShop = `(cv.shop_id = $2 OR (cv.shop_id IS NULL AND EXISTS (
	SELECT 1 FROM orders o WHERE o.buyer_id = cv.buyer_id AND o.shop_id = $2)))`

// inboxItem is one conversation in a seller's inbox.
type inboxItem struct {
	ConversationID string    `json:"conversation_id"`
	BuyerName      string    `json:"buyer_name"`
	Locale         string    `json:"locale"`
	Status         string    `json:"status"`
	Seq            int64     `json:"seq"`
	LastRole       string    `json:"last_role"`
	LastText       string    `json:"last_text"`
	UpdatedAt      time.Time `json:"updated_at"`
	HandoffReason  string    `json:"handoff_reason,omitempty"`
	// Claimed says the conversation is this shop's: a seller of the shop
	// has replied or taken it over.
	Claimed bool `json:"claimed"`
}

// sellerConversation is one conversation as the panel shows it.
type sellerConversation struct {
	inboxItem
	BuyerID        string `json:"-"`
	HandoffSummary string `json:"handoff_summary,omitempty"`
	TakenBy        string `json:"taken_by,omitempty"`
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

const inboxColumns = `cv.id, b.name, cv.locale, cv.status, cv.last_seq, coalesce(lm.role, ''), coalesce(lm.text, ''),
	cv.updated_at, coalesce(h.reason, ''), cv.shop_id IS NOT NULL, cv.buyer_id, coalesce(h.summary, ''), coalesce(h.taken_by, '')`

const inboxJoins = `FROM conversations cv
	JOIN buyers b ON b.id = cv.buyer_id
	LEFT JOIN LATERAL (SELECT role, left(text, 300) AS text FROM messages m
		WHERE m.conversation_id = cv.id ORDER BY seq DESC LIMIT 1) lm ON true
	LEFT JOIN LATERAL (SELECT reason, summary, taken_by FROM handoffs hh
		WHERE hh.conversation_id = cv.id AND hh.status IN ('open', 'taken') ORDER BY created_at DESC LIMIT 1) h ON true`

func scanSellerConversation(r pgx.CollectableRow) (sellerConversation, error) {
	var c sellerConversation
	err := r.Scan(&c.ConversationID, &c.BuyerName, &c.Locale, &c.Status, &c.Seq, &c.LastRole, &c.LastText,
		&c.UpdatedAt, &c.HandoffReason, &c.Claimed, &c.BuyerID, &c.HandoffSummary, &c.TakenBy)
	return c, err
}

// inbox returns the shop's recent conversations that have messages:
// escalated ones first, then those a person answers, then the rest, newest
// first within each, at most 100.
func (st store) inbox(ctx context.Context, shopID string, now time.Time) ([]inboxItem, error) {
	rows, err := st.db.Query(ctx, `SELECT `+inboxColumns+` `+inboxJoins+`
		WHERE cv.last_seq > 0 AND cv.status <> 'closed' AND cv.updated_at > $1 AND `+visibleToShop+`
		ORDER BY CASE cv.status WHEN 'handoff' THEN 0 WHEN 'agent' THEN 1 ELSE 2 END, cv.updated_at DESC
		LIMIT 100`, now.Add(-inboxWindow), shopID)
	if err != nil {
		return nil, fmt.Errorf("load inbox of %s: %w", shopID, err)
	}
	cs, err := pgx.CollectRows(rows, scanSellerConversation)
	if err != nil {
		return nil, fmt.Errorf("load inbox of %s: %w", shopID, err)
	}
	out := make([]inboxItem, len(cs))
	for i, c := range cs {
		out[i] = c.inboxItem
	}
	return out, nil
}

// conversation returns conversation id if shop shopID may see it, or
// errNotVisible.
func (st store) conversation(ctx context.Context, shopID, id string) (sellerConversation, error) {
	rows, err := st.db.Query(ctx, `SELECT `+inboxColumns+` `+inboxJoins+` WHERE cv.id = $1 AND `+visibleToShop, id, shopID)
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

// buyerOrders returns the buyer's newest orders in the shop, at most n.
func (st store) buyerOrders(ctx context.Context, shopID, buyerID string, n int) ([]shopOrderRow, error) {
	rows, err := st.db.Query(ctx, `SELECT id, status, total_minor, currency, placed_at FROM orders
		WHERE shop_id = $1 AND buyer_id = $2 ORDER BY placed_at DESC, id DESC LIMIT $3`, shopID, buyerID, n)
	if err != nil {
		return nil, fmt.Errorf("load orders of buyer in %s: %w", shopID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (shopOrderRow, error) {
		var o shopOrderRow
		err := r.Scan(&o.OrderID, &o.Status, &o.Total.Minor, &o.Total.Currency, &o.PlacedAt)
		return o, err
	})
	if err != nil {
		return nil, fmt.Errorf("load orders of buyer in %s: %w", shopID, err)
	}
	if out == nil {
		out = []shopOrderRow{}
	}
	return out, nil
}

// takeOver claims conversation id for the seller's shop and makes a person
// its voice: status agent, so the assistant stops answering, and any open
// handoff taken by the seller. Taking over one's own conversation again
// changes nothing.
func (st store) takeOver(ctx context.Context, seller tools.Caller, id string) error {
	return st.move(ctx, seller, id, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE conversations SET shop_id = $2, status = 'agent', updated_at = now()
			WHERE id = $1 AND status <> 'agent'`, id, seller.ShopID); err != nil {
			return fmt.Errorf("take over conversation %s: %w", id, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE handoffs SET status = 'taken', taken_by = $2, taken_at = now()
			WHERE conversation_id = $1 AND status = 'open'`, id, seller.ID); err != nil {
			return fmt.Errorf("take handoff of %s: %w", id, err)
		}
		return nil
	})
}

// handBack gives conversation id back to the assistant: status open, and
// its handoff closed.
func (st store) handBack(ctx context.Context, seller tools.Caller, id string) error {
	return st.move(ctx, seller, id, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE conversations SET shop_id = $2, status = 'open', updated_at = now()
			WHERE id = $1 AND status <> 'open'`, id, seller.ShopID); err != nil {
			return fmt.Errorf("hand back conversation %s: %w", id, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE handoffs SET status = 'closed', closed_at = now()
			WHERE conversation_id = $1 AND status IN ('open', 'taken')`, id); err != nil {
			return fmt.Errorf("close handoff of %s: %w", id, err)
		}
		return nil
	})
}

// move locks conversation id if the seller's shop may see it and it is not
// closed, and runs fn in that transaction. The lock is the one the handoff
// tool takes, so a handoff and a take-over never cross.
func (st store) move(ctx context.Context, seller tools.Caller, id string, fn func(pgx.Tx) error) error {
	if seller.Role != tools.RoleSeller || seller.ShopID == "" {
		return errNotVisible
	}
	return pgx.BeginFunc(ctx, st.db, func(tx pgx.Tx) error {
		var status string
		err := tx.QueryRow(ctx, `SELECT cv.status FROM conversations cv WHERE cv.id = $1 AND `+visibleToShop+`
			FOR NO KEY UPDATE OF cv`, id, seller.ShopID).Scan(&status)
		if errors.Is(err, pgx.ErrNoRows) {
			return errNotVisible
		}
		if err != nil {
			return fmt.Errorf("lock conversation %s: %w", id, err)
		}
		if status == statusClosed {
			return errClosed
		}
		return fn(tx)
	})
}

// person is a buyer or seller as the pages greet them.
type person struct {
	Role     tools.Role `json:"role"`
	ID       string     `json:"id"`
	Name     string     `json:"name"`
	Locale   string     `json:"locale"`
	ShopID   string     `json:"shop_id,omitempty"`
	ShopName string     `json:"shop_name,omitempty"`
}

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
	}
	if err != nil {
		return person{}, fmt.Errorf("load %s %s: %w", c.Role, c.ID, err)
	}
	return p, nil
}
