-- A turn's writes in two round trips (issue 15): the buyer's message with
-- the reads the turn needs, then the reply with everything the turn made.

-- +goose Up

-- The day's token count, in shards: one row every reply of every
-- conversation updates in its own transaction would serialize the replies'
-- commits. A reply adds to one shard (its turn's, chosen by the agent); a
-- budget check sums the day's few rows.
ALTER TABLE token_usage ADD COLUMN shard smallint NOT NULL DEFAULT 0 CHECK (shard BETWEEN 0 AND 63);
ALTER TABLE token_usage DROP CONSTRAINT token_usage_pkey;
ALTER TABLE token_usage ADD PRIMARY KEY (day, shard);

-- end_turn_run ends the registration of a turn as running (turn_runs) for
-- the reply runner stores, in the reply's own transaction, and aborts that
-- transaction with SQLSTATE CS001 when another runner took the turn over:
-- that one answers it, once. A turn with no registration (a store without
-- runners) ends quietly.
-- +goose StatementBegin
CREATE FUNCTION end_turn_run(conv text, turn text, runner text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    holder text;
BEGIN
    DELETE FROM turn_runs r WHERE r.conversation_id = conv AND r.turn_id = turn RETURNING r.runner INTO holder;
    IF holder IS NOT NULL AND holder <> runner THEN
        RAISE EXCEPTION 'turn % taken over by another runner', turn USING ERRCODE = 'CS001';
    END IF;
END;
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION end_turn_run(text, text, text);
CREATE TABLE token_usage_days AS SELECT day, sum(tokens)::bigint AS tokens FROM token_usage GROUP BY day;
DELETE FROM token_usage;
ALTER TABLE token_usage DROP CONSTRAINT token_usage_pkey;
ALTER TABLE token_usage DROP COLUMN shard;
ALTER TABLE token_usage ADD PRIMARY KEY (day);
INSERT INTO token_usage (day, tokens) SELECT day, tokens FROM token_usage_days;
DROP TABLE token_usage_days;
