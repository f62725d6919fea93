package tools

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
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
			o, err := s.lookupOrder(ctx, c, a.OrderID)
			if err != nil {
				return Result{}, orderError(a.OrderID, err)
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

// OrderStatuses are the states an order can be in.
var OrderStatuses = []string{"pending", "paid", "shipped", "delivered", "cancelled"}

// OrderRow is an order in a list: enough to recognise it and pick it, with
// get_order for the rest. Buyers see the shop's name, sellers the buyer's.
type OrderRow struct {
	ID        string    `json:"order_id"`
	Status    string    `json:"status"`
	ShopName  string    `json:"shop_name,omitempty"`
	BuyerName string    `json:"buyer_name,omitempty"`
	Total     Money     `json:"total"`
	PlacedAt  time.Time `json:"placed_at"`
	Items     string    `json:"items"`
	// Lines is how many lines the order has (Items may be cut short).
	Lines int `json:"lines"`
	// Dispute is the status of the order's newest dispute, "" for none;
	// Refunds is how many refunds were made or asked for on it. They tell
	// which order "where is my dispute?" or "did my refund go through?"
	// is about when the buyer gives no number.
	Dispute string `json:"dispute,omitempty"`
	Refunds int    `json:"refunds,omitempty"`
}

// OrderList is a page of orders, newest first; More says that older ones
// match too.
type OrderList struct {
	Orders []OrderRow `json:"orders"`
	More   bool       `json:"more"`
}

type orderFilter struct {
	status   string
	from, to *time.Time
	limit    int
}

// listOrders returns the orders c may see that match f, newest first.
func listOrders(ctx context.Context, q DB, c Caller, f orderFilter) (OrderList, error) {
	col, val := scope(c)
	rows, err := q.Query(ctx, `
		SELECT o.id, o.status, sh.name, b.name, o.total_minor, o.currency, o.placed_at,
		       coalesce(it.names, ''), it.lines,
		       coalesce((SELECT d.status FROM disputes d WHERE d.order_id = o.id ORDER BY d.created_at DESC, d.id DESC LIMIT 1), ''),
		       (SELECT count(*) FROM refunds r WHERE r.order_id = o.id)
		FROM orders o JOIN shops sh ON sh.id = o.shop_id JOIN buyers b ON b.id = o.buyer_id
		CROSS JOIN LATERAL (SELECT string_agg(p.name || ' ×' || i.quantity, ', ' ORDER BY i.line) AS names, count(*) AS lines
		                    FROM order_items i JOIN products p ON p.id = i.product_id
		                    WHERE i.order_id = o.id) it
		WHERE `+col+` = $1 AND ($2 = '' OR o.status = $2)
		  AND ($3::timestamptz IS NULL OR o.placed_at >= $3) AND ($4::timestamptz IS NULL OR o.placed_at < $4)
		ORDER BY o.placed_at DESC, o.id DESC
		LIMIT $5`, val, f.status, f.from, f.to, f.limit+1)
	if err != nil {
		return OrderList{}, fmt.Errorf("list orders: %w", err)
	}
	list := OrderList{Orders: []OrderRow{}}
	list.Orders, err = pgx.AppendRows(list.Orders, rows, func(r pgx.CollectableRow) (OrderRow, error) {
		var o OrderRow
		var shop, buyer string
		err := r.Scan(&o.ID, &o.Status, &shop, &buyer, &o.Total.Minor, &o.Total.Currency, &o.PlacedAt, &o.Items, &o.Lines, &o.Dispute, &o.Refunds)
		if c.Role == RoleSeller {
			o.BuyerName = buyer
		} else {
			o.ShopName = shop
		}
		o.Items = truncate(o.Items, 160)
		return o, err
	})
	if err != nil {
		return OrderList{}, fmt.Errorf("list orders: %w", err)
	}
	if len(list.Orders) > f.limit {
		list.Orders, list.More = list.Orders[:f.limit], true
	}
	return list, nil
}

type listArgs struct {
	Status string `json:"status"`
	Since  string `json:"since"`
	Until  string `json:"until"`
	Limit  int    `json:"limit"`

	filter orderFilter
}

func (a *listArgs) Validate() error {
	if a.Status != "" {
		if err := checkEnum("status", a.Status, OrderStatuses); err != nil {
			return err
		}
	}
	from, to, err := checkRange(a.Since, a.Until, &a.Limit, 10, 20)
	if err != nil {
		return err
	}
	a.filter = orderFilter{status: a.Status, from: from, to: to, limit: a.Limit}
	return nil
}

var listArgsSchema = `{
  "type": "object",
  "properties": {
    "status": {"type": "string", "enum": ` + enumJSON(OrderStatuses) + `, "description": "Only orders in this state."},
    "since": {"type": "string", "format": "date", "description": "Only orders placed on or after this day, YYYY-MM-DD."},
    "until": {"type": "string", "format": "date", "description": "Only orders placed on or before this day, YYYY-MM-DD."},
    "limit": {"type": "integer", "minimum": 1, "maximum": 20, "description": "How many orders to return, newest first; 10 if omitted."}
  },
  "additionalProperties": false
}`

// ListOrders returns the list_orders tool: the caller's recent orders as
// compact rows.
func ListOrders(s *Store) Tool {
	return New("list_orders",
		"List the customer's recent orders, newest first, as short rows (order id, status, shop, total, date, items). "+
			"Use it when the customer does not know or give an order id, or asks about their orders in general; "+
			"then use get_order for the details of one. Filters: status, since/until dates (YYYY-MM-DD), limit (at most 20). "+
			"\"more\": true means older orders match too. invalid_argument means a filter was malformed.",
		listArgsSchema, []Role{RoleBuyer},
		func(ctx context.Context, a listArgs) (Result, error) {
			c, _ := CallerFrom(ctx)
			list, err := listOrders(ctx, s.db, c, a.filter)
			if err != nil {
				return Result{}, err
			}
			return Result{Data: list, Text: describeList(list)}, nil
		})
}

func describeList(l OrderList) string {
	if len(l.Orders) == 0 {
		return "No orders match."
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d orders:", len(l.Orders))
	for _, o := range l.Orders {
		fmt.Fprintf(&b, " %s (%s, %s, %s);", o.ID, o.Status, o.Total, day(o.PlacedAt))
	}
	if l.More {
		b.WriteString(" older orders match too.")
	}
	return strings.TrimSuffix(b.String(), ";")
}
