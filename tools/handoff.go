package tools

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// HandoffReasons are the reasons a conversation is handed to a person.
var HandoffReasons = []string{"customer_request", "cannot_resolve", "limit_reached", "policy_exception", "complaint", "safety", "other"}

// HandoffChannel is the Postgres NOTIFY channel on which a new handoff is
// announced, with its conversation id as the payload, so every replica's
// panel can show it at once.
const HandoffChannel = "csagent_handoffs"

// Handoff is a conversation waiting for, or taken by, a person.
type Handoff struct {
	ID             int64  `json:"handoff_id"`
	ConversationID string `json:"conversation_id"`
	Reason         string `json:"reason"`
	Summary        string `json:"summary"`
	// Status is open (waiting), taken or closed.
	Status    string    `json:"status"`
	TakenBy   string    `json:"taken_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// ShopID is the shop whose queue the handoff waits in; empty is
	// platform support's.
	ShopID string `json:"-"`
}

type handoffArgs struct {
	Reason  string `json:"reason"`
	Summary string `json:"summary"`
}

func (a *handoffArgs) Validate() error {
	if err := checkEnum("reason", a.Reason, HandoffReasons); err != nil {
		return err
	}
	return checkText("summary", &a.Summary, 2000, true)
}

var handoffArgsSchema = `{
  "type": "object",
  "properties": {
    "reason": {"type": "string", "enum": ` + enumJSON(HandoffReasons) + `, "description": "Why a person is needed."},
    "summary": {"type": "string", "minLength": 1, "maxLength": 2000, "description": "For the person taking over, in English: what the customer wants, the order ids involved, what was already checked or done and what is still open."}
  },
  "required": ["reason", "summary"],
  "additionalProperties": false
}`

const handoffColumns = `h.id, h.conversation_id, h.reason, h.summary, h.status, coalesce(h.taken_by, ''), h.created_at,
	coalesce(h.shop_id, '')`

func scanHandoff(r pgx.CollectableRow) (Handoff, error) {
	var h Handoff
	err := r.Scan(&h.ID, &h.ConversationID, &h.Reason, &h.Summary, &h.Status, &h.TakenBy, &h.CreatedAt, &h.ShopID)
	return h, err
}

// handoffTarget returns the shop a handoff made in turn of conversation
// convID goes to, and the summary that shop reads: a turn about exactly one
// shop's orders (those it touched so far, and any the model's summary names)
// goes to that shop; any other to platform support, with no shop summary.
// The shop's summary is built from that shop's scope alone — the agent's
// brief (the call's Brief) of that shop's orders, in the shop's language,
// or without one the reason, its orders and the buyer's words of the turn
// — never from the model's summary, which may draw on other shops' turns
// of the conversation.
func handoffTarget(ctx context.Context, tx pgx.Tx, convID, turnID string, a handoffArgs, b *HandoffBrief) (shop, summary *string, err error) {
	var orders []string
	route := func(named string) error {
		return tx.QueryRow(ctx, `
			WITH o AS (
				SELECT order_id, shop_id FROM turn_orders($1, $2)
				UNION SELECT n.order_id, n.shop_id FROM conversations cv, LATERAL buyer_orders_named(cv.buyer_id, $3) n WHERE cv.id = $1)
			SELECT CASE WHEN count(DISTINCT shop_id) = 1 THEN min(shop_id) END, coalesce(array_agg(order_id ORDER BY order_id), '{}') FROM o`,
			convID, turnID, named).Scan(&shop, &orders)
	}
	err = route(a.Summary)
	if err == nil && len(orders) == 0 && b != nil && len(b.Orders) > 0 {
		// A turn that names no order ("get me a person", the problem
		// told turns ago) is about the order the agent's brief is
		// about.
		err = route(b.Orders[0].ID)
	}
	if err != nil || shop == nil {
		return nil, nil, err
	}
	if b != nil {
		// The brief's orders that are this buyer's in this shop, in the
		// shop's language.
		var locale string
		var mine []string
		err = tx.QueryRow(ctx, `SELECT s.locale, coalesce(array_agg(o.id) FILTER (WHERE o.id IS NOT NULL), '{}')
			FROM shops s JOIN conversations cv ON cv.id = $1
			LEFT JOIN orders o ON o.shop_id = s.id AND o.buyer_id = cv.buyer_id AND o.id = ANY($3)
			WHERE s.id = $2 GROUP BY s.locale`, convID, *shop, briefOrderIDs(b)).Scan(&locale, &mine)
		if err != nil {
			return nil, nil, err
		}
		if text := b.Render(locale, func(id string) bool { return slices.Contains(mine, id) }); text != "" {
			return shop, &text, nil
		}
	}
	var said string
	err = tx.QueryRow(ctx, `SELECT coalesce(string_agg(text, ' ' ORDER BY seq), '') FROM messages
		WHERE conversation_id = $1 AND turn_id = $2 AND role = 'user'`, convID, turnID).Scan(&said)
	if err != nil {
		return nil, nil, err
	}
	text := "Reason: " + a.Reason + ". Order: " + strings.Join(orders, ", ") + "."
	if said != "" {
		text += " The customer wrote: " + strconv.Quote(truncateRunes(said, 1500))
	}
	text = truncateRunes(text, 2000)
	return shop, &text, nil
}

// briefFrom returns the brief of the handoff_to_human Call being run, nil
// when the agent gave none.
func briefFrom(ctx context.Context) *HandoffBrief {
	c, _ := ctx.Value(callKey{}).(Call)
	return c.Brief
}

// briefOrderIDs lists the ids of b's orders.
func briefOrderIDs(b *HandoffBrief) []string {
	ids := make([]string, 0, len(b.Orders))
	for _, o := range b.Orders {
		ids = append(ids, o.ID)
	}
	return ids
}

// briefWithFacts returns a copy of the agent's brief b of conversation
// convID with each order's Facts read in tx: the orders of the
// conversation's buyer only, so an order id the buyer typed that is not
// theirs gets no facts (and the shop's summary leaves it out anyway).
func briefWithFacts(ctx context.Context, tx pgx.Tx, convID string, b *HandoffBrief) (*HandoffBrief, error) {
	if b == nil {
		return nil, nil
	}
	out := *b
	out.Orders = slices.Clone(b.Orders)
	rows, err := tx.Query(ctx, `SELECT o.id, o.status, o.total_minor, o.currency, coalesce(o.carrier, ''), o.placed_at,
			o.shipped_at, o.delivered_at, o.cancelled_at, now()
		FROM orders o JOIN conversations cv ON cv.buyer_id = o.buyer_id
		WHERE cv.id = $1 AND o.id = ANY($2)`, convID, briefOrderIDs(b))
	if err != nil {
		return nil, fmt.Errorf("load the brief's orders: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var f BriefFacts
		if err := rows.Scan(&id, &f.Status, &f.Total.Minor, &f.Total.Currency, &f.Carrier, &f.PlacedAt,
			&f.ShippedAt, &f.DeliveredAt, &f.CancelledAt, &f.AsOf); err != nil {
			return nil, fmt.Errorf("load the brief's orders: %w", err)
		}
		for i := range out.Orders {
			if out.Orders[i].ID == id {
				out.Orders[i].Facts = &f
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load the brief's orders: %w", err)
	}
	return &out, nil
}

// supportSummary is the summary platform support reads: the brief in
// English over every order, then the model's own note, when the agent
// gave a brief; the model's summary alone otherwise.
func supportSummary(b *HandoffBrief, modelSummary string) string {
	if b == nil {
		return modelSummary
	}
	text := b.Render("en", nil)
	if text == "" {
		return modelSummary
	}
	return truncateRunes(text+" Assistant's note: "+modelSummary, 2000)
}

// truncateRunes cuts s to at most n runes.
func truncateRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// handoff puts conversation convID of buyer c in the handoff queue. A
// conversation already waiting keeps its one open handoff, which is
// returned with created false.
func (s *Store) handoff(ctx context.Context, c Caller, convID string, a handoffArgs) (h Handoff, created bool, err error) {
	if c.Role != RoleBuyer {
		return Handoff{}, false, ErrNotFound
	}
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var status string
		err := tx.QueryRow(ctx, `SELECT status FROM conversations WHERE id = $1 AND buyer_id = $2 FOR NO KEY UPDATE`,
			convID, c.ID).Scan(&status)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("lock conversation: %w", err)
		}
		switch status {
		case "closed":
			return Errorf(CodeNotEligible, "this conversation is closed; a new one can be started")
		case "agent":
			return Errorf(CodeConflict, "a person has already taken over this conversation")
		}
		brief, err := briefWithFacts(ctx, tx, convID, briefFrom(ctx))
		if err != nil {
			return fmt.Errorf("route handoff: %w", err)
		}
		shop, shopSummary, err := handoffTarget(ctx, tx, convID, turnFrom(ctx), a, brief)
		if err != nil {
			return fmt.Errorf("route handoff: %w", err)
		}
		rows, err := tx.Query(ctx, `
			INSERT INTO handoffs AS h (conversation_id, reason, summary, shop_id, shop_summary) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (conversation_id) WHERE status = 'open' DO NOTHING
			RETURNING `+handoffColumns, convID, a.Reason, supportSummary(brief, a.Summary), shop, shopSummary)
		if err != nil {
			return fmt.Errorf("queue handoff: %w", err)
		}
		hs, err := pgx.CollectRows(rows, scanHandoff)
		if err != nil {
			return fmt.Errorf("queue handoff: %w", err)
		}
		if created = len(hs) == 1; created {
			h = hs[0]
		} else {
			rows, err := tx.Query(ctx, `SELECT `+handoffColumns+` FROM handoffs h WHERE conversation_id = $1 AND status = 'open'`, convID)
			if err != nil {
				return fmt.Errorf("load open handoff: %w", err)
			}
			if h, err = pgx.CollectExactlyOneRow(rows, scanHandoff); err != nil {
				return fmt.Errorf("load open handoff: %w", err)
			}
		}
		// The conversation is routed where its handoff waits.
		if _, err := tx.Exec(ctx, `UPDATE conversations SET status = 'handoff', shop_id = nullif($2, ''), updated_at = now()
			WHERE id = $1 AND status = 'open'`, convID, h.ShopID); err != nil {
			return fmt.Errorf("mark conversation handed off: %w", err)
		}
		if created {
			if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, HandoffChannel, convID); err != nil {
				return fmt.Errorf("announce handoff: %w", err)
			}
		}
		return nil
	})
	return h, created, err
}

// turnFrom returns the turn id of the Call being run: set by the server.
func turnFrom(ctx context.Context) string {
	c, _ := ctx.Value(callKey{}).(Call)
	return c.TurnID
}

// HandoffToHuman returns the handoff_to_human tool: it puts the conversation
// the call came from in the queue for a person.
func HandoffToHuman(s *Store) Tool {
	return New("handoff_to_human",
		"Hand this conversation to a person (the seller or a support specialist), who will reply in this chat. Use it when the "+
			"customer asks for a person, when a limit requires a specialist's review (limit_reached), for exceptions the policy does "+
			"not allow you to make, complaints you cannot resolve, or anything unsafe. Give a reason and a summary a person can act on "+
			"without reading the whole chat. Calling it again while the conversation waits keeps the one request. "+
			"Errors: not_eligible (no live conversation to hand off), conflict (a person has already taken over).",
		handoffArgsSchema, []Role{RoleBuyer},
		func(ctx context.Context, a handoffArgs) (Result, error) {
			c, _ := CallerFrom(ctx)
			conv := conversationFrom(ctx)
			if conv == "" {
				return Result{}, Errorf(CodeNotEligible, "there is no conversation to hand off here")
			}
			h, created, err := s.handoff(ctx, c, conv, a)
			if errors.Is(err, ErrNotFound) {
				return Result{}, Errorf(CodeNotFound, "this conversation was not found for this account")
			}
			if err != nil {
				return Result{}, err
			}
			text := "The conversation is now waiting for a person, who will reply here; tell the customer so."
			if !created {
				text = "The conversation was already waiting for a person, who will reply here; tell the customer so."
			}
			// The model reads back its own summary, not the brief: the
			// brief names every order of the conversation, and what a
			// turn's calls return decides the turn's scope (turn_orders).
			h.Summary = a.Summary
			return Result{Data: h, Text: text}, nil
		})
}

// handoffQueue returns the SQL condition on handoff h, with its argument
// as parameter $n, that limits handoffs to those c may work on: a seller's,
// those routed to their shop; support's, all of them. ok is false for
// anyone else.
func handoffQueue(c Caller, n int) (cond string, arg any, ok bool) {
	switch {
	case c.Role == RoleSeller && c.ShopID != "":
		return fmt.Sprintf("h.shop_id = $%d", n), c.ShopID, true
	case c.Role == RoleSupport:
		return fmt.Sprintf("$%d::bool", n), true, true
	}
	return "", nil, false
}

// Handoffs returns the handoffs c may work on — a seller, those routed to
// their shop; support, all — that are open or taken, oldest first. Anyone
// else gets none.
func (s *Store) Handoffs(ctx context.Context, c Caller) ([]Handoff, error) {
	cond, arg, ok := handoffQueue(c, 1)
	if !ok {
		return []Handoff{}, nil
	}
	rows, err := s.db.Query(ctx, `
		SELECT `+handoffColumns+` FROM handoffs h
		WHERE h.status IN ('open', 'taken') AND `+cond+`
		ORDER BY h.created_at, h.id LIMIT 200`, arg)
	if err != nil {
		return nil, fmt.Errorf("list handoffs: %w", err)
	}
	hs, err := pgx.CollectRows(rows, scanHandoff)
	if err != nil {
		return nil, fmt.Errorf("list handoffs: %w", err)
	}
	if hs == nil {
		hs = []Handoff{}
	}
	return hs, nil
}

// TakeHandoff lets seller c take open handoff id of their shop: the
// conversation's status becomes agent, so the agent stops answering it.
// A handoff that is not open, or not the seller's shop's, is ErrNotFound.
func (s *Store) TakeHandoff(ctx context.Context, c Caller, id int64) (Handoff, error) {
	return s.moveHandoff(ctx, c, id, true)
}

// CloseHandoff closes handoff id of seller c's shop, open or taken, and
// gives the conversation back to the agent. A closed, missing or foreign
// handoff is ErrNotFound.
func (s *Store) CloseHandoff(ctx context.Context, c Caller, id int64) (Handoff, error) {
	return s.moveHandoff(ctx, c, id, false)
}

func (s *Store) moveHandoff(ctx context.Context, c Caller, id int64, take bool) (Handoff, error) {
	cond, arg, ok := handoffQueue(c, 2)
	if !ok {
		return Handoff{}, ErrNotFound
	}
	update, convStatus := `
		UPDATE handoffs h SET status = 'taken', taken_by = $3, taken_at = now()
		WHERE h.id = $1 AND `+cond+` AND h.status = 'open'
		RETURNING `+handoffColumns, "agent"
	args := []any{id, arg, c.ID}
	if !take {
		update, convStatus = `
			UPDATE handoffs h SET status = 'closed', closed_at = now()
			WHERE h.id = $1 AND `+cond+` AND h.status IN ('open', 'taken')
			RETURNING `+handoffColumns, "open"
		args = args[:2]
	}
	var h Handoff
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, update, args...)
		if err != nil {
			return fmt.Errorf("update handoff %d: %w", id, err)
		}
		h, err = pgx.CollectExactlyOneRow(rows, scanHandoff)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("update handoff %d: %w", id, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE conversations SET status = $2, updated_at = now() WHERE id = $1 AND status <> 'closed'`,
			h.ConversationID, convStatus); err != nil {
			return fmt.Errorf("update conversation of handoff %d: %w", id, err)
		}
		return nil
	})
	return h, err
}
