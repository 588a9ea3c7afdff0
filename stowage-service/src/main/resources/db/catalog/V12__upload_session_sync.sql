-- Chunks on a backend that buffers parts (local disk) are acknowledged once written, and made durable just after, in
-- the background (decision 0075). synced_offset: how many of the session's bytes are known durable (NULL: all that
-- upload_offset names, as before this migration). unsynced_boot: the boot id of the machine that acknowledged bytes
-- past synced_offset (NULL: none). A session read on a machine with another boot id (it restarted, so its page cache
-- may be gone, or it is another machine) goes back to synced_offset and the client sends the rest again.
ALTER TABLE upload_sessions ADD COLUMN synced_offset BIGINT;
ALTER TABLE upload_sessions ADD COLUMN unsynced_boot TEXT;
