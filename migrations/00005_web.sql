-- What the web front door needs: buyers' ratings of their conversations, and
-- the notifications that carry new messages and status changes to every
-- replica's open chats (Postgres LISTEN/NOTIFY), whoever wrote them.

-- +goose Up

-- One rating per conversation; rating again replaces it. At least one of
-- thumbs, csat and comment is given.
CREATE TABLE ratings (
    conversation_id text PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
    buyer_id        entity_id NOT NULL REFERENCES buyers (id),
    thumbs          text CHECK (thumbs IN ('up', 'down')),
    csat            smallint CHECK (csat BETWEEN 1 AND 5),
    comment         text NOT NULL DEFAULT '' CHECK (length(comment) <= 1000),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ratings_not_empty CHECK (thumbs IS NOT NULL OR csat IS NOT NULL OR comment <> '')
);
CREATE INDEX ratings_updated ON ratings (updated_at DESC);

-- Every stored message is announced on csagent_messages as
-- "<conversation id>:<seq>"; listeners load the message by seq. The payload
-- stays tiny (NOTIFY payloads are limited to 8000 bytes and queued in shared
-- memory), and the notification is sent only if the insert commits.
-- +goose StatementBegin
CREATE FUNCTION messages_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('csagent_messages', NEW.conversation_id || ':' || NEW.seq);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER messages_notify
    AFTER INSERT ON messages
    FOR EACH ROW EXECUTE FUNCTION messages_notify();

-- A conversation's change of status (open, handoff, agent, closed) is
-- announced on csagent_conversations as "<conversation id>:<status>".
-- +goose StatementBegin
CREATE FUNCTION conversations_notify_status() RETURNS trigger LANGUAGE plpgsql AS $$
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

-- +goose Down
DROP TRIGGER conversations_notify_status ON conversations;
DROP FUNCTION conversations_notify_status();
DROP TRIGGER messages_notify ON messages;
DROP FUNCTION messages_notify();
DROP TABLE ratings;
