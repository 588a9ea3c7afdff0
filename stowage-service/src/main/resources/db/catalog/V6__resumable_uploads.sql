-- Resumable uploads, tus 1.0 (issue 14, decision 0050). A session is a row here, so it survives a restart
-- and any node of a shared catalog can continue it; the bytes it received are objects in the service's own
-- store, one per accepted chunk, each listed in upload_parts with the offset it starts at.

-- state: open (taking chunks), finishing (the last chunk is in; the file is being saved), finished (the
-- file exists: file_id), terminated (the client deleted it; its objects may still be there for expiry).
-- metadata is the client's Upload-Metadata as sent, returned by HEAD.
CREATE TABLE upload_sessions (
    id            TEXT PRIMARY KEY,
    owner_id      TEXT NOT NULL,
    upload_length BIGINT NOT NULL,
    upload_offset BIGINT NOT NULL,
    name          TEXT NOT NULL,
    content_type  TEXT,
    metadata      TEXT,
    state         TEXT NOT NULL,
    file_id       TEXT,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX upload_sessions_by_expiry ON upload_sessions (expires_at);

CREATE TABLE upload_parts (
    upload_id    TEXT NOT NULL,
    start_offset BIGINT NOT NULL,
    size         BIGINT NOT NULL,
    blob_key     TEXT NOT NULL,
    PRIMARY KEY (upload_id, start_offset)
);
