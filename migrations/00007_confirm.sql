-- Confirmations execute exactly what the buyer was shown, and never stall:
-- a pending action stores its plan (order, items, amount, currency, reason);
-- it is claimed ("executing") in a short transaction and its tool runs
-- outside it; the refund the tool writes must match the stored plan. Turns
-- and claims record which runner (a server process) owns them, and runners
-- beat a heartbeat, so another replica picks up what a dead one left.
-- Also: the refunds policy's reason list, per-buyer limit and the refund
-- lines' order, enforced by the database too, with the limits read from one
-- table (policy_limits) that tools' tests hold to the Go constants.

-- +goose Up

-- The plan the buyer confirms, as tools.Plan JSON; NULL only for actions
-- proposed before plans were stored, which are never executed as they are.
ALTER TABLE pending_actions ADD COLUMN plan jsonb;
-- Who claimed the action for execution and when: a claim whose runner is
-- gone is taken over and run again under the same idempotency key.
ALTER TABLE pending_actions ADD COLUMN claimed_by text;
ALTER TABLE pending_actions ADD COLUMN claimed_at timestamptz;
ALTER TABLE pending_actions DROP CONSTRAINT pending_actions_status_check;
ALTER TABLE pending_actions ADD CONSTRAINT pending_actions_status_check
    CHECK (status IN ('pending', 'executing', 'executed', 'failed', 'declined', 'expired'));
ALTER TABLE pending_actions ADD CONSTRAINT pending_actions_executing_claimed
    CHECK (status <> 'executing' OR (claimed_by IS NOT NULL AND claimed_at IS NOT NULL));
CREATE INDEX pending_actions_executing ON pending_actions (claimed_at) WHERE status = 'executing';

-- Server processes that run turns, with their last heartbeat.
CREATE TABLE agent_runners (
    id      text PRIMARY KEY CHECK (id ~ '^r_[0-9a-z]{10,40}$'),
    seen_at timestamptz NOT NULL DEFAULT now()
);

-- Turns running now: written with the buyer's message, deleted with the
-- reply, in the same transactions. A row whose runner stopped beating is an
-- orphaned turn that another runner answers. No foreign key: the message
-- written beside it already checked the conversation, and the sweeper drops
-- a row whose conversation is gone.
CREATE TABLE turn_runs (
    conversation_id text NOT NULL,
    turn_id         text NOT NULL,
    runner          text NOT NULL,
    started_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (conversation_id, turn_id)
);
CREATE INDEX turn_runs_started ON turn_runs (started_at);

-- Policy numbers the database enforces, one row each; tools' tests hold
-- them to the Go constants of tools/policy.go.
CREATE TABLE policy_limits (
    name  text PRIMARY KEY,
    value bigint NOT NULL
);
INSERT INTO policy_limits (name, value) VALUES
    ('max_refunds_per_order', 3),
    ('max_self_service_refunds', 5),
    ('self_service_period_days', 30),
    ('max_dispute_evidence', 10);

-- +goose StatementBegin
CREATE FUNCTION policy_limit(limit_name text) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT value FROM policy_limits WHERE name = limit_name
$$;
-- +goose StatementEnd

-- The refunds policy's reasons (tools.RefundReasons), and "cancelled" for
-- the refund a cancellation makes.
ALTER TABLE refunds ADD CONSTRAINT refunds_reason_check CHECK (reason IN
    ('not_received', 'not_as_described', 'damaged', 'wrong_item', 'counterfeit', 'changed_mind', 'other', 'cancelled'));

-- A refund's lines are lines of the refund's own order.
ALTER TABLE refunds ADD CONSTRAINT refunds_id_order_key UNIQUE (id, order_id);
ALTER TABLE refund_items ADD CONSTRAINT refund_items_refund_order_fkey
    FOREIGN KEY (refund_id, order_id) REFERENCES refunds (id, order_id) ON DELETE CASCADE;

-- The per-order limit, now read from policy_limits.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refunds_limit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    IF NEW.status = 'rejected' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.status <> 'rejected' THEN
        RETURN NULL;
    END IF;
    PERFORM 1 FROM orders WHERE id = NEW.order_id FOR NO KEY UPDATE;
    SELECT count(*) INTO n FROM refunds WHERE order_id = NEW.order_id AND status <> 'rejected';
    IF n > policy_limit('max_refunds_per_order') THEN
        RAISE EXCEPTION 'order % already has the most refunds one order can have', NEW.order_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_per_order_limit';
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION dispute_evidence_limit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    st text;
    n integer;
BEGIN
    SELECT status INTO st FROM disputes WHERE id = NEW.dispute_id FOR NO KEY UPDATE;
    IF st NOT IN ('open', 'under_review') THEN
        RAISE EXCEPTION 'dispute % is closed', NEW.dispute_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'dispute_evidence_while_open';
    END IF;
    SELECT count(*) INTO n FROM dispute_evidence WHERE dispute_id = NEW.dispute_id;
    IF n > policy_limit('max_dispute_evidence') THEN
        RAISE EXCEPTION 'dispute % already has the most evidence items allowed', NEW.dispute_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'dispute_evidence_limit';
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- Self-service refunds — those a buyer's confirmed action makes — count
-- against the buyer's limit in the rolling period, under the buyer's row
-- lock (which the tools take too), as tools.MaxSelfServiceRefunds says.
-- +goose StatementBegin
CREATE FUNCTION refunds_buyer_limit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    IF NEW.status = 'rejected' OR NEW.reason = 'cancelled' OR NEW.idempotency_key IS NULL
        OR NEW.idempotency_key NOT LIKE 'action:%' THEN
        RETURN NULL;
    END IF;
    PERFORM 1 FROM buyers WHERE id = NEW.buyer_id FOR NO KEY UPDATE;
    SELECT count(*) INTO n FROM refunds
        WHERE buyer_id = NEW.buyer_id AND status <> 'rejected' AND reason <> 'cancelled'
          AND created_at > NEW.created_at - make_interval(days => policy_limit('self_service_period_days')::int);
    IF n > policy_limit('max_self_service_refunds') THEN
        RAISE EXCEPTION 'buyer % has had the most self-service refunds the policy allows', NEW.buyer_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_per_buyer_limit';
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER refunds_buyer_limit
    AFTER INSERT ON refunds
    FOR EACH ROW EXECUTE FUNCTION refunds_buyer_limit();

-- A refund made under a confirmed action (idempotency key "action:<id>")
-- is exactly the action's stored plan: its order, amount, currency, reason
-- ("cancelled" for a cancellation's) and lines, and it is written only
-- while the action is claimed for execution. Checked at commit, when the
-- refund's lines are written too.
-- +goose StatementBegin
CREATE FUNCTION refunds_match_plan() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    act record;
    planned jsonb;
    written jsonb;
BEGIN
    IF NEW.idempotency_key IS NULL OR NEW.idempotency_key NOT LIKE 'action:%' THEN
        RETURN NULL;
    END IF;
    SELECT status, plan INTO act FROM pending_actions WHERE id = substr(NEW.idempotency_key, 8);
    IF NOT FOUND THEN
        -- A key of no stored action: the tools used without the agent.
        RETURN NULL;
    END IF;
    IF act.status <> 'executing' OR act.plan IS NULL
        OR act.plan->>'order_id' IS DISTINCT FROM NEW.order_id
        OR (act.plan->'amount'->>'minor')::bigint IS DISTINCT FROM NEW.amount_minor
        OR act.plan->'amount'->>'currency' IS DISTINCT FROM NEW.currency
        OR (CASE act.plan->>'action' WHEN 'refund' THEN act.plan->>'reason' WHEN 'cancel' THEN 'cancelled' END)
            IS DISTINCT FROM NEW.reason THEN
        RAISE EXCEPTION 'refund % is not the plan of action %', NEW.id, substr(NEW.idempotency_key, 8)
            USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_match_plan';
    END IF;
    SELECT coalesce(jsonb_agg(jsonb_build_array(line, quantity) ORDER BY line), '[]') INTO written
        FROM refund_items WHERE refund_id = NEW.id;
    SELECT coalesce(jsonb_agg(jsonb_build_array((i->>'line')::int, (i->>'quantity')::int) ORDER BY (i->>'line')::int), '[]')
        INTO planned FROM jsonb_array_elements(coalesce(act.plan->'items', '[]')) i;
    IF written <> planned THEN
        RAISE EXCEPTION 'refund % covers other lines than action %', NEW.id, substr(NEW.idempotency_key, 8)
            USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_match_plan';
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER refunds_match_plan
    AFTER INSERT ON refunds
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION refunds_match_plan();

-- +goose Down
DROP TRIGGER refunds_match_plan ON refunds;
DROP FUNCTION refunds_match_plan();
DROP TRIGGER refunds_buyer_limit ON refunds;
DROP FUNCTION refunds_buyer_limit();
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION dispute_evidence_limit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    st text;
    n integer;
BEGIN
    SELECT status INTO st FROM disputes WHERE id = NEW.dispute_id FOR NO KEY UPDATE;
    IF st NOT IN ('open', 'under_review') THEN
        RAISE EXCEPTION 'dispute % is closed', NEW.dispute_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'dispute_evidence_while_open';
    END IF;
    SELECT count(*) INTO n FROM dispute_evidence WHERE dispute_id = NEW.dispute_id;
    IF n > 10 THEN
        RAISE EXCEPTION 'dispute % already has the most evidence items allowed', NEW.dispute_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'dispute_evidence_limit';
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refunds_limit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    IF NEW.status = 'rejected' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.status <> 'rejected' THEN
        RETURN NULL;
    END IF;
    PERFORM 1 FROM orders WHERE id = NEW.order_id FOR NO KEY UPDATE;
    SELECT count(*) INTO n FROM refunds WHERE order_id = NEW.order_id AND status <> 'rejected';
    IF n > 3 THEN
        RAISE EXCEPTION 'order % already has the most refunds one order can have', NEW.order_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_per_order_limit';
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
ALTER TABLE refund_items DROP CONSTRAINT refund_items_refund_order_fkey;
ALTER TABLE refunds DROP CONSTRAINT refunds_id_order_key;
ALTER TABLE refunds DROP CONSTRAINT refunds_reason_check;
DROP FUNCTION policy_limit(text);
DROP TABLE policy_limits;
DROP TABLE turn_runs;
DROP TABLE agent_runners;
DROP INDEX pending_actions_executing;
UPDATE pending_actions SET status = 'failed', error_code = 'interrupted' WHERE status = 'executing';
ALTER TABLE pending_actions DROP CONSTRAINT pending_actions_executing_claimed;
ALTER TABLE pending_actions DROP CONSTRAINT pending_actions_status_check;
ALTER TABLE pending_actions ADD CONSTRAINT pending_actions_status_check
    CHECK (status IN ('pending', 'executed', 'failed', 'declined', 'expired'));
ALTER TABLE pending_actions DROP COLUMN claimed_at;
ALTER TABLE pending_actions DROP COLUMN claimed_by;
ALTER TABLE pending_actions DROP COLUMN plan;
