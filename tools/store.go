package tools

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// DB is what a store needs of Postgres: a pool, a connection and a
// transaction all fit (in a transaction, Begin makes a savepoint). The
// stores of tools and retrieval and web's own queries share it.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Store is the commerce backend the tools act on: the Postgres reference
// implementation. Every read is scoped to a Caller in SQL, so a row that is
// not the caller's is not found rather than filtered out afterwards.
type Store struct {
	db DB
}

// NewStore returns a Store on db.
func NewStore(db DB) *Store { return &Store{db: db} }

// Money is an amount in minor units of a currency (cents for USD, won for KRW).
type Money struct {
	Minor    int64  `json:"minor"`
	Currency string `json:"currency"`
}

// Decimals returns how many minor-unit digits the currency has.
func Decimals(currency string) int {
	if currency == "KRW" {
		return 0
	}
	return 2
}

// String formats m for people and models alike: "42.50 USD", "15000 KRW".
func (m Money) String() string {
	if Decimals(m.Currency) == 0 {
		return fmt.Sprintf("%d %s", m.Minor, m.Currency)
	}
	sign := ""
	v := m.Minor
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d %s", sign, v/100, v%100, m.Currency)
}

// Order is an order as a buyer or a seller may see it.
type Order struct {
	ID             string     `json:"order_id"`
	Status         string     `json:"status"`
	ShopID         string     `json:"shop_id"`
	ShopName       string     `json:"shop_name"`
	Total          Money      `json:"total"`
	Refunded       Money      `json:"refunded"`
	PlacedAt       time.Time  `json:"placed_at"`
	PaidAt         *time.Time `json:"paid_at,omitempty"`
	ShippedAt      *time.Time `json:"shipped_at,omitempty"`
	DeliveredAt    *time.Time `json:"delivered_at,omitempty"`
	CancelledAt    *time.Time `json:"cancelled_at,omitempty"`
	Carrier        string     `json:"carrier,omitempty"`
	TrackingNumber string     `json:"tracking_number,omitempty"`
	// RefundUntil and DisputeUntil, on a delivered order, are the last
	// days of its refund and dispute windows (RefundWindow and
	// DisputeWindow from delivery): facts a reply may state, computed
	// here from the policy's numbers rather than by each model.
	RefundUntil  *time.Time `json:"refund_until,omitempty"`
	DisputeUntil *time.Time `json:"dispute_until,omitempty"`
	Items        []Item     `json:"items"`
}

// Item is one line of an order.
type Item struct {
	Line             int    `json:"line"`
	ProductID        string `json:"product_id"`
	Name             string `json:"name"`
	Quantity         int    `json:"quantity"`
	UnitPrice        Money  `json:"unit_price"`
	Refundable       bool   `json:"refundable"`
	RefundedQuantity int    `json:"refunded_quantity"`
	// Category is the product's kind ("digital", "gift card", "food",
	// "personalised", …): what the refund rules exclude, and so which
	// next step a refusal offers, depends on it.
	Category string `json:"category,omitempty"`
}

// scope returns the SQL condition and argument that limit orders to what c
// may see. A caller with no known role sees nothing.
func scope(c Caller) (string, string) {
	switch c.Role {
	case RoleBuyer:
		return "o.buyer_id", c.ID
	case RoleSeller:
		return "o.shop_id", c.ShopID
	}
	return "NULL", ""
}

// Order returns the order with id if c may see it, or ErrNotFound.
func (s *Store) Order(ctx context.Context, c Caller, id string) (Order, error) {
	return loadOrder(ctx, s.db, c, id, false)
}

// loadOrder reads the order with id if c may see it, or ErrNotFound. With
// lock, it holds the order's row lock until q's transaction ends: every
// change to an order and its refunds, disputes and items takes it first, so
// they are checked and made one at a time.
func loadOrder(ctx context.Context, q DB, c Caller, id string, lock bool) (Order, error) {
	col, val := scope(c)
	var o Order
	var carrier, tracking *string
	forUpdate := ""
	if lock {
		forUpdate = " FOR NO KEY UPDATE OF o"
	}
	const orderSQL = `
		SELECT o.id, o.status, o.shop_id, sh.name, o.total_minor, o.refunded_minor, o.currency,
		       o.placed_at, o.paid_at, o.shipped_at, o.delivered_at, o.cancelled_at, o.carrier, o.tracking_number
		FROM orders o JOIN shops sh ON sh.id = o.shop_id
		WHERE o.id = $1 AND `
	// The items are read only if the caller may see the order, by the
	// same condition: no round trip between the two.
	const itemsSQL = `
		SELECT i.line, i.product_id, p.name, i.quantity, i.unit_price_minor, p.refundable, i.refunded_quantity, p.category
		FROM order_items i JOIN products p ON p.id = i.product_id
		WHERE i.order_id = $1 AND EXISTS (SELECT 1 FROM orders o WHERE o.id = $1 AND `
	scanOrder := func(row pgx.Row) error {
		return row.Scan(
			&o.ID, &o.Status, &o.ShopID, &o.ShopName, &o.Total.Minor, &o.Refunded.Minor, &o.Total.Currency,
			&o.PlacedAt, &o.PaidAt, &o.ShippedAt, &o.DeliveredAt, &o.CancelledAt, &carrier, &tracking)
	}
	var rows pgx.Rows
	var err error
	if b, ok := q.(batcher); ok {
		// One round trip on one connection (one pool acquire) for both.
		var batch pgx.Batch
		batch.Queue(orderSQL+col+` = $2`+forUpdate, id, val)
		batch.Queue(itemsSQL+col+` = $2) ORDER BY i.line`, id, val)
		br := b.SendBatch(ctx, &batch)
		defer br.Close()
		err = scanOrder(br.QueryRow())
		if err == nil {
			rows, err = br.Query()
		}
	} else {
		err = scanOrder(q.QueryRow(ctx, orderSQL+col+` = $2`+forUpdate, id, val))
		if err == nil {
			rows, err = q.Query(ctx, itemsSQL+col+` = $2) ORDER BY i.line`, id, val)
		}
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return Order{}, ErrNotFound
	}
	if err != nil {
		return Order{}, fmt.Errorf("load order %s: %w", id, err)
	}
	finishOrder(&o, carrier, tracking)
	o.Items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Item, error) {
		it := Item{UnitPrice: Money{Currency: o.Total.Currency}}
		err := r.Scan(&it.Line, &it.ProductID, &it.Name, &it.Quantity, &it.UnitPrice.Minor, &it.Refundable, &it.RefundedQuantity, &it.Category)
		return it, err
	})
	if err != nil {
		return Order{}, fmt.Errorf("load items of order %s: %w", id, err)
	}
	return o, nil
}

// batcher is a DB that sends several queries in one round trip: a pool or
// a transaction.
type batcher interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// Resolve returns the Caller for an authenticated role and id, reading the
// seller's shop and the person's locale from the database. Someone the
// database does not know is ErrNotFound.
func (s *Store) Resolve(ctx context.Context, role Role, id string) (Caller, error) {
	c, _, err := s.ResolveVersion(ctx, role, id)
	return c, err
}

// ResolveVersion is Resolve that also returns, read in the same statement,
// the person's token version (migrations/00008_sessions.sql): tokens
// minted before it was raised are revoked. A request is admitted in one
// round trip.
func (s *Store) ResolveVersion(ctx context.Context, role Role, id string) (Caller, int64, error) {
	c := Caller{Role: role, ID: id}
	const version = `(SELECT coalesce(max(version), 0) FROM token_versions WHERE role = $2 AND person_id = $1)`
	var v int64
	var err error
	switch role {
	case RoleBuyer:
		err = s.db.QueryRow(ctx, `SELECT locale, `+version+` FROM buyers WHERE id = $1`, id, string(role)).Scan(&c.Locale, &v)
	case RoleSeller:
		err = s.db.QueryRow(ctx, `SELECT shop_id, locale, `+version+` FROM sellers WHERE id = $1`, id, string(role)).Scan(&c.ShopID, &c.Locale, &v)
	case RoleSupport:
		err = s.db.QueryRow(ctx, `SELECT locale, `+version+` FROM support_staff WHERE id = $1`, id, string(role)).Scan(&c.Locale, &v)
	default:
		return Caller{}, 0, ErrNotFound
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return Caller{}, 0, ErrNotFound
	}
	if err != nil {
		return Caller{}, 0, fmt.Errorf("resolve %s %s: %w", role, id, err)
	}
	return c, v, nil
}
