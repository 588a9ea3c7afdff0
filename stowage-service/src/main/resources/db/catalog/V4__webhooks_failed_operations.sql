-- Webhooks, their deliveries and failed operations (decision 0042). V1 made the tables; this adds what
-- the worker and the failed-operations desk need. Plain ADD COLUMN and CREATE INDEX: both databases.

-- A delivery is claimed by the conditional UPDATE of its attempts (the attempt a node makes is the one
-- whose count it raised); event_type is copied so a listing needs no join with the outbox.
ALTER TABLE webhook_deliveries ADD COLUMN event_type TEXT;
CREATE INDEX deliveries_by_webhook ON webhook_deliveries (webhook_id, id);

-- What failed: the operation and its target as the audit log names them (file:<id>, owner:<id>), who
-- asked, and the arguments a retry needs (JSON). An open row has neither resolved_at nor dismissed_at.
ALTER TABLE failed_operations ADD COLUMN target TEXT;
ALTER TABLE failed_operations ADD COLUMN actor TEXT;
ALTER TABLE failed_operations ADD COLUMN detail TEXT;
ALTER TABLE failed_operations ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
ALTER TABLE failed_operations ADD COLUMN dismissed_at BIGINT;
CREATE INDEX failed_operations_open ON failed_operations (resolved_at, dismissed_at, id);

-- Audit pages by target.
CREATE INDEX audit_by_target ON audit_log (target, at);
