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

// DisputeReasons are the reasons a dispute can be opened for.
var DisputeReasons = []string{"not_received", "not_as_described", "damaged", "wrong_item", "counterfeit"}

// EvidenceKinds are the kinds of evidence a dispute can carry.
var EvidenceKinds = []string{"photo", "tracking", "message", "document"}

// Dispute is a dispute as its buyer sees it.
type Dispute struct {
	ID      string `json:"dispute_id"`
	OrderID string `json:"order_id"`
	// Status is open, under_review, resolved_buyer, resolved_seller or
	// withdrawn.
	Status          string     `json:"status"`
	Reason          string     `json:"reason"`
	Description     string     `json:"description"`
	SellerRespondBy time.Time  `json:"seller_respond_by"`
	DecideBy        time.Time  `json:"decide_by"`
	CreatedAt       time.Time  `json:"created_at"`
	Evidence        []Evidence `json:"evidence"`
}

// DisputeList is the disputes of one order, newest first.
type DisputeList struct {
	OrderID  string    `json:"order_id"`
	Disputes []Dispute `json:"disputes"`
}

// Evidence is one item of evidence on a dispute: a reference to a photo,
// tracking record, message or document, with a short note.
type Evidence struct {
	Kind      string    `json:"kind"`
	Reference string    `json:"reference"`
	Note      string    `json:"note,omitempty"`
	AddedAt   time.Time `json:"added_at"`
}

// isOpen reports whether a dispute in status st is still undecided.
func isOpen(st string) bool { return st == "open" || st == "under_review" }

type evidenceArg struct {
	Kind      string `json:"kind"`
	Reference string `json:"reference"`
	Note      string `json:"note"`
}

func (e *evidenceArg) check() error {
	if err := checkEnum("kind", e.Kind, EvidenceKinds); err != nil {
		return err
	}
	if err := checkText("reference", &e.Reference, 500, true); err != nil {
		return err
	}
	return checkText("note", &e.Note, 1000, false)
}

type disputeArgs struct {
	OrderID     string        `json:"order_id"`
	Reason      string        `json:"reason"`
	Description string        `json:"description"`
	Evidence    []evidenceArg `json:"evidence"`
}

func (a *disputeArgs) Validate() error {
	if err := checkOrderID("order_id", &a.OrderID); err != nil {
		return err
	}
	if err := checkEnum("reason", a.Reason, DisputeReasons); err != nil {
		return err
	}
	if err := checkText("description", &a.Description, 2000, true); err != nil {
		return err
	}
	if len(a.Evidence) > MaxDisputeEvidence {
		return fmt.Errorf("a dispute can carry at most %d evidence items", MaxDisputeEvidence)
	}
	for i := range a.Evidence {
		if err := a.Evidence[i].check(); err != nil {
			return fmt.Errorf("evidence %d: %w", i+1, err)
		}
	}
	return nil
}

var evidenceSchema = `{
        "type": "object",
        "properties": {
          "kind": {"type": "string", "enum": ` + enumJSON(EvidenceKinds) + `},
          "reference": {"type": "string", "minLength": 1, "maxLength": 500, "description": "Where the evidence is: an uploaded file's id or link, a tracking number, a message id."},
          "note": {"type": "string", "maxLength": 1000, "description": "What it shows, in a sentence."}
        },
        "required": ["kind", "reference"],
        "additionalProperties": false
      }`

var disputeArgsSchema = `{
  "type": "object",
  "properties": {
    "order_id": {"type": "string", "description": "The order id, e.g. ORD-10042.", "pattern": "^(ORD-)?[0-9]{5}$"},
    "reason": {"type": "string", "enum": ` + enumJSON(DisputeReasons) + `, "description": "The one reason that best matches the problem."},
    "description": {"type": "string", "minLength": 1, "maxLength": 2000, "description": "The problem in the customer's words: what is wrong and what they expected."},
    "evidence": {"type": "array", "maxItems": ` + strconv.Itoa(MaxDisputeEvidence) + `, "description": "Evidence the customer has already provided.", "items": ` + evidenceSchema + `}
  },
  "required": ["order_id", "reason", "description"],
  "additionalProperties": false
}`

// disputePlan is a dispute the policy allows, before it is opened.
type disputePlan struct {
	order               Order
	respondBy, decideBy time.Time
}

// planDispute applies the disputes policy to opening a dispute for reason on
// order o at now, where openID is the order's open dispute, if any.
func planDispute(o Order, reason, openID string, now time.Time) (disputePlan, error) {
	switch o.Status {
	case "pending":
		return disputePlan{}, Errorf(CodeNotEligible, "order %s has not been paid yet, so there is nothing to dispute; it can be cancelled instead (cancel_order)", o.ID)
	case "paid":
		return disputePlan{}, Errorf(CodeNotEligible, "order %s has not shipped yet, so there is nothing to dispute; it can be cancelled for a full refund instead (cancel_order)", o.ID)
	case "cancelled":
		return disputePlan{}, Errorf(CodeNotEligible, "order %s was cancelled, so it cannot be disputed", o.ID)
	}
	if openID != "" {
		return disputePlan{}, Errorf(CodeConflict, "order %s already has an open dispute, %s; add new information to it (add_dispute_evidence) instead of opening another", o.ID, openID)
	}
	received := o.ShippedAt.Add(NotReceivedAfter)
	if reason == "not_received" {
		if o.Status == "delivered" {
			return disputePlan{}, Errorf(CodeNotEligible,
				"order %s was delivered on %s according to the carrier's tracking, so it cannot be disputed as not received; if the parcel cannot be found, check with neighbours or the building's reception first, and if the item arrived with a problem choose the reason that matches it",
				o.ID, day(*o.DeliveredAt))
		}
		if now.Before(received) {
			return disputePlan{}, Errorf(CodeNotEligible,
				"order %s shipped on %s and may still be on its way; an \"item not received\" dispute can be opened from %s",
				o.ID, day(*o.ShippedAt), day(received))
		}
		if end := o.ShippedAt.Add(DisputeWindow); now.After(end) {
			return disputePlan{}, Errorf(CodeWindowExpired,
				"an \"item not received\" dispute could be opened until %d days after shipping; for order %s that was %s",
				days(DisputeWindow), o.ID, day(end))
		}
	} else {
		if o.Status != "delivered" {
			if now.Before(received) {
				return disputePlan{}, Errorf(CodeNotEligible,
					"order %s has not been delivered yet, so a dispute about the item can only be opened once it arrives; if it has not arrived by %s, an \"item not received\" dispute can be opened",
					o.ID, day(received))
			}
			return disputePlan{}, Errorf(CodeNotEligible,
				"order %s has not been delivered, so a dispute about the item is not possible, but an \"item not received\" dispute can be opened now (reason not_received)", o.ID)
		}
		if end := o.DeliveredAt.Add(DisputeWindow); now.After(end) {
			return disputePlan{}, Errorf(CodeWindowExpired,
				"a dispute could be opened until %d days after delivery; for order %s that was %s", days(DisputeWindow), o.ID, day(end))
		}
	}
	return disputePlan{order: o, respondBy: now.Add(SellerResponseTime), decideBy: now.Add(DisputeDecisionTime)}, nil
}

func (p disputePlan) preview(a disputeArgs) Preview {
	items := make([]ActionItem, len(p.order.Items))
	for i, it := range p.order.Items {
		items[i] = ActionItem{Line: it.Line, Name: it.Name, Quantity: it.Quantity}
	}
	summary := fmt.Sprintf("Open a dispute on order %s (%s) for the reason %s", p.order.ID, describeItems(items), strings.ReplaceAll(a.Reason, "_", " "))
	if n := len(a.Evidence); n > 0 {
		summary += fmt.Sprintf(" with %d evidence item(s)", n)
	}
	summary += fmt.Sprintf("; the seller must respond by %s and Maru Market decides by %s", day(p.respondBy), day(p.decideBy))
	return Preview{Summary: summary, Data: ActionPreview{
		Action: "dispute", OrderID: p.order.ID, Items: items, Reason: a.Reason,
		SellerRespondBy: &p.respondBy, DecideBy: &p.decideBy,
	}, Plan: p.plan(a.Reason)}
}

// plan is opening the dispute as the buyer confirms it.
func (p disputePlan) plan(reason string) Plan {
	return Plan{Action: "dispute", OrderID: p.order.ID, Reason: reason}
}

// disputeState loads the order a dispute would be about and the id of its
// open dispute, if any.
func disputeState(ctx context.Context, q DB, c Caller, orderID string, lock bool) (Order, string, error) {
	if c.Role != RoleBuyer {
		return Order{}, "", ErrNotFound
	}
	o, err := loadOrder(ctx, q, c, orderID, lock)
	if err != nil {
		return Order{}, "", err
	}
	var open string
	err = q.QueryRow(ctx, `SELECT id FROM disputes WHERE order_id = $1 AND status IN ('open', 'under_review')`, o.ID).Scan(&open)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return Order{}, "", fmt.Errorf("look up open dispute of %s: %w", o.ID, err)
	}
	return o, open, nil
}

func (s *Store) previewDispute(ctx context.Context, c Caller, a disputeArgs) (disputePlan, error) {
	o, open, err := disputeState(ctx, s.db, c, a.OrderID, false)
	if err != nil {
		return disputePlan{}, err
	}
	return planDispute(o, a.Reason, open, dbNow())
}

// openDispute opens the dispute a asks for, with its evidence, in one
// transaction under the order's row lock. key makes it idempotent.
func (s *Store) openDispute(ctx context.Context, c Caller, a disputeArgs, key string) (Dispute, error) {
	now := dbNow()
	var out Dispute
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		o, open, err := disputeState(ctx, tx, c, a.OrderID, true)
		if err != nil {
			return err
		}
		if d, ok, err := disputeByKey(ctx, tx, c, o.ID, key); err != nil || ok {
			out = d
			return err
		}
		p, err := planDispute(o, a.Reason, open, now)
		if err != nil {
			return err
		}
		if err := checkPlan(ctx, p.plan(a.Reason)); err != nil {
			return err
		}
		var k *string
		if key != "" {
			k = &key
		}
		d := Dispute{ID: newID("DSP-"), OrderID: o.ID, Status: "open", Reason: a.Reason, Description: a.Description,
			SellerRespondBy: p.respondBy, DecideBy: p.decideBy, CreatedAt: now, Evidence: []Evidence{}}
		tag, err := tx.Exec(ctx, `
			INSERT INTO disputes (id, order_id, buyer_id, status, reason, description, seller_respond_by, decide_by, idempotency_key, created_at, updated_at)
			VALUES ($1, $2, $3, 'open', $4, $5, $6, $7, $8, $9, $9)
			ON CONFLICT (idempotency_key) DO NOTHING`,
			d.ID, o.ID, c.ID, d.Reason, d.Description, d.SellerRespondBy, d.DecideBy, k, now)
		if constraintOf(err) == "disputes_one_open_per_order" {
			return &Error{Code: CodeConflict, Message: fmt.Sprintf("order %s already has an open dispute; add new information to it (add_dispute_evidence)", o.ID), Err: err}
		}
		if err != nil {
			return fmt.Errorf("open dispute on %s: %w", o.ID, err)
		}
		if tag.RowsAffected() == 0 {
			d, ok, err := disputeByKey(ctx, tx, c, o.ID, key)
			if err == nil && !ok {
				err = errors.New("dispute under key vanished")
			}
			out = d
			return err
		}
		for _, e := range a.Evidence {
			ev, err := insertEvidence(ctx, tx, d.ID, e, now)
			if err != nil {
				return err
			}
			d.Evidence = append(d.Evidence, ev)
		}
		out = d
		return nil
	})
	return out, err
}

// disputeByKey returns the dispute opened under key for order orderID of c.
func disputeByKey(ctx context.Context, q DB, c Caller, orderID, key string) (Dispute, bool, error) {
	if key == "" {
		return Dispute{}, false, nil
	}
	var buyer, id, order string
	err := q.QueryRow(ctx, `SELECT id, order_id, buyer_id FROM disputes WHERE idempotency_key = $1`, key).Scan(&id, &order, &buyer)
	if errors.Is(err, pgx.ErrNoRows) {
		return Dispute{}, false, nil
	}
	if err != nil {
		return Dispute{}, false, fmt.Errorf("look up dispute by key: %w", err)
	}
	if buyer != c.ID || order != orderID {
		return Dispute{}, false, actionReused()
	}
	ds, err := disputes(ctx, q, c, id, "")
	if err != nil {
		return Dispute{}, false, err
	}
	if len(ds) == 0 {
		return Dispute{}, false, fmt.Errorf("dispute %s under key not visible to its buyer", id)
	}
	return ds[0], true, nil
}

// disputes returns the disputes c may see: one by id, or all of an order,
// newest first, with their evidence.
func disputes(ctx context.Context, q DB, c Caller, disputeID, orderID string) ([]Dispute, error) {
	col, val := scope(c)
	rows, err := q.Query(ctx, `
		SELECT d.id, d.order_id, d.status, d.reason, d.description, d.seller_respond_by, d.decide_by, d.created_at
		FROM disputes d JOIN orders o ON o.id = d.order_id
		WHERE (d.id = $1 OR d.order_id = $2) AND `+col+` = $3
		ORDER BY d.created_at DESC, d.id`, disputeID, orderID, val)
	if err != nil {
		return nil, fmt.Errorf("load disputes: %w", err)
	}
	ds, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Dispute, error) {
		d := Dispute{Evidence: []Evidence{}}
		err := r.Scan(&d.ID, &d.OrderID, &d.Status, &d.Reason, &d.Description, &d.SellerRespondBy, &d.DecideBy, &d.CreatedAt)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("load disputes: %w", err)
	}
	if len(ds) == 0 {
		return ds, nil
	}
	ids := make([]string, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	rows, err = q.Query(ctx, `SELECT dispute_id, kind, reference, note, created_at FROM dispute_evidence
		WHERE dispute_id = ANY($1) ORDER BY id`, ids)
	if err != nil {
		return nil, fmt.Errorf("load evidence: %w", err)
	}
	var id string
	var e Evidence
	_, err = pgx.ForEachRow(rows, []any{&id, &e.Kind, &e.Reference, &e.Note, &e.AddedAt}, func() error {
		i := slices.IndexFunc(ds, func(d Dispute) bool { return d.ID == id })
		ds[i].Evidence = append(ds[i].Evidence, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load evidence: %w", err)
	}
	return ds, nil
}

func describeDispute(d Dispute) string {
	s := fmt.Sprintf("Dispute %s on order %s (%s) is %s, opened %s with %d evidence item(s).",
		d.ID, d.OrderID, strings.ReplaceAll(d.Reason, "_", " "), strings.ReplaceAll(d.Status, "_", " "), day(d.CreatedAt), len(d.Evidence))
	if isOpen(d.Status) {
		s += fmt.Sprintf(" The seller must respond by %s; Maru Market decides by %s.", day(d.SellerRespondBy), day(d.DecideBy))
	}
	return s
}

// OpenDispute returns the open_dispute tool. It is consequential.
func OpenDispute(s *Store) Tool {
	return NewAction("open_dispute",
		"Open a dispute on one of the customer's orders, asking Maru Market to decide a problem a refund cannot solve. "+
			"It needs the customer's explicit confirmation: calling it shows them the dispute and asks them to confirm. "+
			"Use it when the order has not arrived 15 days after shipping (reason not_received, possible until 60 days after shipping), "+
			"when the refund window has passed, for a non-refundable item that arrived damaged or wrong, or for a counterfeit; "+
			"other reasons are possible up to 60 days after delivery. Give the problem in the customer's words (description) and any evidence "+
			"references they provided. The seller must respond within 3 days; Maru Market decides within 10. "+
			"Errors: not_eligible (wrong order state or too early; the message says when or what instead), window_expired, "+
			"conflict (the order already has an open dispute: add evidence to it instead), not_found, invalid_argument.",
		disputeArgsSchema, []Role{RoleBuyer},
		func(ctx context.Context, a disputeArgs) (Preview, error) {
			c, _ := CallerFrom(ctx)
			p, err := s.previewDispute(ctx, c, a)
			if err != nil {
				return Preview{}, orderError(a.OrderID, err)
			}
			return p.preview(a), nil
		},
		func(ctx context.Context, a disputeArgs) (Result, error) {
			c, _ := CallerFrom(ctx)
			d, err := s.openDispute(ctx, c, a, idempotencyKey(ctx))
			if err != nil {
				return Result{}, orderError(a.OrderID, err)
			}
			return Result{Data: d, Text: describeDispute(d)}, nil
		})
}

type getDisputeArgs struct {
	DisputeID string `json:"dispute_id"`
	OrderID   string `json:"order_id"`
}

func (a *getDisputeArgs) Validate() error {
	switch {
	case (a.DisputeID == "") == (a.OrderID == ""):
		return errors.New("give either dispute_id or order_id")
	case a.DisputeID != "":
		return checkDisputeID(&a.DisputeID)
	default:
		return checkOrderID("order_id", &a.OrderID)
	}
}

const getDisputeArgsSchema = `{
  "type": "object",
  "properties": {
    "dispute_id": {"type": "string", "description": "A dispute id, e.g. DSP-7K2M9QX4BD.", "pattern": "^DSP-[0-9A-Za-z]{4,32}$"},
    "order_id": {"type": "string", "description": "An order id, e.g. ORD-10042, for all of its disputes.", "pattern": "^(ORD-)?[0-9]{5}$"}
  },
  "additionalProperties": false
}`

// GetDispute returns the get_dispute tool: one dispute by id, or the
// disputes of an order.
func GetDispute(s *Store) Tool {
	return New("get_dispute",
		"Look up the customer's disputes: one by dispute_id, or all disputes of an order by order_id (give exactly one). "+
			"Each has its status (open: waiting for the seller; under_review: Maru Market is deciding; resolved_buyer: decided for the "+
			"customer, a refund follows; resolved_seller; withdrawn), reason, the seller's response deadline, the decision deadline and "+
			"its evidence. Returns not_found for a dispute or order that does not exist or is not this customer's.",
		getDisputeArgsSchema, []Role{RoleBuyer},
		func(ctx context.Context, a getDisputeArgs) (Result, error) {
			c, _ := CallerFrom(ctx)
			if a.DisputeID != "" {
				ds, err := disputes(ctx, s.db, c, a.DisputeID, "")
				if err != nil {
					return Result{}, err
				}
				if len(ds) == 0 {
					return Result{}, disputeNotFound(a.DisputeID)
				}
				return Result{Data: ds[0], Text: describeDispute(ds[0])}, nil
			}
			if _, err := s.Order(ctx, c, a.OrderID); err != nil {
				return Result{}, orderError(a.OrderID, err)
			}
			ds, err := disputes(ctx, s.db, c, "", a.OrderID)
			if err != nil {
				return Result{}, err
			}
			list := DisputeList{OrderID: a.OrderID, Disputes: ds}
			text := fmt.Sprintf("Order %s has no disputes.", a.OrderID)
			if len(ds) > 0 {
				parts := make([]string, len(ds))
				for i, d := range ds {
					parts[i] = describeDispute(d)
				}
				text = strings.Join(parts, " ")
			}
			return Result{Data: list, Text: text}, nil
		})
}

func disputeNotFound(id string) *Error {
	return Errorf(CodeNotFound, "no dispute %s was found for this account", id)
}
