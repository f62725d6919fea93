package tools

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Shipment is where an order's parcel is, as far as the platform knows.
type Shipment struct {
	OrderID string `json:"order_id"`
	// Status is "in_transit", "delayed" (shipped NotReceivedAfter ago or
	// more and still not delivered) or "delivered".
	Status         string     `json:"status"`
	Carrier        string     `json:"carrier"`
	TrackingNumber string     `json:"tracking_number"`
	ShippedAt      time.Time  `json:"shipped_at"`
	DeliveredAt    *time.Time `json:"delivered_at,omitempty"`
	// NotReceivedFrom and NotReceivedUntil bound when an undelivered order
	// can be disputed as not received.
	NotReceivedFrom  *time.Time `json:"not_received_dispute_from,omitempty"`
	NotReceivedUntil *time.Time `json:"not_received_dispute_until,omitempty"`
}

// shipment describes o's parcel at now, or says why there is none yet.
func shipment(o Order, now time.Time) (Shipment, error) {
	switch o.Status {
	case "pending":
		return Shipment{}, Errorf(CodeNotEligible, "order %s has not been paid yet, so it has not shipped; sellers ship within %d business days of payment",
			o.ID, ShipWithinBusinessDays)
	case "paid":
		by := addBusinessDays(*o.PaidAt, ShipWithinBusinessDays)
		return Shipment{}, Errorf(CodeNotEligible, "order %s is paid but has not shipped yet; the seller ships it by %s, and the tracking number appears then",
			o.ID, day(by))
	case "cancelled":
		return Shipment{}, Errorf(CodeNotEligible, "order %s was cancelled before it shipped, so there is nothing to track", o.ID)
	}
	sh := Shipment{OrderID: o.ID, Status: "in_transit", Carrier: o.Carrier, TrackingNumber: o.TrackingNumber,
		ShippedAt: *o.ShippedAt, DeliveredAt: o.DeliveredAt}
	if o.Status == "delivered" {
		sh.Status = "delivered"
		return sh, nil
	}
	from, until := o.ShippedAt.Add(NotReceivedAfter), o.ShippedAt.Add(DisputeWindow)
	sh.NotReceivedFrom, sh.NotReceivedUntil = &from, &until
	if !now.Before(from) {
		sh.Status = "delayed"
	}
	return sh, nil
}

func describeShipment(s Shipment) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Order %s shipped %s with %s, tracking number %s", s.OrderID, day(s.ShippedAt), s.Carrier, s.TrackingNumber)
	switch s.Status {
	case "delivered":
		fmt.Fprintf(&b, "; it was delivered %s.", day(*s.DeliveredAt))
	case "delayed":
		fmt.Fprintf(&b, "; it has not been delivered after more than %d days, so an \"item not received\" dispute can be opened until %s.",
			int(NotReceivedAfter.Hours()/24), day(*s.NotReceivedUntil))
	default:
		fmt.Fprintf(&b, "; it is on its way. If it has not arrived by %s, an \"item not received\" dispute can be opened.",
			day(*s.NotReceivedFrom))
	}
	return b.String()
}

// TrackShipment returns the track_shipment tool: carrier, tracking number,
// dates and a coarse status of one of the caller's orders.
func TrackShipment(s *Store) Tool {
	return New("track_shipment",
		"Track the parcel of one of the customer's orders: carrier, tracking number, shipping and delivery dates, and a status "+
			"(in_transit, delayed, delivered). \"delayed\" means it shipped over 15 days ago and has not been delivered: an "+
			"\"item not received\" dispute (open_dispute) is possible until the date given. Returns not_eligible for an order "+
			"that has not shipped (the message says when it will), not_found for an order that does not exist or is not this customer's.",
		orderArgsSchema, []Role{RoleBuyer},
		func(ctx context.Context, a orderArgs) (Result, error) {
			c, _ := CallerFrom(ctx)
			o, err := s.lookupOrder(ctx, c, a.OrderID)
			if errors.Is(err, ErrNotFound) {
				return Result{}, orderNotFound(a.OrderID)
			}
			if err != nil {
				return Result{}, err
			}
			sh, err := shipment(o, time.Now())
			if err != nil {
				return Result{}, err
			}
			return Result{Data: sh, Text: describeShipment(sh)}, nil
		})
}

// orderNotFound is the one answer for an order that does not exist and one
// that is someone else's.
func orderNotFound(id string) *Error {
	return Errorf(CodeNotFound, "no order %s was found for this account", id)
}
