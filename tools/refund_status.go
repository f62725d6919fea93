package tools

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// refunds returns the refunds c may see: one by id, or all of an order.
func refunds(ctx context.Context, q DB, c Caller, refundID, orderID string) ([]Refund, error) {
	col, val := scope(c)
	rows, err := q.Query(ctx, `
		SELECT r.id, r.order_id, r.amount_minor, r.currency, r.status, r.reason, r.created_at
		FROM refunds r JOIN orders o ON o.id = r.order_id
		WHERE (r.id = $1 OR r.order_id = $2) AND `+col+` = $3
		ORDER BY r.created_at, r.id`, refundID, orderID, val)
	if err != nil {
		return nil, fmt.Errorf("load refunds: %w", err)
	}
	rs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Refund, error) {
		var f Refund
		err := r.Scan(&f.ID, &f.OrderID, &f.Amount.Minor, &f.Amount.Currency, &f.Status, &f.Reason, &f.CreatedAt)
		return f.withExpected(), err
	})
	if err != nil {
		return nil, fmt.Errorf("load refunds: %w", err)
	}
	if err := loadRefundItems(ctx, q, rs); err != nil {
		return nil, err
	}
	return rs, nil
}

// loadRefundItems fills in the lines of rs.
func loadRefundItems(ctx context.Context, q DB, rs []Refund) error {
	if len(rs) == 0 {
		return nil
	}
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	rows, err := q.Query(ctx, `
		SELECT ri.refund_id, ri.line, p.name, ri.quantity
		FROM refund_items ri
		JOIN order_items i ON i.order_id = ri.order_id AND i.line = ri.line
		JOIN products p ON p.id = i.product_id
		WHERE ri.refund_id = ANY($1) ORDER BY ri.line`, ids)
	if err != nil {
		return fmt.Errorf("load refunded lines: %w", err)
	}
	var id string
	var it ActionItem
	_, err = pgx.ForEachRow(rows, []any{&id, &it.Line, &it.Name, &it.Quantity}, func() error {
		i := slices.IndexFunc(rs, func(r Refund) bool { return r.ID == id })
		rs[i].Items = append(rs[i].Items, it)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load refunded lines: %w", err)
	}
	return nil
}

func describeRefund(r Refund) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Refund %s of %s for order %s is %s", r.ID, r.Amount, r.OrderID, r.Status)
	if len(r.Items) > 0 {
		fmt.Fprintf(&b, " (%s)", describeItems(r.Items))
	}
	if r.ExpectedBy != nil {
		fmt.Fprintf(&b, "; it reaches the original payment method within %d business days, by %s", RefundBusinessDays, day(*r.ExpectedBy))
	}
	b.WriteString(".")
	return b.String()
}

type refundStatusArgs struct {
	RefundID string `json:"refund_id"`
	OrderID  string `json:"order_id"`
}

func (a *refundStatusArgs) Validate() error {
	switch {
	case (a.RefundID == "") == (a.OrderID == ""):
		return errors.New("give either refund_id or order_id")
	case a.RefundID != "":
		return checkRefundID(&a.RefundID)
	default:
		return checkOrderID("order_id", &a.OrderID)
	}
}

const refundStatusArgsSchema = `{
  "type": "object",
  "properties": {
    "refund_id": {"type": "string", "description": "A refund id, e.g. RF-7K2M9QX4BD.", "pattern": "^RF-[0-9A-Za-z]{4,32}$"},
    "order_id": {"type": "string", "description": "An order id, e.g. ORD-10042, for all of its refunds.", "pattern": "^(ORD-)?[0-9]{5}$"}
  },
  "additionalProperties": false
}`

// GetRefundStatus returns the get_refund_status tool: one refund by id, or
// all refunds of an order.
func GetRefundStatus(s *Store) Tool {
	return New("get_refund_status",
		"Look up the customer's refunds: one by refund_id, or all refunds of an order by order_id (give exactly one). "+
			"Each refund has its amount, status (pending: under review; approved: on its way, with expected_by, the latest date it "+
			"reaches the original payment method; completed: sent; rejected), reason and the items it covered. "+
			"Returns not_found for a refund or order that does not exist or is not this customer's.",
		refundStatusArgsSchema, []Role{RoleBuyer},
		func(ctx context.Context, a refundStatusArgs) (Result, error) {
			c, _ := CallerFrom(ctx)
			if a.RefundID != "" {
				rs, err := refunds(ctx, s.db, c, a.RefundID, "")
				if err != nil {
					return Result{}, err
				}
				if len(rs) == 0 {
					return Result{}, Errorf(CodeNotFound, "no refund %s was found for this account", a.RefundID)
				}
				return Result{Data: rs[0], Text: describeRefund(rs[0])}, nil
			}
			o, err := s.Order(ctx, c, a.OrderID)
			if err != nil {
				return Result{}, orderError(a.OrderID, err)
			}
			rs, err := refunds(ctx, s.db, c, "", o.ID)
			if err != nil {
				return Result{}, err
			}
			list := RefundList{OrderID: o.ID, Total: o.Total, Refunded: o.Refunded, Refunds: rs}
			if rs == nil {
				list.Refunds = []Refund{}
			}
			return Result{Data: list, Text: describeRefunds(list)}, nil
		})
}

func describeRefunds(l RefundList) string {
	if len(l.Refunds) == 0 {
		return fmt.Sprintf("Order %s has no refunds.", l.OrderID)
	}
	parts := make([]string, len(l.Refunds))
	for i, r := range l.Refunds {
		parts[i] = describeRefund(r)
	}
	return fmt.Sprintf("Order %s (total %s) has been refunded %s in all. ", l.OrderID, l.Total, l.Refunded) + strings.Join(parts, " ")
}
