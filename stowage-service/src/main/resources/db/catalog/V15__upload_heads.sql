-- The first bytes of a session on parts, kept for type detection (up to 64 KiB), in a row of their own (decision
-- 0089). In the session's row they lay in SQLite's overflow pages, and SQLite writes a row whole when it changes size:
-- the hold and the record of every chunk (and its background sync) wrote the 64 KiB again, about 17 pages of WAL each
-- time, and its checkpoints copied them back with fsyncs. upload_sessions.head stays, empty, as sha256_state does.
CREATE TABLE upload_heads (
    upload_id TEXT PRIMARY KEY,
    head      ${bytes} NOT NULL
);
INSERT INTO upload_heads (upload_id, head) SELECT id, head FROM upload_sessions WHERE head IS NOT NULL;
UPDATE upload_sessions SET head = NULL WHERE head IS NOT NULL;
