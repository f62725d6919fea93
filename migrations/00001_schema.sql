-- The commerce data the tools act on, the conversations the agent keeps, the
-- audit log of tool calls and the policy documents retrieval serves.
--
-- Money is always integer minor units plus an ISO 4217 code. Ids a person may
-- type or read (orders, refunds, disputes) are text; the few shapes the
-- platform promises are CHECKed so nothing else can be stored.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS vector;

CREATE DOMAIN currency_code AS text CHECK (VALUE IN ('USD', 'EUR', 'KRW', 'RUB'));
CREATE DOMAIN locale_code AS text CHECK (VALUE ~ '^[a-z]{2}$');
CREATE DOMAIN entity_id AS text CHECK (VALUE ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$');

CREATE TABLE shops (
    id         entity_id PRIMARY KEY,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    currency   currency_code NOT NULL,
    locale     locale_code NOT NULL DEFAULT 'en',
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sellers (
    id         entity_id PRIMARY KEY,
    shop_id    entity_id NOT NULL REFERENCES shops (id),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    locale     locale_code NOT NULL DEFAULT 'en',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sellers_shop_id ON sellers (shop_id);

CREATE TABLE buyers (
    id         entity_id PRIMARY KEY,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email      text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
    locale     locale_code NOT NULL DEFAULT 'en',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX buyers_email ON buyers (lower(email));

CREATE TABLE products (
    id          entity_id PRIMARY KEY,
    shop_id     entity_id NOT NULL REFERENCES shops (id),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    category    text NOT NULL,
    price_minor bigint NOT NULL CHECK (price_minor >= 0),
    currency    currency_code NOT NULL,
    -- Digital goods, gift cards, personalised items and perishable food are
    -- not refundable (refunds policy); the tools read this flag.
    refundable  boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_shop_id ON products (shop_id);

CREATE TABLE orders (
    id              text PRIMARY KEY CHECK (id ~ '^ORD-[0-9]{5}$'),
    buyer_id        entity_id NOT NULL REFERENCES buyers (id),
    shop_id         entity_id NOT NULL REFERENCES shops (id),
    status          text NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled')),
    total_minor     bigint NOT NULL CHECK (total_minor >= 0),
    -- Kept by the refunds trigger below: the database, not Go, guarantees
    -- that refunds never add up to more than was paid.
    refunded_minor  bigint NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
    currency        currency_code NOT NULL,
    placed_at       timestamptz NOT NULL,
    paid_at         timestamptz,
    shipped_at      timestamptz,
    delivered_at    timestamptz,
    cancelled_at    timestamptz,
    carrier         text,
    tracking_number text CHECK (tracking_number ~ '^[A-Z0-9]{8,30}$'),
    CONSTRAINT orders_refund_within_total CHECK (refunded_minor <= total_minor),
    CONSTRAINT orders_paid_has_time CHECK (status IN ('pending') OR status = 'cancelled' OR paid_at IS NOT NULL),
    CONSTRAINT orders_shipped_has_time CHECK (status NOT IN ('shipped', 'delivered') OR shipped_at IS NOT NULL),
    CONSTRAINT orders_delivered_has_time CHECK (status <> 'delivered' OR delivered_at IS NOT NULL),
    CONSTRAINT orders_cancelled_has_time CHECK (status <> 'cancelled' OR cancelled_at IS NOT NULL),
    CONSTRAINT orders_time_order CHECK (
        (paid_at IS NULL OR paid_at >= placed_at)
        AND (shipped_at IS NULL OR (paid_at IS NOT NULL AND shipped_at >= paid_at))
        AND (delivered_at IS NULL OR (shipped_at IS NOT NULL AND delivered_at >= shipped_at))
    ),
    CONSTRAINT orders_shipped_has_tracking CHECK (shipped_at IS NULL OR tracking_number IS NOT NULL)
);
CREATE INDEX orders_buyer_placed ON orders (buyer_id, placed_at DESC);
CREATE INDEX orders_shop_placed ON orders (shop_id, placed_at DESC);

CREATE TABLE order_items (
    order_id          text NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line              integer NOT NULL CHECK (line > 0),
    product_id        entity_id NOT NULL REFERENCES products (id),
    quantity          integer NOT NULL CHECK (quantity > 0),
    unit_price_minor  bigint NOT NULL CHECK (unit_price_minor >= 0),
    refunded_quantity integer NOT NULL DEFAULT 0,
    PRIMARY KEY (order_id, line),
    CONSTRAINT order_items_refunded_within_quantity CHECK (refunded_quantity BETWEEN 0 AND quantity)
);
CREATE INDEX order_items_product_id ON order_items (product_id);

CREATE TABLE refunds (
    id              text PRIMARY KEY CHECK (id ~ '^RF-[0-9A-Z]{4,32}$'),
    order_id        text NOT NULL REFERENCES orders (id),
    buyer_id        entity_id NOT NULL REFERENCES buyers (id),
    amount_minor    bigint NOT NULL CHECK (amount_minor > 0),
    currency        currency_code NOT NULL,
    status          text NOT NULL CHECK (status IN ('pending', 'approved', 'completed', 'rejected')),
    reason          text NOT NULL,
    -- Derived from the confirmed pending action, so a repeated confirmation
    -- finds the refund it already made instead of making a second one.
    idempotency_key text UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refunds_order_id ON refunds (order_id);
CREATE INDEX refunds_buyer_created ON refunds (buyer_id, created_at DESC);

-- Every refund that is not rejected counts against the order's total. The
-- UPDATE takes the order's row lock, so concurrent refunds of one order are
-- serialised here, and the orders_refund_within_total CHECK refuses the one
-- that would overdraw it. It runs AFTER the row is written because BEFORE
-- INSERT triggers also fire for rows that ON CONFLICT then discards.
-- +goose StatementBegin
CREATE FUNCTION refunds_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta bigint := 0;
    order_currency text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT currency INTO order_currency FROM orders WHERE id = NEW.order_id;
        IF order_currency IS DISTINCT FROM NEW.currency THEN
            RAISE EXCEPTION 'refund currency % does not match order currency %', NEW.currency, order_currency
                USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_currency_matches_order';
        END IF;
        IF NEW.status <> 'rejected' THEN
            delta := NEW.amount_minor;
        END IF;
    ELSIF TG_OP = 'UPDATE' THEN
        IF NEW.order_id <> OLD.order_id OR NEW.amount_minor <> OLD.amount_minor OR NEW.currency <> OLD.currency THEN
            RAISE EXCEPTION 'a refund''s order, amount and currency cannot change'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_immutable_amount';
        END IF;
        IF OLD.status <> 'rejected' AND NEW.status = 'rejected' THEN
            delta := -OLD.amount_minor;
        ELSIF OLD.status = 'rejected' AND NEW.status <> 'rejected' THEN
            delta := OLD.amount_minor;
        END IF;
    END IF;
    IF delta <> 0 THEN
        UPDATE orders SET refunded_minor = refunded_minor + delta WHERE id = NEW.order_id;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER refunds_apply
    AFTER INSERT OR UPDATE ON refunds
    FOR EACH ROW EXECUTE FUNCTION refunds_apply();

CREATE TABLE disputes (
    id              text PRIMARY KEY CHECK (id ~ '^DSP-[0-9A-Z]{4,32}$'),
    order_id        text NOT NULL REFERENCES orders (id),
    buyer_id        entity_id NOT NULL REFERENCES buyers (id),
    status          text NOT NULL CHECK (status IN ('open', 'under_review', 'resolved_buyer', 'resolved_seller', 'withdrawn')),
    reason          text NOT NULL CHECK (reason IN ('not_received', 'not_as_described', 'damaged', 'wrong_item', 'counterfeit')),
    description     text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    seller_respond_by timestamptz NOT NULL,
    decide_by       timestamptz NOT NULL,
    idempotency_key text UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX disputes_buyer_created ON disputes (buyer_id, created_at DESC);
-- One open dispute per order (disputes policy).
CREATE UNIQUE INDEX disputes_one_open_per_order ON disputes (order_id) WHERE status IN ('open', 'under_review');

CREATE TABLE dispute_evidence (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dispute_id text NOT NULL REFERENCES disputes (id) ON DELETE CASCADE,
    kind       text NOT NULL CHECK (kind IN ('photo', 'tracking', 'message', 'document')),
    reference  text NOT NULL CHECK (length(reference) BETWEEN 1 AND 500),
    note       text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dispute_evidence_dispute_id ON dispute_evidence (dispute_id);

CREATE TABLE conversations (
    id         text PRIMARY KEY CHECK (id ~ '^c_[0-9a-z]{10,40}$'),
    buyer_id   entity_id NOT NULL REFERENCES buyers (id),
    shop_id    entity_id REFERENCES shops (id),
    locale     locale_code NOT NULL,
    -- open: the agent answers; handoff: waiting for a person; agent: a person
    -- has taken over; closed.
    status     text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'handoff', 'agent', 'closed')),
    last_seq   bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_buyer_updated ON conversations (buyer_id, updated_at DESC);
CREATE INDEX conversations_shop_status ON conversations (shop_id, status, updated_at DESC);

-- The transcript. seq numbers the messages of one conversation without gaps,
-- taken from conversations.last_seq under its row lock; clients resume from it.
CREATE TABLE messages (
    conversation_id text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq             bigint NOT NULL CHECK (seq > 0),
    turn_id         text NOT NULL,
    role            text NOT NULL CHECK (role IN ('user', 'assistant', 'agent')),
    author_id       text NOT NULL,
    text            text NOT NULL CHECK (length(text) <= 16000),
    -- The client's id for a user message: a resend with the same id is not
    -- processed twice.
    client_id       text CHECK (length(client_id) BETWEEN 1 AND 128),
    citations       jsonb NOT NULL DEFAULT '[]',
    guardrail       text CHECK (guardrail IN ('pass', 'rewritten', 'fallback')),
    -- The turn's record: model, tokens, steps, latencies, fallback.
    usage           jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (conversation_id, seq),
    CONSTRAINT messages_client_id_unique UNIQUE (conversation_id, client_id)
);
CREATE INDEX messages_turn_id ON messages (turn_id);

-- The audit log: every tool call, who made it, with what and what came of it.
CREATE TABLE tool_calls (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conversation_id text REFERENCES conversations (id) ON DELETE CASCADE,
    turn_id         text NOT NULL,
    call_id         text NOT NULL,
    actor_role      text NOT NULL CHECK (actor_role IN ('buyer', 'seller', 'system')),
    actor_id        text NOT NULL,
    tool            text NOT NULL,
    arguments       jsonb NOT NULL,
    result          jsonb,
    error_code      text,
    latency_us      bigint NOT NULL CHECK (latency_us >= 0),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tool_calls_conversation ON tool_calls (conversation_id, id);
CREATE INDEX tool_calls_actor ON tool_calls (actor_role, actor_id, created_at DESC);

CREATE TABLE policy_documents (
    doc_id       text NOT NULL CHECK (doc_id ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
    locale       locale_code NOT NULL,
    version      integer NOT NULL CHECK (version > 0),
    title        text NOT NULL,
    audience     text NOT NULL CHECK (audience IN ('buyer', 'seller', 'both')),
    effective_at date NOT NULL,
    body         text NOT NULL,
    content_hash text NOT NULL,
    source       text NOT NULL DEFAULT '',
    retired_at   timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (doc_id, locale, version)
);

CREATE TABLE policy_chunks (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    doc_id          text NOT NULL,
    locale          locale_code NOT NULL,
    version         integer NOT NULL,
    ordinal         integer NOT NULL CHECK (ordinal >= 0),
    heading_path    text NOT NULL DEFAULT '',
    text            text NOT NULL,
    -- The vector's model and dimension travel with it, so a query embedded by
    -- another model is never compared with it.
    embedding       vector,
    embedding_model text,
    tsv             tsvector NOT NULL,
    FOREIGN KEY (doc_id, locale, version) REFERENCES policy_documents (doc_id, locale, version) ON DELETE CASCADE,
    UNIQUE (doc_id, locale, version, ordinal)
);
CREATE INDEX policy_chunks_tsv ON policy_chunks USING gin (tsv);

-- +goose Down
DROP TABLE policy_chunks;
DROP TABLE policy_documents;
DROP TABLE tool_calls;
DROP TABLE messages;
DROP TABLE conversations;
DROP TABLE dispute_evidence;
DROP TABLE disputes;
DROP TABLE refunds;
DROP FUNCTION refunds_apply();
DROP TABLE order_items;
DROP TABLE orders;
DROP TABLE products;
DROP TABLE buyers;
DROP TABLE sellers;
DROP TABLE shops;
DROP DOMAIN entity_id;
DROP DOMAIN locale_code;
DROP DOMAIN currency_code;
DROP EXTENSION IF EXISTS vector;
