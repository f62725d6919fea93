package tools_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

// The limits the database enforces are the Go constants: one table,
// policy_limits, that every trigger reads, holds exactly them, and the
// refund reasons the schema accepts are tools.RefundReasons.
func TestDatabaseLimitsAreThePolicyConstants(t *testing.T) {
	pool := pgtest.New(t)
	want := map[string]int64{
		"max_refunds_per_order":    tools.MaxRefundsPerOrder,
		"max_self_service_refunds": tools.MaxSelfServiceRefunds,
		"self_service_period_days": int64(tools.SelfServicePeriod / (24 * time.Hour)),
		"max_dispute_evidence":     tools.MaxDisputeEvidence,
	}
	rows, err := pool.Query(t.Context(), `SELECT name, value FROM policy_limits`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for rows.Next() {
		var name string
		var v int64
		if err := rows.Scan(&name, &v); err != nil {
			t.Fatal(err)
		}
		got[name] = v
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("policy_limits = %v, want the Go constants %v", got, want)
	}
	var def string
	if err := pool.QueryRow(t.Context(), `SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'refunds_reason_check'`).Scan(&def); err != nil {
		t.Fatal(err)
	}
	for _, r := range append(tools.RefundReasons, "cancelled") {
		if !strings.Contains(def, "'"+r+"'") {
			t.Errorf("refunds_reason_check %s does not accept %q", def, r)
		}
	}
	if n := strings.Count(def, "::text"); n != len(tools.RefundReasons)+1 {
		t.Errorf("refunds_reason_check accepts %d reasons, want tools.RefundReasons and cancelled (%d)", n, len(tools.RefundReasons)+1)
	}
}

// Around every Go check, the database still refuses refunds the policy
// forbids: an unknown reason, lines of another order, and a self-service
// refund past the buyer's limit (a staff refund without an action key is
// not self-service and passes).
func TestSchemaHoldsRefundsToThePolicy(t *testing.T) {
	pool := pgtest.New(t)
	ctx := t.Context()
	exec := func(sql string, args ...any) error {
		_, err := pool.Exec(ctx, sql, args...)
		return err
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(exec(`INSERT INTO shops (id, name, currency) VALUES ('s1', 'Shop', 'USD')`))
	must(exec(`INSERT INTO buyers (id, name, email) VALUES ('b1', 'B', 'b1@example.test')`))
	must(exec(`INSERT INTO products (id, shop_id, name, category, price_minor, currency) VALUES ('p1', 's1', 'Thing', 'home', 1000, 'USD')`))
	for i := 1; i <= 3; i++ {
		must(exec(`INSERT INTO orders (id, buyer_id, shop_id, status, total_minor, currency, placed_at, paid_at)
			VALUES ($1, 'b1', 's1', 'paid', 1000, 'USD', now(), now())`, fmt.Sprintf("ORD-0000%d", i)))
		must(exec(`INSERT INTO order_items (order_id, line, product_id, quantity, unit_price_minor) VALUES ($1, 1, 'p1', 1, 1000)`, fmt.Sprintf("ORD-0000%d", i)))
	}
	refund := func(id, order, reason, key string) error {
		var k *string
		if key != "" {
			k = &key
		}
		return exec(`INSERT INTO refunds (id, order_id, buyer_id, amount_minor, currency, status, reason, idempotency_key)
			VALUES ($1, $2, 'b1', 10, 'USD', 'approved', $3, $4)`, id, order, reason, k)
	}
	if err := refund("RF-BAD1", "ORD-00001", "because", ""); constraint(err) != "refunds_reason_check" {
		t.Errorf("a refund for no policy reason = %v, want refunds_reason_check", err)
	}
	must(refund("RF-0001", "ORD-00001", "damaged", "action:a_self1"))
	if err := exec(`INSERT INTO refund_items (refund_id, order_id, line, quantity) VALUES ('RF-0001', 'ORD-00002', 1, 1)`); constraint(err) != "refund_items_refund_order_fkey" {
		t.Errorf("a refund line of another order = %v, want refund_items_refund_order_fkey", err)
	}
	for i := 2; i <= tools.MaxSelfServiceRefunds; i++ {
		must(refund(fmt.Sprintf("RF-000%d", i), fmt.Sprintf("ORD-0000%d", 1+(i-1)/tools.MaxRefundsPerOrder), "damaged", fmt.Sprintf("action:a_self%d", i)))
	}
	if err := refund("RF-0006", "ORD-00003", "damaged", "action:a_self6"); constraint(err) != "refunds_per_buyer_limit" {
		t.Errorf("self-service refund %d in the period = %v, want refunds_per_buyer_limit", tools.MaxSelfServiceRefunds+1, err)
	}
	if err := refund("RF-0007", "ORD-00003", "damaged", ""); err != nil {
		t.Errorf("a staff refund without an action = %v, want it written", err)
	}
}

func constraint(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.ConstraintName
	}
	return ""
}

// A consequential tool approved for a plan does that plan or nothing: the
// refund, cancellation or dispute it would make now is compared with the
// approved plan inside its transaction.
func TestApprovedPlanIsExecutedOrNothing(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		tool string
		kind demo.Kind
		args string
		skew func(*tools.Plan)
	}{
		{"request_refund", demo.DeliveredRecently, `{"order_id":"%s","reason":"damaged"}`, func(p *tools.Plan) { p.Amount.Minor-- }},
		{"request_refund", demo.DeliveredRecently, `{"order_id":"%s","reason":"damaged"}`, func(p *tools.Plan) { p.Items = p.Items[:0] }},
		{"cancel_order", demo.Paid, `{"order_id":"%s"}`, func(p *tools.Plan) { p.Amount = nil }},
		{"open_dispute", demo.DeliveredLongAgo, `{"order_id":"%s","reason":"damaged","description":"torn"}`, func(p *tools.Plan) { p.Reason = "wrong_item" }},
	}
	for i, tt := range tests {
		t.Run(fmt.Sprintf("%s %d", tt.tool, i), func(t *testing.T) {
			o := e.pick(tt.kind)
			ctx := buyer(t.Context(), o.BuyerID)
			args := fmt.Sprintf(tt.args, o.ID)
			p, perr := e.preview(ctx, tt.tool, args)
			if perr != nil {
				t.Fatalf("preview: %v", perr)
			}
			skewed := p.Plan
			if skewed.Amount != nil {
				a := *skewed.Amount
				skewed.Amount = &a
			}
			tt.skew(&skewed)
			id := fmt.Sprintf("a_plan%010d", i)
			wantCode(t, "call under another plan", e.call(tools.ApprovePlan(ctx, id, skewed), tt.tool, args), tools.CodePlanChanged)
			if n := e.count(`SELECT (SELECT count(*) FROM refunds WHERE idempotency_key = $1) + (SELECT count(*) FROM disputes WHERE idempotency_key = $1)
				+ (SELECT count(*) FROM orders WHERE cancel_idempotency_key = $1)`, "action:"+id); n != 0 {
				t.Fatalf("a refused plan made %d things", n)
			}
			wantCode(t, "call under the previewed plan", e.call(tools.ApprovePlan(ctx, id, p.Plan), tt.tool, args), "")
		})
	}
}
