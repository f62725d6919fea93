package web

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// The escalation card's brief: what a person taking a handed-off
// conversation needs first — the order and where it stands, the buyer's
// problem, what the buyer wants, what the assistant already tried, and
// the buyer's own words — in the reader's language, whatever language the
// buyer wrote in. It is built when the card is read, from what the reader
// may see: the viewer-scoped transcript and the viewer's orders of the
// buyer, so a shop's brief never draws on another shop's messages, orders
// or tool calls.

// want is what the buyer asks for.
type want int

const (
	wantNone want = iota
	wantRefund
	wantReplacement
	wantCancel
	wantDispute
	wantStatus
	wantPerson
)

var wantNames = map[want]string{wantRefund: "refund", wantReplacement: "replacement", wantCancel: "cancel",
	wantDispute: "dispute", wantStatus: "status", wantPerson: "person"}

// wantCues are the words that say what the buyer wants, in the four
// languages, in the order they are tried: a buyer who wants a refund and
// then asks for a person still wants the refund, which the person is for.
var wantCues = []struct {
	w    want
	cues []string
}{
	{wantRefund, []string{"refund", "money back", "reimburse", "환불", "돈 돌려", "reembols", "devuelvan el dinero", "devolver el dinero", "mi dinero", "вернуть деньги", "верните деньги", "возврат денег", "возврат средств", "вернуть оплату"}},
	{wantReplacement, []string{"replace", "exchange", "a new one", "교환", "새 상품", "reemplaz", "cambiarlo", "un cambio", "cambiar el", "cambiar la", "otro nuevo", "обмен", "замен"}},
	{wantCancel, []string{"cancel", "취소", "cancelar", "cancela", "отмен"}},
	{wantDispute, []string{"dispute", "분쟁", "disputa", "спор"}},
	{wantStatus, []string{"where is", "where's", "when will", "tracking", "어디", "언제", "dónde", "cuándo", "seguimiento", "где", "когда", "трек"}},
	{wantPerson, []string{"person", "human", "agent", "someone", "상담원", "사람", "persona", "humano", "agente", "человек", "оператор", "сотрудник"}},
}

// buyerWants returns what the buyer's messages in msgs (oldest first) ask
// for, trying the cues in order over the whole of what they said.
func buyerWants(msgs []agent.StoredMessage, reason string) want {
	var said strings.Builder
	for _, m := range msgs {
		if m.Role == "user" {
			said.WriteString(" " + strings.ToLower(m.Text))
		}
	}
	text := said.String() + " "
	for _, wc := range wantCues {
		for _, c := range wc.cues {
			if strings.Contains(text, c) {
				return wc.w
			}
		}
	}
	if reason == "customer_request" {
		return wantPerson
	}
	return wantNone
}

// briefOrders loads the orders ids names that are the buyer's and the
// viewer's to see, in the order of ids.
func (st store) briefOrders(ctx context.Context, v viewer, buyerID string, ids []string) ([]tools.ShopOrder, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	shop, support := v.args()
	rows, err := st.db.Query(ctx, `SELECT o.id, o.status, o.total_minor, o.refunded_minor, o.currency, o.placed_at,
			o.shipped_at, o.delivered_at, o.cancelled_at
		FROM orders o WHERE o.id = ANY($1) AND o.buyer_id = $2 AND ($4 OR o.shop_id = $3)
		ORDER BY array_position($1, o.id)`, ids, buyerID, shop, support)
	if err != nil {
		return nil, fmt.Errorf("load the handoff's orders: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (tools.ShopOrder, error) {
		var o tools.ShopOrder
		err := r.Scan(&o.ID, &o.Status, &o.Total.Minor, &o.Refunded.Minor, &o.Total.Currency, &o.PlacedAt,
			&o.ShippedAt, &o.DeliveredAt, &o.CancelledAt)
		o.Refunded.Currency = o.Total.Currency
		return o, err
	})
}

// attempt is one thing the assistant did, or offered, on an order.
type attempt struct {
	Tool    string
	OrderID string
	// Outcome is done, refused, waiting (for the buyer's confirmation),
	// declined (by the buyer), failed or expired.
	Outcome string
	Code    string
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
		FROM pending_actions WHERE conversation_id = $1 AND arguments->>'order_id' = ANY($2)
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
		var at time.Time
		err := r.Scan(&a.Tool, &a.OrderID, &a.Outcome, &a.Code, &at)
		return a, err
	})
}

// handoffBrief writes the brief of conversation c for viewer v reading in
// locale: msgs is the viewer's part of the transcript, oldest first.
func (st store) handoffBrief(ctx context.Context, v viewer, locale string, c sellerConversation, msgs []agent.StoredMessage, now time.Time) ([]string, error) {
	p := phrasebook(locale)
	prob, stated := latestProblem(msgs)
	ids := conversationOrderIDs(msgs, stated)
	orders, err := st.briefOrders(ctx, v, c.BuyerID, ids)
	if err != nil {
		return nil, err
	}
	var lines []string
	if len(orders) > 0 {
		o := orders[0]
		facts, _ := orderSentences(p, o, now)
		lines = append(lines, p.f("brief_order", o.ID, strings.Join(facts, " ")))
	} else {
		lines = append(lines, p.f("brief_no_order"))
	}
	if prob != probNone {
		lines = append(lines, p.f("brief_problem_"+problemNames[prob]))
	}
	if w := buyerWants(msgs, c.HandoffReason); w != wantNone {
		lines = append(lines, p.f("brief_want_"+wantNames[w]))
	}
	if len(orders) > 0 {
		if s := briefWindow(p, orders[0], now); s != "" {
			lines = append(lines, s)
		}
	}
	var visible []string
	for _, o := range orders {
		visible = append(visible, o.ID)
	}
	tried, err := st.attempts(ctx, c.ConversationID, visible)
	if err != nil {
		return nil, err
	}
	var done []string
	for _, a := range tried {
		what := p.f("brief_tool_"+a.Tool, a.OrderID)
		if _, ok := draftPhrases["en"]["brief_tool_"+a.Tool]; !ok {
			what = a.Tool + " " + a.OrderID
		}
		outcome := p.f("brief_outcome_" + a.Outcome)
		if a.Code != "" {
			outcome += " (" + a.Code + ")"
		}
		done = append(done, what+": "+outcome)
	}
	if len(done) > 0 {
		lines = append(lines, p.f("brief_tried", strings.Join(done, "; ")))
	} else {
		lines = append(lines, p.f("brief_tried_none"))
	}
	quote := stated
	if quote == nil {
		for i := len(msgs) - 1; i >= 0; i-- {
			if msgs[i].Role == "user" {
				quote = &msgs[i]
				break
			}
		}
	}
	if quote != nil {
		lines = append(lines, p.f("brief_wrote", truncate(quote.Text, 200)))
	}
	return lines, nil
}

// briefWindow says which of the policy's windows is open on o.
func briefWindow(p phrases, o tools.ShopOrder, now time.Time) string {
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
	}
	return ""
}

// truncate cuts s to at most n characters, marking the cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
