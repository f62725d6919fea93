-- Every turn reads its conversation's actions, pending or proposed in its
-- window, whatever their status (agent/decided.go turnActionsSQL). The
-- only index by conversation, pending_actions_conversation, covers pending
-- rows alone, so that read scanned the whole table: a cost that grew with
-- every action ever proposed on the platform. This index serves it for
-- any status; the partial one stays for the pending actions' own lookups.

-- +goose Up
CREATE INDEX pending_actions_by_conversation ON pending_actions (conversation_id, created_at);

-- +goose Down
DROP INDEX pending_actions_by_conversation;
