package tools

import "time"

// The platform's policy numbers, as the policy documents in
// retrieval/policies state them. The tools enforce exactly these; a change
// here must be made in the documents too, and the reverse.
const (
	// RefundWindow is how long after delivery a refund can be requested.
	RefundWindow = 30 * 24 * time.Hour
	// MaxRefundsPerOrder is the most refunds one order can have.
	MaxRefundsPerOrder = 3
	// MaxSelfServiceRefunds is the most self-service refunds a buyer gets in
	// any rolling SelfServicePeriod.
	MaxSelfServiceRefunds = 5
	// SelfServicePeriod is the rolling period MaxSelfServiceRefunds counts.
	SelfServicePeriod = 30 * 24 * time.Hour
	// NotReceivedAfter is how long after shipping an undelivered order may be
	// disputed as not received.
	NotReceivedAfter = 15 * 24 * time.Hour
	// DisputeWindow is how long after delivery (or, for not received, after
	// shipping) a dispute can be opened.
	DisputeWindow = 60 * 24 * time.Hour
	// SellerResponseTime is how long a seller has to answer a dispute.
	SellerResponseTime = 3 * 24 * time.Hour
	// DisputeDecisionTime is how long the platform takes to decide a dispute.
	DisputeDecisionTime = 10 * 24 * time.Hour
	// MaxDisputeEvidence is the most evidence items one dispute can carry.
	MaxDisputeEvidence = 10
	// UnpaidCancelAfter is when an unpaid order is cancelled automatically.
	UnpaidCancelAfter = 24 * time.Hour
	// ShipWithinBusinessDays is the seller's shipping deadline after payment.
	ShipWithinBusinessDays = 2
	// RefundBusinessDays is how long an approved refund takes to reach the
	// original payment method.
	RefundBusinessDays = 5
)
