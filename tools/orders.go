package tools

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

var orderIDPattern = regexp.MustCompile(`^(?i:ORD)?[-_ #]?([0-9]{5})$`)

// NormalizeOrderID turns the forms people and models write an order id in
// ("ORD-10042", "ord10042", "#10042", "10042") into the canonical
// "ORD-10042". It reports false for anything else.
func NormalizeOrderID(s string) (string, bool) {
	m := orderIDPattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", false
	}
	return "ORD-" + m[1], true
}

type orderArgs struct {
	OrderID string `json:"order_id"`
}

func (a *orderArgs) Validate() error {
	id, ok := NormalizeOrderID(a.OrderID)
	if !ok {
		return fmt.Errorf("order_id %q is not an order id; order ids look like ORD-10042", truncate(a.OrderID, 40))
	}
	a.OrderID = id
	return nil
}

const orderArgsSchema = `{
  "type": "object",
  "properties": {
    "order_id": {"type": "string", "description": "The order id, e.g. ORD-10042.", "pattern": "^(ORD-)?[0-9]{5}$"}
  },
  "required": ["order_id"],
  "additionalProperties": false
}`

// GetOrder returns the get_order tool: one order of the caller's, with its
// items, status, dates and tracking.
func GetOrder(s *Store) Tool {
	return New("get_order",
		"Look up one of the customer's orders by its id: status, items, amounts, payment, shipping and delivery dates, carrier and tracking number. Returns not_found for an order that does not exist or is not this customer's.",
		orderArgsSchema, []Role{RoleBuyer, RoleSeller},
		func(ctx context.Context, a orderArgs) (Result, error) {
			c, _ := CallerFrom(ctx)
			o, err := s.Order(ctx, c, a.OrderID)
			if errors.Is(err, ErrNotFound) {
				return Result{}, Errorf(CodeNotFound, "no order %s was found for this account", a.OrderID)
			}
			if err != nil {
				return Result{}, err
			}
			return Result{Data: o, Text: describeOrder(o)}, nil
		})
}

func describeOrder(o Order) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Order %s from %s is %s. Total %s", o.ID, o.ShopName, o.Status, o.Total)
	if o.Refunded.Minor > 0 {
		fmt.Fprintf(&b, ", refunded %s", o.Refunded)
	}
	b.WriteString(".")
	if o.ShippedAt != nil {
		fmt.Fprintf(&b, " Shipped %s with %s, tracking %s.", o.ShippedAt.Format("2006-01-02"), o.Carrier, o.TrackingNumber)
	}
	if o.DeliveredAt != nil {
		fmt.Fprintf(&b, " Delivered %s.", o.DeliveredAt.Format("2006-01-02"))
	}
	return b.String()
}
