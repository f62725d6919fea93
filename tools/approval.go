package tools

import (
	"context"
	"regexp"
	"time"
)

// Preview describes a consequential call before it runs, for the buyer to
// confirm: Summary is one plain-language English sentence (no final period)
// naming what will be done, to which order and for how much; Data is the same
// in structured form (an ActionPreview), for the agent to localize.
type Preview struct {
	Summary string
	Data    any
}

// ActionPreview is the structured Data of a Preview.
type ActionPreview struct {
	// Action is "refund", "dispute" or "cancel".
	Action  string `json:"action"`
	OrderID string `json:"order_id"`
	// Amount is what will be refunded; nil when no money moves.
	Amount *Money       `json:"amount,omitempty"`
	Items  []ActionItem `json:"items,omitempty"`
	Reason string       `json:"reason,omitempty"`
	// Note says what else follows, e.g. that nothing was charged.
	Note string `json:"note,omitempty"`
	// SellerRespondBy and DecideBy are the deadlines a dispute would get.
	SellerRespondBy *time.Time `json:"seller_respond_by,omitempty"`
	DecideBy        *time.Time `json:"decide_by,omitempty"`
}

// ActionItem is one order line an action covers.
type ActionItem struct {
	Line     int    `json:"line"`
	Name     string `json:"name"`
	Quantity int    `json:"quantity"`
}

type approvalKey struct{}

var actionIDPattern = regexp.MustCompile(`^[A-Za-z0-9_.:-]{1,128}$`)

// Approve returns a copy of ctx carrying the buyer's approval of the pending
// action actionID. Registry.Call runs consequential tools only under an
// approval, and the action id is their idempotency key: calls under one
// approval make one refund, dispute or cancellation, and repeat its result.
func Approve(ctx context.Context, actionID string) context.Context {
	return context.WithValue(ctx, approvalKey{}, actionID)
}

// ApprovalFrom returns the approved action id in ctx and whether there is
// one. An id that is empty, longer than 128 bytes or holds characters other
// than letters, digits and _.:- is no approval.
func ApprovalFrom(ctx context.Context) (actionID string, ok bool) {
	id, ok := ctx.Value(approvalKey{}).(string)
	if !ok || !actionIDPattern.MatchString(id) {
		return "", false
	}
	return id, true
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
