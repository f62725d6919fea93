-- Numbering a message HOT (issue 15). Each turn's two numbering UPDATEs
-- of conversations used to set updated_at, which three of the table's
-- indexes held, so none was a HOT update and each wrote all eight indexes.
-- The numbering now sets last_seq only (and shop_id the rare time a turn
-- first scopes the conversation); updated_at is the last status change.
-- "Changed since" and "last activity" read messages.created_at instead
-- (web/ops_rollup.go, web/inbox.go), hence messages_created. The two
-- composite indexes on updated_at have no query left: their leading
-- columns are served by conversations_buyer_created and
-- conversations_shop_created. conversations_updated stays for status
-- changes seen by the ops refresher. fillfactor 90 leaves each page room
-- for the HOT versions of its rows.

-- +goose Up
CREATE INDEX messages_created ON messages (created_at);
DROP INDEX conversations_buyer_updated;
DROP INDEX conversations_shop_status;
ALTER TABLE conversations SET (fillfactor = 90);

-- +goose Down
ALTER TABLE conversations RESET (fillfactor);
CREATE INDEX conversations_shop_status ON conversations (shop_id, status, updated_at DESC);
CREATE INDEX conversations_buyer_updated ON conversations (buyer_id, updated_at DESC);
DROP INDEX messages_created;
