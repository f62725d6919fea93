package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/csagent/csagent/tools"
)

// A plain turn costs the database two transactions, each one round trip
// on one pooled connection (docs/performance.md): the buyer's message with
// everything the turn reads (turnState), the orders the message names
// included, which the turn's get_order or track_shipment then takes
// (tools/snapshot.go); and the reply with everything the turn made (its
// tool calls' audit rows, the scope stamps, the end of its turn_runs
// registration, the day's tokens). A tool that needs something else reads
// it in a round trip of its own.
// Each is a pgx batch: its statements go out together and run in one
// implicit transaction, committed at the batch's end, all or nothing.

// turnState is what a turn reads before it asks the model.
type turnState struct {
	recent  []StoredMessage
	calls   map[string][]pastCall
	pending []Action
	// proposed are the actions the window's replies proposed, whatever
	// became of them (decided.go), oldest first.
	proposed []Action
	// convTokens and dailyTokens are read only when a budget needs them.
	convTokens, dailyTokens int
	// shopTokens is the day's tokens of the conversation's shop (budget.go).
	shopTokens int
	// lastRoute is the route of the conversation's last reply, and
	// localTurns the window's turns the routed local model answered
	// (route.go).
	lastRoute  lastRoute
	localTurns []string
	// experiment and variant are the conversation's experiment arm, ""
	// when it is in none; exp is what the arm changes, set by the loop.
	experiment, variant string
	exp                 *exposure
	// policyGen is the policy generation the answers in the process's
	// memo are served under (policymemo.go); zero when not read.
	policyGen policyGeneration
	// orders are the orders the buyer's message names, read for the
	// turn's lookups (tools/snapshot.go); nil when none were read.
	orders *tools.OrderSnapshot
	// known are the window's tool calls by audit row id, for the
	// conversation's next turn (callcache.go).
	known knownCalls
}

// stateQuery says what a turnState holds.
type stateQuery struct {
	window             int
	convTokens, tokens bool
	shopTokens         bool
	lastRoute          bool
	// exposure reads the conversation's experiment arm, for a turn whose
	// message did not (a decision); arms are the buyer's arms to expose a
	// first message to (appendUser).
	exposure bool
	arms     armArrays
	// policyGen reads the policy generation, for the policy answer cache.
	policyGen bool
	// orders reads the orders the buyer's message names, which the turn's
	// get_order or track_shipment then need not query: the tool's round
	// trip joins the message's.
	orders *tools.OrderPrefetch
	// known are the window's tool calls the process holds, which the read
	// does not fetch again (callcache.go); set by the Store.
	known knownCalls
}

// armArrays are the buyer's arms as exposeSQL reads them.
type armArrays struct{ exps, variants, shops []string }

func (a *Agent) stateQuery() stateQuery {
	budgets := a.local != nil
	return stateQuery{
		window:     a.cfg.HistoryMessages,
		convTokens: budgets && a.cfg.ConversationTokens > 0,
		tokens:     budgets && a.cfg.DailyTokens > 0,
		shopTokens: budgets && a.cfg.ShopDailyTokens > 0,
		lastRoute:  budgets && a.reader != nil,
		policyGen:  a.cfg.PolicyCache && a.reader != nil,
	}
}

// queue adds q's reads of convID to b.
func (q stateQuery) queue(b *pgx.Batch, convID string) {
	cols := messageColumns
	if q.lastRoute {
		cols += routeColumns
	}
	b.Queue(`SELECT * FROM (SELECT `+cols+` FROM messages
		WHERE conversation_id = $1 ORDER BY seq DESC LIMIT $2) m ORDER BY seq`, convID, q.window)
	// The tool calls of the window's replies, which the model sees again;
	// those the process holds from the conversation's last turn come
	// without their contents (callcache.go).
	b.Queue(windowCallsSQL, convID, q.window, q.known.ids())
	b.Queue(turnActionsSQL, convID, q.window)
	if q.convTokens {
		b.Queue(`SELECT coalesce(sum(coalesce((usage->>'prompt_tokens')::int, 0) + coalesce((usage->>'completion_tokens')::int, 0)), 0)
			FROM messages WHERE conversation_id = $1 AND role = 'assistant'`, convID)
	}
	if q.tokens {
		b.Queue(`SELECT coalesce(sum(tokens), 0) FROM token_usage WHERE day = $1`, time.Now().UTC().Format(time.DateOnly))
	}
	if q.shopTokens {
		queueShopTokens(b, convID)
	}
	if q.exposure {
		b.Queue(`SELECT coalesce(experiment, ''), coalesce(variant, '') FROM conversations WHERE id = $1`, convID)
	}
	if q.policyGen {
		b.Queue(`SELECT ` + generationSQL)
	}
	if q.orders != nil {
		q.orders.Queue(b)
	}
}

// read reads the results of queue from br.
func (q stateQuery) read(br pgx.BatchResults) (*turnState, error) {
	st := &turnState{}
	rows, err := br.Query()
	if err != nil {
		return nil, fmt.Errorf("load recent messages: %w", err)
	}
	if q.lastRoute {
		if err := st.readWindowRoutes(rows, q.window); err != nil {
			return nil, fmt.Errorf("load recent messages: %w", err)
		}
	} else if st.recent, err = pgx.CollectRows(rows, scanMessage); err != nil {
		return nil, fmt.Errorf("load recent messages: %w", err)
	}
	rows, err = br.Query()
	if err != nil {
		return nil, fmt.Errorf("load past tool calls: %w", err)
	}
	if st.calls, st.known, err = collectWindowCalls(rows, q.known, st.recent); err != nil {
		return nil, err
	}
	rows, err = br.Query()
	if err != nil {
		return nil, fmt.Errorf("load the conversation's actions: %w", err)
	}
	if err := st.readActions(rows); err != nil {
		return nil, err
	}
	if q.convTokens {
		if err := br.QueryRow().Scan(&st.convTokens); err != nil {
			return nil, fmt.Errorf("sum tokens of the conversation: %w", err)
		}
	}
	if q.tokens {
		if err := br.QueryRow().Scan(&st.dailyTokens); err != nil {
			return nil, fmt.Errorf("load daily tokens: %w", err)
		}
	}
	if q.shopTokens {
		if err := br.QueryRow().Scan(&st.shopTokens); err != nil {
			return nil, fmt.Errorf("load the shop's daily tokens: %w", err)
		}
	}
	if q.exposure {
		if err := br.QueryRow().Scan(&st.experiment, &st.variant); err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return nil, fmt.Errorf("load the conversation's experiment: %w", err)
		}
	}
	if q.policyGen {
		if err := br.QueryRow().Scan(&st.policyGen.gen, &st.policyGen.day); err != nil {
			return nil, fmt.Errorf("load the policy generation: %w", err)
		}
	}
	if q.orders != nil {
		if st.orders, err = q.orders.Read(br); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// loadState reads q of convID in one round trip, for a turn whose state
// did not come with its message (a decision, a turn answered again).
func (s *Store) loadState(ctx context.Context, convID string, q stateQuery) (*turnState, error) {
	var st *turnState
	err := s.retried(ctx, func() (err error) {
		var b pgx.Batch
		q.exposure = true
		q.known = s.calls.get(convID)
		q.queue(&b, convID)
		br := s.pool.SendBatch(ctx, &b)
		defer func() {
			if cerr := br.Close(); err == nil {
				err = cerr
			}
		}()
		if st, err = q.read(br); err == nil {
			s.calls.put(convID, st.known)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load the state of %s: %w", convID, err)
	}
	return st, nil
}

// appendUser is Append for a buyer's message m that starts a turn, which
// also reads the turn's state q in the same round trip and transaction:
// the state includes m. For a repeated client id it returns the earlier
// message with dup set and no state.
//
// sent, when not nil, is called once the batch is on its way to the
// database and before its results are read (once, whatever the retries):
// the turn's own work on the message overlaps the database's.
func (s *Store) appendUser(ctx context.Context, convID string, m StoredMessage, q stateQuery, sent func()) (StoredMessage, bool, *turnState, error) {
	var out StoredMessage
	var st *turnState
	err := tools.RetryConnection(ctx, connectionAttempts, s.reset, func() (bool, error) {
		var committing bool
		var err error
		out, st, committing, err = s.appendUserOnce(ctx, convID, m, q, sent)
		sent = nil
		return tools.ConnectionLost(err) && !(committing && m.ClientID == ""), err
	})
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.ConstraintName == "messages_client_id_unique" {
		prev, err := s.byClientID(ctx, convID, m.ClientID)
		return prev, true, nil, err
	}
	if err != nil {
		return StoredMessage{}, false, nil, fmt.Errorf("append message to %s: %w", convID, err)
	}
	return out, false, st, nil
}

// nextSeq is the seq the message inserted after numberSQL takes, in the
// same transaction: the conversation's row lock numbers its messages
// without gaps. A turn's own messages are numbered in the statement that
// inserts them (numberSQL as its CTE, whose new last_seq the insert
// takes: a statement does not see its own CTE's update through
// nextSeq), one statement fewer in each of the turn's batches; later
// statements of the batch see the new number.
//
// Numbering sets no indexed column (not updated_at: a message's time is
// its own created_at, migrations/00019_hot_numbering.sql), so the update
// is HOT and writes none of the table's indexes.
const (
	numberSQL = `UPDATE conversations SET last_seq = last_seq + 1 WHERE id = $1`
	nextSeq   = `(SELECT last_seq FROM conversations WHERE id = $1)`
)

func (s *Store) appendUserOnce(ctx context.Context, convID string, m StoredMessage, q stateQuery, sent func()) (_ StoredMessage, _ *turnState, committing bool, err error) {
	var clientID *string
	if m.ClientID != "" {
		clientID = &m.ClientID
	}
	var b pgx.Batch
	// The numbering also reads the conversation's experiment arm: a
	// turn's exposure costs no statement of its own.
	// The turn's registration as running (turn_runs) is a CTE of the same
	// statement: one statement fewer in the batch.
	args := []any{convID, m.TurnID, m.AuthorID, m.Text, clientID}
	var register string
	if m.Runner != "" {
		register = `, run AS (INSERT INTO turn_runs (conversation_id, turn_id, runner) SELECT $1::text, $2::text, $6::text FROM n)`
		args = append(args, m.Runner)
	}
	b.Queue(`WITH n AS (`+numberSQL+` RETURNING last_seq, buyer_id, status, shop_id,
			coalesce(experiment, '') AS experiment, coalesce(variant, '') AS variant)`+register+`
		INSERT INTO messages (conversation_id, seq, turn_id, role, author_id, text, client_id, citations, shop_id)
		SELECT $1::text, n.last_seq, $2::text, 'user', $3::text, $4::text, $5::text, '[]', `+messageScopeSQL+` FROM n
		RETURNING seq, created_at, coalesce(shop_id, ''), (SELECT experiment FROM n), (SELECT variant FROM n)`,
		args...)
	if len(q.arms.exps) > 0 {
		b.Queue(exposeSQL, convID, q.arms.exps, q.arms.variants, q.arms.shops)
	}
	q.known = s.calls.get(convID)
	q.queue(&b, convID)
	br := s.pool.SendBatch(ctx, &b)
	defer func() {
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		committing = err != nil && !pgconn.SafeToRetry(err)
	}()
	if sent != nil {
		sent()
	}
	var experiment, variant string
	m.Role, m.Citations = "user", json.RawMessage("[]")
	if err := br.QueryRow().Scan(&m.Seq, &m.CreatedAt, &m.ShopID, &experiment, &variant); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			err = fmt.Errorf("number message: %w", err)
		}
		return StoredMessage{}, nil, false, err
	}
	if len(q.arms.exps) > 0 {
		err := br.QueryRow().Scan(&experiment, &variant)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return StoredMessage{}, nil, false, fmt.Errorf("record the conversation's exposure: %w", err)
		}
	}
	st, err := q.read(br)
	if err != nil {
		return StoredMessage{}, nil, false, err
	}
	// Held before the batch commits: the rows were read, and a row read
	// is as it will stay, whatever becomes of the batch.
	s.calls.put(convID, st.known)
	st.experiment, st.variant = experiment, variant
	return m, st, false, nil
}

// tokenShards is how many rows a day's token count is spread over
// (migrations/00009_turn_shape.sql).
const tokenShards = 16

// appendReply stores m, the reply of its turn, in one round trip and
// transaction with what the turn made: audit, its tool calls' audit rows
// (written first: the reply's scope is read from them), and tokens added
// to the day's count. The turn's registration as running ends with it; a
// turn another runner took over is ErrTurnTaken and stores nothing.
//
// A connection the database dropped is retried as Append does, until ctx's
// deadline; when the outcome of a try is unknown, the reply is looked up
// first, so it is never stored twice.
//
// counted, when not nil, is the key of the policy answer the turn served
// from the process's memo: its hit is counted in the same transaction.
func (s *Store) appendReply(ctx context.Context, convID string, m StoredMessage, audit []tools.AuditRow, tokens int, counted []byte) (StoredMessage, error) {
	var out StoredMessage
	committing := false
	err := tools.RetryConnection(ctx, s.tries(ctx), s.reset, func() (bool, error) {
		// A try whose COMMIT failed may have stored the reply after all.
		if committing {
			if prev, ok, rerr := s.Reply(ctx, convID, m.TurnID); rerr == nil && ok {
				out = prev
				return false, nil
			}
		}
		var err error
		out, committing, err = s.appendReplyOnce(ctx, convID, m, audit, tokens, counted)
		return tools.ConnectionLost(err), err
	})
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "CS001" {
		return StoredMessage{}, fmt.Errorf("append reply to %s: %w", convID, ErrTurnTaken)
	}
	if err != nil {
		return StoredMessage{}, fmt.Errorf("append reply to %s: %w", convID, err)
	}
	return out, nil
}

// A turn registered as running (turn_runs) ends its registration in its
// reply's statement, not in a statement of its own before it: one
// statement fewer in the reply's batch. end_turn_run is the statement's
// first CTE, joined by the numbering, so it runs before the reply is
// numbered or written; a turn another runner took over aborts the
// statement, and with it the batch's transaction (CS001), and nothing the
// turn made is stored, as before. (A conversation deleted meanwhile fails
// the numbering instead, which may not reach end_turn_run: nothing is
// stored either.) The runner is the statement's last parameter.
var (
	replyRunSQL       = endTurnRunIn(replySQL, 8)
	replyRunTokensSQL = endTurnRunIn(replyTokensSQL, 11)
)

// endTurnRunIn is reply statement q that ends the turn's registration under
// the runner of parameter $n.
func endTurnRunIn(q string, n int) string {
	const numbering = "FROM s WHERE c.id = $1"
	if !strings.HasPrefix(q, "WITH ") || strings.Count(q, numbering) != 1 {
		panic("the reply statement no longer numbers the reply as endTurnRunIn expects")
	}
	q = strings.Replace(strings.TrimPrefix(q, "WITH "), numbering, "FROM s, e WHERE c.id = $1", 1)
	return "WITH e AS (SELECT end_turn_run($1::text, $2::text, $" + strconv.Itoa(n) + "::text)),\n" + q
}

func (s *Store) appendReplyOnce(ctx context.Context, convID string, m StoredMessage, audit []tools.AuditRow, tokens int, counted []byte) (_ StoredMessage, committing bool, err error) {
	if m.Citations == nil {
		m.Citations = json.RawMessage("[]")
	}
	var guardrail *string
	if m.Guardrail != "" {
		guardrail = &m.Guardrail
	}
	var usage any
	if m.Usage != nil {
		usage = m.Usage
	}
	var b pgx.Batch
	for _, r := range audit {
		b.Queue(tools.AuditInsertSQL, r.Args()...)
	}
	// The reply, its scope, the conversation's routing, the buyer
	// message's stamp, the day's tokens and the end of the turn's
	// registration in one statement (scope.go).
	q, run := replySQL, replyRunSQL
	args := []any{convID, m.TurnID, m.AuthorID, m.Text, m.Citations, guardrail, usage}
	if tokens > 0 {
		h := fnv.New32a()
		h.Write([]byte(m.TurnID))
		q, run = replyTokensSQL, replyRunTokensSQL
		args = append(args, time.Now().UTC().Format(time.DateOnly), int16(h.Sum32()%tokenShards), tokens)
	}
	if m.Runner != "" {
		q, args = run, append(args, m.Runner)
	}
	b.Queue(q, args...)
	if counted != nil {
		b.Queue(countHitSQL, counted)
	}
	br := s.pool.SendBatch(ctx, &b)
	defer func() {
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		committing = err != nil && !pgconn.SafeToRetry(err)
	}()
	for range audit {
		if _, err := br.Exec(); err != nil {
			return StoredMessage{}, false, fmt.Errorf("record tool call: %w", err)
		}
	}
	m.Role = "assistant"
	if err := br.QueryRow().Scan(&m.Seq, &m.CreatedAt, &m.ShopID); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			err = fmt.Errorf("number message: %w", err)
		}
		return StoredMessage{}, false, err
	}
	if counted != nil {
		if _, err := br.Exec(); err != nil {
			return StoredMessage{}, false, fmt.Errorf("count a policy answer's hit: %w", err)
		}
	}
	return m, false, nil
}
