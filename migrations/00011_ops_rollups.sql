-- Operations: daily rollups, so the staff dashboard (/ops) answers a month
-- over a million turns from a few thousand rows instead of the raw ones.
-- The server's refresher (web/ops_rollup.go) writes them; nothing on the
-- turn's path does.

-- +goose Up

-- A latency, in milliseconds, rounded to the bucket the dashboard keeps:
-- 1 ms below 1 s, 10 ms below 10 s, 100 ms below 100 s, then 1 s (at most
-- 0.5 % off, finer than the dashboard prints). The rollups store one count
-- per bucket, and the live query ranks the same buckets, so both give the
-- same percentiles.
-- +goose StatementBegin
CREATE FUNCTION ops_latency_bucket(ms float8) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN ms < 1000 THEN round(ms)
                WHEN ms < 10000 THEN round(ms / 10) * 10
                WHEN ms < 100000 THEN round(ms / 100) * 100
                ELSE round(ms / 1000) * 1000 END::integer
$$;
-- +goose StatementEnd

-- One row per UTC day (of the conversations' start) × locale × shop × the
-- set of models that answered × experiment variant, with the additive
-- counts of the dashboard and, for the percentiles, a histogram of each
-- latency (bucket values and their counts, in two parallel arrays) that
-- merges by adding counts. A day's rows are replaced whole.
CREATE TABLE ops_daily (
    day        date NOT NULL,
    locale     text NOT NULL,
    shop_id    text NOT NULL DEFAULT '',
    -- Every model that answered a turn of the conversations counted here,
    -- sorted: filtering by a model is "that model is in the set", which is
    -- what the live query's "answered at least one turn" means.
    models     text[] NOT NULL DEFAULT '{}',
    -- The experiment arm, "experiment/variant" as the dashboard's filter
    -- names it (conversations.experiment and .variant); null: in no experiment.
    variant    text,
    conversations integer NOT NULL,
    resolved      integer NOT NULL,
    handoffs      integer NOT NULL,
    rated         integer NOT NULL,
    csat_sum      integer NOT NULL,
    thumbs_up     integer NOT NULL,
    thumbs_down   integer NOT NULL,
    turns         integer NOT NULL,
    pass          integer NOT NULL,
    rewritten     integer NOT NULL,
    fallback      integer NOT NULL,
    injections    integer NOT NULL,
    llm_fallbacks integer NOT NULL,
    tokens        bigint NOT NULL,
    -- numeric, not float: sums of sums must equal the sum of the rows.
    cost          numeric NOT NULL,
    tool_calls    integer NOT NULL,
    tool_errors   integer NOT NULL,
    first_ms   integer[] NOT NULL DEFAULT '{}',
    first_n    integer[] NOT NULL DEFAULT '{}',
    total_ms   integer[] NOT NULL DEFAULT '{}',
    total_n    integer[] NOT NULL DEFAULT '{}',
    -- {code: count} of the guardrail violations and of the tool errors.
    violations       jsonb NOT NULL DEFAULT '{}',
    tool_error_codes jsonb NOT NULL DEFAULT '{}',
    refreshed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ops_daily_day ON ops_daily (day);

-- What the refresher has seen: rows changed at or after watermark are not
-- yet in the rollups. Null: rebuild every day (nothing rolled up yet, or
-- rows were written with past timestamps); resets counts those requests,
-- so a refresh that began before one does not clear it.
CREATE TABLE ops_rollup_state (
    id           boolean PRIMARY KEY DEFAULT true CHECK (id),
    watermark    timestamptz,
    resets       bigint NOT NULL DEFAULT 0,
    refreshed_at timestamptz
);
INSERT INTO ops_rollup_state DEFAULT VALUES;

-- The refresher finds what changed by time: every message bumps its
-- conversation's updated_at, ratings carry updated_at (indexed already),
-- handoffs created_at.
CREATE INDEX conversations_updated ON conversations (updated_at);
CREATE INDEX handoffs_created ON handoffs (created_at);
-- The drill-down filtered by shop reads one shop's conversations of a period.
CREATE INDEX conversations_shop_created ON conversations (shop_id, created_at);

-- +goose Down
DROP INDEX conversations_shop_created;
DROP INDEX handoffs_created;
DROP INDEX conversations_updated;
DROP TABLE ops_rollup_state;
DROP TABLE ops_daily;
DROP FUNCTION ops_latency_bucket(float8);
