package web

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// The escalation card's brief: what a person taking a handed-off
// conversation needs first — the order and where it stands, the buyer's
// problems, what the buyer wants, what the assistant already tried, and
// the buyer's own words — in the reader's language, whatever language the
// buyer wrote in. It is read by the one reader of briefs
// (agent.HandoffBriefOf, which the handoff's stored summary comes from too)
// and written by the one writer (tools.HandoffBrief.Lines), here when the
// card is read, from what the reader may see: the viewer-scoped transcript,
// the viewer's orders of the buyer and the calls on them, so a shop's
// brief never draws on another shop's messages, orders or tool calls.

// briefOrders loads the orders ids names that are the buyer's and the
// viewer's to see, in the order of ids.
func (st store) briefOrders(ctx context.Context, v viewer, buyerID string, ids []string) ([]tools.ShopOrder, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	shop, support := v.args()
	rows, err := st.db.Query(ctx, `SELECT o.id, o.status, o.total_minor, o.refunded_minor, o.currency, o.placed_at,
			o.shipped_at, o.delivered_at, o.cancelled_at, coalesce(o.carrier, '')
		FROM orders o WHERE o.id = ANY($1) AND o.buyer_id = $2 AND ($4 OR o.shop_id = $3)
		ORDER BY array_position($1, o.id)`, ids, buyerID, shop, support)
	if err != nil {
		return nil, fmt.Errorf("load the handoff's orders: %w", err)
	}
	orders, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (tools.ShopOrder, error) {
		var o tools.ShopOrder
		err := r.Scan(&o.ID, &o.Status, &o.Total.Minor, &o.Refunded.Minor, &o.Total.Currency, &o.PlacedAt,
			&o.ShippedAt, &o.DeliveredAt, &o.CancelledAt, &o.Carrier)
		o.Refunded.Currency = o.Total.Currency
		return o, err
	})
	if err != nil || len(orders) == 0 {
		return orders, err
	}
	return orders, st.openDisputes(ctx, orders)
}

// openDisputes fills in the open disputes of orders (the viewer's own,
// loaded by briefOrders): where an order stands depends on one. Before,
// the card of an order in dispute said "inside the refund window" and
// never named the dispute.
func (st store) openDisputes(ctx context.Context, orders []tools.ShopOrder) error {
	ids := make([]string, len(orders))
	for i, o := range orders {
		ids[i] = o.ID
	}
	rows, err := st.db.Query(ctx, `SELECT order_id, id, status, reason, seller_respond_by, decide_by, created_at
		FROM disputes WHERE order_id = ANY($1) AND status IN ('open', 'under_review') ORDER BY created_at DESC`, ids)
	if err != nil {
		return fmt.Errorf("load the handoff's disputes: %w", err)
	}
	ds, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (tools.Dispute, error) {
		var d tools.Dispute
		err := r.Scan(&d.OrderID, &d.ID, &d.Status, &d.Reason, &d.SellerRespondBy, &d.DecideBy, &d.CreatedAt)
		return d, err
	})
	if err != nil {
		return fmt.Errorf("load the handoff's disputes: %w", err)
	}
	for _, d := range ds {
		for i := range orders {
			if orders[i].ID == d.OrderID {
				orders[i].Disputes = append(orders[i].Disputes, d)
			}
		}
	}
	return nil
}

// attempt is one thing the assistant did, or offered, on an order.
type attempt struct {
	Tool    string
	OrderID string
	// Outcome is done, refused, waiting (for the buyer's confirmation),
	// declined (by the buyer), failed or expired.
	Outcome string
	Code    string
	At      time.Time
}

// attempts returns what the assistant did or offered in conversation
// convID on the orders named in orderIDs (the viewer's own), oldest first:
// the tools run for the buyer and the actions put to the buyer.
func (st store) attempts(ctx context.Context, convID string, orderIDs []string) ([]attempt, error) {
	if len(orderIDs) == 0 {
		return nil, nil
	}
	rows, err := st.db.Query(ctx, `
		SELECT tool, arguments->>'order_id', CASE WHEN error_code IS NULL THEN 'done' ELSE 'refused' END, coalesce(error_code, ''), created_at
		FROM tool_calls WHERE conversation_id = $1 AND actor_role = 'buyer' AND arguments->>'order_id' = ANY($2)
		UNION ALL
		SELECT tool, arguments->>'order_id', CASE status WHEN 'pending' THEN 'waiting' WHEN 'executed' THEN 'done' ELSE status END,
			coalesce(error_code, ''), created_at
		-- An executed action is the audit row of its call above; read
		-- here too, the card said "dispute: done; dispute: done".
		FROM pending_actions WHERE conversation_id = $1 AND arguments->>'order_id' = ANY($2) AND status <> 'executed'
		UNION ALL
		-- A call the policy refused changes nothing and leaves no audit
		-- row; its turn's usage records it (agent.TurnUsage.Refused).
		SELECT r->>'tool', r->>'order_id', 'refused', coalesce(r->>'rule', ''), m.created_at
		FROM messages m, jsonb_array_elements(coalesce(m.usage->'refused', '[]')) r
		WHERE m.conversation_id = $1 AND m.role = 'assistant' AND r->>'order_id' = ANY($2)
		ORDER BY 5 LIMIT 20`, convID, orderIDs)
	if err != nil {
		return nil, fmt.Errorf("load what was tried: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (attempt, error) {
		var a attempt
		err := r.Scan(&a.Tool, &a.OrderID, &a.Outcome, &a.Code, &a.At)
		return a, err
	})
}

// handoffBrief writes the brief of conversation c for viewer v reading in
// locale: msgs is the viewer's part of the transcript, oldest first.
func (st store) handoffBrief(ctx context.Context, v viewer, locale string, c sellerConversation, msgs []agent.StoredMessage, now time.Time) ([]string, error) {
	p := phrasebook(locale)
	orders, err := st.briefOrders(ctx, v, c.BuyerID, mentionedOrders(msgs))
	if err != nil {
		return nil, err
	}
	visible := make(map[string]tools.ShopOrder, len(orders))
	var ids []string
	for _, o := range orders {
		visible[o.ID] = o
		ids = append(ids, o.ID)
	}
	tried, err := st.attempts(ctx, c.ConversationID, ids)
	if err != nil {
		return nil, err
	}
	// The buyer's messages and the calls, oldest first.
	var events []agent.BriefEvent
	for _, m := range msgs {
		for len(tried) > 0 && tried[0].At.Before(m.CreatedAt) {
			events = append(events, briefEvent(tried[0]))
			tried = tried[1:]
		}
		if m.Role == "user" {
			events = append(events, agent.BriefEvent{Buyer: m.Text})
		}
	}
	for _, a := range tried {
		events = append(events, briefEvent(a))
	}
	b := agent.HandoffBriefOf(events)
	if b == nil {
		return []string{p.f("brief_no_order")}, nil
	}
	for i, o := range b.Orders {
		if so, ok := visible[o.ID]; ok {
			b.Orders[i].Facts = &tools.BriefFacts{Status: so.Status, Total: so.Total, Carrier: so.Carrier, PlacedAt: so.PlacedAt,
				ShippedAt: so.ShippedAt, DeliveredAt: so.DeliveredAt, CancelledAt: so.CancelledAt, AsOf: now}
		}
	}
	lines := b.Lines(locale, func(id string) bool { _, ok := visible[id]; return ok })
	if len(lines) == 0 {
		return []string{p.f("brief_no_order")}, nil
	}
	// Where the policy stands on the order the brief is about first.
	for _, o := range b.Orders {
		if so, ok := visible[o.ID]; ok {
			if s := briefWindow(p, so, o.Problems, now); s != "" {
				lines = append(lines, s)
			}
			break
		}
	}
	return lines, nil
}

// briefEvent is call a as a brief reads it.
func briefEvent(a attempt) agent.BriefEvent {
	return agent.BriefEvent{Tool: a.Tool, OrderID: a.OrderID, Attempt: tools.BriefAttempt{Tool: a.Tool, Outcome: a.Outcome, Code: a.Code}}
}

// briefWindow says which of the policy's windows is open on o, or, for a
// problem the windows do not settle, the step that applies to it:
// problems are the buyer's on o, as the brief read them.
func briefWindow(p phrases, o tools.ShopOrder, problems []string, now time.Time) string {
	if o.Status == "delivered" && slices.Contains(problems, problemNames[probNotReceived]) {
		// Tracking says it arrived: the refund window is beside the
		// point, and a "not received" dispute is not open to it.
		return p.f("brief_delivered_missing")
	}
	switch orderSituation(o, now) {
	case sitPending, sitPaid:
		return p.f("brief_cancellable")
	case sitInTransit:
		return p.f("brief_in_transit", p.date(o.ShippedAt.Add(tools.NotReceivedAfter)))
	case sitOverdue:
		return p.f("brief_overdue", p.date(o.ShippedAt.Add(tools.DisputeWindow)))
	case sitRefundable:
		return p.f("brief_refundable", p.date(o.DeliveredAt.Add(tools.RefundWindow)))
	case sitDisputable:
		return p.f("brief_disputable", p.date(o.DeliveredAt.Add(tools.RefundWindow)), p.date(o.DeliveredAt.Add(tools.DisputeWindow)))
	case sitDeliveredLong:
		if o.DeliveredAt != nil {
			return p.f("brief_windows_over", p.date(o.DeliveredAt.Add(tools.DisputeWindow)))
		}
	case sitRefundedInFull:
		return p.f("brief_refunded_in_full")
	case sitDisputed:
		for _, d := range o.Disputes {
			if d.Status == "open" || d.Status == "under_review" {
				return p.f("brief_disputed", d.ID, p.date(d.SellerRespondBy))
			}
		}
	}
	return ""
}
