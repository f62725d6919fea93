package agent

// The scope of a turn's messages (migrations/00006_scope.sql) computed in
// the statements that store them, as plain SQL: the PL/pgSQL functions
// message_shop and turn_shop (with turn_orders and scope_of under them)
// ran three nested PL/pgSQL calls, each with its own executor start, on
// every stored message, and were the largest part of the Postgres
// backend's CPU a turn (docs/performance.md). The functions stay for the
// rarer writers (Append, a decision's message, the handoff tool) and stay
// the definition: these fragments must decide as they do. The
// conversation's buyer, status and routed shop come from the numbering
// UPDATE's RETURNING (n), which changes none of them.

// orderIDRegexp finds the order ids a text names, as the functions do.
const orderIDRegexp = `'\m(ORD-[0-9]{5})\M', 'gi'`

// messageScopeSQL is message_shop($1, $4) for the buyer message whose
// numbering CTE n returns buyer_id, status and shop_id: the one shop of
// the buyer's orders the text names; none for several; for a text that
// names none, the shop the conversation waits for or is taken by.
//
// The named ids are looked up as one array (= ANY), which the plan reads
// through the orders' primary key whatever the table's size; a join to
// the regexp's rows is planned, once for all executions, as a hash of
// every order of the buyer.
const messageScopeSQL = `(SELECT CASE WHEN count(DISTINCT o.shop_id) = 1 THEN min(o.shop_id)
		WHEN count(*) = 0 AND n.status IN ('handoff', 'agent') THEN n.shop_id END
	FROM orders o
	WHERE o.id = ANY (ARRAY(SELECT upper(mm[1]) FROM regexp_matches($4, ` + orderIDRegexp + `) AS mm))
		AND o.buyer_id = n.buyer_id)`

// replySQL stores a turn's reply (conversation $1, turn $2) in one
// statement: it computes the turn's scope as turn_shop($1, $2) would
// (turnShopsSQL: every order the turn touched), numbers the reply and
// routes the conversation to that shop while no person has it (one
// UPDATE of the conversation's row), inserts the reply stamped with the
// scope, and stamps the turn's buyer message with it too (the buyer may
// have named no order, which the tools then found). A turn about several
// shops' orders leaves the buyer's message with what its own words named.
const replySQL = replyCTEs + ` SELECT seq, created_at, shop FROM r`

// replyTokensSQL is replySQL that also adds $10 tokens to shard $9 of day
// $8's count (token_usage): one statement fewer in the reply's batch.
const replyTokensSQL = replyCTEs + `,
tok AS (INSERT INTO token_usage (day, shard, tokens) VALUES ($8, $9, $10)
	ON CONFLICT (day, shard) DO UPDATE SET tokens = token_usage.tokens + EXCLUDED.tokens)
SELECT seq, created_at, shop FROM r`

// replyCTEs are the common table expressions of replySQL.
const replyCTEs = `WITH s AS (` + turnShopsSQL + `),
n AS (UPDATE conversations c SET last_seq = c.last_seq + 1,
		shop_id = CASE WHEN c.status = 'open' AND s.shops = 1 THEN s.shop ELSE c.shop_id END
	FROM s WHERE c.id = $1
	RETURNING c.last_seq, CASE WHEN s.shops = 1 THEN s.shop
		WHEN s.shops = 0 AND c.status IN ('handoff', 'agent') THEN c.shop_id END AS scope),
r AS (INSERT INTO messages (conversation_id, seq, turn_id, role, author_id, text, citations, guardrail, usage, shop_id)
	SELECT $1::text, n.last_seq, $2::text, 'assistant', $3::text, $4::text, $5::jsonb, $6::text, $7::jsonb, n.scope FROM n
	RETURNING seq, created_at, coalesce(shop_id, '') AS shop),
stamp AS (UPDATE messages u SET shop_id = n.scope FROM n
	WHERE n.scope IS NOT NULL AND u.conversation_id = $1 AND u.turn_id = $2 AND u.role = 'user'
		AND u.shop_id IS DISTINCT FROM n.scope)`

// turnShopsSQL is turn_orders($1, $2) counted: how many shops the orders
// of the conversation's buyer the turn touched belong to (named in its
// buyer message, in its tool calls' arguments and results, in the actions
// it proposed or decided), and the shop when there is one. One row; the
// ids are looked up as in messageScopeSQL.
const turnShopsSQL = `SELECT count(DISTINCT o.shop_id) AS shops, min(o.shop_id) AS shop
	FROM orders o
	WHERE o.buyer_id = (SELECT cv.buyer_id FROM conversations cv WHERE cv.id = $1)
	AND o.id = ANY (ARRAY(SELECT upper(mm[1]) FROM (
		SELECT m.text AS body FROM messages m WHERE m.conversation_id = $1 AND m.turn_id = $2 AND m.role = 'user'
		UNION ALL
		SELECT tc.arguments::text || ' ' || coalesce(tc.result::text, '') FROM tool_calls tc
			WHERE tc.conversation_id = $1 AND tc.turn_id = $2
		UNION ALL
		SELECT pa.arguments::text || ' ' || pa.details::text FROM pending_actions pa
			WHERE pa.conversation_id = $1 AND (pa.turn_id = $2 OR pa.decision_turn_id = $2)
	) src CROSS JOIN LATERAL regexp_matches(src.body, ` + orderIDRegexp + `) AS mm))`
