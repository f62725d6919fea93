package migrations_test

import (
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/migrations"
	"github.com/csagent/csagent/migrations/pgtest"
)

func TestNewestMigrationDownAndUp(t *testing.T) {
	pool := pgtest.New(t)
	m, err := migrations.New(pool, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })

	ok, err := m.Current(t.Context())
	if err != nil || !ok {
		t.Fatalf("Current() = %v, %v; want true, nil", ok, err)
	}
	if err := m.Down(t.Context()); err != nil {
		t.Fatalf("Down: %v", err)
	}
	ok, err = m.Current(t.Context())
	if err != nil || ok {
		t.Fatalf("after Down, Current() = %v, %v; want false, nil", ok, err)
	}
	n, err := m.Up(t.Context())
	if err != nil || n != 1 {
		t.Fatalf("Up() = %d, %v; want 1, nil", n, err)
	}
	st, err := m.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range st {
		if !s.Applied {
			t.Errorf("migration %d (%s) not applied after Up", s.Version, s.Name)
		}
	}
	var ext string
	if err := pool.QueryRow(t.Context(), "SELECT extversion FROM pg_extension WHERE extname = 'vector'").Scan(&ext); err != nil {
		t.Fatalf("vector extension missing after Up: %v", err)
	}
}

// The refund ceiling is the database's promise, not only Go's: these
// statements go around every Go check and must still be refused.
func TestSchemaRefusesWhatPolicyForbids(t *testing.T) {
	pool := pgtest.New(t)
	exec(t, pool, `INSERT INTO shops (id, name, currency) VALUES ('s1', 'Shop', 'USD')`)
	exec(t, pool, `INSERT INTO buyers (id, name, email) VALUES ('b1', 'B', 'b1@example.test')`)
	exec(t, pool, `INSERT INTO orders (id, buyer_id, shop_id, status, total_minor, currency, placed_at, paid_at)
		VALUES ('ORD-00001', 'b1', 's1', 'paid', 1000, 'USD', now(), now())`)
	exec(t, pool, `INSERT INTO refunds (id, order_id, buyer_id, amount_minor, currency, status, reason)
		VALUES ('RF-0001', 'ORD-00001', 'b1', 600, 'USD', 'approved', 'damaged')`)

	tests := []struct {
		name, sql, constraint string
	}{
		{"refunds past the order total", `INSERT INTO refunds (id, order_id, buyer_id, amount_minor, currency, status, reason)
			VALUES ('RF-0002', 'ORD-00001', 'b1', 401, 'USD', 'approved', 'damaged')`, "orders_refund_within_total"},
		{"refund in another currency", `INSERT INTO refunds (id, order_id, buyer_id, amount_minor, currency, status, reason)
			VALUES ('RF-0003', 'ORD-00001', 'b1', 1, 'EUR', 'approved', 'damaged')`, "refunds_currency_matches_order"},
		{"zero refund", `INSERT INTO refunds (id, order_id, buyer_id, amount_minor, currency, status, reason)
			VALUES ('RF-0004', 'ORD-00001', 'b1', 0, 'USD', 'approved', 'damaged')`, "refunds_amount_minor_check"},
		{"changing a refund's amount", `UPDATE refunds SET amount_minor = 1 WHERE id = 'RF-0001'`, "refunds_immutable_amount"},
		{"malformed order id", `INSERT INTO orders (id, buyer_id, shop_id, status, total_minor, currency, placed_at)
			VALUES ('ORD-1; DROP', 'b1', 's1', 'pending', 1, 'USD', now())`, "orders_id_check"},
		{"unknown currency", `INSERT INTO orders (id, buyer_id, shop_id, status, total_minor, currency, placed_at)
			VALUES ('ORD-00002', 'b1', 's1', 'pending', 1, 'XXX', now())`, "currency_code_check"},
		{"delivered without a delivery time", `INSERT INTO orders (id, buyer_id, shop_id, status, total_minor, currency, placed_at, paid_at, shipped_at, tracking_number)
			VALUES ('ORD-00003', 'b1', 's1', 'delivered', 1, 'USD', now(), now(), now(), 'TRACK12345')`, "orders_delivered_has_time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := pool.Exec(t.Context(), tt.sql)
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) {
				t.Fatalf("Exec = %v, want a constraint violation", err)
			}
			if pgErr.ConstraintName != tt.constraint {
				t.Errorf("violated constraint = %q (%s), want %q", pgErr.ConstraintName, pgErr.Message, tt.constraint)
			}
		})
	}

	// Rejecting a refund gives its amount back to the order.
	exec(t, pool, `UPDATE refunds SET status = 'rejected' WHERE id = 'RF-0001'`)
	var refunded int64
	if err := pool.QueryRow(t.Context(), `SELECT refunded_minor FROM orders WHERE id = 'ORD-00001'`).Scan(&refunded); err != nil {
		t.Fatal(err)
	}
	if refunded != 0 {
		t.Errorf("refunded_minor after rejecting the only refund = %d, want 0", refunded)
	}
}

func exec(t *testing.T, pool *pgxpool.Pool, sql string) {
	t.Helper()
	if _, err := pool.Exec(t.Context(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}
