package tools

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// A buyer who names an order usually has the model look it up: "where is
// ORD-10042?" is answered by get_order (or track_shipment) of that order.
// Its lookup in a transaction of its own was one of a plain turn's three
// round trips (docs/performance.md). The orders the buyer's message names
// are read instead in the batch that stores the message and reads the
// turn's state (OrderPrefetch, queued by the agent), and the two lookups
// take them from that OrderSnapshot.
//
// Freshness: the snapshot is the order as the turn's first batch read it,
// in the same transaction as the turn's history, i.e. as of the buyer's
// message; a lookup that queried would see it as of the tool call, a model
// call later. Within the turn, a consequential tool that runs (an approved
// refund, cancellation or dispute, which change orders) spends the snapshot
// first: every lookup after it queries. Authorization is unchanged: the
// prefetch reads only orders the caller may see, by the same condition as
// loadOrder (scope), and a lookup is served only to that same caller; an
// order not in the snapshot is queried as before.

// maxPrefetchOrders bounds the orders one message has read ahead: a list
// of ids pasted into a message costs no more than a few lookups would.
const maxPrefetchOrders = 4

// namedOrderID finds the order ids a message names, as the scope's SQL
// does (agent's orderIDRegexp: whole words, any case).
var namedOrderID = regexp.MustCompile(`(?i)\bORD-[0-9]{5}\b`)

// OrderPrefetch is the read of the orders a buyer's message names, to be
// queued in a batch (Queue) and read from its results (Read).
type OrderPrefetch struct {
	caller Caller
	ids    []string
}

// PrefetchOrders returns the read of the orders text names for c, a buyer;
// nil when it names none or c is not a buyer, and then nothing is queued.
func PrefetchOrders(c Caller, text string) *OrderPrefetch {
	if c.Role != RoleBuyer || c.ID == "" || !strings.Contains(strings.ToUpper(text), "ORD-") {
		return nil
	}
	var ids []string
	for _, m := range namedOrderID.FindAllString(text, -1) {
		id := strings.ToUpper(m)
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
		if len(ids) == maxPrefetchOrders {
			break
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return &OrderPrefetch{caller: c, ids: ids}
}

// prefetchSQL reads orders with their items, one row per item (an order
// without items is one row of NULLs): loadOrder's two statements in one,
// with its columns and its scope condition, appended.
const prefetchSQL = `
	SELECT o.id, o.status, o.shop_id, sh.name, o.total_minor, o.refunded_minor, o.currency,
	       o.placed_at, o.paid_at, o.shipped_at, o.delivered_at, o.cancelled_at, o.carrier, o.tracking_number,
	       i.line, i.product_id, p.name, i.quantity, i.unit_price_minor, p.refundable, i.refunded_quantity, p.category
	FROM orders o JOIN shops sh ON sh.id = o.shop_id
	LEFT JOIN (order_items i JOIN products p ON p.id = i.product_id) ON i.order_id = o.id
	WHERE o.id = ANY ($1::text[]) AND `

// Queue adds the read to b: one statement.
func (p *OrderPrefetch) Queue(b *pgx.Batch) {
	col, val := scope(p.caller)
	b.Queue(prefetchSQL+col+` = $2 ORDER BY o.id, i.line`, p.ids, val)
}

// Read reads the statement Queue added from br, next in its results.
func (p *OrderPrefetch) Read(br pgx.BatchResults) (*OrderSnapshot, error) {
	rows, err := br.Query()
	if err != nil {
		return nil, fmt.Errorf("read the named orders ahead: %w", err)
	}
	defer rows.Close()
	s := &OrderSnapshot{caller: p.caller, orders: make(map[string]Order, len(p.ids))}
	var cur *Order
	// The nullable columns scan into values, not pointers: pgx allocates
	// what a pointer destination points to, on every row (an order's
	// items repeat its columns), about a dozen allocations a lookup. They
	// are one value, and so is the Scan's list of them, which pgx is given
	// pointers into: one allocation each, not one a column and a row.
	var r struct {
		id                                  string
		carrier, tracking                   pgtype.Text
		paid, shipped, delivered, cancelled pgtype.Timestamptz
		o                                   Order
		line, quantity, refunded            pgtype.Int4
		product, name, category             pgtype.Text
		price                               pgtype.Int8
		refundable                          pgtype.Bool
	}
	o := &r.o
	dest := []any{&r.id, &o.Status, &o.ShopID, &o.ShopName, &o.Total.Minor, &o.Refunded.Minor, &o.Total.Currency,
		&o.PlacedAt, &r.paid, &r.shipped, &r.delivered, &r.cancelled, &r.carrier, &r.tracking,
		&r.line, &r.product, &r.name, &r.quantity, &r.price, &r.refundable, &r.refunded, &r.category}
	flush := func() {
		if cur != nil {
			finishOrder(cur, nil, nil)
			s.orders[cur.ID] = *cur
		}
	}
	for rows.Next() {
		r.id = ""
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("read the named orders ahead: %w", err)
		}
		id := r.id
		if cur == nil || cur.ID != id {
			flush()
			next := *o
			next.ID, next.Items = id, []Item{}
			// The order's own row: by flush, the next order's is scanned.
			next.Carrier, next.TrackingNumber = r.carrier.String, r.tracking.String
			var err error
			if next.PaidAt, err = timePtr(r.paid); err == nil {
				if next.ShippedAt, err = timePtr(r.shipped); err == nil {
					if next.DeliveredAt, err = timePtr(r.delivered); err == nil {
						next.CancelledAt, err = timePtr(r.cancelled)
					}
				}
			}
			if err != nil {
				return nil, fmt.Errorf("read the named orders ahead: %w", err)
			}
			cur = &next
		}
		if r.line.Valid {
			cur.Items = append(cur.Items, Item{Line: int(r.line.Int32), ProductID: r.product.String, Name: r.name.String, Quantity: int(r.quantity.Int32),
				UnitPrice: Money{Minor: r.price.Int64, Currency: cur.Total.Currency}, Refundable: r.refundable.Bool,
				RefundedQuantity: int(r.refunded.Int32), Category: r.category.String})
		}
		*o = Order{}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the named orders ahead: %w", err)
	}
	flush()
	return s, nil
}

// OrderSnapshot is orders of one caller as a turn's first batch read them,
// served to that caller's order lookups in the turn until a consequential
// tool runs. Safe for the turn's concurrent tool calls.
type OrderSnapshot struct {
	caller Caller
	mu     sync.Mutex
	orders map[string]Order
	spent  bool
}

type snapshotKey struct{}

// WithOrderSnapshot returns ctx in which get_order and track_shipment take
// the orders of s (nil: none) before they query.
func WithOrderSnapshot(ctx context.Context, s *OrderSnapshot) context.Context {
	if s == nil {
		return ctx
	}
	return context.WithValue(ctx, snapshotKey{}, s)
}

// spendSnapshot makes the snapshot in ctx, if any, serve nothing more: an
// action is about to change orders.
func spendSnapshot(ctx context.Context) {
	if s, _ := ctx.Value(snapshotKey{}).(*OrderSnapshot); s != nil {
		s.mu.Lock()
		s.spent = true
		s.mu.Unlock()
	}
}

// order returns the order id of the snapshot in ctx when it was read for c
// and no action has run since.
func snapshotOrder(ctx context.Context, c Caller, id string) (Order, bool) {
	s, _ := ctx.Value(snapshotKey{}).(*OrderSnapshot)
	if s == nil || c != s.caller {
		return Order{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if s.spent || !ok {
		return Order{}, false
	}
	// The caller's copy: a tool may change its items.
	o.Items = slices.Clone(o.Items)
	return o, true
}

// lookupOrder is Order for the lookups that only read one order (get_order,
// track_shipment): from the turn's snapshot when it has the order, else
// queried.
func (s *Store) lookupOrder(ctx context.Context, c Caller, id string) (Order, error) {
	if o, ok := snapshotOrder(ctx, c, id); ok {
		return o, nil
	}
	return s.Order(ctx, c, id)
}

// finishOrder sets what loadOrder derives from an order's row: the
// refunded amount's currency, the carrier and tracking number, and the
// refund and dispute windows of a delivered order.
// timePtr is t as a *time.Time, nil for NULL, as pgx scans a timestamptz
// into a **time.Time: an infinite one is an error.
func timePtr(t pgtype.Timestamptz) (*time.Time, error) {
	if !t.Valid {
		return nil, nil
	}
	if t.InfinityModifier != pgtype.Finite {
		return nil, fmt.Errorf("cannot scan an infinite timestamp into time.Time")
	}
	v := t.Time
	return &v, nil
}

func finishOrder(o *Order, carrier, tracking *string) {
	o.Refunded.Currency = o.Total.Currency
	if carrier != nil {
		o.Carrier = *carrier
	}
	if tracking != nil {
		o.TrackingNumber = *tracking
	}
	if o.DeliveredAt != nil && o.Status == "delivered" {
		refund, dispute := o.DeliveredAt.Add(RefundWindow), o.DeliveredAt.Add(DisputeWindow)
		o.RefundUntil, o.DisputeUntil = &refund, &dispute
	}
}
