-- Experiments (agent/experiment): the arm a conversation was assigned at
-- its first message. The experiments themselves live in the operator's
-- YAML file, not here; a conversation keeps its arm after the experiment
-- is stopped or removed, so the readout still counts it.

-- +goose Up
ALTER TABLE conversations
    ADD COLUMN experiment text CHECK (experiment ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
    ADD COLUMN variant    text CHECK (variant ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
    ADD COLUMN exposed_at timestamptz,
    ADD CONSTRAINT conversations_exposure_whole CHECK ((experiment IS NULL) = (variant IS NULL) AND (experiment IS NULL) = (exposed_at IS NULL));
COMMENT ON COLUMN conversations.experiment IS 'the experiment the conversation was exposed to at its first message; NULL: none';
COMMENT ON COLUMN conversations.variant IS 'its arm in that experiment (control: the defaults)';
-- The readout reads an experiment's conversations.
CREATE INDEX conversations_experiment ON conversations (experiment, variant) WHERE experiment IS NOT NULL;

-- +goose Down
DROP INDEX conversations_experiment;
ALTER TABLE conversations
    DROP CONSTRAINT conversations_exposure_whole,
    DROP COLUMN exposed_at,
    DROP COLUMN variant,
    DROP COLUMN experiment;
