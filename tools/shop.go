package tools

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ShopOrder is an order as its shop's seller sees it: the order, who bought
// it (name and language, never contact details), and its refunds and
// disputes.
type ShopOrder struct {
	Order
	BuyerName   string    `json:"buyer_name"`
	BuyerLocale string    `json:"buyer_locale"`
	Refunds     []Refund  `json:"refunds"`
	Disputes    []Dispute `json:"disputes"`
}

// shopOrder returns order id of seller c's shop, or ErrNotFound.
func shopOrder(ctx context.Context, q DB, c Caller, id string) (ShopOrder, error) {
	if c.Role != RoleSeller || c.ShopID == "" {
		return ShopOrder{}, ErrNotFound
	}
	o, err := loadOrder(ctx, q, c, id, false)
	if err != nil {
		return ShopOrder{}, err
	}
	so := ShopOrder{Order: o}
	err = q.QueryRow(ctx, `SELECT b.name, b.locale FROM orders o JOIN buyers b ON b.id = o.buyer_id
		WHERE o.id = $1 AND o.shop_id = $2`, o.ID, c.ShopID).Scan(&so.BuyerName, &so.BuyerLocale)
	if errors.Is(err, pgx.ErrNoRows) {
		return ShopOrder{}, ErrNotFound
	}
	if err != nil {
		return ShopOrder{}, fmt.Errorf("load buyer of order %s: %w", o.ID, err)
	}
	if so.Refunds, err = refunds(ctx, q, c, "", o.ID); err != nil {
		return ShopOrder{}, err
	}
	if so.Disputes, err = disputes(ctx, q, c, "", o.ID); err != nil {
		return ShopOrder{}, err
	}
	if so.Refunds == nil {
		so.Refunds = []Refund{}
	}
	return so, nil
}

// GetShopOrder returns the get_shop_order tool: one order of the seller's
// own shop.
func GetShopOrder(s *Store) Tool {
	return New("get_shop_order",
		"Look up one order of your shop by its id: status, items, amounts, dates, tracking, the buyer's name and language, and its "+
			"refunds and disputes. Use it to ground a reply to a buyer's inquiry in the order's facts. The buyer's contact details are "+
			"never shown. Returns not_found for an order that does not exist or belongs to another shop.",
		orderArgsSchema, []Role{RoleSeller},
		func(ctx context.Context, a orderArgs) (Result, error) {
			c, _ := CallerFrom(ctx)
			so, err := shopOrder(ctx, s.db, c, a.OrderID)
			if err != nil {
				return Result{}, orderError(a.OrderID, err)
			}
			text := describeOrder(so.Order) + fmt.Sprintf(" Bought by %s (language %s); %d refund(s), %d dispute(s).",
				so.BuyerName, so.BuyerLocale, len(so.Refunds), len(so.Disputes))
			return Result{Data: so, Text: text}, nil
		})
}

// ListShopOrders returns the list_shop_orders tool: recent orders of the
// seller's own shop as compact rows.
func ListShopOrders(s *Store) Tool {
	return New("list_shop_orders",
		"List your shop's recent orders, newest first, as short rows (order id, status, buyer's name, total, date, items). Filters: "+
			"status, since/until dates (YYYY-MM-DD), limit (at most 20). \"more\": true means older orders match too; use "+
			"get_shop_order for the details of one. invalid_argument means a filter was malformed.",
		listArgsSchema, []Role{RoleSeller},
		func(ctx context.Context, a listArgs) (Result, error) {
			c, _ := CallerFrom(ctx)
			if c.Role != RoleSeller || c.ShopID == "" {
				return Result{Data: OrderList{Orders: []OrderRow{}}, Text: describeList(OrderList{})}, nil
			}
			list, err := listOrders(ctx, s.db, c, a.filter)
			if err != nil {
				return Result{}, err
			}
			return Result{Data: list, Text: describeList(list)}, nil
		})
}
