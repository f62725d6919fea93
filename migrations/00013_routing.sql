-- Cost control (issue 18): per-shop daily LLM token budgets and the policy
-- answer cache.

-- +goose Up

-- The LLM tokens of each shop's conversations per UTC day, in shards like
-- token_usage (00009), so concurrent replies of one busy shop do not
-- serialize on one row. A reply's tokens count for the shop the turn was
-- about (its shop_id), else the shop its conversation is routed to; a turn
-- of no shop counts for none. Kept by a trigger, so every writer of replies
-- counts alike.
CREATE TABLE shop_token_usage (
    day     date NOT NULL,
    shop_id entity_id NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    shard   smallint NOT NULL CHECK (shard BETWEEN 0 AND 15),
    tokens  bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (day, shop_id, shard)
);

-- +goose StatementBegin
CREATE FUNCTION count_shop_tokens() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER messages_shop_tokens AFTER INSERT ON messages FOR EACH ROW
    WHEN (NEW.role = 'assistant' AND NEW.usage IS NOT NULL
          AND coalesce((NEW.usage ->> 'prompt_tokens')::bigint, 0) + coalesce((NEW.usage ->> 'completion_tokens')::bigint, 0) > 0)
    EXECUTE FUNCTION count_shop_tokens();

-- Grounded, guard-passed policy answers, shared by every replica. An entry
-- is found by key: a hash of the normalised question, locale and audience
-- (kind 'question'), or of the kind of question, locale, audience and the
-- passages the search returned first (kind 'passages'). docs lists the
-- policy document versions (with their index hashes) the answer rests on;
-- it is served only while each is still the version in force, and storing
-- a policy document (csagent ingest, seed) deletes every entry resting on
-- that document in the same transaction. Never an answer about an order or
-- an account: the agent stores only answers of turns that called nothing
-- but search_policy and whose text names no order, amount or person.
CREATE TABLE policy_answers (
    key           bytea PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('question', 'passages')),
    locale        locale_code NOT NULL,
    audience      text NOT NULL CHECK (audience IN ('buyer', 'seller')),
    question      text NOT NULL,
    question_type text NOT NULL,
    answer        text NOT NULL,
    citations     jsonb NOT NULL,
    -- evidence is the search_policy result the answer was checked against,
    -- which it is checked against again when served by its question.
    evidence      text NOT NULL,
    docs          jsonb NOT NULL,
    hits          bigint NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX policy_answers_docs ON policy_answers USING gin (docs jsonb_path_ops);

-- +goose StatementBegin
CREATE FUNCTION forget_policy_answers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM policy_answers
    WHERE docs @> jsonb_build_array(jsonb_build_object('doc_id', NEW.doc_id, 'locale', NEW.locale::text));
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER policy_documents_forget_answers AFTER INSERT OR UPDATE ON policy_documents
    FOR EACH ROW EXECUTE FUNCTION forget_policy_answers();

-- +goose Down
DROP TRIGGER policy_documents_forget_answers ON policy_documents;
DROP FUNCTION forget_policy_answers();
DROP TABLE policy_answers;
DROP TRIGGER messages_shop_tokens ON messages;
DROP FUNCTION count_shop_tokens();
DROP TABLE shop_token_usage;
