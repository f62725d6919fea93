package agent

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/csagent/csagent/tools"
)

// Recovery of what a dead runner left: every Agent is a runner with an id
// that it stamps on the turns it runs (turn_runs) and the actions it claims
// (pending_actions.claimed_by), and that beats a heartbeat (agent_runners)
// while its server lives. A server sweeps every few seconds: turns and
// claims whose runner has stopped beating, or that are older than any turn
// may run, are claimed with SKIP LOCKED and answered by the sweeping
// runner, so whichever replica is alive picks them up, and only one.

// HeartbeatEvery is how often a server's runner should beat (Heartbeat)
// and sweep (Sweep).
const HeartbeatEvery = time.Second

// runnerStale is how long a runner may miss its heartbeat before its turns
// and claims are taken over: several beats, so a busy moment is not death.
const runnerStale = 8 * time.Second

// lease is this Agent's terms for claiming work.
func (a *Agent) lease() lease {
	return lease{runner: a.runner, stale: runnerStale, maxTurn: a.maxTurn()}
}

// maxTurn is how long a turn can run and store its reply at most; a turn
// or claim older than that will never be finished by its runner.
func (a *Agent) maxTurn() time.Duration { return a.cfg.TurnTimeout + replyStoreWindow + 5*time.Second }

// Heartbeat records that this Agent's runner is alive. A server calls it
// every HeartbeatEvery for as long as it may still be running turns.
func (a *Agent) Heartbeat(ctx context.Context) error {
	_, err := a.store.pool.Exec(ctx, `INSERT INTO agent_runners (id, seen_at) VALUES ($1, now())
		ON CONFLICT (id) DO UPDATE SET seen_at = now()`, a.runner)
	if err != nil {
		return fmt.Errorf("heartbeat of runner %s: %w", a.runner, err)
	}
	return nil
}

// sweepBatch bounds the turns and actions one Sweep takes over.
const sweepBatch = 8

// Sweep takes over the turns and executing actions whose runner is gone
// and answers them: an orphaned turn gets its reply, an abandoned action is
// run again under its idempotency key, recorded, and narrated if its
// decision has no reply yet. It returns how many it took over. Emitted
// events go nowhere: replies reach open chats as stored messages do.
func (a *Agent) Sweep(ctx context.Context) (int, error) {
	l := a.lease()
	acts, err := a.store.abandonedActions(ctx, l, sweepBatch)
	if err != nil {
		return 0, err
	}
	for _, act := range acts {
		a.recoverAction(ctx, act)
	}
	turns, err := a.store.orphanedTurns(ctx, l, sweepBatch)
	if err != nil {
		return len(acts), err
	}
	for _, o := range turns {
		a.recoverTurn(ctx, o)
	}
	if _, err := a.store.pool.Exec(ctx, `DELETE FROM agent_runners WHERE seen_at < now() - interval '1 day'`); err != nil {
		return len(acts) + len(turns), fmt.Errorf("forget old runners: %w", err)
	}
	return len(acts) + len(turns), nil
}

func ignoreEvents(Event) error { return nil }

// recoverAction runs act, taken over from a dead runner, records it and,
// if its decision turn has no reply, narrates it there.
func (a *Agent) recoverAction(ctx context.Context, act Action) {
	caller := tools.Caller{Role: tools.RoleBuyer, ID: act.BuyerID}
	ctx = tools.NewContext(ctx, caller)
	tctx, cancel := context.WithTimeout(ctx, a.cfg.TurnTimeout)
	defer cancel()
	conv, err := a.store.Conversation(tctx, act.BuyerID, act.ConversationID)
	if err != nil {
		a.logger.ErrorContext(ctx, "recover action", "action_id", act.ID, "err", err)
		return
	}
	a.logger.InfoContext(ctx, "run an action whose runner died", "action_id", act.ID)
	d := decision{claimed: true, takenOver: true}
	d.act, d.out = a.run(tctx, act.ConversationID, act, ignoreEvents)
	if d.recorded, err = a.store.record(tctx, d.act, a.runner); err != nil || !d.recorded {
		a.logger.WarnContext(ctx, "record recovered action", "action_id", act.ID, "recorded", d.recorded, "err", err)
		return
	}
	if _, has, err := a.store.Reply(tctx, act.ConversationID, act.DecisionTurnID); err != nil || has {
		return
	}
	t := Turn{ConversationID: act.ConversationID, Locale: conv.Locale}
	text, usage := a.narrate(tctx, caller, t, act.DecisionTurnID, d, ignoreEvents)
	if _, err := a.finish(tctx, t, act.DecisionTurnID, text, usage, time.Now()); err != nil {
		a.logger.ErrorContext(ctx, "store reply of recovered action", "action_id", act.ID, "err", err)
	}
}

// orphan is a turn whose runner is gone, now claimed by this one.
type orphan struct {
	convID, turnID string
}

// recoverTurn answers orphan o's buyer message as its own turn would have.
// A conversation a person has taken over (or closed) meanwhile gets no
// reply from the assistant. A turn that decided an action (a confirm, or a
// typed yes) is never run again: while the action is still executing, its
// recovery answers (recoverAction) and the turn just ends; once its
// outcome is recorded, the reply narrates that outcome, and the tool is
// not called again.
func (a *Agent) recoverTurn(ctx context.Context, o orphan) {
	var buyer, locale, status, text string
	err := a.store.pool.QueryRow(ctx, `SELECT c.buyer_id, c.locale, c.status, m.text
		FROM conversations c JOIN messages m ON m.conversation_id = c.id AND m.turn_id = $2 AND m.role = 'user'
		WHERE c.id = $1 ORDER BY m.seq LIMIT 1`, o.convID, o.turnID).Scan(&buyer, &locale, &status, &text)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		a.logger.ErrorContext(ctx, "recover turn", "turn_id", o.turnID, "err", err)
		return
	}
	var act Action
	decided := false
	if err == nil {
		if act, decided, err = a.store.decidedIn(ctx, o.convID, o.turnID); err != nil {
			a.logger.ErrorContext(ctx, "recover turn", "turn_id", o.turnID, "err", err)
			return
		}
	}
	if err != nil || (decided && act.Status == ActionExecuting) || status == "agent" || status == "closed" {
		if _, err := a.store.pool.Exec(ctx, `DELETE FROM turn_runs WHERE conversation_id = $1 AND turn_id = $2 AND runner = $3`,
			o.convID, o.turnID, a.runner); err != nil {
			a.logger.ErrorContext(ctx, "end recovered turn", "turn_id", o.turnID, "err", err)
		}
		return
	}
	a.logger.InfoContext(ctx, "answer a turn whose runner died", "conversation", o.convID, "turn", o.turnID)
	caller := tools.Caller{Role: tools.RoleBuyer, ID: buyer, Locale: locale}
	ctx = tools.NewContext(ctx, caller)
	t := Turn{ConversationID: o.convID, Text: text, Locale: locale}
	if decided {
		if _, err := a.narrateRecorded(ctx, caller, t, o.turnID, act); err != nil {
			a.logger.ErrorContext(ctx, "answer orphaned decision", "turn_id", o.turnID, "err", err)
		}
		return
	}
	if _, err := a.respond(ctx, caller, t, o.turnID, nil, time.Now(), ignoreEvents); err != nil {
		a.logger.ErrorContext(ctx, "answer orphaned turn", "turn_id", o.turnID, "err", err)
	}
}

// narrateRecorded answers turn turnID, which decided act, from act's
// recorded outcome, and stores the reply: its runner died after the
// outcome was recorded and before the reply was stored.
func (a *Agent) narrateRecorded(ctx context.Context, caller tools.Caller, t Turn, turnID string, act Action) (StoredMessage, error) {
	start := time.Now()
	tctx, cancel := context.WithTimeout(ctx, a.cfg.TurnTimeout)
	defer cancel()
	tctx = tools.DeferAudit(tctx, &tools.AuditLater{})
	d := decision{act: act, claimed: true, recorded: true, out: tools.Outcome{Data: act.Result}}
	if act.Status == ActionFailed {
		d.out.Err = tools.Errorf(tools.Code(act.ErrorCode), "the request could not be carried out")
	}
	text, usage := a.narrate(tctx, caller, t, turnID, d, ignoreEvents)
	return a.finish(tctx, t, turnID, text, usage, start)
}

// decidedIn returns the action decided in turn turnID of convID, if any.
func (s *Store) decidedIn(ctx context.Context, convID, turnID string) (Action, bool, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+actionColumns+` FROM pending_actions
		WHERE conversation_id = $1 AND decision_turn_id = $2 ORDER BY decided_at LIMIT 1`, convID, turnID)
	if err != nil {
		return Action{}, false, fmt.Errorf("load the action decided in turn %s: %w", turnID, err)
	}
	act, err := pgx.CollectExactlyOneRow(rows, scanAction)
	if errors.Is(err, pgx.ErrNoRows) {
		return Action{}, false, nil
	}
	if err != nil {
		return Action{}, false, fmt.Errorf("load the action decided in turn %s: %w", turnID, err)
	}
	return act, true, nil
}

// orphanedTurns claims up to n running turns whose runner is gone (no
// heartbeat for l.stale) or that are older than any turn may run, for l's
// runner. SKIP LOCKED and the runner's change in the same statement make
// each turn one sweeper's.
func (s *Store) orphanedTurns(ctx context.Context, l lease, n int) ([]orphan, error) {
	rows, err := s.pool.Query(ctx, `UPDATE turn_runs t SET runner = $1, started_at = now()
		FROM (SELECT conversation_id, turn_id FROM turn_runs r
			WHERE r.started_at < now() - make_interval(secs => $3)
				OR (r.started_at < now() - make_interval(secs => $2) AND r.runner <> $1 AND NOT EXISTS (
					SELECT 1 FROM agent_runners a WHERE a.id = r.runner AND a.seen_at > now() - make_interval(secs => $2)))
			ORDER BY r.started_at LIMIT $4 FOR UPDATE SKIP LOCKED) o
		WHERE t.conversation_id = o.conversation_id AND t.turn_id = o.turn_id
		RETURNING t.conversation_id, t.turn_id`, l.runner, l.stale.Seconds(), l.maxTurn.Seconds(), n)
	if err != nil {
		return nil, fmt.Errorf("claim orphaned turns: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (orphan, error) {
		var o orphan
		return o, r.Scan(&o.convID, &o.turnID)
	})
	if err != nil {
		return nil, fmt.Errorf("claim orphaned turns: %w", err)
	}
	return out, nil
}

// abandonedActions claims up to n executing actions whose runner is gone,
// for l's runner.
func (s *Store) abandonedActions(ctx context.Context, l lease, n int) ([]Action, error) {
	// The decision's turn is taken over with its action (takeOverTurn):
	// the reply that narrates it is this runner's to store.
	rows, err := s.pool.Query(ctx, `WITH claimed AS (UPDATE pending_actions p SET claimed_by = $1, claimed_at = now()
		FROM (SELECT id AS claim_id FROM pending_actions WHERE `+abandonedClaim("$3", "$4")+`
			ORDER BY claimed_at LIMIT $2 FOR UPDATE SKIP LOCKED) o
		WHERE p.id = o.claim_id
		RETURNING p.*), turns AS (UPDATE turn_runs t SET runner = $1, started_at = now()
		FROM claimed c WHERE t.conversation_id = c.conversation_id AND t.turn_id = c.decision_turn_id)
		SELECT `+actionColumns+` FROM claimed`, l.runner, n, l.stale.Seconds(), l.maxTurn.Seconds())
	if err != nil {
		return nil, fmt.Errorf("claim abandoned actions: %w", err)
	}
	out, err := pgx.CollectRows(rows, scanAction)
	if err != nil {
		return nil, fmt.Errorf("claim abandoned actions: %w", err)
	}
	return out, nil
}
