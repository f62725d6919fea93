// Package demo writes csagent's demo data: shops, sellers, buyers, products
// and 300 orders in every state a support agent meets, with dates relative to
// the hour the seed runs, so the demo always has orders inside and outside
// every window the policies state.
//
// Seeding is deterministic (a fixed random source) and idempotent (upserts in
// one transaction): running it twice in one hour writes the same rows, and a
// later run moves the demo orders' dates forward with the clock.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/tools"
)

// Kind is the situation a demo order is in.
type Kind int

// The kinds of demo order, each 1/12 of the 300.
const (
	Pending           Kind = iota // placed hours ago, not paid
	Paid                          // paid, not shipped: cancellable
	InTransit                     // shipped days ago
	Overdue                       // shipped over 15 days ago, never delivered: "not received" dispute
	DeliveredRecently             // inside the refund window
	DeliveredLongAgo              // outside the refund window, inside the dispute window
	CancelledUnpaid               // cancelled before payment
	CancelledPaid                 // cancelled after payment, refunded in full
	FullyRefunded                 // delivered, then refunded in full
	PartiallyRefunded             // delivered, one item refunded
	Disputed                      // delivered, with an open dispute
	NonRefundable                 // delivered recently, but only non-refundable items
	kinds
)

var kindNames = [...]string{"pending", "paid", "in_transit", "overdue", "delivered_recently", "delivered_long_ago",
	"cancelled_unpaid", "cancelled_paid", "fully_refunded", "partially_refunded", "disputed", "non_refundable"}

func (k Kind) String() string { return kindNames[k] }

// Counts of the demo data.
const (
	Buyers = 50
	Orders = 300
)

// Order is a demo order as generated, with the kind it was made to be.
type Order struct {
	ID, BuyerID, ShopID string
	Kind                Kind
}

// Plan returns the demo orders in id order, without touching a database: the
// same plan the seed writes, for tests and fixtures that need "an order of
// buyer X that is Y".
func Plan() []Order {
	out := make([]Order, Orders)
	for i := range out {
		// Buyer b gets orders b, b+50, …, whose kinds (b + 7k) mod 12 are six
		// different situations, since 7 and 12 are coprime.
		out[i] = Order{
			ID:      fmt.Sprintf("ORD-%05d", 10001+i),
			BuyerID: BuyerID(i % Buyers),
			ShopID:  shops[(i/7)%len(shops)].id,
			Kind:    Kind((i + (i/Buyers)*5) % int(kinds)),
		}
	}
	return out
}

// SupportID is the demo's platform support agent.
const SupportID = "support-1"

// BuyerID returns the id of demo buyer n (0-based).
func BuyerID(n int) string { return fmt.Sprintf("buyer-%03d", n+1) }

// BuyerLocale returns the locale of demo buyer n (0-based).
func BuyerLocale(n int) string { return locales[n%len(locales)] }

// Seed writes the demo data in one transaction, with dates relative to now.
func Seed(ctx context.Context, pool *pgxpool.Pool, now time.Time) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin seed: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit this is a no-op
	if err := seed(ctx, tx, now.UTC().Truncate(time.Hour)); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit seed: %w", err)
	}
	return nil
}

func seed(ctx context.Context, tx pgx.Tx, base time.Time) error {
	b := &pgx.Batch{}
	for _, s := range shops {
		b.Queue(`INSERT INTO shops (id, name, currency, locale) VALUES ($1, $2, $3, $4)
			ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, currency = EXCLUDED.currency, locale = EXCLUDED.locale`,
			s.id, s.name, s.currency, s.locale)
		b.Queue(`INSERT INTO sellers (id, shop_id, name, locale) VALUES ($1, $2, $3, $4)
			ON CONFLICT (id) DO UPDATE SET shop_id = EXCLUDED.shop_id, name = EXCLUDED.name, locale = EXCLUDED.locale`,
			s.seller, s.id, s.sellerName, s.locale)
		for _, p := range s.products {
			b.Queue(`INSERT INTO products (id, shop_id, name, category, price_minor, currency, refundable)
				VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, category = EXCLUDED.category,
					price_minor = EXCLUDED.price_minor, refundable = EXCLUDED.refundable`,
				p.id, s.id, p.name, p.category, p.price, s.currency, p.refundable)
		}
	}
	// Platform support, who take the handoffs no single shop owns.
	b.Queue(`INSERT INTO support_staff (id, name, locale) VALUES ($1, $2, 'en')
		ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, locale = EXCLUDED.locale`, SupportID, "Jordan Avery")
	for n := range Buyers {
		loc := BuyerLocale(n)
		list := names[loc]
		name := list[(n/len(locales))%len(list)]
		b.Queue(`INSERT INTO buyers (id, name, email, locale) VALUES ($1, $2, $3, $4)
			ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, locale = EXCLUDED.locale`,
			BuyerID(n), name, fmt.Sprintf("%s@demo.example", BuyerID(n)), loc)
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("seed shops, buyers and products: %w", err)
	}

	rng := rand.New(rand.NewPCG(2026, 11))
	b = &pgx.Batch{}
	for i, o := range Plan() {
		queueOrder(b, rng, base, i, o)
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("seed orders: %w", err)
	}
	return nil
}

func shopByID(id string) shop {
	for _, s := range shops {
		if s.id == id {
			return s
		}
	}
	panic("demo: unknown shop " + id)
}

func hours(h int) time.Duration { return time.Duration(h) * time.Hour }
func days(d int) time.Duration  { return time.Duration(d) * 24 * time.Hour }

// queueOrder adds one order, its items and any refund or dispute to b. Every
// random draw happens in the same sequence on every run, so the seed is
// deterministic.
func queueOrder(b *pgx.Batch, rng *rand.Rand, base time.Time, i int, o Order) {
	s := shopByID(o.ShopID)

	// Items: non-refundable only for NonRefundable orders; otherwise 1–3
	// refundable products.
	var refundable, other []product
	for _, p := range s.products {
		if p.refundable {
			refundable = append(refundable, p)
		} else {
			other = append(other, p)
		}
	}
	type line struct {
		p   product
		qty int
	}
	var lines []line
	if o.Kind == NonRefundable {
		lines = append(lines, line{other[rng.IntN(len(other))], 1})
	} else {
		n := 1 + rng.IntN(3)
		if o.Kind == PartiallyRefunded {
			n = 2 // one line refunded, one kept
		}
		start := rng.IntN(len(refundable))
		for j := range n {
			lines = append(lines, line{refundable[(start+j)%len(refundable)], 1 + rng.IntN(2)})
		}
	}
	var total int64
	for _, l := range lines {
		total += l.p.price * int64(l.qty)
	}

	// Dates, working back from the situation the order is in.
	var (
		status                              string
		placed                              time.Time
		paid, shipped, delivered, cancelled *time.Time
	)
	at := func(t time.Time) *time.Time { return &t }
	jitter := hours(rng.IntN(20))
	switch o.Kind {
	case Pending:
		status, placed = "pending", base.Add(-hours(1+rng.IntN(12)))
	case Paid:
		status, placed = "paid", base.Add(-hours(3+rng.IntN(20)))
		paid = at(placed.Add(10 * time.Minute))
	case InTransit:
		status, shipped = "shipped", at(base.Add(-days(1+rng.IntN(5))-jitter))
	case Overdue:
		status, shipped = "shipped", at(base.Add(-days(16+rng.IntN(15))-jitter))
	case DeliveredRecently, NonRefundable, PartiallyRefunded, Disputed:
		status, delivered = "delivered", at(base.Add(-days(1+rng.IntN(20))-jitter))
	case DeliveredLongAgo:
		status, delivered = "delivered", at(base.Add(-days(35+rng.IntN(20))-jitter))
	case FullyRefunded:
		status, delivered = "delivered", at(base.Add(-days(5+rng.IntN(20))-jitter))
	case CancelledUnpaid:
		status, placed = "cancelled", base.Add(-days(2+rng.IntN(20)))
		cancelled = at(placed.Add(tools.UnpaidCancelAfter))
	case CancelledPaid:
		status, placed = "cancelled", base.Add(-days(2+rng.IntN(20)))
		paid = at(placed.Add(15 * time.Minute))
		cancelled = at(paid.Add(hours(2 + rng.IntN(20))))
	}
	if delivered != nil {
		shipped = at(delivered.Add(-days(2 + rng.IntN(5))))
	}
	if shipped != nil {
		paid = at(shipped.Add(-hours(6 + rng.IntN(40))))
	}
	if paid != nil && placed.IsZero() {
		placed = paid.Add(-time.Duration(5+rng.IntN(50)) * time.Minute)
	}
	var carrier, tracking *string
	if shipped != nil {
		c := s.carrier
		t := fmt.Sprintf("%s%010d", s.trackingPrefix, rng.Int64N(1e10))
		carrier, tracking = &c, &t
	}

	b.Queue(`INSERT INTO orders (id, buyer_id, shop_id, status, total_minor, currency, placed_at, paid_at,
			shipped_at, delivered_at, cancelled_at, carrier, tracking_number)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (id) DO UPDATE SET buyer_id = EXCLUDED.buyer_id, shop_id = EXCLUDED.shop_id,
			status = EXCLUDED.status, total_minor = EXCLUDED.total_minor, currency = EXCLUDED.currency,
			placed_at = EXCLUDED.placed_at, paid_at = EXCLUDED.paid_at, shipped_at = EXCLUDED.shipped_at,
			delivered_at = EXCLUDED.delivered_at, cancelled_at = EXCLUDED.cancelled_at,
			carrier = EXCLUDED.carrier, tracking_number = EXCLUDED.tracking_number`,
		o.ID, o.BuyerID, s.id, status, total, s.currency, placed, paid, shipped, delivered, cancelled, carrier, tracking)
	for j, l := range lines {
		refundedQty := 0
		if o.Kind == PartiallyRefunded && j == 0 {
			refundedQty = 1
		}
		if o.Kind == FullyRefunded {
			refundedQty = l.qty
		}
		b.Queue(`INSERT INTO order_items (order_id, line, product_id, quantity, unit_price_minor, refunded_quantity)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (order_id, line) DO UPDATE SET product_id = EXCLUDED.product_id, quantity = EXCLUDED.quantity,
				unit_price_minor = EXCLUDED.unit_price_minor, refunded_quantity = EXCLUDED.refunded_quantity`,
			o.ID, j+1, l.p.id, l.qty, l.p.price, refundedQty)
	}
	// Lines beyond this plan's (from an older seed) would break the total.
	b.Queue(`DELETE FROM order_items WHERE order_id = $1 AND line > $2`, o.ID, len(lines))

	refund := func(amount int64, reason string, when time.Time) {
		// The refund exists once; its amount never changes (the schema
		// forbids it), so a re-seed only refreshes its date.
		b.Queue(`INSERT INTO refunds (id, order_id, buyer_id, amount_minor, currency, status, reason, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, 'completed', $6, $7, $7)
			ON CONFLICT (id) DO UPDATE SET created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at`,
			fmt.Sprintf("RF-D%05d", i+1), o.ID, o.BuyerID, amount, s.currency, reason, when)
	}
	switch o.Kind {
	case CancelledPaid:
		refund(total, "cancelled", *cancelled)
	case FullyRefunded:
		refund(total, "damaged", delivered.Add(days(2)))
	case PartiallyRefunded:
		refund(lines[0].p.price, "changed_mind", delivered.Add(days(1)))
	case Disputed:
		opened := delivered.Add(days(1))
		reasons := []string{"not_as_described", "damaged", "wrong_item", "counterfeit"}
		b.Queue(`INSERT INTO disputes (id, order_id, buyer_id, status, reason, description, seller_respond_by, decide_by, created_at, updated_at)
			VALUES ($1, $2, $3, 'open', $4, $5, $6, $7, $8, $8)
			ON CONFLICT (id) DO UPDATE SET seller_respond_by = EXCLUDED.seller_respond_by,
				decide_by = EXCLUDED.decide_by, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at`,
			fmt.Sprintf("DSP-D%05d", i+1), o.ID, o.BuyerID, reasons[i%len(reasons)],
			"Opened from the demo data.", opened.Add(tools.SellerResponseTime), opened.Add(tools.DisputeDecisionTime), opened)
	}
}
