-- Less work in the statements every turn runs (issue 15), measured per
-- statement with pg_stat_statements and perf on a cluster of its own
-- (docs/performance.md, 2026-12-07 14:04).
--
-- count_shop_tokens looked the conversation's shop up in an expression
-- with a subquery even when the reply carried its shop: PL/pgSQL ran that
-- expression as a query and planned it again on every call (calls ==
-- plans in pg_stat_statements). It now reads the row's shop as a simple
-- expression and queries the conversation only for a reply without one.
--
-- messages_client_id_unique indexed every message, though only a buyer's
-- message has a client id: a reply, a seller's or an agent's message (NULL,
-- never in conflict) added an index entry for nothing. The partial unique
-- index keeps the name, so a repeated client id is still the unique
-- violation named messages_client_id_unique (agent/turnstore.go).
--
-- Every UPDATE of a conversation (each turn numbers two messages) checked
-- all six of the table's CHECK constraints, each parsed from its text and
-- prepared again in every statement (ExecConstraints: 4 % of the turn's
-- backend CPU in perf), three of them regular expressions on columns the
-- numbering never sets: the id, the experiment and the variant. Those three
-- are domains now, checked where a value is assigned (an INSERT, an
-- exposure) and not on an UPDATE that leaves them alone; an UPDATE of
-- last_seq costs about 20 µs of backend CPU less (pgbench on this machine,
-- 70 -> 45-48 µs). reviews_on_conversation's WHEN reads id, so it is
-- dropped and created again around the type change, which rewrites the
-- table and its indexes under an exclusive lock (6 s for 100,000
-- conversations and 200,000 messages on the development machine).
--
-- turn_runs_started served the orphan sweeper's ORDER BY started_at, over
-- a table that holds only the turns running now: it is read by a scan of
-- those few rows, and no turn writes the index entry any more.

-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION count_shop_tokens() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    shop text := NEW.shop_id;
BEGIN
    IF shop IS NULL THEN
        SELECT c.shop_id INTO shop FROM conversations c WHERE c.id = NEW.conversation_id;
        IF shop IS NULL THEN
            RETURN NULL;
        END IF;
    END IF;
    INSERT INTO shop_token_usage (day, shop_id, shard, tokens)
    VALUES ((now() AT TIME ZONE 'UTC')::date, shop, abs(hashtext(NEW.turn_id)) % 16,
        coalesce((NEW.usage ->> 'prompt_tokens')::bigint, 0) + coalesce((NEW.usage ->> 'completion_tokens')::bigint, 0))
    ON CONFLICT (day, shop_id, shard) DO UPDATE SET tokens = shop_token_usage.tokens + EXCLUDED.tokens;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

ALTER TABLE messages DROP CONSTRAINT messages_client_id_unique;
CREATE UNIQUE INDEX messages_client_id_unique ON messages (conversation_id, client_id) WHERE client_id IS NOT NULL;
DROP INDEX turn_runs_started;

CREATE DOMAIN conversation_id AS text CHECK (VALUE ~ '^c_[0-9a-z]{10,40}$');
CREATE DOMAIN arm_name AS text CHECK (VALUE ~ '^[a-z0-9][a-z0-9_-]{0,39}$');
DROP TRIGGER reviews_on_conversation ON conversations;
ALTER TABLE conversations DROP CONSTRAINT conversations_id_check,
    DROP CONSTRAINT conversations_experiment_check, DROP CONSTRAINT conversations_variant_check,
    ALTER COLUMN id TYPE conversation_id, ALTER COLUMN experiment TYPE arm_name, ALTER COLUMN variant TYPE arm_name;
CREATE TRIGGER reviews_on_conversation AFTER INSERT ON conversations FOR EACH ROW
    WHEN ((hashtext(NEW.id) & 1023) < 51)
    EXECUTE FUNCTION reviews_on_conversation();

-- +goose Down
DROP TRIGGER reviews_on_conversation ON conversations;
ALTER TABLE conversations ALTER COLUMN id TYPE text, ALTER COLUMN experiment TYPE text, ALTER COLUMN variant TYPE text,
    ADD CONSTRAINT conversations_id_check CHECK (id ~ '^c_[0-9a-z]{10,40}$'),
    ADD CONSTRAINT conversations_experiment_check CHECK (experiment ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
    ADD CONSTRAINT conversations_variant_check CHECK (variant ~ '^[a-z0-9][a-z0-9_-]{0,39}$');
CREATE TRIGGER reviews_on_conversation AFTER INSERT ON conversations FOR EACH ROW
    WHEN ((hashtext(NEW.id) & 1023) < 51)
    EXECUTE FUNCTION reviews_on_conversation();
DROP DOMAIN arm_name;
DROP DOMAIN conversation_id;
CREATE INDEX turn_runs_started ON turn_runs (started_at);
DROP INDEX messages_client_id_unique;
ALTER TABLE messages ADD CONSTRAINT messages_client_id_unique UNIQUE (conversation_id, client_id);
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION count_shop_tokens() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    shop text;
BEGIN
    shop := coalesce(NEW.shop_id, (SELECT c.shop_id FROM conversations c WHERE c.id = NEW.conversation_id));
    IF shop IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO shop_token_usage (day, shop_id, shard, tokens)
    VALUES ((now() AT TIME ZONE 'UTC')::date, shop, abs(hashtext(NEW.turn_id)) % 16,
        coalesce((NEW.usage ->> 'prompt_tokens')::bigint, 0) + coalesce((NEW.usage ->> 'completion_tokens')::bigint, 0))
    ON CONFLICT (day, shop_id, shard) DO UPDATE SET tokens = shop_token_usage.tokens + EXCLUDED.tokens;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
