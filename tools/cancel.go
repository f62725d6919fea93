package tools

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Cancellation is what came of cancelling an order: its new status and, for
// a paid order, the full refund the cancellation made.
type Cancellation struct {
	OrderID     string    `json:"order_id"`
	Status      string    `json:"status"`
	CancelledAt time.Time `json:"cancelled_at"`
	// Charged says whether the order had been paid; if so, Refund returns
	// all of it.
	Charged bool    `json:"charged"`
	Refund  *Refund `json:"refund,omitempty"`
}

// planCancel applies the cancellation rules to order o at now: only
// orders that have not shipped can be cancelled.
func planCancel(o Order, now time.Time) error {
	switch o.Status {
	case "pending", "paid":
		return nil
	case "shipped":
		from := o.ShippedAt.Add(NotReceivedAfter)
		return refuse(Errorf(CodeNotEligible,
			"order %s shipped on %s, so it can no longer be cancelled; once it is delivered a refund can be requested within %d days, and if it has not arrived by %s an \"item not received\" dispute can be opened",
			o.ID, day(*o.ShippedAt), days(RefundWindow), day(from)), o,
			Refusal{Rule: RuleShippedNoCancel, OrderID: o.ID, Event: "shipped", Date: at(*o.ShippedAt), Policy: policyShippedOrders,
				Alternative: disputeAlternative(o, RuleShippedNoCancel, "not_received", from, o.ShippedAt.Add(DisputeWindow), now)})
	case "delivered":
		end := o.DeliveredAt.Add(RefundWindow)
		r := Refusal{Rule: RuleDeliveredNoCancel, OrderID: o.ID, Event: "delivered", Date: at(*o.DeliveredAt),
			WindowDays: days(RefundWindow), Deadline: at(end), Policy: policyShippedOrders}
		if !now.After(end) {
			// A refund needs the buyer's reason, so it is the route, not a
			// prepared call.
			r.Alternative = &Alternative{Tool: "request_refund", Until: at(end), Policy: policyRefundWindow}
		}
		return refuse(Errorf(CodeNotEligible,
			"order %s was delivered on %s, so it can no longer be cancelled; a refund can be requested instead (request_refund) within %d days of delivery",
			o.ID, day(*o.DeliveredAt), days(RefundWindow)), o, r)
	}
	return Errorf(CodeConflict, "order %s was already cancelled on %s", o.ID, day(*o.CancelledAt))
}

// cancelRefund is what cancelling o refunds: everything not yet refunded.
func cancelRefund(o Order) (Money, []ActionItem) {
	amount := Money{Minor: o.Total.Minor - o.Refunded.Minor, Currency: o.Total.Currency}
	var items []ActionItem
	for _, it := range o.Items {
		if left := it.Quantity - it.RefundedQuantity; left > 0 {
			items = append(items, ActionItem{Line: it.Line, Name: it.Name, Quantity: left})
		}
	}
	return amount, items
}

// cancelPlan is cancelling o as the buyer confirms it: for a paid order,
// the refund of everything not yet refunded.
func cancelPlan(o Order) Plan {
	p := Plan{Action: "cancel", OrderID: o.ID}
	if amount, items := cancelRefund(o); o.Status == "paid" && amount.Minor > 0 {
		p.Amount, p.Items = &amount, planItems(items)
	}
	return p
}

func previewCancel(o Order) Preview {
	amount, _ := cancelRefund(o)
	items := make([]ActionItem, len(o.Items))
	for i, it := range o.Items {
		items[i] = ActionItem{Line: it.Line, Name: it.Name, Quantity: it.Quantity}
	}
	data := ActionPreview{Action: "cancel", OrderID: o.ID, Items: items}
	summary := fmt.Sprintf("Cancel order %s (%s)", o.ID, describeItems(items))
	if o.Status == "paid" && amount.Minor > 0 {
		data.Amount = &amount
		data.Note = "the full amount paid is refunded to the original payment method"
		summary += fmt.Sprintf(" and refund the %s paid to the original payment method", amount)
	} else {
		data.Note = "nothing has been charged"
		summary += "; nothing has been charged, so nothing is refunded"
	}
	return Preview{Summary: summary, Data: data, Plan: cancelPlan(o)}
}

// cancelOrder cancels order id of c in one transaction under the order's
// row lock; a paid order also gets a completed full refund. key makes it
// idempotent: the same action cancels once and answers the same each time.
func (s *Store) cancelOrder(ctx context.Context, c Caller, id, key string) (Cancellation, error) {
	if c.Role != RoleBuyer {
		return Cancellation{}, ErrNotFound
	}
	var out Cancellation
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		o, err := loadOrder(ctx, tx, c, id, true)
		if err != nil {
			return err
		}
		if key != "" {
			var other string
			err := tx.QueryRow(ctx, `SELECT id FROM orders WHERE cancel_idempotency_key = $1`, key).Scan(&other)
			switch {
			case err == nil && other == o.ID:
				out, err = cancellationOf(ctx, tx, c, o)
				return err
			case err == nil:
				return actionReused()
			case !errors.Is(err, pgx.ErrNoRows):
				return fmt.Errorf("look up cancellation by key: %w", err)
			}
		}
		now := dbNow()
		if err := planCancel(o, now); err != nil {
			return err
		}
		if err := checkPlan(ctx, cancelPlan(o)); err != nil {
			return err
		}
		var k *string
		if key != "" {
			k = &key
		}
		if _, err := tx.Exec(ctx, `UPDATE orders SET status = 'cancelled', cancelled_at = $2, cancel_idempotency_key = $3 WHERE id = $1`,
			o.ID, now, k); err != nil {
			if constraintOf(err) == "orders_cancel_idempotency_key_key" {
				return &Error{Code: CodeConflict, Message: actionReused().Message, Err: err}
			}
			return fmt.Errorf("cancel order %s: %w", o.ID, err)
		}
		out = Cancellation{OrderID: o.ID, Status: "cancelled", CancelledAt: now, Charged: o.Status == "paid"}
		if amount, items := cancelRefund(o); o.Status == "paid" && amount.Minor > 0 {
			r, err := insertRefund(ctx, tx, c, o.ID, amount, items, "completed", "cancelled", key, now)
			if err != nil {
				return err
			}
			out.Refund = &r
		}
		return nil
	})
	if err != nil {
		return Cancellation{}, planDBError(id, err)
	}
	return out, nil
}

// cancellationOf describes an order that was already cancelled, with the
// refund its cancellation made.
func cancellationOf(ctx context.Context, q DB, c Caller, o Order) (Cancellation, error) {
	out := Cancellation{OrderID: o.ID, Status: o.Status, CancelledAt: *o.CancelledAt, Charged: o.PaidAt != nil}
	rs, err := refunds(ctx, q, c, "", o.ID)
	if err != nil {
		return Cancellation{}, err
	}
	for _, r := range rs {
		if r.Reason == "cancelled" {
			out.Refund = &r
			break
		}
	}
	return out, nil
}

func describeCancellation(c Cancellation) string {
	if c.Refund != nil {
		return fmt.Sprintf("Order %s is cancelled, and its full amount, %s, was refunded to the original payment method (refund %s).",
			c.OrderID, c.Refund.Amount, c.Refund.ID)
	}
	return fmt.Sprintf("Order %s is cancelled; nothing had been charged.", c.OrderID)
}

// CancelOrder returns the cancel_order tool. It is consequential.
func CancelOrder(s *Store) Tool {
	return NewAction("cancel_order",
		"Cancel one of the customer's orders that has not shipped yet. An order awaiting payment is simply cancelled (nothing was "+
			"charged); a paid order is cancelled and its full amount refunded automatically to the original payment method. "+
			"It needs the customer's explicit confirmation: calling it shows them what will happen and asks them to confirm. "+
			"Errors: not_eligible (the order has shipped or been delivered: the message says what is possible instead, e.g. "+
			"request_refund after delivery), conflict (already cancelled), not_found, invalid_argument.",
		orderArgsSchema, []Role{RoleBuyer},
		func(ctx context.Context, a orderArgs) (Preview, error) {
			c, _ := CallerFrom(ctx)
			if c.Role != RoleBuyer {
				return Preview{}, orderNotFound(a.OrderID)
			}
			o, err := s.Order(ctx, c, a.OrderID)
			if err != nil {
				return Preview{}, orderError(a.OrderID, err)
			}
			if err := planCancel(o, dbNow()); err != nil {
				return Preview{}, err
			}
			return previewCancel(o), nil
		},
		func(ctx context.Context, a orderArgs) (Result, error) {
			c, _ := CallerFrom(ctx)
			out, err := s.cancelOrder(ctx, c, a.OrderID, idempotencyKey(ctx))
			if err != nil {
				return Result{}, orderError(a.OrderID, err)
			}
			return Result{Data: out, Text: describeCancellation(out)}, nil
		})
}
