-- What the tools need beyond the commerce core: which lines a refund covered,
-- the key that makes a cancellation idempotent, the handoff queue, and the
-- policy limits the database enforces itself so that no code path — a bug,
-- a script, a race — can go past them.

-- +goose Up

-- The lines (and quantities) an item refund covered. A refund by amount has
-- none; a full refund lists every line it settled.
CREATE TABLE refund_items (
    refund_id text NOT NULL REFERENCES refunds (id) ON DELETE CASCADE,
    order_id  text NOT NULL,
    line      integer NOT NULL,
    quantity  integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (refund_id, line),
    FOREIGN KEY (order_id, line) REFERENCES order_items (order_id, line)
);

-- The confirmed action that cancelled the order, so a repeated confirmation
-- gets the same answer instead of a conflict.
ALTER TABLE orders ADD COLUMN cancel_idempotency_key text UNIQUE;

CREATE INDEX disputes_order_id ON disputes (order_id, created_at DESC);

-- Refunds policy: an order can receive at most 3 refunds (tools.MaxRefundsPerOrder).
-- The order's row lock serialises concurrent refunds of one order, so the
-- count below sees every refund committed before this one.
-- +goose StatementBegin
CREATE FUNCTION refunds_limit() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER refunds_limit
    AFTER INSERT OR UPDATE OF status ON refunds
    FOR EACH ROW EXECUTE FUNCTION refunds_limit();

-- Disputes policy: evidence only while the dispute is open or under review,
-- and at most 10 items per dispute (tools.MaxDisputeEvidence), counted under
-- the dispute's row lock.
-- +goose StatementBegin
CREATE FUNCTION dispute_evidence_limit() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER dispute_evidence_limit
    AFTER INSERT ON dispute_evidence
    FOR EACH ROW EXECUTE FUNCTION dispute_evidence_limit();

-- The handoff queue: conversations waiting for a person (a seller or a
-- support agent), with the agent's reason and summary. A conversation has at
-- most one open handoff; taking it records who took it.
CREATE TABLE handoffs (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conversation_id text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    reason          text NOT NULL CHECK (reason IN ('customer_request', 'cannot_resolve', 'limit_reached',
                                                     'policy_exception', 'complaint', 'safety', 'other')),
    summary         text NOT NULL CHECK (length(summary) BETWEEN 1 AND 2000),
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'taken', 'closed')),
    taken_by        text CHECK (length(taken_by) BETWEEN 1 AND 128),
    created_at      timestamptz NOT NULL DEFAULT now(),
    taken_at        timestamptz,
    closed_at       timestamptz,
    CONSTRAINT handoffs_taken_has_taker CHECK (status <> 'taken' OR (taken_by IS NOT NULL AND taken_at IS NOT NULL)),
    CONSTRAINT handoffs_closed_has_time CHECK (status <> 'closed' OR closed_at IS NOT NULL)
);
CREATE UNIQUE INDEX handoffs_one_open_per_conversation ON handoffs (conversation_id) WHERE status = 'open';
CREATE INDEX handoffs_queue ON handoffs (created_at) WHERE status = 'open';
CREATE INDEX handoffs_conversation ON handoffs (conversation_id, created_at DESC);

-- +goose Down
DROP TABLE handoffs;
DROP TRIGGER dispute_evidence_limit ON dispute_evidence;
DROP FUNCTION dispute_evidence_limit();
DROP TRIGGER refunds_limit ON refunds;
DROP FUNCTION refunds_limit();
DROP INDEX disputes_order_id;
ALTER TABLE orders DROP COLUMN cancel_idempotency_key;
DROP TABLE refund_items;
