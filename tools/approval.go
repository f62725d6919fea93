package tools

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"time"
)

// Preview describes a consequential call before it runs, for the buyer to
// confirm: Summary is one plain-language English sentence (no final period)
// naming what will be done, to which order and for how much; Data is the same
// in structured form (an ActionPreview), for the agent to localize.
type Preview struct {
	Summary string
	Data    any
	// Plan is the call's effect as the buyer confirms it. The agent stores
	// it with the pending action and approves exactly it (ApprovePlan).
	Plan Plan
}

// Plan is the effect of a consequential call, the part of it a buyer's
// confirmation is about: which action on which order, how much money moves
// in which currency, which order lines and quantities it covers, and why.
// A confirmation executes its Plan or nothing.
type Plan struct {
	// Action is "refund", "dispute" or "cancel".
	Action  string `json:"action"`
	OrderID string `json:"order_id"`
	// Amount is the money refunded; nil when none moves.
	Amount *Money     `json:"amount,omitempty"`
	Items  []PlanItem `json:"items,omitempty"`
	Reason string     `json:"reason,omitempty"`
}

// PlanItem is an order line and the quantity of it a Plan covers.
type PlanItem struct {
	Line     int `json:"line"`
	Quantity int `json:"quantity"`
}

// Equal reports whether p and q have the same effect.
func (p Plan) Equal(q Plan) bool {
	if p.Action != q.Action || p.OrderID != q.OrderID || p.Reason != q.Reason || (p.Amount == nil) != (q.Amount == nil) ||
		(p.Amount != nil && *p.Amount != *q.Amount) {
		return false
	}
	a, b := p.sortedItems(), q.sortedItems()
	return slices.Equal(a, b)
}

func (p Plan) sortedItems() []PlanItem {
	items := slices.Clone(p.Items)
	slices.SortFunc(items, func(a, b PlanItem) int { return a.Line - b.Line })
	return items
}

// planItems turns the lines of an action into a Plan's.
func planItems(items []ActionItem) []PlanItem {
	if len(items) == 0 {
		return nil
	}
	out := make([]PlanItem, len(items))
	for i, it := range items {
		out[i] = PlanItem{Line: it.Line, Quantity: it.Quantity}
	}
	return out
}

// ActionPreview is the structured Data of a Preview.
type ActionPreview struct {
	// Action is "refund", "dispute" or "cancel".
	Action  string `json:"action"`
	OrderID string `json:"order_id"`
	// Amount is what will be refunded; nil when no money moves.
	Amount *Money       `json:"amount,omitempty"`
	Items  []ActionItem `json:"items,omitempty"`
	// Less, on a refund of everything left whose lines come to more than
	// Amount, is the difference: what an earlier refund of an amount (not
	// of lines) already paid back. The Items then carry no Amount, since
	// the money is not refunded line by line.
	Less   *Money `json:"less,omitempty"`
	Reason string `json:"reason,omitempty"`
	// Note says what else follows, e.g. that nothing was charged.
	Note string `json:"note,omitempty"`
	// SellerRespondBy and DecideBy are the deadlines a dispute would get.
	SellerRespondBy *time.Time `json:"seller_respond_by,omitempty"`
	DecideBy        *time.Time `json:"decide_by,omitempty"`
	// Kept are the order's lines a refund of some items leaves out, so the
	// buyer sees what stays unrefunded.
	Kept []ActionItem `json:"kept,omitempty"`
	// RefundableUntil is the last moment of a refund's window: a buyer who
	// calls the refund off may still ask for it until then.
	RefundableUntil *time.Time `json:"refundable_until,omitempty"`
}

// ActionItem is one order line an action covers.
type ActionItem struct {
	Line     int    `json:"line"`
	Name     string `json:"name"`
	Quantity int    `json:"quantity"`
	// Amount is what the line's quantity comes to (quantity × unit
	// price), so a card shows each item with its money; nil where the
	// action moves no money by line.
	Amount *Money `json:"amount,omitempty"`
}

type approvalKey struct{}

// approval is what Approve and ApprovePlan put in a context.
type approval struct {
	actionID string
	plan     *Plan
}

var actionIDPattern = regexp.MustCompile(`^[A-Za-z0-9_.:-]{1,128}$`)

// Approve returns a copy of ctx carrying the buyer's approval of the pending
// action actionID. Registry.Call runs consequential tools only under an
// approval, and the action id is their idempotency key: calls under one
// approval make one refund, dispute or cancellation, and repeat its result.
func Approve(ctx context.Context, actionID string) context.Context {
	return context.WithValue(ctx, approvalKey{}, approval{actionID: actionID})
}

// ApprovePlan is Approve for an action whose Plan the buyer confirmed: the
// tool runs only if what it would do now is still exactly p, and otherwise
// fails with CodePlanChanged and changes nothing. The agent always approves
// so; Approve alone is for callers that run tools without a stored plan.
func ApprovePlan(ctx context.Context, actionID string, p Plan) context.Context {
	return context.WithValue(ctx, approvalKey{}, approval{actionID: actionID, plan: &p})
}

// checkPlan refuses p, what a consequential tool is about to do, unless it
// is the plan approved in ctx (when one is).
func checkPlan(ctx context.Context, p Plan) error {
	a, _ := ctx.Value(approvalKey{}).(approval)
	if a.plan == nil || a.plan.Equal(p) {
		return nil
	}
	return Errorf(CodePlanChanged,
		"what the customer confirmed has changed since they saw it (the order, amount, items or reason is no longer the same), so nothing was done; they must confirm the new request")
}

// ApprovalFrom returns the approved action id in ctx and whether there is
// one. An id that is empty, longer than 128 bytes or holds characters other
// than letters, digits and _.:- is no approval.
func ApprovalFrom(ctx context.Context) (actionID string, ok bool) {
	a, ok := ctx.Value(approvalKey{}).(approval)
	if !ok || !actionIDPattern.MatchString(a.actionID) {
		return "", false
	}
	return a.actionID, true
}

// idempotencyKey is the key a consequential tool stores with what it makes,
// derived from the approval in ctx; empty without one.
func idempotencyKey(ctx context.Context) string {
	id, ok := ApprovalFrom(ctx)
	if !ok {
		return ""
	}
	return "action:" + id
}

type callKey struct{}

// withCall puts the Call being run in ctx, for the few tools that act on the
// conversation it came from.
func withCall(ctx context.Context, call Call) context.Context {
	return context.WithValue(ctx, callKey{}, call)
}

// conversationFrom returns the conversation id of the Call being run: set by
// the server, never taken from a model's arguments.
func conversationFrom(ctx context.Context) string {
	c, _ := ctx.Value(callKey{}).(Call)
	return c.ConversationID
}

// TookEffect reports whether a refund, dispute or cancellation was made
// under the idempotency key of the confirmed action actionID: the action
// took effect, whatever was recorded of its decision.
func (s *Store) TookEffect(ctx context.Context, actionID string) (bool, error) {
	key := "action:" + actionID
	var ok bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM refunds WHERE idempotency_key = $1)
		OR EXISTS (SELECT 1 FROM disputes WHERE idempotency_key = $1)
		OR EXISTS (SELECT 1 FROM orders WHERE cancel_idempotency_key = $1)`, key).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("look up the effect of action %s: %w", actionID, err)
	}
	return ok, nil
}
