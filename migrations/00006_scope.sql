-- Seller scope: who sees what of a conversation (docs/protocol.md, "Who
-- sees what"). Every message carries the shop it concerns, or none (platform
-- scope, seen only by platform support); a conversation is routed to one
-- shop or to support; a handoff goes to one shop or to support. Sellers'
-- queries filter on these columns in SQL.

-- +goose Up

-- Platform support staff: they see every conversation and take the handoffs
-- that concern no single shop.
CREATE TABLE support_staff (
    id     entity_id PRIMARY KEY,
    name   text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    locale locale_code NOT NULL DEFAULT 'en'
);

-- The shop whose orders the message concerns; NULL is platform scope.
ALTER TABLE messages ADD COLUMN shop_id entity_id REFERENCES shops (id);
CREATE INDEX messages_shop ON messages (shop_id, conversation_id, seq) WHERE shop_id IS NOT NULL;

-- conversations.shop_id now means the shop the conversation is routed to
-- (whose seller may take it over, hand it back and reply); NULL routes it to
-- platform support.
COMMENT ON COLUMN conversations.shop_id IS 'the shop the conversation is routed to; NULL: platform support';

-- The queue a handoff waits in: a shop's, or platform support's (NULL). A
-- shop reads shop_summary, built from that shop's scope only; summary, the
-- model's own words, which may draw on the whole conversation, is for
-- support alone.
ALTER TABLE handoffs ADD COLUMN shop_id entity_id REFERENCES shops (id);
ALTER TABLE handoffs ADD COLUMN shop_summary text CHECK (length(shop_summary) BETWEEN 1 AND 2000);
ALTER TABLE handoffs ADD CONSTRAINT handoffs_shop_summary CHECK (shop_id IS NOT NULL OR shop_summary IS NULL);
CREATE INDEX handoffs_shop ON handoffs (shop_id, created_at) WHERE status IN ('open', 'taken');

-- A seller's message concerns their shop. Everything else stored before
-- this migration stays platform scope: it cannot be told apart safely.
UPDATE messages m SET shop_id = s.shop_id FROM sellers s WHERE m.role = 'agent' AND s.id = m.author_id;

-- The order ids written in body (ORD- and five digits, in any case) that
-- are orders of buyer, with their shops.
CREATE FUNCTION buyer_orders_named(buyer text, body text) RETURNS TABLE (order_id text, shop_id text)
LANGUAGE sql STABLE AS $$
    SELECT DISTINCT o.id::text, o.shop_id::text
    FROM regexp_matches(body, '\m(ORD-[0-9]{5})\M', 'gi') AS m
    JOIN orders o ON o.id = upper(m[1]) AND o.buyer_id = buyer
$$;

-- The buyer's orders turn touched: named in the buyer's message of the turn,
-- in its tool calls' arguments and results, and in the actions it proposed
-- or decided. Only the conversation's buyer's own orders count.
-- +goose StatementBegin
CREATE FUNCTION turn_orders(conv text, turn text) RETURNS TABLE (order_id text, shop_id text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY
    SELECT DISTINCT o.id::text, o.shop_id::text
    FROM conversations cv
    CROSS JOIN LATERAL (
        SELECT m.text AS body FROM messages m WHERE m.conversation_id = conv AND m.turn_id = turn AND m.role = 'user'
        UNION ALL
        SELECT tc.arguments::text || ' ' || coalesce(tc.result::text, '') FROM tool_calls tc
            WHERE tc.conversation_id = conv AND tc.turn_id = turn
        UNION ALL
        SELECT pa.arguments::text || ' ' || pa.details::text FROM pending_actions pa
            WHERE pa.conversation_id = conv AND (pa.turn_id = turn OR pa.decision_turn_id = turn)
    ) src
    CROSS JOIN LATERAL regexp_matches(src.body, '\m(ORD-[0-9]{5})\M', 'gi') AS mm
    JOIN orders o ON o.id = upper(mm[1]) AND o.buyer_id = cv.buyer_id
    WHERE cv.id = conv;
END;
$$;
-- +goose StatementEnd

-- The scope of a message or turn that names orders of shops: the one shop,
-- or NULL for several; for one that names no order, the shop the
-- conversation waits for or is taken by (status handoff or agent), since
-- the buyer is talking to that shop; else NULL. (PL/pgSQL, whose plans are
-- cached per connection: these run on every stored message.)
-- +goose StatementBegin
CREATE FUNCTION scope_of(conv text, shops text[]) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    routed text;
BEGIN
    IF cardinality(shops) = 1 THEN
        RETURN shops[1];
    ELSIF cardinality(shops) > 1 THEN
        RETURN NULL;
    END IF;
    SELECT cv.shop_id INTO routed FROM conversations cv WHERE cv.id = conv AND cv.status IN ('handoff', 'agent');
    RETURN routed;
END;
$$;
-- +goose StatementEnd

-- The scope of the buyer's message body in conversation conv, from what it
-- says alone: stamped when stored, before its turn has run.
-- +goose StatementBegin
CREATE FUNCTION message_shop(conv text, body text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    shops text[];
BEGIN
    SELECT coalesce(array_agg(DISTINCT o.shop_id::text), '{}') INTO shops
    FROM conversations cv
    CROSS JOIN LATERAL regexp_matches(body, '\m(ORD-[0-9]{5})\M', 'gi') AS mm
    JOIN orders o ON o.id = upper(mm[1]) AND o.buyer_id = cv.buyer_id
    WHERE cv.id = conv;
    RETURN scope_of(conv, shops);
END;
$$;
-- +goose StatementEnd

-- The scope of turn, from every order it touched (turn_orders): its buyer
-- message and reply are stamped with it when the turn ends.
-- +goose StatementBegin
CREATE FUNCTION turn_shop(conv text, turn text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    shops text[];
BEGIN
    SELECT coalesce(array_agg(DISTINCT t.shop_id), '{}') INTO shops FROM turn_orders(conv, turn) t;
    RETURN scope_of(conv, shops);
END;
$$;
-- +goose StatementEnd

-- Notifications carry the scope, so each listener filters without a query:
-- a message as "<conversation>:<seq>:<shop>:<old shop>", sent when stored and
-- again when its shop changes (a turn's buyer message is stamped when the
-- turn ends); a conversation as "<conversation>:<status>:<routed shop>:<old
-- routed shop>", on a change of status or routing. An empty shop is platform
-- scope.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION messages_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_shop text := '';
BEGIN
    IF TG_OP = 'UPDATE' THEN
        old_shop := coalesce(OLD.shop_id, '');
    END IF;
    PERFORM pg_notify('csagent_messages', NEW.conversation_id || ':' || NEW.seq || ':' || coalesce(NEW.shop_id, '') || ':' || old_shop);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER messages_notify_scope
    AFTER UPDATE OF shop_id ON messages
    FOR EACH ROW WHEN (OLD.shop_id IS DISTINCT FROM NEW.shop_id)
    EXECUTE FUNCTION messages_notify();

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION conversations_notify_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('csagent_conversations',
        NEW.id || ':' || NEW.status || ':' || coalesce(NEW.shop_id, '') || ':' || coalesce(OLD.shop_id, ''));
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
DROP TRIGGER conversations_notify_status ON conversations;
CREATE TRIGGER conversations_notify_status
    AFTER UPDATE OF status, shop_id ON conversations
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.shop_id IS DISTINCT FROM NEW.shop_id)
    EXECUTE FUNCTION conversations_notify_status();

-- +goose Down
DROP TRIGGER conversations_notify_status ON conversations;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION conversations_notify_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('csagent_conversations', NEW.id || ':' || NEW.status);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER conversations_notify_status
    AFTER UPDATE OF status ON conversations
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION conversations_notify_status();
DROP TRIGGER messages_notify_scope ON messages;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION messages_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('csagent_messages', NEW.conversation_id || ':' || NEW.seq);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
DROP FUNCTION turn_shop(text, text);
DROP FUNCTION message_shop(text, text);
DROP FUNCTION scope_of(text, text[]);
DROP FUNCTION turn_orders(text, text);
DROP FUNCTION buyer_orders_named(text, text);
DROP INDEX handoffs_shop;
ALTER TABLE handoffs DROP COLUMN shop_summary;
ALTER TABLE handoffs DROP COLUMN shop_id;
COMMENT ON COLUMN conversations.shop_id IS NULL;
DROP INDEX messages_shop;
ALTER TABLE messages DROP COLUMN shop_id;
DROP TABLE support_staff;
