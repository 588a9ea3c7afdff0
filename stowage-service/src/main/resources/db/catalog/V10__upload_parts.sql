-- Resumable uploads on the primary's part uploads (decision 0058): a session whose store has them writes each
-- chunk as a part of one upload (S3 multipart, Azure blocks, a local staging file) to the file's final key, so
-- the last chunk completes the upload instead of copying the chunks again. ${bytes} is BLOB (SQLite) or BYTEA.

-- part_upload_id: the store's upload id (null: the session keeps chunk objects as decision 0050 says);
-- blob_key, new_file_id, version_id: where the file will be and the ids it will get; sha256_state: the
-- SHA-256 of the bytes so far as an encoded digest state, so any node continues it; head: the first bytes,
-- kept for type detection; next_part: the number the next part gets; busy_until: while a chunk is being sent,
-- when its hold on the session lapses (a second request at the same offset is refused meanwhile).
ALTER TABLE upload_sessions ADD COLUMN part_upload_id TEXT;
ALTER TABLE upload_sessions ADD COLUMN blob_key TEXT;
ALTER TABLE upload_sessions ADD COLUMN new_file_id TEXT;
ALTER TABLE upload_sessions ADD COLUMN version_id TEXT;
ALTER TABLE upload_sessions ADD COLUMN sha256_state ${bytes};
ALTER TABLE upload_sessions ADD COLUMN head ${bytes};
ALTER TABLE upload_sessions ADD COLUMN next_part INTEGER;
ALTER TABLE upload_sessions ADD COLUMN busy_until BIGINT;

-- The parts a session stored, as the store answered them.
CREATE TABLE upload_session_parts (
    upload_id   TEXT NOT NULL,
    part_number INTEGER NOT NULL,
    size        BIGINT NOT NULL,
    etag        TEXT NOT NULL,
    PRIMARY KEY (upload_id, part_number)
);

-- Chunks under the store's minimum part size, held here until they add up to it or the upload ends.
CREATE TABLE upload_staging (
    upload_id    TEXT NOT NULL,
    start_offset BIGINT NOT NULL,
    data         ${bytes} NOT NULL,
    PRIMARY KEY (upload_id, start_offset)
);
