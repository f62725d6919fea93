-- What policy retrieval needs beyond the tables of 00001: a compact key per
-- document version that searches filter chunks by, what a document was
-- indexed with (so a re-ingest knows whether anything changed and a search
-- knows which embedding model it must use), and the approximate-nearest-
-- neighbour index of the built-in embedder.

-- +goose Up

-- doc_key names one (doc_id, locale, version). A search first picks the
-- document versions in force for the caller (a handful of rows) and then
-- filters chunks by doc_key = ANY(...): one integer compared per chunk the
-- index visits, instead of a three-column row against a list of rows.
ALTER TABLE policy_documents
    ADD COLUMN doc_key bigint GENERATED ALWAYS AS IDENTITY,
    -- The embedder its chunks were embedded with; NULL until chunks exist.
    ADD COLUMN embedding_model text,
    -- A hash of the content, the chunking and the embedding model: a
    -- re-ingest writes nothing when it is unchanged.
    ADD COLUMN index_hash text,
    ADD COLUMN chunk_count integer NOT NULL DEFAULT 0 CHECK (chunk_count >= 0),
    ADD CONSTRAINT policy_documents_doc_key UNIQUE (doc_key);

-- Finding the versions in force: per locale, newest first.
CREATE INDEX policy_documents_current ON policy_documents (locale, doc_id, version DESC) WHERE retired_at IS NULL;

ALTER TABLE policy_chunks ADD COLUMN doc_key bigint;
UPDATE policy_chunks c SET doc_key = d.doc_key
FROM policy_documents d
WHERE d.doc_id = c.doc_id AND d.locale = c.locale AND d.version = c.version;
ALTER TABLE policy_chunks
    ALTER COLUMN doc_key SET NOT NULL,
    ADD CONSTRAINT policy_chunks_doc_key_fkey FOREIGN KEY (doc_key) REFERENCES policy_documents (doc_key) ON DELETE CASCADE;
CREATE INDEX policy_chunks_doc_key ON policy_chunks (doc_key);

-- A chunk row (text, tsvector, a 384-float vector) is about 3 kB, past the
-- 2 kB at which Postgres compresses and moves values out of line, and every
-- search would then fetch and decompress the tsvector of each full-text
-- match and the vector of each exactly compared chunk from the TOAST table.
-- Keeping rows of up to 8 kB whole doubles the heap and halves the search.
ALTER TABLE policy_chunks SET (toast_tuple_target = 8160);

-- `embedding vector` has no dimension, so an HNSW index is built per
-- embedding model on the expression with that model's fixed dimension, and
-- per locale: the built-in embedder's vectors of different languages share
-- almost no features, so they are near-orthogonal, and in one graph over
-- all languages a search that enters in the wrong language meets a plateau
-- of equal distances it cannot navigate (at 100,000 chunks, one English or
-- Korean query in ten found nothing near it after 60 ms). Searches must
-- order by exactly `embedding::vector(384) <=> …` and filter on the model
-- and the locale as literals, so the planner can match these partial
-- indexes. Another model, or another locale, needs a migration with an
-- index of its own; until then it is searched exactly. ef_construction is
-- doubled from pgvector's default: with the store's ef_search of 100 the
-- graphs then find 0.96 of the exact top 10 at 100,000 chunks, against
-- 0.945 (csagent bench retrieval).
CREATE INDEX policy_chunks_embedding_local_en ON policy_chunks
    USING hnsw ((embedding::vector(384)) vector_cosine_ops) WITH (m = 16, ef_construction = 128)
    WHERE embedding_model = 'local-ngram-v1-384' AND locale = 'en';
CREATE INDEX policy_chunks_embedding_local_ko ON policy_chunks
    USING hnsw ((embedding::vector(384)) vector_cosine_ops) WITH (m = 16, ef_construction = 128)
    WHERE embedding_model = 'local-ngram-v1-384' AND locale = 'ko';
CREATE INDEX policy_chunks_embedding_local_es ON policy_chunks
    USING hnsw ((embedding::vector(384)) vector_cosine_ops) WITH (m = 16, ef_construction = 128)
    WHERE embedding_model = 'local-ngram-v1-384' AND locale = 'es';
CREATE INDEX policy_chunks_embedding_local_ru ON policy_chunks
    USING hnsw ((embedding::vector(384)) vector_cosine_ops) WITH (m = 16, ef_construction = 128)
    WHERE embedding_model = 'local-ngram-v1-384' AND locale = 'ru';

-- +goose Down
ALTER TABLE policy_chunks RESET (toast_tuple_target);
DROP INDEX policy_chunks_embedding_local_ru;
DROP INDEX policy_chunks_embedding_local_es;
DROP INDEX policy_chunks_embedding_local_ko;
DROP INDEX policy_chunks_embedding_local_en;
DROP INDEX policy_chunks_doc_key;
ALTER TABLE policy_chunks DROP CONSTRAINT policy_chunks_doc_key_fkey, DROP COLUMN doc_key;
DROP INDEX policy_documents_current;
ALTER TABLE policy_documents
    DROP CONSTRAINT policy_documents_doc_key,
    DROP COLUMN chunk_count,
    DROP COLUMN index_hash,
    DROP COLUMN embedding_model,
    DROP COLUMN doc_key;
