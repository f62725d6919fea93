-- A refund's reason "defective" (issue 14): an item that arrived whole but
-- does not work ("doesn't turn on", "stopped working") is a fault of the
-- product, not of the transport, and was stored as "damaged" for want of
-- its own reason. The list is tools.RefundReasons, and "cancelled" for the
-- refund a cancellation makes.

-- +goose Up
ALTER TABLE refunds DROP CONSTRAINT refunds_reason_check;
ALTER TABLE refunds ADD CONSTRAINT refunds_reason_check CHECK (reason IN
    ('not_received', 'not_as_described', 'damaged', 'defective', 'wrong_item', 'counterfeit', 'changed_mind', 'other', 'cancelled'));

-- +goose Down
-- A defect goes back to being stored as damaged, as it was before, in the
-- refunds made and in the plans still waiting for the buyer's confirmation
-- (whose refund must carry the plan's reason).
UPDATE refunds SET reason = 'damaged' WHERE reason = 'defective';
UPDATE pending_actions SET plan = jsonb_set(plan, '{reason}', '"damaged"')
    WHERE plan->>'action' = 'refund' AND plan->>'reason' = 'defective';
ALTER TABLE refunds DROP CONSTRAINT refunds_reason_check;
ALTER TABLE refunds ADD CONSTRAINT refunds_reason_check CHECK (reason IN
    ('not_received', 'not_as_described', 'damaged', 'wrong_item', 'counterfeit', 'changed_mind', 'other', 'cancelled'));
