package tools

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// A refund or a cancellation the policy does not allow is refused with a
// Refusal as well as a message: the rule (a stable code), the order's date
// the rule counts from, the window's end, the policy section that states
// it, and the alternative the policy allows. Both brains and the agent
// read the same facts, so a reply can state them, and a prepared
// alternative is a real call the agent previews and proposes like any
// other: this package decides what is allowed, never the model.

// The rules a Refusal names. They are stable: models, templates and eval
// suites key on them.
const (
	// RuleNotPaid refuses refunding an order awaiting payment: it is
	// cancelled instead.
	RuleNotPaid = "not_paid"
	// RuleNotShipped refuses refunding a paid order that has not shipped:
	// it is cancelled instead, which refunds it in full.
	RuleNotShipped = "not_shipped"
	// RuleInTransit refuses refunding an order that shipped and has not
	// been delivered.
	RuleInTransit = "in_transit"
	// RuleCancelled refuses refunding a cancelled order.
	RuleCancelled = "cancelled"
	// RuleRefundWindow refuses a refund asked for after RefundWindow.
	RuleRefundWindow = "refund_window"
	// RuleNonRefundable refuses refunding items the policy excludes
	// (digital downloads, gift cards, personalised items, perishable food).
	RuleNonRefundable = "non_refundable"
	// RuleShippedNoCancel refuses cancelling an order that has shipped.
	RuleShippedNoCancel = "shipped_no_cancel"
	// RuleDeliveredNoCancel refuses cancelling an order that was delivered.
	RuleDeliveredNoCancel = "delivered_no_cancel"
)

// Refusal is why the policy refuses an action on an order, as data.
type Refusal struct {
	Rule    string `json:"rule"`
	OrderID string `json:"order_id"`
	// Status is the order's status.
	Status string `json:"status"`
	// Event names the order's date the rule counts from ("delivered",
	// "shipped", "placed", "cancelled") and Date is that date.
	Event string     `json:"event,omitempty"`
	Date  *time.Time `json:"date,omitempty"`
	// WindowDays and Deadline are the window the rule sets and the day it
	// closed or closes (the refund window), when there is one.
	WindowDays int        `json:"window_days,omitempty"`
	Deadline   *time.Time `json:"deadline,omitempty"`
	// Items names the order's items the rule is about (non-refundable).
	Items []string `json:"items,omitempty"`
	// Policy is the section of the policies that states the rule.
	Policy PolicyRef `json:"policy"`
	// Alternative is what the policy allows instead, if anything.
	Alternative *Alternative `json:"alternative,omitempty"`
}

// PolicyRef names a section of a policy document.
type PolicyRef struct {
	Doc     string `json:"doc"`
	Section string `json:"section"`
}

// String is the citation as replies write it: "[refunds §Refund window]".
func (p PolicyRef) String() string { return "[" + p.Doc + " §" + p.Section + "]" }

// Alternative is the action the policy allows instead of a refused one.
type Alternative struct {
	// Tool is the consequential tool that takes it.
	Tool string `json:"tool"`
	// Arguments, when set, are a complete call of Tool that the buyer can
	// be asked to confirm now (its preview still checks it). Without them
	// the alternative is not possible yet (From is in the future) or
	// needs what the buyer has not said: what is wrong with the item.
	Arguments json.RawMessage `json:"arguments,omitempty"`
	// Reason is the dispute reason of a dispute alternative.
	Reason string `json:"reason,omitempty"`
	// From and Until bound when the alternative is possible.
	From  *time.Time `json:"from,omitempty"`
	Until *time.Time `json:"until,omitempty"`
	// Policy is the section that allows it.
	Policy PolicyRef `json:"policy"`
}

// Ready reports whether a is a complete call to prepare now.
func (a *Alternative) Ready() bool { return a != nil && len(a.Arguments) > 0 }

// The policy sections refusals cite, as retrieval/policies/en names them
// (the English headings are the sections' stable names).
var (
	policyRefundWindow   = PolicyRef{Doc: "refunds", Section: "Refund window"}
	policyNonRefundable  = PolicyRef{Doc: "refunds", Section: "Non-refundable items"}
	policyCancelInstead  = PolicyRef{Doc: "refunds", Section: "Cancelling an order instead of refunding it"}
	policyShippedOrders  = PolicyRef{Doc: "refunds", Section: "Shipped orders"}
	policyNotArrived     = PolicyRef{Doc: "refunds", Section: "Orders that have shipped but not arrived"}
	policyCancelledOrder = PolicyRef{Doc: "refunds", Section: "Cancelled orders"}
	policyDisputeTime    = PolicyRef{Doc: "disputes", Section: "Time limits for opening a dispute"}
)

// refuse returns err with r, a refusal about order o, attached.
func refuse(err *Error, o Order, r Refusal) *Error {
	r.OrderID, r.Status = o.ID, o.Status
	err.Refusal = &r
	return err
}

// at returns a pointer to t, for the optional dates of a Refusal.
func at(t time.Time) *time.Time { t = t.UTC(); return &t }

// disputeFor is the dispute reason that matches a refund reason, "" when
// the reason is not a problem a dispute covers (changed mind, other).
func disputeFor(refundReason string) string {
	if slices.Contains(DisputeReasons, refundReason) {
		return refundReason
	}
	return ""
}

// disputeAlternative is opening a dispute on order o for a refund refused
// under rule, possible from from until until: a complete call when the
// buyer's reason is a problem a dispute covers and now is within the
// bounds, otherwise the route and its dates alone; nil once until has
// passed.
func disputeAlternative(o Order, rule, refundReason string, from, until, now time.Time) *Alternative {
	if now.After(until) {
		return nil
	}
	alt := &Alternative{Tool: "open_dispute", Reason: disputeFor(refundReason), Until: at(until), Policy: policyDisputeTime}
	if from.After(now) {
		alt.From = at(from)
	}
	if alt.Reason == "" || now.Before(from) {
		return alt
	}
	args, _ := json.Marshal(map[string]string{
		"order_id": o.ID, "reason": alt.Reason,
		"description": fmt.Sprintf("Reported through the support chat: %s. The refund the customer asked for was refused (%s), so a dispute is opened instead.",
			strings.ReplaceAll(alt.Reason, "_", " "), strings.ReplaceAll(rule, "_", " ")),
	})
	alt.Arguments = args
	return alt
}

// cancelAlternative is cancelling order o instead of refunding it.
func cancelAlternative(o Order) *Alternative {
	args, _ := json.Marshal(map[string]string{"order_id": o.ID})
	return &Alternative{Tool: "cancel_order", Arguments: args, Policy: policyCancelInstead}
}
