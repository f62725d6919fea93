package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/csagent/csagent/tools"
)

// Action is a consequential tool call waiting for the buyer's explicit yes.
// The model proposes it; only the buyer's confirm executes it.
type Action struct {
	ID             string
	ConversationID string
	BuyerID        string
	TurnID         string
	Tool           string
	Arguments      json.RawMessage
	// Summary is the plain-language description the buyer confirms.
	Summary string
	// Details is the tool's structured preview (order, amount, items).
	Details json.RawMessage
	// Plan is the effect the buyer confirms; confirming executes exactly
	// it or nothing. Nil only for actions stored before plans were.
	Plan           *tools.Plan
	Status         string
	ExpiresAt      time.Time
	DecisionTurnID string
	// Result and ErrorCode are what the executed tool returned.
	Result    json.RawMessage
	ErrorCode string
}

// Action statuses.
const (
	ActionPending = "pending"
	// ActionExecuting is an approved action claimed by a runner whose tool
	// call has not been recorded yet.
	ActionExecuting = "executing"
	ActionExecuted  = "executed"
	ActionFailed    = "failed"
	ActionDeclined  = "declined"
	ActionExpired   = "expired"
)

// ErrExpired is returned for a confirmation that came after its action
// expired.
var ErrExpired = errors.New("action expired")

const actionColumns = `id, conversation_id, buyer_id, turn_id, tool, arguments, summary, details, plan, status, expires_at,
	coalesce(decision_turn_id, ''), result, coalesce(error_code, '')`

// fields are the scan destinations of actionColumns.
func (a *Action) fields() []any {
	return []any{&a.ID, &a.ConversationID, &a.BuyerID, &a.TurnID, &a.Tool, &a.Arguments, &a.Summary, &a.Details, &a.Plan, &a.Status,
		&a.ExpiresAt, &a.DecisionTurnID, &a.Result, &a.ErrorCode}
}

func scanAction(r pgx.CollectableRow) (Action, error) {
	var a Action
	err := r.Scan(a.fields()...)
	return a, err
}

// Propose stores a as pending. If the same tool with the same arguments is
// already pending in the conversation, that action is returned instead, so
// a model that asks twice does not make the buyer confirm twice; it is
// then the proposal of a's turn (shownAgain).
func (s *Store) Propose(ctx context.Context, a Action) (Action, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+actionColumns+` FROM pending_actions
		WHERE conversation_id = $1 AND tool = $2 AND arguments = $3 AND plan = $4 AND status = 'pending' AND expires_at > now()
		LIMIT 1`, a.ConversationID, a.Tool, a.Arguments, a.Plan)
	if err != nil {
		return Action{}, fmt.Errorf("look up pending action: %w", err)
	}
	existing, err := pgx.CollectRows(rows, scanAction)
	if err != nil {
		return Action{}, fmt.Errorf("look up pending action: %w", err)
	}
	if len(existing) > 0 {
		return s.shownAgain(ctx, existing[0], a.TurnID)
	}
	if a.Details == nil {
		a.Details = json.RawMessage("{}")
	}
	a.Status = ActionPending
	_, err = s.pool.Exec(ctx, `INSERT INTO pending_actions (id, conversation_id, buyer_id, turn_id, tool, arguments, summary, details, plan, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		a.ID, a.ConversationID, a.BuyerID, a.TurnID, a.Tool, a.Arguments, a.Summary, a.Details, a.Plan, a.ExpiresAt)
	if err != nil {
		return Action{}, fmt.Errorf("store pending action: %w", err)
	}
	return a, nil
}

// pendingSQL selects the actions of conversation $1 still waiting for a
// decision and not expired, oldest first.
const pendingSQL = `SELECT ` + actionColumns + ` FROM pending_actions
	WHERE conversation_id = $1 AND status = 'pending' AND expires_at > now() ORDER BY created_at`

// Pending returns the conversation's actions still waiting for a decision
// and not expired, oldest first.
func (s *Store) Pending(ctx context.Context, convID string) ([]Action, error) {
	rows, err := s.pool.Query(ctx, pendingSQL, convID)
	if err != nil {
		return nil, fmt.Errorf("load pending actions: %w", err)
	}
	as, err := pgx.CollectRows(rows, scanAction)
	if err != nil {
		return nil, fmt.Errorf("load pending actions: %w", err)
	}
	return as, nil
}

// lease is how a runner claims work: its id, how long a runner's silent
// heartbeat means it is gone, and how long any turn may run at most.
type lease struct {
	runner         string
	stale, maxTurn time.Duration
}

// abandonedClaim is the SQL condition of an executing action whose runner
// stopped beating for stale seconds, or that has been executing for longer
// than any turn may run (maxTurn seconds): the runner died, or cannot reach
// the database. stale and maxTurn are placeholders, e.g. "$4".
func abandonedClaim(stale, maxTurn string) string {
	return `(status = 'executing' AND claimed_at < now() - make_interval(secs => ` + stale + `)
	AND (claimed_at < now() - make_interval(secs => ` + maxTurn + `)
		OR NOT EXISTS (SELECT 1 FROM agent_runners r WHERE r.id = claimed_by AND r.seen_at > now() - make_interval(secs => ` + stale + `))))`
}

// claim is the first of the two short transactions a decision takes: it
// locks the buyer's action id in conversation convID and, if it is still
// pending, either records the decline or claims the action for execution
// by runner (status executing), and returns it. The tool runs after the
// lock is released, so confirmations never hold a connection while a tool
// needs another; record stores what came of it. claimed is false when
// another decision came first: out is then the action as that one left it.
// An action claimed by a runner that is gone (stale) is claimed again,
// which is safe because the tool's idempotency key is the action's id. A
// missing or foreign action is ErrNotFound; a late one is marked so and
// ErrExpired, now and on every later decision.
//
// A decision that is a turn of its own (a confirm frame, not a typed yes,
// whose message is stored already) has say set: a fresh claim then stores
// the buyer's decision, say's text, as the turn's message and registers
// the turn as running under runner, in the claim's transaction, so that a
// runner dying anywhere after the claim leaves a turn the sweeper answers
// (Sweep). A claim taken over from a dead runner takes over its decision
// turn's registration too.
func (s *Store) claim(ctx context.Context, buyerID, convID, id, turnID string, r lease, approved bool, say func(Action) string, q *stateQuery) (out Action, claimed bool, user StoredMessage, st *turnState, err error) {
	if out, user, st, ok, err := s.claimPending(ctx, buyerID, convID, id, turnID, r, approved, say, q); err != nil || ok {
		return out, ok, user, st, err
	}
	expired := false
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+actionColumns+`, `+abandonedClaim("$4", "$5")+`
			FROM pending_actions WHERE id = $1 AND conversation_id = $2 AND buyer_id = $3 FOR UPDATE`,
			id, convID, buyerID, r.stale.Seconds(), r.maxTurn.Seconds())
		if err != nil {
			return fmt.Errorf("lock action %s: %w", id, err)
		}
		var abandoned *bool
		a, err := pgx.CollectExactlyOneRow(rows, func(r pgx.CollectableRow) (Action, error) {
			var a Action
			err := r.Scan(append(a.fields(), &abandoned)...)
			return a, err
		})
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("lock action %s: %w", id, err)
		}
		out = a
		switch {
		case a.Status == ActionExpired:
			expired = true
			return nil
		case a.Status == ActionExecuting && abandoned != nil && *abandoned:
			// Its runner died between claim and record: take it over,
			// keeping the turn that carries its decision.
			_, err := tx.Exec(ctx, `UPDATE pending_actions SET claimed_by = $2, claimed_at = now() WHERE id = $1`, id, r.runner)
			if err != nil {
				return fmt.Errorf("take over action %s: %w", id, err)
			}
			if err := takeOverTurn(ctx, tx, convID, a.DecisionTurnID, r.runner); err != nil {
				return err
			}
			claimed = true
			return nil
		case a.Status != ActionPending:
			return nil
		case !time.Now().Before(a.ExpiresAt):
			expired = true
			out.Status = ActionExpired
			_, err := tx.Exec(ctx, `UPDATE pending_actions SET status = 'expired', decided_at = now() WHERE id = $1`, id)
			if err != nil {
				return fmt.Errorf("expire action %s: %w", id, err)
			}
			return nil
		}
		out.DecisionTurnID, out.Status, claimed = turnID, ActionExecuting, true
		if !approved {
			out.Status = ActionDeclined
		}
		_, err = tx.Exec(ctx, `UPDATE pending_actions SET status = $2, decision_turn_id = $3, decided_at = now(),
			claimed_by = CASE WHEN $2 = 'executing' THEN $4 END, claimed_at = CASE WHEN $2 = 'executing' THEN now() END
			WHERE id = $1`, id, out.Status, turnID, r.runner)
		if err != nil {
			return fmt.Errorf("record decision on %s: %w", id, err)
		}
		if say == nil {
			return nil
		}
		user = StoredMessage{TurnID: turnID, Role: "user", AuthorID: buyerID, Text: say(out), Runner: r.runner}
		if err := s.insert(ctx, tx, convID, &user); err != nil {
			return fmt.Errorf("store decision on %s: %w", id, err)
		}
		return nil
	})
	if err == nil && expired {
		err = ErrExpired
	}
	return out, claimed, user, nil, err
}

// claimPending is claim's fast path, for the action that is still
// pending and not expired, as nearly every decision finds it: one
// conditional UPDATE claims it, and in the same batch (one round trip, one
// implicit transaction) the decision's message is stored and its turn
// registered, on condition that this turn is the one that claimed it. A
// decision that is a turn of its own first reads the action, to word its
// message. With q set, the batch also reads the turn's state, after the
// claim and the message (st). ok false means the action is not pending (decided, expired,
// being executed) or not the buyer's: claim then finds out which under a
// lock.
func (s *Store) claimPending(ctx context.Context, buyerID, convID, id, turnID string, r lease, approved bool, say func(Action) string, q *stateQuery) (_ Action, _ StoredMessage, st *turnState, ok bool, err error) {
	var user StoredMessage
	if say != nil {
		rows, err := s.pool.Query(ctx, `SELECT `+actionColumns+` FROM pending_actions WHERE id = $1 AND conversation_id = $2 AND buyer_id = $3`,
			id, convID, buyerID)
		if err != nil {
			return Action{}, user, nil, false, fmt.Errorf("load action %s: %w", id, err)
		}
		act, err := pgx.CollectExactlyOneRow(rows, scanAction)
		if errors.Is(err, pgx.ErrNoRows) {
			return Action{}, user, nil, false, ErrNotFound
		}
		if err != nil {
			return Action{}, user, nil, false, fmt.Errorf("load action %s: %w", id, err)
		}
		if act.Status != ActionPending {
			return Action{}, user, nil, false, nil
		}
		// What a decision shows (tool, details) never changes after
		// the action is proposed.
		user = StoredMessage{TurnID: turnID, Role: "user", AuthorID: buyerID, Text: say(act), Runner: r.runner, Citations: json.RawMessage("[]")}
	}
	status := ActionExecuting
	if !approved {
		status = ActionDeclined
	}
	var b pgx.Batch
	b.Queue(`UPDATE pending_actions SET status = $4, decision_turn_id = $5, decided_at = now(),
		claimed_by = CASE WHEN $4 = 'executing' THEN $6 END, claimed_at = CASE WHEN $4 = 'executing' THEN now() END
		WHERE id = $1 AND conversation_id = $2 AND buyer_id = $3 AND status = 'pending' AND expires_at > now()
		RETURNING `+actionColumns, id, convID, buyerID, status, turnID, r.runner)
	if say != nil {
		// This turn's id is on the action only if the UPDATE above claimed it.
		const ours = `EXISTS (SELECT 1 FROM pending_actions WHERE id = $2 AND decision_turn_id = $3)`
		b.Queue(numberSQL+` AND `+ours, convID, id, turnID)
		b.Queue(`INSERT INTO messages (conversation_id, seq, turn_id, role, author_id, text, citations, shop_id)
			SELECT $1::text, `+nextSeq+`, $3::text, 'user', $4::text, $5::text, '[]', message_shop($1, $5) WHERE `+ours+`
			RETURNING seq, created_at, coalesce(shop_id, '')`, convID, id, turnID, buyerID, user.Text)
		b.Queue(`INSERT INTO turn_runs (conversation_id, turn_id, runner) SELECT $1::text, $3::text, $4::text WHERE `+ours,
			convID, id, turnID, r.runner)
	}
	if q != nil {
		q.known = s.calls.get(convID)
		q.queue(&b, convID)
	}
	br := s.pool.SendBatch(ctx, &b)
	defer func() {
		if cerr := br.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("claim action %s: %w", id, cerr)
		}
	}()
	rows, err := br.Query()
	if err != nil {
		return Action{}, user, nil, false, fmt.Errorf("claim action %s: %w", id, err)
	}
	acts, err := pgx.CollectRows(rows, scanAction)
	if err != nil {
		return Action{}, user, nil, false, fmt.Errorf("claim action %s: %w", id, err)
	}
	if len(acts) == 0 {
		return Action{}, user, nil, false, nil
	}
	if say != nil {
		if _, err := br.Exec(); err != nil {
			return Action{}, user, nil, false, fmt.Errorf("number the decision on %s: %w", id, err)
		}
		if err := br.QueryRow().Scan(&user.Seq, &user.CreatedAt, &user.ShopID); err != nil {
			return Action{}, user, nil, false, fmt.Errorf("store the decision on %s: %w", id, err)
		}
		if _, err := br.Exec(); err != nil {
			return Action{}, user, nil, false, fmt.Errorf("register the decision's turn %s: %w", turnID, err)
		}
	}
	if q != nil {
		if st, err = q.read(br); err != nil {
			return Action{}, user, nil, false, fmt.Errorf("claim action %s: %w", id, err)
		}
		s.calls.put(convID, st.known)
	}
	return acts[0], user, st, true, nil
}

// takeOverTurn moves the registration of turn turnID as running to runner,
// which took over the action decided in it: the reply is now that runner's
// to store (appendReply). A turn with no registration stays without one.
func takeOverTurn(ctx context.Context, tx pgx.Tx, convID, turnID, runner string) error {
	_, err := tx.Exec(ctx, `UPDATE turn_runs SET runner = $3, started_at = now() WHERE conversation_id = $1 AND turn_id = $2`,
		convID, turnID, runner)
	if err != nil {
		return fmt.Errorf("take over turn %s: %w", turnID, err)
	}
	return nil
}

// record stores the outcome of executing act, which runner claimed: its
// status (executed or failed), result and error code. It reports false if
// the claim was taken over meanwhile (the runner was thought dead): the
// outcome is then the new claimer's to record and narrate.
func (s *Store) record(ctx context.Context, act Action, runner string) (bool, error) {
	var result any
	if act.Result != nil {
		result = act.Result
	}
	tag, err := s.pool.Exec(ctx, `UPDATE pending_actions SET status = $2, result = $3, error_code = nullif($4, '')
		WHERE id = $1 AND status = 'executing' AND claimed_by = $5`, act.ID, act.Status, result, act.ErrorCode, runner)
	if err != nil {
		return false, fmt.Errorf("record outcome of action %s: %w", act.ID, err)
	}
	return tag.RowsAffected() == 1, nil
}
