-- What the agent keeps between frames: actions waiting for the buyer's
-- confirmation, and the token spend its budgets are measured against.

-- +goose Up
CREATE TABLE pending_actions (
    id              text PRIMARY KEY CHECK (id ~ '^a_[0-9a-z]{10,40}$'),
    conversation_id text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    buyer_id        entity_id NOT NULL REFERENCES buyers (id),
    turn_id         text NOT NULL,
    tool            text NOT NULL,
    arguments       jsonb NOT NULL,
    -- The plain-language summary the buyer confirmed, and its structured form.
    summary         text NOT NULL,
    details         jsonb NOT NULL DEFAULT '{}',
    status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'executed', 'failed', 'declined', 'expired')),
    result          jsonb,
    error_code      text,
    -- The turn that carried the decision, whose reply a repeated confirm
    -- gets again instead of a second execution.
    decision_turn_id text,
    expires_at      timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    decided_at      timestamptz,
    CONSTRAINT pending_actions_decided CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX pending_actions_conversation ON pending_actions (conversation_id, created_at DESC) WHERE status = 'pending';

-- Tokens spent on LLMs per UTC day, for the daily budget; a conversation's
-- own spend is summed from its messages' usage.
CREATE TABLE token_usage (
    day    date PRIMARY KEY,
    tokens bigint NOT NULL DEFAULT 0 CHECK (tokens >= 0)
);

-- +goose Down
DROP TABLE token_usage;
DROP TABLE pending_actions;
