-- Sessions: revoking a person's tokens, and the single-use tickets that let
-- a browser open the chat websocket or the seller's event stream without
-- putting a bearer token in a URL.

-- +goose Up

-- A person's token version. Every token carries the version it was minted
-- at; one below the current version is refused. Logging out raises it, so
-- every token minted before stops working, on every replica. A person
-- without a row is at version 0.
CREATE TABLE token_versions (
    role       text NOT NULL,
    person_id  text NOT NULL,
    version    bigint NOT NULL CHECK (version > 0),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (role, person_id)
);

-- A raised version is announced on csagent_sessions as
-- "<role>:<person id>:<version>", so every replica closes that person's
-- open websockets and event streams at once.
-- +goose StatementBegin
CREATE FUNCTION token_versions_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('csagent_sessions', NEW.role || ':' || NEW.person_id || ':' || NEW.version);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER token_versions_notify
    AFTER INSERT OR UPDATE ON token_versions
    FOR EACH ROW EXECUTE FUNCTION token_versions_notify();

-- A ticket stands in for a bearer token in the one URL that needs it, for
-- about 30 seconds and once: redeeming deletes it. Only its SHA-256 is
-- stored. It remembers the token it was bought with (expiry and version),
-- so the connection it opens ends when that token would have.
CREATE TABLE tickets (
    hash             bytea PRIMARY KEY,
    role             text NOT NULL,
    person_id        text NOT NULL,
    purpose          text NOT NULL CHECK (purpose IN ('chat', 'events')),
    token_version    bigint NOT NULL,
    token_expires_at timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL
);
CREATE INDEX tickets_expires ON tickets (expires_at);

-- +goose Down
DROP TABLE tickets;
DROP TRIGGER token_versions_notify ON token_versions;
DROP FUNCTION token_versions_notify();
DROP TABLE token_versions;
