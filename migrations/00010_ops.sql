-- Operations: what the staff dashboard (/ops) reads fast, and the review
-- queue that turns a bad conversation into an eval regression case.

-- +goose Up

-- The dashboard selects conversations by when they started; the resolution
-- rule looks for the same buyer coming back within 72 hours.
CREATE INDEX conversations_created ON conversations (created_at);
CREATE INDEX conversations_buyer_created ON conversations (buyer_id, created_at);
-- Tool calls are read per conversation (tool_calls_conversation) and, for
-- the error rate, only the failed ones matter per code.
CREATE INDEX tool_calls_errors ON tool_calls (conversation_id, error_code) WHERE error_code IS NOT NULL;

-- A conversation in the review queue: flagged by a person, or queued by the
-- rules (fallback, injection, low rating, handoff) or by random sampling,
-- and, once reviewed, its label. One row per conversation.
CREATE TABLE reviews (
    conversation_id text PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
    -- Why it is in the queue: flagged, fallback, injection, low_csat,
    -- thumbs_down, handoff or sample.
    queued_for  text NOT NULL CHECK (queued_for IN ('flagged', 'fallback', 'injection', 'low_csat', 'thumbs_down', 'handoff', 'sample')),
    flagged_by  text CHECK (length(flagged_by) BETWEEN 1 AND 128),
    note        text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    label       text CHECK (label IN ('correct', 'incorrect')),
    reason      text CHECK (reason IN ('wrong_answer', 'wrong_action', 'missed_handoff', 'needless_handoff',
                                        'needless_fallback', 'unsupported_claim', 'wrong_language', 'other')),
    comment     text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
    -- What the regression case must assert, in the reviewer's words and
    -- as checks: text the reply must (not) contain, and tools expected.
    must_contain     text NOT NULL DEFAULT '' CHECK (length(must_contain) <= 500),
    must_not_contain text NOT NULL DEFAULT '' CHECK (length(must_not_contain) <= 500),
    expect_tools     text[] NOT NULL DEFAULT '{}',
    reviewed_by text CHECK (length(reviewed_by) BETWEEN 1 AND 128),
    queued_at   timestamptz NOT NULL DEFAULT now(),
    reviewed_at timestamptz,
    CONSTRAINT reviews_labelled CHECK ((label IS NULL) = (reviewed_at IS NULL)),
    CONSTRAINT reviews_incorrect_has_reason CHECK (label IS DISTINCT FROM 'incorrect' OR reason IS NOT NULL)
);
CREATE INDEX reviews_open ON reviews (queued_at) WHERE label IS NULL;

-- Queue a conversation for review, for why; a rule's reason replaces the
-- random sample's, and a person's flag or an earlier rule stays.
-- +goose StatementBegin
CREATE FUNCTION reviews_queue(conv text, why text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO reviews (conversation_id, queued_for) VALUES (conv, why)
    ON CONFLICT (conversation_id) DO UPDATE SET queued_for = EXCLUDED.queued_for
        WHERE reviews.queued_for = 'sample' AND reviews.label IS NULL;
$$;
-- +goose StatementEnd

-- The rules: a fallback reply or an injection flag (on the reply's usage
-- record), a handoff, a thumbs-down or a CSAT of 2 or less. The WHEN
-- clauses keep the ordinary message insert free of any work.
-- +goose StatementBegin
CREATE FUNCTION reviews_on_message() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM reviews_queue(NEW.conversation_id,
        CASE WHEN NEW.guardrail = 'fallback' THEN 'fallback' ELSE 'injection' END);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER reviews_on_message
    AFTER INSERT ON messages
    FOR EACH ROW WHEN (NEW.role = 'assistant' AND (NEW.guardrail = 'fallback' OR NEW.usage -> 'guardrail' ->> 'input' = 'injection'))
    EXECUTE FUNCTION reviews_on_message();

-- +goose StatementBegin
CREATE FUNCTION reviews_on_handoff() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM reviews_queue(NEW.conversation_id, 'handoff');
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER reviews_on_handoff
    AFTER INSERT ON handoffs
    FOR EACH ROW EXECUTE FUNCTION reviews_on_handoff();

-- +goose StatementBegin
CREATE FUNCTION reviews_on_rating() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM reviews_queue(NEW.conversation_id, CASE WHEN NEW.thumbs = 'down' THEN 'thumbs_down' ELSE 'low_csat' END);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER reviews_on_rating
    AFTER INSERT OR UPDATE ON ratings
    FOR EACH ROW WHEN (NEW.thumbs = 'down' OR NEW.csat <= 2)
    EXECUTE FUNCTION reviews_on_rating();

-- The random share: about 5 in 100 new conversations, picked by a hash of
-- the id so the pick is reproducible.
-- +goose StatementBegin
CREATE FUNCTION reviews_on_conversation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM reviews_queue(NEW.id, 'sample');
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER reviews_on_conversation
    AFTER INSERT ON conversations
    FOR EACH ROW WHEN ((hashtext(NEW.id) & 1023) < 51)
    EXECUTE FUNCTION reviews_on_conversation();

-- +goose Down
DROP TRIGGER reviews_on_conversation ON conversations;
DROP FUNCTION reviews_on_conversation();
DROP TRIGGER reviews_on_rating ON ratings;
DROP FUNCTION reviews_on_rating();
DROP TRIGGER reviews_on_handoff ON handoffs;
DROP FUNCTION reviews_on_handoff();
DROP TRIGGER reviews_on_message ON messages;
DROP FUNCTION reviews_on_message();
DROP FUNCTION reviews_queue(text, text);
DROP TABLE reviews;
DROP INDEX tool_calls_errors;
DROP INDEX conversations_buyer_created;
DROP INDEX conversations_created;
