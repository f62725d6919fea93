package demo_test

import (
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

func TestSeedIsDeterministicAndIdempotent(t *testing.T) {
	pool := pgtest.New(t)
	now := time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC)
	if err := demo.Seed(t.Context(), pool, now); err != nil {
		t.Fatalf("first Seed: %v", err)
	}
	first := fingerprint(t, pool)
	if err := demo.Seed(t.Context(), pool, now.Add(10*time.Minute)); err != nil {
		t.Fatalf("second Seed: %v", err)
	}
	if second := fingerprint(t, pool); second != first {
		t.Errorf("a second seed in the same hour changed the data:\nfirst  %s\nsecond %s", first, second)
	}

	counts := map[string]int{}
	for _, table := range []string{"shops", "sellers", "buyers", "orders"} {
		var n int
		if err := pool.QueryRow(t.Context(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		counts[table] = n
	}
	if counts["shops"] < 3 || counts["sellers"] < 3 || counts["buyers"] != demo.Buyers || counts["orders"] != demo.Orders {
		t.Errorf("counts = %v, want ≥3 shops and sellers, %d buyers, %d orders", counts, demo.Buyers, demo.Orders)
	}
	var locales int
	if err := pool.QueryRow(t.Context(), "SELECT count(DISTINCT locale) FROM buyers WHERE locale IN ('en','ko','es','ru')").Scan(&locales); err != nil {
		t.Fatal(err)
	}
	if locales != 4 {
		t.Errorf("buyers cover %d of the locales en, ko, es, ru", locales)
	}
}

// Each kind of demo order must really be in the situation its name promises,
// measured against the policy numbers the tools enforce.
func TestSeedOrdersMatchTheirKind(t *testing.T) {
	pool := pgtest.New(t)
	now := time.Now()
	if err := demo.Seed(t.Context(), pool, now); err != nil {
		t.Fatal(err)
	}
	store := tools.NewStore(pool)
	seen := map[demo.Kind]int{}
	for _, o := range demo.Plan() {
		seen[o.Kind]++
		got, err := store.Order(t.Context(), tools.Caller{Role: tools.RoleBuyer, ID: o.BuyerID}, o.ID)
		if err != nil {
			t.Fatalf("Order(%s) for its buyer: %v", o.ID, err)
		}
		if problem := check(o.Kind, got, now); problem != "" {
			t.Errorf("%s (%v): %s", o.ID, o.Kind, problem)
		}
	}
	for k := demo.Pending; k <= demo.NonRefundable; k++ {
		if seen[k] < 20 {
			t.Errorf("only %d orders of kind %v", seen[k], k)
		}
	}
	var disputes int
	if err := pool.QueryRow(t.Context(), "SELECT count(*) FROM disputes WHERE status = 'open'").Scan(&disputes); err != nil {
		t.Fatal(err)
	}
	if disputes != seen[demo.Disputed] {
		t.Errorf("%d open disputes, want %d", disputes, seen[demo.Disputed])
	}
}

func check(k demo.Kind, o tools.Order, now time.Time) string {
	since := func(t *time.Time) time.Duration {
		if t == nil {
			return -1
		}
		return now.Sub(*t)
	}
	switch k {
	case demo.Pending:
		if o.Status != "pending" || since(&o.PlacedAt) >= tools.UnpaidCancelAfter {
			return "want pending and placed within the unpaid window"
		}
	case demo.Paid:
		if o.Status != "paid" || o.ShippedAt != nil {
			return "want paid and not shipped"
		}
	case demo.InTransit:
		if o.Status != "shipped" || since(o.ShippedAt) >= tools.NotReceivedAfter || o.TrackingNumber == "" {
			return "want shipped recently with tracking"
		}
	case demo.Overdue:
		if o.Status != "shipped" || since(o.ShippedAt) <= tools.NotReceivedAfter || since(o.ShippedAt) >= tools.DisputeWindow {
			return "want shipped past the not-received threshold, inside the dispute window"
		}
	case demo.DeliveredRecently, demo.NonRefundable:
		if o.Status != "delivered" || since(o.DeliveredAt) >= tools.RefundWindow || o.Refunded.Minor != 0 {
			return "want delivered inside the refund window, nothing refunded"
		}
		for _, it := range o.Items {
			if it.Refundable != (k == demo.DeliveredRecently) {
				return "item refundability does not match the kind"
			}
		}
	case demo.DeliveredLongAgo:
		if o.Status != "delivered" || since(o.DeliveredAt) <= tools.RefundWindow || since(o.DeliveredAt) >= tools.DisputeWindow {
			return "want delivered outside the refund window, inside the dispute window"
		}
	case demo.CancelledUnpaid:
		if o.Status != "cancelled" || o.PaidAt != nil || o.Refunded.Minor != 0 {
			return "want cancelled, never paid"
		}
	case demo.CancelledPaid, demo.FullyRefunded:
		if (k == demo.CancelledPaid) != (o.Status == "cancelled") || o.Refunded != o.Total {
			return "want refunded in full"
		}
	case demo.PartiallyRefunded:
		if o.Refunded.Minor <= 0 || o.Refunded.Minor >= o.Total.Minor {
			return "want partly refunded"
		}
	case demo.Disputed:
		if o.Status != "delivered" {
			return "want delivered"
		}
	}
	return ""
}

func fingerprint(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	var s string
	err := pool.QueryRow(t.Context(), `SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (
		SELECT row(o.*)::text AS x FROM orders o
		UNION ALL SELECT row(i.*)::text FROM order_items i
		UNION ALL SELECT row(r.id, r.order_id, r.amount_minor, r.status, r.created_at)::text FROM refunds r
		UNION ALL SELECT row(d.id, d.order_id, d.status, d.created_at)::text FROM disputes d
		UNION ALL SELECT row(b.id, b.name, b.email, b.locale)::text FROM buyers b
		UNION ALL SELECT row(p.id, p.name, p.price_minor)::text FROM products p) t`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Items says what the seed wrote: every line of every order, in order.
func TestItemsMatchTheSeed(t *testing.T) {
	pool := pgtest.New(t)
	if err := demo.Seed(t.Context(), pool, time.Now()); err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(t.Context(), `SELECT oi.order_id, oi.product_id, p.name, oi.quantity, oi.unit_price_minor, p.currency
		FROM order_items oi JOIN products p ON p.id = oi.product_id ORDER BY oi.order_id, oi.line`)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string][]demo.Item{}
	for rows.Next() {
		var id string
		var it demo.Item
		if err := rows.Scan(&id, &it.ProductID, &it.Name, &it.Quantity, &it.UnitPriceMinor, &it.Currency); err != nil {
			t.Fatal(err)
		}
		stored[id] = append(stored[id], it)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	planned := demo.Items()
	if len(planned) != demo.Orders || len(stored) != demo.Orders {
		t.Fatalf("Items has %d orders and the seed wrote %d, want %d", len(planned), len(stored), demo.Orders)
	}
	for id, want := range stored {
		if !slices.Equal(planned[id], want) {
			t.Errorf("Items()[%s] = %+v, the seed wrote %+v", id, planned[id], want)
		}
	}
}
