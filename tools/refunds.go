package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// RefundReasons are the reasons a buyer may give for a refund. "damaged"
// is harm in transport ("arrived cracked"), "defective" an item that came
// whole and does not work ("doesn't turn on").
var RefundReasons = []string{"not_received", "not_as_described", "damaged", "defective", "wrong_item", "counterfeit", "changed_mind", "other"}

// Currencies are the currencies the platform trades in.
var Currencies = []string{"USD", "EUR", "KRW", "RUB"}

// Refund is a refund as its buyer sees it.
type Refund struct {
	ID      string `json:"refund_id"`
	OrderID string `json:"order_id"`
	Amount  Money  `json:"amount"`
	// Status is pending, approved, completed or rejected.
	Status string `json:"status"`
	Reason string `json:"reason"`
	// Items are the lines the refund covered; none for a refund by amount.
	Items     []ActionItem `json:"items,omitempty"`
	CreatedAt time.Time    `json:"created_at"`
	// ExpectedBy is when an approved refund reaches the original payment
	// method at the latest.
	ExpectedBy *time.Time `json:"expected_by,omitempty"`
}

// RefundList is the refunds of one order.
type RefundList struct {
	OrderID  string   `json:"order_id"`
	Total    Money    `json:"order_total"`
	Refunded Money    `json:"refunded"`
	Refunds  []Refund `json:"refunds"`
}

type refundLine struct {
	Line     int `json:"line"`
	Quantity int `json:"quantity"`
}

type refundArgs struct {
	OrderID     string       `json:"order_id"`
	Reason      string       `json:"reason"`
	Items       []refundLine `json:"items"`
	AmountMinor *int64       `json:"amount_minor"`
	Currency    string       `json:"currency"`
}

func (a *refundArgs) Validate() error {
	if err := checkOrderID("order_id", &a.OrderID); err != nil {
		return err
	}
	if err := checkEnum("reason", a.Reason, RefundReasons); err != nil {
		return err
	}
	if a.Items != nil && a.AmountMinor != nil {
		return errors.New("give either items or amount_minor, not both")
	}
	if a.Items != nil {
		if len(a.Items) == 0 || len(a.Items) > 50 {
			return errors.New("items must list between 1 and 50 order lines")
		}
		seen := map[int]bool{}
		for _, it := range a.Items {
			if it.Line < 1 || it.Line > 1000 || it.Quantity < 1 || it.Quantity > 10000 {
				return fmt.Errorf("each item needs a line (1 or more, as get_order numbers them) and a quantity (1 or more)")
			}
			if seen[it.Line] {
				return fmt.Errorf("line %d is listed twice", it.Line)
			}
			seen[it.Line] = true
		}
	}
	a.Currency = strings.ToUpper(strings.TrimSpace(a.Currency))
	switch {
	case a.AmountMinor == nil && a.Currency != "":
		return errors.New("currency goes with amount_minor")
	case a.AmountMinor == nil:
	case *a.AmountMinor <= 0:
		return errors.New("amount_minor must be a positive whole number of minor units, e.g. 1250 for 12.50 USD")
	case a.Currency == "":
		return errors.New("currency is required with amount_minor")
	default:
		return checkEnum("currency", a.Currency, Currencies)
	}
	return nil
}

var refundArgsSchema = `{
  "type": "object",
  "properties": {
    "order_id": {"type": "string", "description": "The order id, e.g. ORD-10042.", "pattern": "^(ORD-)?[0-9]{5}$"},
    "reason": {"type": "string", "enum": ` + enumJSON(RefundReasons) + `, "description": "Why the customer wants the refund."},
    "items": {
      "type": "array", "minItems": 1, "maxItems": 50,
      "description": "For a refund of some items: the order lines (numbered as get_order shows them) and how many of each. Omit for a full refund.",
      "items": {
        "type": "object",
        "properties": {
          "line": {"type": "integer", "minimum": 1},
          "quantity": {"type": "integer", "minimum": 1}
        },
        "required": ["line", "quantity"],
        "additionalProperties": false
      }
    },
    "amount_minor": {"type": "integer", "minimum": 1, "description": "For a refund of an amount: minor units of the order's currency (12.50 USD is 1250; KRW has no minor unit, 15000 KRW is 15000). Omit for a full refund."},
    "currency": {"type": "string", "enum": ` + enumJSON(Currencies) + `, "description": "The order's currency; required with amount_minor."}
  },
  "required": ["order_id", "reason"],
  "additionalProperties": false
}`

// refundPlan is a refund that the policy allows, before it is made.
type refundPlan struct {
	order  Order
	amount Money
	items  []ActionItem
	// full: everything still refundable; excluded names the non-refundable
	// items a full refund leaves out.
	full     bool
	excluded []string
	// less is what a full refund's lines come to beyond its amount: part
	// of the order an earlier refund of an amount (not of lines) paid back,
	// which this one does not pay again.
	less *Money
}

// refundCounts are the refunds the limits count: the order's, and the
// buyer's self-service refunds in the rolling SelfServicePeriod.
type refundCounts struct {
	order, buyer int
}

// wholeCancelFor is the cancellation offered instead of refund a on an
// order not shipped yet, or nil when a asks for part of the order: a
// cancellation takes the whole order, which the buyer who wanted one of
// two bags back never asked for, so they decide (the refusal still says
// that only a cancellation of everything is possible).
func wholeCancelFor(o Order, a refundArgs) *Alternative {
	if !a.coversOrder(o) {
		return nil
	}
	return cancelAlternative(o)
}

// coversOrder reports whether a asks for everything left of o: no lines
// or amount named, every piece of every line, or an amount no less than
// the order's total.
func (a refundArgs) coversOrder(o Order) bool {
	if len(a.Items) == 0 && a.AmountMinor == nil {
		return true
	}
	if len(a.Items) > 0 {
		asked := map[int]int{}
		for _, l := range a.Items {
			asked[l.Line] += l.Quantity
		}
		for _, it := range o.Items {
			if asked[it.Line] < it.Quantity-it.RefundedQuantity {
				return false
			}
		}
	}
	return a.AmountMinor == nil || *a.AmountMinor >= o.Total.Minor
}

// RefundCoversOrder reports whether the arguments of a request_refund
// call ask for everything left of order o (see refundArgs.coversOrder);
// arguments that do not decode name no part, so they cover it.
func RefundCoversOrder(o Order, args json.RawMessage) bool {
	var a refundArgs
	if json.Unmarshal(args, &a) != nil {
		return true
	}
	return a.coversOrder(o)
}

// planRefund applies the refunds policy to request a on order o at now: the
// order's state, the refund window, what is left to refund, the per-order
// and per-buyer limits, and the items' refundability. Preview and the real
// call both go through it, so they cannot disagree.
func planRefund(o Order, a refundArgs, n refundCounts, now time.Time) (refundPlan, error) {
	switch o.Status {
	case "pending":
		return refundPlan{}, refuse(Errorf(CodeNotEligible,
			"order %s has not been paid yet, so there is nothing to refund; it can be cancelled instead (cancel_order)", o.ID), o,
			Refusal{Rule: RuleNotPaid, OrderID: o.ID, Event: "placed", Date: at(o.PlacedAt), Policy: policyCancelInstead, Alternative: wholeCancelFor(o, a)})
	case "paid":
		return refundPlan{}, refuse(Errorf(CodeNotEligible,
			"order %s is paid but has not shipped, so it is cancelled rather than refunded: cancelling it (cancel_order) refunds the full amount automatically", o.ID), o,
			Refusal{Rule: RuleNotShipped, OrderID: o.ID, Event: "placed", Date: at(o.PlacedAt), Policy: policyCancelInstead, Alternative: wholeCancelFor(o, a)})
	case "shipped":
		from := o.ShippedAt.Add(NotReceivedAfter)
		r := Refusal{Rule: RuleInTransit, OrderID: o.ID, Event: "shipped", Date: at(*o.ShippedAt), Policy: policyNotArrived,
			Alternative: disputeAlternative(o, RuleInTransit, "not_received", from, o.ShippedAt.Add(DisputeWindow), now)}
		if now.Before(from) {
			return refundPlan{}, refuse(Errorf(CodeNotEligible,
				"order %s shipped on %s and is still on its way, so it cannot be refunded until it is delivered; if it has not arrived by %s, an \"item not received\" dispute can be opened (open_dispute)",
				o.ID, day(*o.ShippedAt), day(from)), o, r)
		}
		return refundPlan{}, refuse(Errorf(CodeNotEligible,
			"order %s shipped on %s and has not been delivered, so it cannot be refunded; as more than %d days have passed, an \"item not received\" dispute can be opened now (open_dispute)",
			o.ID, day(*o.ShippedAt), days(NotReceivedAfter)), o, r)
	case "cancelled":
		r := Refusal{Rule: RuleCancelled, OrderID: o.ID, Event: "cancelled", Date: at(*o.CancelledAt), Policy: policyCancelledOrder}
		if o.Refunded.Minor > 0 {
			return refundPlan{}, refuse(Errorf(CodeAlreadyRefunded,
				"order %s was cancelled on %s and its full amount, %s, was refunded then; nothing is left to refund", o.ID, day(*o.CancelledAt), o.Refunded), o, r)
		}
		return refundPlan{}, refuse(Errorf(CodeNotEligible,
			"order %s was cancelled before it was paid, so nothing was charged and there is nothing to refund", o.ID), o, r)
	}
	if end := o.DeliveredAt.Add(RefundWindow); now.After(end) {
		disputeEnd := o.DeliveredAt.Add(DisputeWindow)
		r := Refusal{Rule: RuleRefundWindow, OrderID: o.ID, Event: "delivered", Date: at(*o.DeliveredAt),
			WindowDays: days(RefundWindow), Deadline: at(end), Policy: policyRefundWindow}
		if now.Before(disputeEnd) {
			r.Alternative = disputeAlternative(o, RuleRefundWindow, a.Reason, *o.DeliveredAt, disputeEnd, now)
			return refundPlan{}, refuse(Errorf(CodeWindowExpired,
				"the %d-day refund window of order %s ended on %s; if the item has a problem (damaged, wrong, not as described, counterfeit), a dispute can still be opened until %s (open_dispute)",
				days(RefundWindow), o.ID, day(end), day(disputeEnd)), o, r)
		}
		return refundPlan{}, refuse(Errorf(CodeWindowExpired,
			"the %d-day refund window of order %s ended on %s, and the %d-day dispute window has ended too",
			days(RefundWindow), o.ID, day(end), days(DisputeWindow)), o, r)
	}

	var nonRefundable int64
	var excluded []string
	for _, it := range o.Items {
		if left := it.Quantity - it.RefundedQuantity; !it.Refundable && left > 0 {
			nonRefundable += int64(left) * it.UnitPrice.Minor
			excluded = append(excluded, it.Name)
		}
	}
	balance := Money{Minor: o.Total.Minor - o.Refunded.Minor - nonRefundable, Currency: o.Total.Currency}
	if balance.Minor <= 0 {
		if o.Refunded.Minor > 0 {
			return refundPlan{}, Errorf(CodeAlreadyRefunded,
				"order %s has already been refunded %s, everything on it that can be refunded", o.ID, o.Refunded)
		}
		return refundPlan{}, notRefundable(o, a.Reason, excluded, now)
	}
	if n.order >= MaxRefundsPerOrder {
		return refundPlan{}, Errorf(CodeLimitReached,
			"order %s already has %d refunds, the most one order can have; a support specialist can review a further request (handoff_to_human)",
			o.ID, MaxRefundsPerOrder)
	}
	if n.buyer >= MaxSelfServiceRefunds {
		return refundPlan{}, Errorf(CodeLimitReached,
			"this account has had %d self-service refunds in the last %d days, the most the policy allows, so this request cannot be processed automatically; a support specialist will review it instead (handoff_to_human)",
			MaxSelfServiceRefunds, days(SelfServicePeriod))
	}

	p := refundPlan{order: o, amount: Money{Currency: o.Total.Currency}}
	switch {
	case a.Items != nil:
		for _, req := range a.Items {
			i := slices.IndexFunc(o.Items, func(it Item) bool { return it.Line == req.Line })
			if i < 0 {
				return refundPlan{}, Errorf(CodeInvalidArgument, "order %s has no line %d; its lines are 1 to %d", o.ID, req.Line, len(o.Items))
			}
			it := o.Items[i]
			left := it.Quantity - it.RefundedQuantity
			switch {
			case !it.Refundable:
				return refundPlan{}, notRefundable(o, a.Reason, []string{it.Name}, now)
			case left == 0:
				return refundPlan{}, Errorf(CodeAlreadyRefunded, "%s (line %d of order %s) has already been refunded", it.Name, it.Line, o.ID)
			case req.Quantity > left:
				return refundPlan{}, Errorf(CodeInvalidArgument, "only %d of %s (line %d) can still be refunded", left, it.Name, it.Line)
			}
			p.amount.Minor += int64(req.Quantity) * it.UnitPrice.Minor
			p.items = append(p.items, lineRefund(it, req.Quantity))
		}
	case a.AmountMinor != nil:
		if a.Currency != o.Total.Currency {
			return refundPlan{}, Errorf(CodeInvalidArgument, "order %s was paid in %s, so the amount must be in %s", o.ID, o.Total.Currency, o.Total.Currency)
		}
		p.amount.Minor = *a.AmountMinor
	default:
		p.full, p.amount, p.excluded = true, balance, excluded
		var lines int64
		for _, it := range o.Items {
			if left := it.Quantity - it.RefundedQuantity; it.Refundable && left > 0 {
				p.items = append(p.items, lineRefund(it, left))
				lines += p.items[len(p.items)-1].Amount.Minor
			}
		}
		// The refund is the balance. Where the lines' prices do not add up
		// to it (an earlier refund of an amount paid part of them back), a
		// card showing each line with its money would promise more than is
		// refunded: the lines go without money, and the difference is said.
		if lines != balance.Minor {
			for i := range p.items {
				p.items[i].Amount = nil
			}
			if lines > balance.Minor {
				p.less = &Money{Minor: lines - balance.Minor, Currency: balance.Currency}
			}
		}
	}
	if p.amount.Minor > balance.Minor {
		return refundPlan{}, Errorf(CodeNotEligible,
			"that is more than is left to refund on order %s: at most %s can still be refunded", o.ID, balance)
	}
	return p, nil
}

// lineRefund is qty pieces of order line it as a refund lists them, with
// what they come to.
func lineRefund(it Item, qty int) ActionItem {
	m := Money{Minor: int64(qty) * it.UnitPrice.Minor, Currency: it.UnitPrice.Currency}
	return ActionItem{Line: it.Line, Name: it.Name, Quantity: qty, Amount: &m}
}

// notRefundable refuses refunding items of delivered order o that the
// policy excludes; a dispute for reason stays possible within its window.
func notRefundable(o Order, reason string, items []string, now time.Time) *Error {
	return refuse(Errorf(CodeNotEligible,
		"%s cannot be refunded: digital downloads, gift cards, personalised items and perishable food are not refundable; if it arrived damaged or is the wrong item, open a dispute instead (open_dispute)",
		strings.Join(items, ", ")), o,
		Refusal{Rule: RuleNonRefundable, OrderID: o.ID, Event: "delivered", Date: at(*o.DeliveredAt), Items: items, Policy: policyNonRefundable,
			Alternative: disputeAlternative(o, RuleNonRefundable, reason, *o.DeliveredAt, o.DeliveredAt.Add(DisputeWindow), now)})
}

// days is d in whole days, for messages.
func days(d time.Duration) int { return int(d / (24 * time.Hour)) }

// plan is p as the buyer confirms it.
func (p refundPlan) plan(reason string) Plan {
	amount := p.amount
	return Plan{Action: "refund", OrderID: p.order.ID, Amount: &amount, Items: planItems(p.items), Reason: reason}
}

// preview describes p for the buyer's confirmation.
func (p refundPlan) preview(reason string) Preview {
	data := ActionPreview{Action: "refund", OrderID: p.order.ID, Amount: &p.amount, Items: p.items, Less: p.less, Reason: reason}
	if !p.full && len(p.items) > 0 {
		for _, it := range p.order.Items {
			left := it.Quantity - it.RefundedQuantity
			if i := slices.IndexFunc(p.items, func(r ActionItem) bool { return r.Line == it.Line }); i >= 0 {
				left -= p.items[i].Quantity
			}
			if left > 0 {
				data.Kept = append(data.Kept, ActionItem{Line: it.Line, Name: it.Name, Quantity: left})
			}
		}
	}
	if o := p.order; o.DeliveredAt != nil {
		end := o.DeliveredAt.Add(RefundWindow)
		data.RefundableUntil = &end
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Refund %s for order %s", p.amount, p.order.ID)
	switch {
	case len(p.items) > 0 && p.less != nil:
		fmt.Fprintf(&b, " (%s, less %s refunded before)", describeItems(p.items), *p.less)
	case len(p.items) > 0:
		fmt.Fprintf(&b, " (%s)", describeItems(p.items))
	case !p.full:
		fmt.Fprintf(&b, " (part of its %s total)", p.order.Total)
	}
	fmt.Fprintf(&b, " to the original payment method, reason: %s", strings.ReplaceAll(reason, "_", " "))
	if len(p.excluded) > 0 {
		data.Note = "not refundable, so not included: " + strings.Join(p.excluded, ", ")
		b.WriteString("; " + data.Note)
	}
	return Preview{Summary: b.String(), Data: data, Plan: p.plan(reason)}
}

// refundState loads, for a refund request, the order and the counts the
// limits need. With lock it first takes the buyer's row lock, which
// serialises the buyer's refunds so the per-buyer limit holds under
// concurrency, then the order's.
func refundState(ctx context.Context, q DB, c Caller, orderID string, now time.Time, lock bool) (Order, refundCounts, error) {
	if c.Role != RoleBuyer {
		return Order{}, refundCounts{}, ErrNotFound
	}
	if lock {
		if _, err := q.Exec(ctx, `SELECT 1 FROM buyers WHERE id = $1 FOR NO KEY UPDATE`, c.ID); err != nil {
			return Order{}, refundCounts{}, fmt.Errorf("lock buyer: %w", err)
		}
	}
	o, err := loadOrder(ctx, q, c, orderID, lock)
	if err != nil {
		return Order{}, refundCounts{}, err
	}
	var n refundCounts
	err = q.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM refunds WHERE order_id = $1 AND status <> 'rejected'),
		       (SELECT count(*) FROM refunds WHERE buyer_id = $2 AND status <> 'rejected' AND reason <> 'cancelled' AND created_at > $3)`,
		o.ID, c.ID, now.Add(-SelfServicePeriod)).Scan(&n.order, &n.buyer)
	if err != nil {
		return Order{}, refundCounts{}, fmt.Errorf("count refunds of order %s: %w", o.ID, err)
	}
	return o, n, nil
}

// previewRefund checks a refund request without making it.
// refundBesideDispute refuses to propose a refund of order while a dispute
// on it is open (waiting for the seller or under review): the dispute's
// decision says what is refunded. Only the preview asks: a refund the
// buyer was shown before the dispute was opened (both asked in one
// message, both confirmed) is still made.
func refundBesideDispute(ctx context.Context, q DB, order string) error {
	var open string
	err := q.QueryRow(ctx, `SELECT id FROM disputes WHERE order_id = $1 AND status IN ('open', 'under_review')`, order).Scan(&open)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("look up open dispute of %s: %w", order, err)
	}
	return Errorf(CodeConflict, "order %s has an open dispute, %s; its decision says what is refunded (a refund follows if it goes the customer's way), so no separate refund can be requested: get_dispute shows where it stands", order, open)
}

func (s *Store) previewRefund(ctx context.Context, c Caller, a refundArgs) (refundPlan, error) {
	now := dbNow()
	o, n, err := refundState(ctx, s.db, c, a.OrderID, now, false)
	if err != nil {
		return refundPlan{}, err
	}
	if err := refundBesideDispute(ctx, s.db, o.ID); err != nil {
		return refundPlan{}, err
	}
	return planRefund(o, a, n, now)
}

// requestRefund makes the refund a asks for, as a self-service refund
// (status approved), in one transaction under the buyer's and the order's
// row locks. key makes it idempotent: a request with the key of an existing
// refund returns that refund.
func (s *Store) requestRefund(ctx context.Context, c Caller, a refundArgs, key string) (Refund, error) {
	now := dbNow()
	var out Refund
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		o, n, err := refundState(ctx, tx, c, a.OrderID, now, true)
		if err != nil {
			return err
		}
		if r, ok, err := refundByKey(ctx, tx, c, o.ID, key); err != nil || ok {
			out = r
			return err
		}
		p, err := planRefund(o, a, n, now)
		if err != nil {
			return err
		}
		if err := checkPlan(ctx, p.plan(a.Reason)); err != nil {
			return err
		}
		out, err = insertRefund(ctx, tx, c, o.ID, p.amount, p.items, "approved", a.Reason, key, now)
		return err
	})
	if err != nil {
		return Refund{}, planDBError(a.OrderID, err)
	}
	return out, nil
}

// planDBError turns the database's refusal, at commit, of a refund that is
// not its action's stored plan into CodePlanChanged. Go compares the plans
// first under the order's lock; this is the second wall.
func planDBError(orderID string, err error) error {
	if constraintOf(err) == "refunds_match_plan" {
		return &Error{Code: CodePlanChanged, Message: fmt.Sprintf("the refund of order %s is not what the customer confirmed, so nothing was done", orderID), Err: err}
	}
	return err
}

// refundByKey returns the refund made under key for order orderID of c. A
// key already used for another order, or by someone else, is a conflict.
func refundByKey(ctx context.Context, q DB, c Caller, orderID, key string) (Refund, bool, error) {
	if key == "" {
		return Refund{}, false, nil
	}
	var buyer string
	var r Refund
	err := q.QueryRow(ctx, `SELECT id, order_id, buyer_id, amount_minor, currency, status, reason, created_at
		FROM refunds WHERE idempotency_key = $1`, key).Scan(
		&r.ID, &r.OrderID, &buyer, &r.Amount.Minor, &r.Amount.Currency, &r.Status, &r.Reason, &r.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Refund{}, false, nil
	}
	if err != nil {
		return Refund{}, false, fmt.Errorf("look up refund by key: %w", err)
	}
	if buyer != c.ID || r.OrderID != orderID {
		return Refund{}, false, actionReused()
	}
	rs := []Refund{r}
	if err := loadRefundItems(ctx, q, rs); err != nil {
		return Refund{}, false, err
	}
	return rs[0].withExpected(), true, nil
}

// actionReused answers a confirmation used for something other than the
// action it confirmed.
func actionReused() *Error {
	return Errorf(CodeConflict, "this confirmation was already used for a different request; ask the customer to confirm this one")
}

// insertRefund writes a refund with its lines and marks the lines refunded.
// A refund that another transaction made under key in the meantime is
// returned instead (ON CONFLICT), so one key never makes two refunds.
func insertRefund(ctx context.Context, tx pgx.Tx, c Caller, orderID string, amount Money, items []ActionItem, status, reason, key string, now time.Time) (Refund, error) {
	var k *string
	if key != "" {
		k = &key
	}
	r := Refund{ID: newID("RF-"), OrderID: orderID, Amount: amount, Status: status, Reason: reason, Items: items, CreatedAt: now}
	tag, err := tx.Exec(ctx, `
		INSERT INTO refunds (id, order_id, buyer_id, amount_minor, currency, status, reason, idempotency_key, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
		ON CONFLICT (idempotency_key) DO NOTHING`,
		r.ID, orderID, c.ID, amount.Minor, amount.Currency, status, reason, k, now)
	if err != nil {
		return Refund{}, refundDBError(orderID, err)
	}
	if tag.RowsAffected() == 0 {
		r, ok, err := refundByKey(ctx, tx, c, orderID, key)
		if err == nil && !ok {
			err = fmt.Errorf("refund under key vanished")
		}
		return r, err
	}
	for _, it := range items {
		if _, err := tx.Exec(ctx, `UPDATE order_items SET refunded_quantity = refunded_quantity + $3 WHERE order_id = $1 AND line = $2`,
			orderID, it.Line, it.Quantity); err != nil {
			return Refund{}, refundDBError(orderID, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO refund_items (refund_id, order_id, line, quantity) VALUES ($1, $2, $3, $4)`,
			r.ID, orderID, it.Line, it.Quantity); err != nil {
			return Refund{}, fmt.Errorf("record refunded line %d of order %s: %w", it.Line, orderID, err)
		}
	}
	return r.withExpected(), nil
}

// refundDBError turns the database's refusal of a refund into the code the
// policy gives it. Go checks the same rules first under the order's lock, so
// these are the last line of defence, not the usual path.
func refundDBError(orderID string, err error) error {
	switch constraintOf(err) {
	case "orders_refund_within_total":
		return &Error{Code: CodeNotEligible, Message: fmt.Sprintf("that is more than is left to refund on order %s", orderID), Err: err}
	case "refunds_per_order_limit":
		return &Error{Code: CodeLimitReached, Message: fmt.Sprintf("order %s already has the most refunds one order can have", orderID), Err: err}
	case "order_items_refunded_within_quantity":
		return &Error{Code: CodeAlreadyRefunded, Message: fmt.Sprintf("those items of order %s have already been refunded", orderID), Err: err}
	case "refunds_per_buyer_limit":
		return &Error{Code: CodeLimitReached, Message: "this account has had the most self-service refunds the policy allows; a support specialist must review this one (handoff_to_human)", Err: err}
	}
	return fmt.Errorf("refund order %s: %w", orderID, err)
}

func (r Refund) withExpected() Refund {
	if r.Status == "approved" || r.Status == "pending" {
		t := addBusinessDays(r.CreatedAt, RefundBusinessDays)
		r.ExpectedBy = &t
	}
	return r
}

// RequestRefund returns the request_refund tool: a full or partial refund of
// a delivered order, under the refunds policy. It is consequential.
func RequestRefund(s *Store) Tool {
	return NewAction("request_refund",
		"Refund one of the customer's delivered orders, in full or in part, to the original payment method. "+
			"It needs the customer's explicit confirmation: calling it shows them what will be refunded and asks them to confirm. "+
			"Full refund: give order_id and reason only; everything still refundable is refunded. "+
			"Some items: items with the line numbers get_order shows and quantities. "+
			"An amount: amount_minor in minor units with the order's currency (12.50 USD is 1250; 15000 KRW is 15000). "+
			"Policy: only delivered orders, within 30 days of delivery; at most 3 refunds per order and 5 self-service refunds per customer "+
			"in 30 days; digital downloads, gift cards, personalised items and perishable food are not refundable. "+
			"Errors: not_eligible (wrong order state, non-refundable item or too large an amount; the message says what to do instead, "+
			"e.g. cancel_order or open_dispute), window_expired (past 30 days; a dispute may still be possible), already_refunded "+
			"(nothing left to refund), limit_reached (a specialist must review: offer handoff_to_human), conflict (the order has an open dispute, whose decision decides the refund: get_dispute), not_found, invalid_argument.",
		refundArgsSchema, []Role{RoleBuyer},
		func(ctx context.Context, a refundArgs) (Preview, error) {
			c, _ := CallerFrom(ctx)
			p, err := s.previewRefund(ctx, c, a)
			if err != nil {
				return Preview{}, orderError(a.OrderID, err)
			}
			return p.preview(a.Reason), nil
		},
		func(ctx context.Context, a refundArgs) (Result, error) {
			c, _ := CallerFrom(ctx)
			r, err := s.requestRefund(ctx, c, a, idempotencyKey(ctx))
			if err != nil {
				return Result{}, orderError(a.OrderID, err)
			}
			return Result{Data: r, Text: describeRefund(r)}, nil
		})
}

// orderError turns the store's ErrNotFound for an order into the tool's
// not_found answer.
func orderError(orderID string, err error) error {
	if errors.Is(err, ErrNotFound) {
		return orderNotFound(orderID)
	}
	return err
}
