-- The policy answer cache's generation (issue 18): a number that changes,
-- in the same transaction, with every write that may stop a cached answer
-- from being served: a policy document stored, changed, retired or deleted
-- (csagent ingest, seed, an operator), and a cached answer deleted or
-- replaced. Each agent process keeps the answers it has served in memory
-- and reads this number (with the database's UTC date, on which versions
-- come into force) in the round trip that stores the buyer's message; an
-- answer in memory is served only under the generation and date it was
-- last found in force in policy_answers, so a re-ingest reaches every
-- process at its next turn, whichever process ingested. A row, not a
-- sequence: a sequence's number moves before the ingest commits, and a
-- process could then find the old answer still in force and keep it under
-- the new number.

-- +goose Up
CREATE TABLE policy_cache_generation (
    id  boolean PRIMARY KEY DEFAULT true CHECK (id),
    gen bigint NOT NULL
);
INSERT INTO policy_cache_generation (id, gen) VALUES (true, 1);

-- +goose StatementBegin
CREATE FUNCTION bump_policy_cache_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE policy_cache_generation SET gen = gen + 1;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER policy_documents_cache_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON policy_documents
    FOR EACH STATEMENT EXECUTE FUNCTION bump_policy_cache_generation();
CREATE TRIGGER policy_answers_cache_generation_gone AFTER DELETE OR TRUNCATE ON policy_answers
    FOR EACH STATEMENT EXECUTE FUNCTION bump_policy_cache_generation();
-- A lookup's hit count is no change to the answer; a store that replaces
-- an answer under its key is.
CREATE TRIGGER policy_answers_cache_generation_replaced AFTER UPDATE ON policy_answers
    FOR EACH ROW WHEN (OLD.answer IS DISTINCT FROM NEW.answer OR OLD.citations IS DISTINCT FROM NEW.citations
        OR OLD.evidence IS DISTINCT FROM NEW.evidence OR OLD.docs IS DISTINCT FROM NEW.docs OR OLD.key IS DISTINCT FROM NEW.key)
    EXECUTE FUNCTION bump_policy_cache_generation();

-- +goose Down
DROP TRIGGER policy_answers_cache_generation_replaced ON policy_answers;
DROP TRIGGER policy_answers_cache_generation_gone ON policy_answers;
DROP TRIGGER policy_documents_cache_generation ON policy_documents;
DROP FUNCTION bump_policy_cache_generation();
DROP TABLE policy_cache_generation;
